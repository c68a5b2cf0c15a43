"""Upgrades: processes that open a new (or older) store at the same moment run its migrations once, under a
lock (SQLite's write lock, a PostgreSQL advisory lock); all of them then work on the same schema."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
from sqlalchemy import create_engine, text

from mail_lint.store.migrate import head_revision

OPEN = ("import sys; from mail_lint.store import Store; "
        "s = Store.open(sys.argv[1]); print(s.count_messages()); s.close()")


def open_at_once(url: str, processes: int = 4) -> list[subprocess.CompletedProcess]:
    env = {**os.environ, "DATABASE_URL": ""}
    started = [subprocess.Popen([sys.executable, "-c", OPEN, url], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for _ in range(processes)]
    return [subprocess.CompletedProcess(p.args, p.wait(timeout=120), *p.communicate()) for p in started]


def versions(url: str) -> list[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [row[0] for row in conn.execute(text("select version_num from alembic_version"))]
    finally:
        engine.dispose()


def test_sqlite_migrations_run_once_when_processes_open_a_new_store_together(tmp_path):
    url = f"sqlite:///{tmp_path / 'new.db'}"
    results = open_at_once(url)
    assert [r.returncode for r in results] == [0] * 4, [r.stderr for r in results]
    assert [r.stdout.strip() for r in results] == ["0"] * 4
    assert versions(url) == [head_revision()]


def test_postgresql_migrations_run_once_when_processes_open_a_new_store_together(postgres_url):
    pytest.importorskip("psycopg")
    results = open_at_once(postgres_url)
    assert [r.returncode for r in results] == [0] * 4, [r.stderr for r in results]
    assert versions(postgres_url) == [head_revision()]


def test_a_downgrade_rolls_the_tokens_migration_back_and_an_open_brings_it_forward(tmp_path):
    """The README's rollback: `alembic downgrade` to the previous revision with the new version's scripts."""
    from alembic import command

    from mail_lint.store import Store
    from mail_lint.store.migrate import alembic_config
    from mail_lint.tokens import create_token, list_tokens, revoke_token

    url = f"sqlite:///{tmp_path / 'down.db'}"
    with Store.open(url) as store:
        create_token(store, "head", "head@x.ru")
        create_token(store, "manager", "gone@x.ru")
        revoke_token(store, 2)
    from alembic.script import ScriptDirectory
    previous = ScriptDirectory.from_config(alembic_config()).get_revision("0007").down_revision
    command.downgrade(alembic_config(url), previous)
    assert versions(url) == [previous]
    with Store.open(url) as store:  # the new version migrates it again on open
        assert [(t["email"], t["status"]) for t in list_tokens(store)] == [("head@x.ru", "active")]
    assert versions(url) == [head_revision()]
