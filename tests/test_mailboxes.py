"""Several `[[mailbox]]` entries, several `watch` processes, one PostgreSQL, a real Dovecot: each mailbox has one
watcher at a time; when its owner is killed with SIGKILL, a standby takes over within bounded time, finishes
the mailbox, and lints nothing the dead owner had finished."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from imapclient import IMAPClient
from sqlalchemy import create_engine, text

from mail_lint.config import validate
from mail_lint.errors import ConfigError
from support.mailservers import Dovecot
from test_watcher import PASSWORD, email_bytes

REPO = Path(__file__).resolve().parent.parent
PER_MAILBOX = 200
FAILOVER_SECONDS = 1


def mailbox_config(path: Path, dovecot: Dovecot, names: list[str]) -> Path:
    tables = "".join(f"""
[[mailbox]]
name = "{name}"
host = "127.0.0.1"
port = {dovecot.port}
security = "none"
user = "{name}"
password_env = "TEST_IMAP_PASSWORD"
address = "{name}@alfa-solar.ru"
""" for name in names)
    path.write_text(f"""
[watch]
batch = 10
failover_seconds = {FAILOVER_SECONDS}
[digest]
schedule = false
[rules]
disable = ["grammar"]
{tables}""", encoding="utf-8")
    return path


def verdicts(url: str) -> dict[str, tuple[str, object]]:
    """Message-ID -> (sender, when its verdict was made) for every linted message."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {row[0]: (row[1], row[2]) for row in conn.execute(text(
                "select m.message_id, m.sender, v.created_at from messages m join verdicts v on v.message_pk = m.id"))}
    finally:
        engine.dispose()


def handled(url: str, sender: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("select count(*) from messages where sender = :s"), {"s": sender}).scalar() \
                + conn.execute(text("select count(*) from skipped where message_id like :p"),
                               {"p": f"<{sender.split('@')[0]}-%"}).scalar()
    except Exception:  # tables not there yet
        return 0
    finally:
        engine.dispose()


def message(mailbox: str, n: int) -> bytes:
    raw = email_bytes(n, lines=1 if n % 5 == 0 else 8, sender=f"{mailbox}-manager@alfa-solar.ru")
    return raw.replace(f"<m{n}@alfa-solar.ru>".encode(), f"<{mailbox}-manager-{n}@alfa-solar.ru>".encode())


def test_mailbox_entries_are_validated():
    config = validate({"mailbox": [{"name": "a", "host": "h"}, {"name": "b", "host": "h", "folders": ["X"]}]})
    assert [m["name"] for m in config.mailboxes] == ["a", "b"] and config.mailboxes[1]["folders"] == ["X"]
    assert config.mailboxes[0]["port"] == 993  # [imap]'s defaults
    with pytest.raises(ConfigError, match="used twice"):
        validate({"mailbox": [{"name": "a"}, {"name": "a"}]})
    with pytest.raises(ConfigError, match="unknown key mailbox.a.hots"):
        validate({"mailbox": [{"name": "a", "hots": "h"}]})
    with pytest.raises(ConfigError, match="mailbox #1: name"):
        validate({"mailbox": [{"host": "h"}]})


@pytest.mark.skipif(not Dovecot.available(), reason="Dovecot is not installed (apt-get install dovecot-imapd)")
def test_one_watcher_per_mailbox_and_failover_after_kill_9(postgres_url, tmp_path):
    server = Dovecot({"sales-a": PASSWORD, "sales-b": PASSWORD}).start()
    procs: list[subprocess.Popen] = []
    try:
        for name in ("sales-a", "sales-b"):
            with IMAPClient("127.0.0.1", port=server.port, ssl=False) as imap:
                imap.login(name, PASSWORD)
                for n in range(PER_MAILBOX):  # every fifth is short: skipped
                    imap.append("INBOX", message(name, n))
        env = {**os.environ, "TEST_IMAP_PASSWORD": PASSWORD, "DATABASE_URL": postgres_url, "MAIL_LINT_CONFIG": ""}
        logs: dict[subprocess.Popen, Path] = {}

        def watch(config: Path) -> subprocess.Popen:
            log = tmp_path / f"watch-{len(procs)}.log"
            proc = subprocess.Popen([sys.executable, "-m", "mail_lint", "watch", "--config", str(config)], cwd=REPO,
                                    env=env, stdout=subprocess.DEVNULL, stderr=log.open("w"), text=True)
            procs.append(proc)
            logs[proc] = log
            return proc

        def said(proc: subprocess.Popen, event: str) -> bool:
            return f'"event": "{event}"' in logs[proc].read_text()

        only_a = mailbox_config(tmp_path / "a.toml", server, ["sales-a"])
        only_b = mailbox_config(tmp_path / "b.toml", server, ["sales-b"])
        # Two processes on the first mailbox, one on the second, started together: one of the first two owns
        # sales-a, the other waits.
        first, second = watch(only_a), watch(only_a)
        watch(only_b)
        deadline = time.monotonic() + 120
        while not ((said(first, "mailbox.owned") and said(second, "mailbox.standby"))
                   or (said(second, "mailbox.owned") and said(first, "mailbox.standby"))):
            assert time.monotonic() < deadline, [log.read_text()[-2000:] for log in logs.values()]
            time.sleep(0.05)
        owner_a, standby_a = (first, second) if said(first, "mailbox.owned") else (second, first)
        assert not said(standby_a, "mailbox.owned")  # exactly one owner while both live
        while handled(postgres_url, "sales-a-manager@alfa-solar.ru") < 20 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert owner_a.poll() is None
        owner_a.send_signal(signal.SIGKILL)
        owner_a.wait(timeout=30)
        killed_at = time.monotonic()
        before = verdicts(postgres_url)  # what the dead owner finished
        done_a = handled(postgres_url, "sales-a-manager@alfa-solar.ru")
        assert done_a < PER_MAILBOX, "the owner finished before it was killed: nothing to take over"

        while handled(postgres_url, "sales-a-manager@alfa-solar.ru") == done_a and time.monotonic() < killed_at + 60:
            time.sleep(0.05)
        takeover = time.monotonic() - killed_at
        finished = time.monotonic() + 300
        while (handled(postgres_url, "sales-a-manager@alfa-solar.ru") < PER_MAILBOX
               or handled(postgres_url, "sales-b-manager@alfa-solar.ru") < PER_MAILBOX) and time.monotonic() < finished:
            time.sleep(0.1)
        others = [proc for proc in procs if proc is not owner_a]
        for proc in others:
            proc.send_signal(signal.SIGTERM)
        for proc in others:
            proc.wait(timeout=120)
        assert all(proc.returncode == 0 for proc in others), [logs[p].read_text()[-2000:] for p in others]

        after = verdicts(postgres_url)
        for name in ("sales-a", "sales-b"):
            expected = {f"<{name}-manager-{n}@alfa-solar.ru>" for n in range(PER_MAILBOX) if n % 5}
            assert {m for m, (sender, _) in after.items() if sender.startswith(name)} == expected
        # Nothing the dead owner finished was linted again: its verdicts are exactly as it left them.
        assert {m: after[m][1] for m in before} == {m: made for m, (_, made) in before.items()}
        assert takeover < FAILOVER_SECONDS + 15, f"took over after {takeover:.1f} s"
        assert said(standby_a, "mailbox.owned")  # the standby owned the mailbox once the owner was gone
        print(f"failover: the standby took over {takeover:.2f} s after kill -9 (failover_seconds={FAILOVER_SECONDS})")
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=30)
        server.remove()
