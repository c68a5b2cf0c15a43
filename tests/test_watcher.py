"""The watcher against a real Dovecot on loopback (and aiosmtpd for feedback)."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from email.message import EmailMessage

import pytest
from imapclient import IMAPClient

from mail_lint.imap_watcher.checkpoint import Checkpoints
from mail_lint.imap_watcher.connection import AuthenticationFailed
from mail_lint.imap_watcher.watcher import Watcher
from mail_lint.checks import Services
from mail_lint.config import validate
from mail_lint.store import SkippedRow, Store, StoreUnavailable
from support.hostile import nested_rfc822
from support.mailservers import Dovecot, SmtpSink

pytestmark = pytest.mark.skipif(not Dovecot.available(), reason="Dovecot is not installed (apt-get install dovecot-imapd)")
pytest_plugins = ("conftest_lt",)

HEAD = "head@alfa-solar.ru"
PASSWORD = "s3cret-pass"


def imap_section(port: int, folder: str | None = None) -> str:
    """The `[imap]` table of a watcher test's config: the head's mailbox on the test's Dovecot, no TLS."""
    folders = f'folders = ["{folder}"]\n' if folder else ""
    return (f'[imap]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\nuser = "head"\n'
            f'password_env = "TEST_IMAP_PASSWORD"\n{folders}address = "{HEAD}"\n')


def email_bytes(n: int, *, to="Мария <maria@client.ru>", cc="", lines=8, subject=None, sender="ivan@alfa-solar.ru",
                attachment=None, message_id=True) -> bytes:
    msg = EmailMessage()
    msg["From"] = f"Иван Петров <{sender}>"
    msg["To"] = to
    if cc:
        msg["Cc"] = cc
    msg["Subject"] = subject or f"Договор поставки №{n}"
    msg["Date"] = "Wed, 03 Dec 2025 10:15:00 +0300"
    if message_id:
        msg["Message-ID"] = f"<m{n}@alfa-solar.ru>"
    body = "Мария, добрый день!\n\n" + "\n".join(f"Пункт {i} договора №{n} согласован." for i in range(lines))
    msg.set_content(body + "\n\nС уважением,\nИван Петров\n")
    if attachment:
        msg.add_attachment(b"%PDF-1.4", maintype="application", subtype="pdf", filename=attachment)
    return msg.as_bytes()


@pytest.fixture(scope="module")
def dovecot():
    server = Dovecot({"head": PASSWORD}).start()
    yield server
    server.remove()


@pytest.fixture
def mailbox(dovecot):
    """A fresh folder per test, so tests don't see each other's mail."""
    folder = f"T{time.monotonic_ns()}"
    with IMAPClient("127.0.0.1", port=dovecot.port, ssl=False) as imap:
        imap.login("head", PASSWORD)
        imap.create_folder(folder)
    return folder


def imap_client(dovecot) -> IMAPClient:
    client = IMAPClient("127.0.0.1", port=dovecot.port, ssl=False)
    client.login("head", PASSWORD)
    return client


def make_config(dovecot, folder, **watch):
    return validate({"imap": {"host": "127.0.0.1", "port": dovecot.port, "security": "none", "user": "head",
                              "password_env": "TEST_IMAP_PASSWORD", "folders": [folder], "address": HEAD},
                     "watch": {"idle_seconds": 5, "max_backoff_seconds": 1, **watch},
                     "smtp": {"host": "127.0.0.1", "port": 25, "security": "none", "from": "mail-lint@alfa-solar.ru"}})


@pytest.fixture(autouse=True)
def imap_password(monkeypatch):
    monkeypatch.setenv("TEST_IMAP_PASSWORD", PASSWORD)


@pytest.fixture
def store(tmp_path):
    with Store.open(f"sqlite:///{tmp_path / 'watch.db'}") as s:
        yield s


def append(dovecot, folder, *messages):
    with imap_client(dovecot) as imap:
        for raw in messages:
            imap.append(folder, raw)


def test_backlog_lints_selected_mail_and_records_the_rest(dovecot, mailbox, store):
    append(dovecot, mailbox,
           email_bytes(1),                                   # BCC, long: linted
           email_bytes(2, to=f"Мария <maria@client.ru>, {HEAD}"),  # head in To: skipped
           email_bytes(3, lines=1),                          # short: skipped
           email_bytes(4, lines=1, attachment="КП Альфа Солар.pdf"),  # proposal: linted
           b"\x00\x01 not a message at all",                 # unparseable: recorded, queue goes on
           email_bytes(5))
    watcher = Watcher(make_config(dovecot, mailbox), store)
    assert watcher.run_once() == 6
    linted = {item["message_id"] for item in store.list(source="imap")}
    assert linted == {"<m1@alfa-solar.ru>", "<m4@alfa-solar.ru>", "<m5@alfa-solar.ru>"}
    assert not store.has_message("<m2@alfa-solar.ru>") and store.has_message("<m2@alfa-solar.ru>", include_skipped=True)
    assert store.has_message("<m3@alfa-solar.ru>", include_skipped=True)
    with imap_client(dovecot) as imap:
        imap.select_folder(mailbox)
        flags = imap.get_flags(imap.search())
        assert all(b"$MailLintChecked" in f for f in flags.values())
        assert all(b"\\Seen" not in f for f in flags.values()), "the head's unread mail stays unread"
    # A second run finds nothing new.
    assert Watcher(make_config(dovecot, mailbox), store).run_once() == 0


def test_uidvalidity_change_reprocesses_without_duplicates(dovecot, mailbox, store):
    append(dovecot, mailbox, email_bytes(10), email_bytes(11))
    Watcher(make_config(dovecot, mailbox), store).run_once()
    with imap_client(dovecot) as imap:  # the folder is recreated: new UIDVALIDITY, same mail
        imap.delete_folder(mailbox)
        imap.create_folder(mailbox)
    append(dovecot, mailbox, email_bytes(10), email_bytes(11), email_bytes(12))
    assert Watcher(make_config(dovecot, mailbox), store).run_once() == 3
    ids = [item["message_id"] for item in store.list(source="imap", limit=100)]
    assert sorted(ids) == ["<m10@alfa-solar.ru>", "<m11@alfa-solar.ru>", "<m12@alfa-solar.ru>"]


def test_message_without_message_id_is_stored_once(dovecot, mailbox, store):
    append(dovecot, mailbox, email_bytes(20, message_id=False))
    Watcher(make_config(dovecot, mailbox), store).run_once()
    Watcher(make_config(dovecot, mailbox), store).checkpoints.set(mailbox, 0, 0)  # force a rerun
    Watcher(make_config(dovecot, mailbox), store).run_once()
    assert len(store.list(source="imap")) == 1


def test_wrong_password_is_a_clear_error_without_the_password(dovecot, mailbox, store, monkeypatch):
    monkeypatch.setenv("TEST_IMAP_PASSWORD", "wrong-password-123")
    with pytest.raises(AuthenticationFailed) as err:
        Watcher(make_config(dovecot, mailbox), store).run_once()
    assert "head" in str(err.value) and "wrong-password-123" not in str(err.value)


def test_feedback_goes_only_to_company_senders(dovecot, mailbox, store):
    sink = SmtpSink().start()
    try:
        config = make_config(dovecot, mailbox, feedback=True, company_domains=["alfa-solar.ru"])
        config.data["smtp"]["port"] = sink.port
        config.data["api"]["base_url"] = "https://mail-lint.alfa-solar.test"
        append(dovecot, mailbox, email_bytes(30), email_bytes(31, sender="partner@client.ru"))
        Watcher(config, store).run_once()
        assert [r["to"] for r in sink.received] == [["ivan@alfa-solar.ru"]]
        feedback = sink.received[0]["message"]
        assert "отзыв" in feedback["Subject"]
        plain = feedback.get_body(("plain",)).get_content()
        assert "/100" in plain
        html = feedback.get_body(("html",)).get_content()  # the annotated verdict beside the plain text
        assert '<article class="verdict"' in html and "<mark" in html
        # Every finding has its «Не ошибка» link to the service, with the stored verdict's id.
        verdict_id = next(i["id"] for i in store.list(source="imap") if i["message_id"] == "<m30@alfa-solar.ru>")
        findings = store.get(verdict_id)["verdict"]["findings"]
        assert findings and html.count('class="dismiss"') == len(findings)
        assert plain.count("Не ошибка? https://mail-lint.alfa-solar.test/dismiss?") == len(findings)
        assert f"verdict_id={verdict_id}" in plain and "&amp;verdict_id=" in html
    finally:
        sink.stop()


def test_idle_picks_up_new_mail_and_survives_a_dovecot_restart(dovecot, mailbox, store):
    watcher = Watcher(make_config(dovecot, mailbox), store)
    thread = threading.Thread(target=watcher.watch_folder, args=(mailbox,), daemon=True)
    thread.start()
    try:
        append(dovecot, mailbox, email_bytes(40))
        wait_until(lambda: store.has_message("<m40@alfa-solar.ru>"))
        dovecot.restart()
        append(dovecot, mailbox, email_bytes(41))
        wait_until(lambda: store.has_message("<m41@alfa-solar.ru>"), timeout=20)
    finally:
        watcher.stop.set()
        thread.join(timeout=15)
    assert not thread.is_alive()
    assert len(store.list(source="imap")) == 2


def wait_until(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"not true after {timeout}s")


class TestGrammarRecheck:
    """LanguageTool down: the verdict is stored with grammar unavailable, and redone once it is back."""

    def test_unavailable_grammar_is_rechecked_when_languagetool_is_back(self, dovecot, mailbox, store, lt_client,
                                                                        silent_server):
        from mail_lint.languagetool import LanguageToolClient
        misspelt = email_bytes(50, lines=8).replace("согласован".encode(), "согласован в течении месяца".encode(), 1)
        append(dovecot, mailbox, misspelt)
        config = make_config(dovecot, mailbox)
        dead = LanguageToolClient(silent_server, timeout=1.0)
        Watcher(config, store, Services(languagetool=dead)).run_once()
        first = store.list(source="imap")[0]
        assert first["grammar_status"] == "unavailable"
        assert store.grammar_unavailable(source="imap") == [first["id"]]
        assert Watcher(config, store, Services(languagetool=lt_client)).recheck_grammar() == 1
        again = store.get(first["id"])
        assert again["grammar_status"] != "unavailable"
        assert any(f["name"].startswith("grammar.") for f in again["verdict"]["findings"])
        assert store.grammar_unavailable(source="imap") == []


def test_the_backlog_with_grammar_lints_as_many_at_once_as_the_servers_can_take(dovecot, mailbox, store, lt_client,
                                                                              monkeypatch):
    """Grammar is the wait: the backlog keeps every check thread of LanguageTool busy, not one; the outcome of
    each message is what it is one at a time, copies of one message included (its feedback goes once)."""
    messages = [email_bytes(n, lines=8) for n in range(60, 66)] + [email_bytes(60, lines=8), b"\x00 not a message"]
    append(dovecot, mailbox, *messages)
    watcher = Watcher(make_config(dovecot, mailbox), store, Services(languagetool=lt_client))
    assert watcher.concurrency() == lt_client.capacity() >= 2
    busy, peak, lock = 0, 0, threading.Lock()
    real_process = Watcher.process

    def counted(self, raw):
        nonlocal busy, peak
        with lock:
            busy += 1
            peak = max(peak, busy)
        try:
            return real_process(self, raw)
        finally:
            with lock:
                busy -= 1
    monkeypatch.setattr(Watcher, "process", counted)
    assert watcher.run_once() == 8
    assert peak == watcher.concurrency()
    rows = store.list(source="imap")
    assert sorted(r["message_id"] for r in rows) == [f"<m{n}@alfa-solar.ru>" for n in range(60, 66)]
    assert all(r["grammar_status"] != "unavailable" for r in rows)
    assert Watcher(make_config(dovecot, mailbox), store).concurrency() == 1  # no LanguageTool: one at a time


def test_watch_without_a_password_is_a_one_line_error(cli, tmp_path, monkeypatch):
    config = tmp_path / "mail-lint.toml"
    config.write_text('[imap]\nhost = "127.0.0.1"\npassword_env = "NO_SUCH_PASSWORD_VAR"\n'
                      f'[store]\nurl = "sqlite:///{tmp_path / "w.db"}"\n[rules]\ndisable = ["grammar"]\n')
    monkeypatch.delenv("NO_SUCH_PASSWORD_VAR", raising=False)
    for args in (["watch", "--once"], ["watch"]):
        p = cli(*args, "--config", str(config))
        assert p.returncode == 2 and "NO_SUCH_PASSWORD_VAR" in p.stderr and "Traceback" not in p.stderr


def test_linted_mail_moves_when_configured(dovecot, mailbox, store):
    done = f"{mailbox}-done"
    with imap_client(dovecot) as imap:
        imap.create_folder(done)
    append(dovecot, mailbox, email_bytes(60), email_bytes(61, lines=1))  # linted, skipped
    Watcher(make_config(dovecot, mailbox, move_to=done), store).run_once()
    with imap_client(dovecot) as imap:
        imap.select_folder(done)
        moved = imap.fetch(imap.search(), ["BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"])
        imap.select_folder(mailbox)
        left = imap.search()
    assert [b"<m60@alfa-solar.ru>" in v[b"BODY[HEADER.FIELDS (MESSAGE-ID)]"] for v in moved.values()] == [True]
    assert len(left) == 1, "skipped mail stays where it was"


# -- mail that cannot be linted (issue 12) -----------------------------------------------------------

def write_config(tmp_path, dovecot, folder) -> tuple:
    db = tmp_path / "watch.db"
    config = tmp_path / "mail-lint.toml"
    config.write_text(f"""
[store]
url = "sqlite:///{db}"
{imap_section(dovecot.port, folder)}[watch]
idle_seconds = 5
max_backoff_seconds = 1
[rules]
disable = ["grammar"]   # about the mailbox, not LanguageTool
""")
    return config, f"sqlite:///{db}"


def skipped_reasons(store) -> dict[str, str]:
    from sqlalchemy import select
    with store.session() as session:
        return {row.message_id: row.reason for row in session.scalars(select(SkippedRow))}


def test_poison_mail_is_skipped_with_a_reason_and_the_queue_goes_on(dovecot, mailbox, tmp_path, cli):
    """1,000 nested message/rfc822 parts raised RecursionError in `watch`: the checkpoint never moved and
    every later message waited forever. Now it is recorded with the reason and the rest is linted."""
    far = email_bytes(81).replace(b"Wed, 03 Dec 2025 10:15:00 +0300", b"Fri, 31 Dec 9999 23:59:59 -1400")
    big = email_bytes(82, lines=1000)
    assert b"9999" in far and 55_000 < len(big) < 70_000
    append(dovecot, mailbox, email_bytes(80), nested_rfc822(1000, message_id="<poison@alfa-solar.ru>"), far, big,
           email_bytes(83))
    config, url = write_config(tmp_path, dovecot, mailbox)
    start = time.monotonic()
    p = cli("watch", "--once", "--config", str(config))
    assert p.returncode == 0 and "Traceback" not in p.stderr, p.stderr[-3000:]
    assert time.monotonic() - start < 30
    assert "5 messages handled" in p.stderr
    with Store.open(url) as store:
        linted = {item["message_id"] for item in store.list(source="imap")}
        assert linted == {f"<m{n}@alfa-solar.ru>" for n in (80, 81, 82, 83)}
        assert skipped_reasons(store) == {
            "<poison@alfa-solar.ru>": "unparseable: MIME parts nested more than 100 levels deep: not a readable email"}
        with imap_client(dovecot) as imap:
            imap.select_folder(mailbox)
            assert Checkpoints(store).get(mailbox)[1] == max(imap.search())
    again = cli("watch", "--once", "--config", str(config))
    assert again.returncode == 0 and "0 messages handled" in again.stderr


def test_any_failure_on_one_message_is_recorded_and_the_queue_goes_on(dovecot, mailbox, store, monkeypatch):
    """Not only the failures we thought of: whatever one message raises costs that message alone."""
    import mail_lint.imap_watcher.watcher as watcher_module
    real_lint = watcher_module.lint_and_store

    def lint_with_a_bug(message, *args, **kwargs):  # a bug nobody has found yet, hit by one message
        if message.message_id == "<m91@alfa-solar.ru>":
            raise KeyError("greeting")
        return real_lint(message, *args, **kwargs)

    monkeypatch.setattr(watcher_module, "lint_and_store", lint_with_a_bug)
    append(dovecot, mailbox, email_bytes(90), email_bytes(91), email_bytes(92))
    assert Watcher(make_config(dovecot, mailbox), store).run_once() == 3
    assert {item["message_id"] for item in store.list(source="imap")} == {"<m90@alfa-solar.ru>", "<m92@alfa-solar.ru>"}
    assert skipped_reasons(store) == {"<m91@alfa-solar.ru>": "cannot lint: KeyError: 'greeting'"}
    assert Watcher(make_config(dovecot, mailbox), store).run_once() == 0  # the checkpoint moved past it


def test_a_store_that_cannot_be_written_stops_the_run_and_loses_nothing(dovecot, mailbox, tmp_path, monkeypatch):
    """The store, not the message, is at fault: nothing is recorded as skipped and the checkpoint stays."""
    import mail_lint.store.store as store_module
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 50)
    db = tmp_path / "locked.db"
    append(dovecot, mailbox, email_bytes(95), email_bytes(96))
    with Store.open(f"sqlite:///{db}") as store:
        blocker = sqlite3.connect(db, isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")  # another process holds the write lock past the busy timeout
        try:
            with pytest.raises(StoreUnavailable, match="locked"):
                Watcher(make_config(dovecot, mailbox), store).run_once()
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        assert store.count_messages() == 0 and skipped_reasons(store) == {}
        assert Checkpoints(store).get(mailbox) == (None, 0)
        assert Watcher(make_config(dovecot, mailbox), store).run_once() == 2


def test_the_daemon_waits_out_a_store_that_cannot_be_written(dovecot, mailbox, tmp_path, monkeypatch):
    """Locked (or full, or a PostgreSQL restart): the folder thread retries with backoff, it does not die."""
    import mail_lint.store.store as store_module
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 50)
    db = tmp_path / "busy.db"
    with Store.open(f"sqlite:///{db}") as store:
        blocker = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
        blocker.execute("BEGIN IMMEDIATE")
        watcher = Watcher(make_config(dovecot, mailbox), store)
        thread = threading.Thread(target=watcher.run_forever, daemon=True)
        thread.start()
        try:
            append(dovecot, mailbox, email_bytes(97))
            time.sleep(3)  # a few rounds against the lock
            assert thread.is_alive() and store.count_messages() == 0
            blocker.execute("ROLLBACK")
            wait_until(lambda: store.has_message("<m97@alfa-solar.ru>"), timeout=20)
        finally:
            blocker.close()
            watcher.stop.set()
            thread.join(timeout=15)
        assert not thread.is_alive() and watcher.died == ""


def test_a_folder_thread_that_dies_stops_the_daemon_with_a_non_zero_exit(dovecot, mailbox, tmp_path):
    """It used to print "Exception in thread watch:INBOX" and exit 0, so no supervisor restarted it.
    The bug is planted in the child process: the failure must be one nobody caught on purpose."""
    config, _ = write_config(tmp_path, dovecot, mailbox)
    code = ("import sys\n"
            "import mail_lint.imap_watcher.watcher as w\n"
            "def broken(self, folder):\n"
            "    raise RuntimeError('a bug in the checkpoint code')\n"
            "w.Checkpoints.get = broken\n"
            "from mail_lint.cli import main\n"
            "sys.exit(main(sys.argv[1:]))\n")
    p = subprocess.run([sys.executable, "-c", code, "watch", "--config", str(config)], capture_output=True, text=True,
                       timeout=60, cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    assert p.returncode == 1, p.stderr[-3000:]
    last = p.stderr.strip().splitlines()[-1]
    assert last == f"mail-lint: the watcher stopped: watch:{mailbox}: RuntimeError: a bug in the checkpoint code"
