"""Who watches a mailbox (`[imap]` or a `[[mailbox]]`): exactly one `watch` process at a time, whatever the number
of processes and hosts.

On PostgreSQL the owner holds a session-level advisory lock on a connection of its own; on SQLite (one host)
an exclusive `flock` on a file beside the store. Either is released by the operating system or the database
the moment the owner dies, kill -9 included (PostgreSQL notices a vanished host by TCP keepalive, within
about a minute, set below), so a waiting watcher takes over at its next try.
"""
from __future__ import annotations

import fcntl
import hashlib
import os
import re
from pathlib import Path

from sqlalchemy import text

from mail_lint.store import Store


def _key(name: str) -> int:
    """A stable signed 64-bit lock id for the mailbox (PostgreSQL advisory locks take a bigint)."""
    return int.from_bytes(hashlib.sha256(f"mail-lint mailbox {name}".encode()).digest()[:8], "big", signed=True)


def _file_name(name: str) -> str:
    """The name itself when it is safe in a file name (a `[[mailbox]]` name), else its lock id in hex."""
    return name if re.fullmatch(r"[A-Za-z0-9._-]+", name) else f"{_key(name) & (2**64 - 1):016x}"


class Lease:
    def __init__(self, store: Store, name: str):
        self.store, self.name = store, name
        self._connection = None
        self._file: int | None = None

    @property
    def held(self) -> bool:
        return self._connection is not None or self._file is not None

    def try_acquire(self) -> bool:
        """Take the mailbox if nobody holds it; False at once otherwise."""
        if self.held:
            return True
        if self.store.engine.dialect.name == "postgresql":
            return self._try_postgres()
        return self._try_file()

    def release(self) -> None:
        if self._connection is not None:
            connection, self._connection = self._connection, None
            try:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _key(self.name)})
            finally:
                connection.close()  # the lock goes with the session anyway
        if self._file is not None:
            fd, self._file = self._file, None
            os.close(fd)  # closing the file drops the flock

    def _try_postgres(self) -> bool:
        connection = self.store.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        try:
            # The server drops a vanished owner's session (and its lock) after ~30 s + 3 × 10 s of silence,
            # not after the operating system's default two hours.
            for setting, seconds in (("tcp_keepalives_idle", 30), ("tcp_keepalives_interval", 10),
                                     ("tcp_keepalives_count", 3)):
                connection.execute(text(f"SET {setting} = {seconds}"))
            taken = connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": _key(self.name)}).scalar()
        except Exception:
            connection.close()
            raise
        if not taken:
            connection.close()
            return False
        self._connection = connection
        return True

    def _try_file(self) -> bool:
        database = self.store.engine.url.database or ""
        folder = Path(database).parent if database and database != ":memory:" else Path("/tmp")
        path = folder / f".mail-lint-mailbox-{_file_name(self.name)}.lock"
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._file = fd
        return True
