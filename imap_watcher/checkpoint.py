"""Per-folder checkpoints in the store: (UIDVALIDITY, last UID done)."""
from __future__ import annotations

from sqlalchemy import select

from mail_lint.store.models import ImapCheckpoint
from mail_lint.store.store import one_line_errors


class Checkpoints:
    def __init__(self, store):
        self.store = store

    @one_line_errors
    def get(self, folder: str) -> tuple[int | None, int]:
        with self.store.session() as session:
            row = session.scalar(select(ImapCheckpoint).where(ImapCheckpoint.folder == folder))
            return (row.uidvalidity, row.last_uid) if row else (None, 0)

    @one_line_errors
    def set(self, folder: str, uidvalidity: int, last_uid: int) -> None:
        with self.store.session(write=True) as session:
            row = session.get(ImapCheckpoint, folder)
            if row is None:
                session.add(ImapCheckpoint(folder=folder, uidvalidity=uidvalidity, last_uid=last_uid))
            else:
                row.uidvalidity, row.last_uid = uidvalidity, last_uid
