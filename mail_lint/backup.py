"""Backups of a SQLite store with SQLite's online backup API, and restoring one.

A backup is a consistent copy taken while the service and the watcher go on writing: the API copies every
page inside one read transaction, so it holds exactly the verdicts committed when it began (WAL mode lets the
writers carry on meanwhile). It is written beside its destination and renamed into place when complete and
checked, so a failed backup never leaves a truncated file under the name you gave. PostgreSQL stores are
backed up with pg_dump (README, "Backups and upgrades").
"""
from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

from .errors import UnusableInput
from .store import Store, StoreError


def _sqlite_only(store: Store, verb: str) -> None:
    if store.engine.dialect.name != "sqlite":
        raise UnusableInput(f"{verb}: the store is on {store.engine.dialect.name}; use pg_dump / pg_restore "
                            f"(README, \"Backups and upgrades\")")


def integrity_problem(path: Path) -> str | None:
    """None when `path` is a SQLite database that passes `PRAGMA integrity_check` and holds a mail-lint schema."""
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            result = conn.execute("PRAGMA integrity_check").fetchone()[0]
            if result != "ok":
                return f"integrity check failed: {result}"
            tables = {row[0] for row in conn.execute("select name from sqlite_master where type = 'table'")}
    except sqlite3.Error as e:
        return f"not a readable SQLite database: {e}"
    return None if {"alembic_version", "messages", "verdicts"} <= tables else "not a mail-lint store"


def backup(store: Store, destination: str | os.PathLike) -> Path:
    """Copy the store to `destination` (a file; it is replaced); returns its absolute path."""
    _sqlite_only(store, "backup")
    target = Path(destination).expanduser().absolute()
    if target.is_dir():
        raise UnusableInput(f"backup: {target} is a folder; name the backup file, e.g. {target}/mail-lint.db")
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    try:
        os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))  # it holds everyone's mail
        raw = store.engine.raw_connection()
        try:
            with closing(sqlite3.connect(partial)) as copy:
                raw.driver_connection.backup(copy)  # all pages in one step: one consistent snapshot
        finally:
            raw.close()
        problem = integrity_problem(partial)
        if problem:
            raise StoreError(f"backup: the copy failed its check: {problem}")
        os.replace(partial, target)
    except OSError as e:
        raise UnusableInput(f"backup: cannot write {target}: {e.strerror or e}") from None
    except sqlite3.Error as e:
        raise StoreError(f"backup: {e}") from None
    finally:
        partial.unlink(missing_ok=True)
    return target


def restore(store: Store, source: str | os.PathLike) -> None:
    """Replace the store's content with a backup's (stop `serve` and `watch` first). The backup is checked
    before anything is touched; a backup from an older version is migrated on the next open."""
    _sqlite_only(store, "restore")
    path = Path(source).expanduser().absolute()
    if not path.is_file():
        raise UnusableInput(f"restore: no such file: {path}")
    problem = integrity_problem(path)
    if problem:
        raise UnusableInput(f"restore: {path}: {problem}; the store was not touched")
    raw = store.engine.raw_connection()
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as backup_file:
            backup_file.backup(raw.driver_connection)
    except sqlite3.Error as e:
        raise StoreError(f"restore: {e}") from None
    finally:
        raw.close()
