"""The verdict store: messages and their verdicts in SQLite (default) or any SQLAlchemy database.

    from mail_lint.store import Store
    with Store.open() as store:                  # URL: argument, DATABASE_URL, [store] url, default
        verdict_id = store.save(verdict, source="cli")   # a Verdict from engine.lint
        store.get(verdict_id)["verdict"]         # the verdict JSON as saved
        store.list(sender="ivan@example.ru", since="2025-12-01", name="greeting")

Opening a store runs the Alembic migrations in `mail_lint/migrations/versions/` up to head,
so every process (service, watcher, CLI) finds the schema it expects. On SQLite the file is
shared in WAL mode with a busy timeout; writes take the write lock at BEGIN.

Adding a table or a column (tokens, IMAP checkpoints, digest sends, ...):
1. Add or change the model in `mail_lint/store/models.py` (typed `Mapped[...]` columns).
2. Add `mail_lint/migrations/versions/000N_<what>.py` with `revision = "000N"` and
   `down_revision` = the previous number; write `upgrade()`/`downgrade()` with `op.create_table`
   etc. (plain SQLAlchemy types, explicit constraint names as in 0001). For changes to existing
   tables on SQLite use `with op.batch_alter_table("name") as batch: ...`.
   Alembic can draft it against a scratch database at the previous head:
       python -c "from alembic import command; from mail_lint.store.migrate import alembic_config; \
                  command.upgrade(alembic_config('sqlite:///scratch.db'), 'head'); \
                  command.revision(alembic_config('sqlite:///scratch.db'), 'add tokens', \
                                   autogenerate=True, rev_id='0002')"
   then review the draft (autogenerate misses renames and server defaults).
3. `tests/test_store.py::test_models_match_migrations` fails until models and migrations agree.
The files under `mail_lint/migrations/` ship with the package (pyproject package-data).
"""
from .models import Base, DigestSend, MessageRow, SkippedRow, VerdictRow, VerdictRule
from .store import DEFAULT_URL, Store, StoreError, StoreUnavailable, draft_message_id, resolve_url

__all__ = ["Base", "DEFAULT_URL", "DigestSend", "MessageRow", "SkippedRow", "Store", "StoreError", "StoreUnavailable",
           "VerdictRow", "VerdictRule", "draft_message_id", "resolve_url"]
