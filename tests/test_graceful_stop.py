"""SIGTERM, as `systemctl stop` sends it: `serve` finishes the checks under way and exits 0; `watch` finishes
the message in hand, leaves a checkpoint that says exactly what was done, and exits 0. Nothing is half
stored, and a restart continues where the last run stopped. Real processes, real Dovecot, real SQLite."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from imapclient import IMAPClient

from api_support import MANAGER, RU_DRAFT
from support.mailservers import Dovecot, free_port, wait_for_port
from test_watcher import PASSWORD, email_bytes, imap_section

REPO = Path(__file__).resolve().parent.parent
KEYWORD = "$MailLintChecked"


def consistent(db: Path) -> sqlite3.Connection:
    """The store passes SQLite's integrity check and every message has its verdict (nothing half stored)."""
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    orphans = conn.execute("select count(*) from messages m left join verdicts v on v.message_pk = m.id "
                           "where v.id is null").fetchone()[0]
    assert orphans == 0
    return conn


# -- serve ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("workers", [1, 2])
def test_serve_finishes_the_checks_under_way_on_sigterm(tmp_path, cli, workers):
    db = tmp_path / "serve.db"
    config = tmp_path / "mail-lint.toml"
    config.write_text(f'[store]\nurl = "sqlite:///{db}"\n[rules]\ndisable = ["grammar"]\n')
    token = cli("token", "create", "--role", "manager", "--email", MANAGER, "--config", str(config),
                env={"DATABASE_URL": ""}).stdout.splitlines()[-1]
    env = {**os.environ, "DATABASE_URL": "", "MAIL_LINT_CONFIG": ""}

    def start() -> tuple[subprocess.Popen, int]:
        port = free_port()
        proc = subprocess.Popen([sys.executable, "-m", "mail_lint", "serve", "--port", str(port), "--workers",
                                 str(workers), "--config", str(config)], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True)
        wait_for_port(port, timeout=60)
        return proc, port

    def check(port: int, n: int) -> tuple[str, int | None]:
        body = json.dumps({**RU_DRAFT, "subject": f"Договор №{n}", "message_id": f"<burst-{n}@alfa-solar.ru>",
                           "text": RU_DRAFT["text"] * 20}).encode()
        request = urllib.request.Request(f"http://127.0.0.1:{port}/v1/check", data=body, method="POST",
                                         headers={"Authorization": f"Bearer {token}",
                                                  "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return "ok", int(response.headers["X-Verdict-Id"])
        except urllib.error.HTTPError as e:
            return f"http {e.code}", None
        except OSError:  # refused or reset before the request was read: it never started
            return "not taken", None

    proc, port = start()
    results: list[tuple[str, int | None]] = []
    counter = iter(range(10_000))
    lock = threading.Lock()

    def client() -> None:
        while True:
            with lock:
                n = next(counter)
            outcome = check(port, n)
            with lock:
                results.append(outcome)
            if outcome[0] == "not taken":
                return

    threads = [threading.Thread(target=client) for _ in range(8)]
    for t in threads:
        t.start()
    while sum(r[0] == "ok" for r in list(results)) < 20:
        time.sleep(0.01)
    proc.send_signal(signal.SIGTERM)
    _, errors = proc.communicate(timeout=60)
    for t in threads:
        t.join(timeout=60)
    assert proc.returncode == 0, errors[-2000:]
    assert "Traceback" not in errors, errors[-2000:]
    answered = [verdict_id for outcome, verdict_id in results if outcome == "ok"]
    assert {outcome for outcome, _ in results} <= {"ok", "not taken"}  # no check cut off with an error
    with consistent(db) as conn:
        stored = {row[0] for row in conn.execute("select id from verdicts")}
    assert set(answered) == stored  # every check answered is stored, and nothing else

    proc, port = start()  # a restart serves on from the same store
    try:
        assert check(port, 10_001)[0] == "ok"
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=60)
    assert proc.returncode == 0
    with consistent(db) as conn:
        assert conn.execute("select count(*) from verdicts").fetchone()[0] == len(stored) + 1


# -- watch ---------------------------------------------------------------------------------------

COUNT = 150


def handled(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("select (select count(*) from messages) + (select count(*) from skipped)").fetchone()[0]
    except sqlite3.OperationalError:  # tables not created yet
        return 0


@pytest.mark.skipif(not Dovecot.available(), reason="Dovecot is not installed (apt-get install dovecot-imapd)")
def test_watch_stops_on_sigterm_with_a_consistent_checkpoint_and_resumes(tmp_path):
    server = Dovecot({"head": PASSWORD}).start()
    try:
        with IMAPClient("127.0.0.1", port=server.port, ssl=False) as imap:
            imap.login("head", PASSWORD)
            for n in range(COUNT):  # every third message is short: skipped, with a reason
                imap.append("INBOX", email_bytes(n, lines=1 if n % 3 == 0 else 8))
        db = tmp_path / "watch.db"
        config = tmp_path / "mail-lint.toml"
        config.write_text(f"""
[store]
url = "sqlite:///{db}"
{imap_section(server.port)}[watch]
batch = 40
[digest]
schedule = false
[rules]
disable = ["grammar"]
""")
        env = {**os.environ, "TEST_IMAP_PASSWORD": PASSWORD, "DATABASE_URL": "", "MAIL_LINT_CONFIG": ""}
        # As systemd runs it: the daemon, not --once. Stopped mid-batch, well into the backlog.
        proc = subprocess.Popen([sys.executable, "-m", "mail_lint", "watch", "--config", str(config)], cwd=REPO,
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 120
        while handled(db) < 50 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        proc.send_signal(signal.SIGTERM)
        _, errors = proc.communicate(timeout=90)
        assert proc.returncode == 0, errors[-2000:]
        assert "Traceback" not in errors, errors[-2000:]

        with consistent(db) as conn:
            (validity, last_uid), = conn.execute("select uidvalidity, last_uid from imap_checkpoints").fetchall()
            done = handled(db)
        assert 50 <= done < COUNT  # it stopped in the middle of the backlog ...
        assert last_uid == done  # ... and the checkpoint says exactly how far (UIDs 1..COUNT in a new mailbox)
        with IMAPClient("127.0.0.1", port=server.port, ssl=False) as imap:
            imap.login("head", PASSWORD)
            imap.select_folder("INBOX", readonly=True)
            marked = set(imap.search(["KEYWORD", KEYWORD]))
        assert marked == set(range(1, last_uid + 1))

        resumed = subprocess.run([sys.executable, "-m", "mail_lint", "watch", "--once", "--config", str(config)],
                                 cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
        assert resumed.returncode == 0, resumed.stderr[-2000:]
        assert f"{COUNT - done} messages handled" in resumed.stderr  # it took up where it stopped
        with consistent(db) as conn:
            linted = [r[0] for r in conn.execute("select message_id from messages")]
            skipped = [r[0] for r in conn.execute("select message_id from skipped")]
        assert sorted(linted) == sorted(f"<m{n}@alfa-solar.ru>" for n in range(COUNT) if n % 3)
        assert sorted(skipped) == sorted(f"<m{n}@alfa-solar.ru>" for n in range(COUNT) if n % 3 == 0)
    finally:
        server.remove()
