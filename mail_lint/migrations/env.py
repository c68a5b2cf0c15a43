"""Alembic environment of the verdict store.

`mail_lint.store.Store.open()` runs this with its own connection (already inside a transaction)
in `config.attributes["connection"]`. Without one (a developer running Alembic by hand),
it connects to `sqlalchemy.url` from the config.
"""
from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from mail_lint.store.models import Base

config = context.config


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=Base.metadata,
                      literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
elif (given := config.attributes.get("connection")) is not None:
    _run(given)
else:
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.begin() as conn:
        _run(conn)
    engine.dispose()
