"""Run the packaged Alembic migrations from code: no alembic.ini is needed at run time."""
from __future__ import annotations

import threading
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
# Alembic's `context` is a module-global proxy: two threads migrating at once would trample it.
_ALEMBIC_LOCK = threading.Lock()
_PG_MIGRATION_LOCK = 0x6D6C696E74  # "mlint": one advisory lock key for mail-lint's migrations


def alembic_config(url: str | None = None) -> Config:
    """An Alembic config pointing at `mail_lint/migrations` (and at `url`, for use by hand)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if url:
        # ConfigParser interpolation would choke on the % of URL-encoded passwords.
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


@cache
def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def upgrade(connection: Connection) -> None:
    """Bring the schema on `connection` to head, inside the caller's transaction."""
    if MigrationContext.configure(connection).get_current_revision() == head_revision():
        return  # the usual case: nothing to do, and no need to load the migration scripts
    if connection.dialect.name == "postgresql":
        # Processes that open a new database together queue here (SQLite's write lock does this there);
        # the lock ends with the transaction. Then look again: another process may have migrated meanwhile.
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_MIGRATION_LOCK})")
        if MigrationContext.configure(connection).get_current_revision() == head_revision():
            return
    cfg = alembic_config()
    cfg.attributes["connection"] = connection
    with _ALEMBIC_LOCK:
        command.upgrade(cfg, "head")
