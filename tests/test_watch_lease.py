"""The single `[imap]` watcher takes the same lease as a `[[mailbox]]` entry (imap_watcher.mailboxes): two `watch`
processes on one `[imap]` config and one store, PostgreSQL (an advisory lock) or SQLite (a lock file), never
both lint. A real Dovecot; each process's own Prometheus counter says how many emails it linted."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from imapclient import IMAPClient
from sqlalchemy import create_engine, text

from support.mailservers import Dovecot, free_port
from test_metrics import samples, value
from test_watcher import PASSWORD, email_bytes, imap_section

REPO = Path(__file__).resolve().parent.parent
COUNT = 30  # every fifth is short: skipped


@pytest.fixture(scope="module")
def dovecot():
    if not Dovecot.available():
        pytest.skip("Dovecot is not installed (apt-get install dovecot-imapd)")
    server = Dovecot({"head": PASSWORD}).start()
    yield server
    server.remove()


@pytest.fixture(params=["postgresql", "sqlite"])
def store_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'mail-lint.db'}"
    return request.getfixturevalue("postgres_url")


def append(dovecot: Dovecot, folder: str, numbers: range) -> None:
    with IMAPClient("127.0.0.1", port=dovecot.port, ssl=False) as imap:
        imap.login("head", PASSWORD)
        if not imap.folder_exists(folder):
            imap.create_folder(folder)
        for n in numbers:
            imap.append(folder, email_bytes(n, lines=1 if n % 5 == 0 else 8))


def handled(url: str) -> tuple[set[str], int]:
    """The Message-IDs with a verdict, and how many messages were recorded as skipped."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            linted = {row[0] for row in conn.execute(text(
                "select m.message_id from messages m join verdicts v on v.message_pk = m.id"))}
            return linted, conn.execute(text("select count(*) from skipped")).scalar()
    except Exception:  # tables not there yet
        return set(), 0
    finally:
        engine.dispose()


def test_two_watchers_on_one_imap_config_never_both_lint(dovecot, store_url, tmp_path):
    folder = f"L{time.monotonic_ns()}"
    append(dovecot, folder, range(COUNT))
    config = tmp_path / "mail-lint.toml"
    config.write_text(f"""
[store]
url = "{store_url}"
{imap_section(dovecot.port, folder)}[watch]
idle_seconds = 5
batch = 5
failover_seconds = 1
[digest]
schedule = false
[rules]
disable = ["grammar"]
""", encoding="utf-8")
    env = {**os.environ, "TEST_IMAP_PASSWORD": PASSWORD, "DATABASE_URL": "", "MAIL_LINT_CONFIG": ""}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    procs: dict[subprocess.Popen, tuple[int, Path]] = {}

    def watch() -> subprocess.Popen:
        port, log = free_port(), tmp_path / f"watch-{len(procs)}.log"
        proc = subprocess.Popen([sys.executable, "-m", "mail_lint", "watch", "--metrics-port", str(port), "--config",
                                 str(config)], cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=log.open("w"))
        procs[proc] = (port, log)
        return proc

    def said(proc: subprocess.Popen, event: str) -> bool:
        return f'"event": "{event}"' in procs[proc][1].read_text()

    def linted_by(proc: subprocess.Popen) -> float:
        with urllib.request.urlopen(f"http://127.0.0.1:{procs[proc][0]}/metrics", timeout=10) as response:
            return value(samples(response.read().decode()), "mail_lint_checks_total", source="imap")

    def wait(condition, what: str, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            assert time.monotonic() < deadline, (what, [log.read_text()[-2000:] for _, log in procs.values()])
            assert all(proc.poll() in (None, 0) for proc in procs), [log.read_text()[-2000:]
                                                                     for _, log in procs.values()]
            time.sleep(0.1)

    selected = {f"<m{n}@alfa-solar.ru>" for n in range(COUNT) if n % 5}
    try:
        first, second = watch(), watch()
        wait(lambda: handled(store_url) == (selected, COUNT - len(selected)), "the backlog handled")
        wait(lambda: linted_by(first) + linted_by(second) >= len(selected), "the counters")
        counts = sorted([linted_by(first), linted_by(second)])
        assert counts == [0, len(selected)]  # one linted every message, the other none: not a message twice
        owner, standby = (first, second) if linted_by(first) else (second, first)
        assert said(owner, "mailbox.owned") and said(standby, "mailbox.standby") and not said(standby, "mailbox.owned")

        # The owner stops (SIGTERM: a clean stop); the standby takes the mailbox over and lints what comes next.
        owner.send_signal(signal.SIGTERM)
        assert owner.wait(timeout=60) == 0, procs[owner][1].read_text()[-2000:]
        wait(lambda: said(standby, "mailbox.owned"), "the standby taking over", timeout=30)
        append(dovecot, folder, range(COUNT, COUNT + 4))
        more = selected | {f"<m{n}@alfa-solar.ru>" for n in range(COUNT, COUNT + 4) if n % 5}
        wait(lambda: handled(store_url)[0] == more, "the new mail linted")
        wait(lambda: linted_by(standby) == len(more - selected), "the new owner's counter")
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in procs:
            proc.wait(timeout=60)
    assert all(proc.returncode == 0 for proc in procs), [log.read_text()[-2000:] for _, log in procs.values()]
