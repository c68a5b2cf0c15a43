"""`mail-lint backup` while verdicts are being written, then `mail-lint restore` into a new store: the result
passes SQLite's integrity check and holds every verdict stored before the backup began."""
from __future__ import annotations

import sqlite3
import threading

import pytest

from mail_lint.store import Store
from test_store import make_message, make_verdict


def write_config(path, db) -> str:
    path.write_text(f'[store]\nurl = "sqlite:///{db}"\n', encoding="utf-8")
    return str(path)


def test_a_backup_taken_during_writes_restores_completely(tmp_path, cli):
    live, restored = tmp_path / "live.db", tmp_path / "restored" / "store.db"
    live_config = write_config(tmp_path / "live.toml", live)
    stored: list[int] = []
    stop = threading.Event()

    def writer() -> None:
        with Store.open(f"sqlite:///{live}") as store:
            n = 0
            while not stop.is_set():
                stored.append(store.save(make_verdict(make_message(f"<w{n}@x.ru>")), "cli"))
                n += 1

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(stored) < 200:
            threading.Event().wait(0.01)
        before = set(stored)  # every id here was committed before the backup began
        made = cli("backup", str(tmp_path / "backup.db"), "--config", live_config, env={"DATABASE_URL": ""})
        during = len(stored)
    finally:
        stop.set()
        thread.join(timeout=60)
    assert made.returncode == 0, made.stderr
    assert during > len(before)  # writes went on while the backup ran
    assert (tmp_path / "backup.db").stat().st_mode & 0o777 == 0o600

    done = cli("restore", str(tmp_path / "backup.db"), "--config", write_config(tmp_path / "new.toml", restored),
               env={"DATABASE_URL": ""})
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(restored) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        ids = {row[0] for row in conn.execute("select id from verdicts")}
        orphans = conn.execute("select count(*) from messages m left join verdicts v on v.message_pk = m.id "
                               "where v.id is null").fetchone()[0]
    assert before <= ids <= set(stored)
    assert orphans == 0
    with Store.open(f"sqlite:///{restored}") as store:  # the restored store works
        assert store.get(min(before))["verdict"]["score"] == 83


def test_restore_refuses_a_damaged_backup_and_touches_nothing(tmp_path, cli):
    db = tmp_path / "store.db"
    with Store.open(f"sqlite:///{db}") as store:
        store.save(make_verdict(make_message()), "cli")
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"not a backup" * 1000)
    r = cli("restore", str(bad), "--config", write_config(tmp_path / "c.toml", db), env={"DATABASE_URL": ""})
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1
    assert "the store was not touched" in r.stderr
    with Store.open(f"sqlite:///{db}") as store:
        assert store.count_messages() == 1


def test_backup_of_a_postgresql_store_points_to_pg_dump(postgres_url, tmp_path, cli):
    r = cli("backup", str(tmp_path / "b.db"), env={"DATABASE_URL": postgres_url})
    assert r.returncode == 2 and "pg_dump" in r.stderr and not (tmp_path / "b.db").exists()


@pytest.mark.parametrize("target", ["folder"])
def test_backup_into_a_folder_is_a_clear_error(tmp_path, cli, target):
    (tmp_path / target).mkdir()
    r = cli("backup", str(tmp_path / target), "--config", write_config(tmp_path / "c.toml", tmp_path / "s.db"),
            env={"DATABASE_URL": ""})
    assert r.returncode == 2 and "is a folder" in r.stderr
