"""Kill the watcher at random points while it works through hundreds of messages, restart it, and
restart Dovecot mid-run: afterwards every selected message has exactly one verdict."""
from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from imapclient import IMAPClient

from support.mailservers import Dovecot
from test_watcher import PASSWORD, email_bytes, imap_section

pytestmark = pytest.mark.skipif(not Dovecot.available(), reason="Dovecot is not installed (apt-get install dovecot-imapd)")
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COUNT = 400


def watch_once(config_path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "mail_lint", "watch", "--once", "--config", str(config_path)],
                            cwd=REPO, env={**os.environ, "TEST_IMAP_PASSWORD": PASSWORD},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def handled(db) -> int:
    """Messages the watcher has stored or recorded as skipped so far."""
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("select (select count(*) from messages) + (select count(*) from skipped)").fetchone()[0]
    except sqlite3.OperationalError:  # tables not created yet
        return 0


def test_killed_and_restarted_watcher_loses_and_doubles_nothing(tmp_path):
    server = Dovecot({"head": PASSWORD}).start()
    try:
        with IMAPClient("127.0.0.1", port=server.port, ssl=False) as imap:
            imap.login("head", PASSWORD)
            for n in range(COUNT):  # every third message is short and not BCC-worthy: skipped
                imap.append("INBOX", email_bytes(n, lines=1 if n % 3 == 0 else 8))
        db = tmp_path / "crash.db"
        config = tmp_path / "mail-lint.toml"
        config.write_text(f"""
[store]
url = "sqlite:///{db}"
{imap_section(server.port)}[watch]
batch = 20
[rules]
disable = ["grammar"]   # this test is about the mailbox, not LanguageTool
""")
        rng = random.Random(48)
        kills = restarts = 0
        for attempt in range(60):
            proc = watch_once(config)
            if kills < 5:  # kill it mid-work: after it has handled a random number of new messages
                target = handled(db) + rng.randint(5, 40)
                while proc.poll() is None and handled(db) < target:
                    time.sleep(0.01)
                if proc.poll() is None:
                    proc.send_signal(signal.SIGKILL)
                    kills += 1
                proc.wait()
                continue
            if restarts == 0:  # Dovecot goes away mid-run: the run fails cleanly, the next one resumes
                target = handled(db) + 5
                while proc.poll() is None and handled(db) < target:
                    time.sleep(0.01)
                server.restart()
                restarts += 1
            _, err = proc.communicate(timeout=300)
            if proc.returncode == 0:
                break
            assert b"Traceback" not in err, err.decode()[-2000:]
        else:
            pytest.fail("the watcher never finished its backlog")
        assert kills == 5 and restarts == 1
        with sqlite3.connect(db) as conn:
            linted = [r[0] for r in conn.execute(
                "select m.message_id from messages m join verdicts v on v.message_pk = m.id where m.source='imap'")]
            skipped = [r[0] for r in conn.execute("select message_id from skipped")]
        expected_linted = {f"<m{n}@alfa-solar.ru>" for n in range(COUNT) if n % 3}
        assert len(linted) == len(set(linted)) == len(expected_linted)
        assert set(linted) == expected_linted
        assert set(skipped) == {f"<m{n}@alfa-solar.ru>" for n in range(COUNT) if n % 3 == 0}
    finally:
        server.remove()
