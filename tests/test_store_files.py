"""The SQLite store's files hold every manager's mail: only their owner may read them."""
from __future__ import annotations

import os
import stat

import pytest

from mail_lint.message import from_draft
from mail_lint.store import Store
from support.verdicts import verdict_for


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def open_umask():
    """The usual 022: without our care, files come out 0644 (readable by every local user)."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_a_new_store_and_its_folders_are_for_the_owner_only(tmp_path, open_umask, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    db = tmp_path / "new" / "sub" / "verdicts.db"
    message = from_draft(text="Иван, добрый день!\nПришлите счёт до пятницы.", sender="petr@alfa-solar.ru",
                         message_id="<p1@alfa-solar.ru>")
    with Store.open(f"sqlite:///{db}") as store:
        store.save(verdict_for(message, 90), source="cli")
        # WAL mode: the -wal and -shm files exist while a connection is open.
        assert {p.name for p in db.parent.iterdir()} == {"verdicts.db", "verdicts.db-wal", "verdicts.db-shm"}
        for path in db.parent.iterdir():
            assert mode(path) == 0o600, path.name
    assert mode(tmp_path / "new") == 0o700 and mode(tmp_path / "new" / "sub") == 0o700


def test_an_existing_store_file_keeps_its_mode(tmp_path, open_umask, monkeypatch):
    """The owner chose it (a shared group, say): opening the store is no time to change it."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    db = tmp_path / "verdicts.db"
    Store.open(f"sqlite:///{db}").close()
    db.chmod(0o640)
    Store.open(f"sqlite:///{db}").close()
    assert mode(db) == 0o640
