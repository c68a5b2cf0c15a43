"""Per-team heads: a `[[mailbox]]` may name its `head`, who gets the weekly digest of that team's managers (those
whose mail the watcher found in that mailbox) and nobody else's; sent through a real SMTP server on loopback
(aiosmtpd). The watcher records which mailbox each message came from (a real Dovecot)."""
from __future__ import annotations

from datetime import datetime

import pytest
from imapclient import IMAPClient
from sqlalchemy import update

from mail_lint.config import validate
from mail_lint.digest.compute import compute_digest
from mail_lint.digest.schedule import DigestSchedule
from mail_lint.digest.weeks import IsoWeek
from mail_lint.errors import ConfigError
from mail_lint.imap_watcher.watcher import Watcher
from mail_lint.store import Store
from mail_lint.store.models import SkippedRow
from support.mailservers import Dovecot, SmtpSink
from support.verdicts import seed
from test_digest_send import MSK, SEND_TIME, part, received_to
from test_watcher import PASSWORD, email_bytes

HEAD_A, HEAD_B, BOSS = "head-a@alfa-solar.ru", "head-b@alfa-solar.ru", "boss@alfa-solar.ru"
IVAN, OLGA, PETR = "ivan@alfa-solar.ru", "olga@alfa-solar.ru", "petr@alfa-solar.ru"
WEEK = IsoWeek.parse("2025-W49")


def config_for(smtp_port: int, imap_port: int = 143, **digest):
    mailbox = {"host": "127.0.0.1", "port": imap_port, "security": "none", "password_env": "TEST_IMAP_PASSWORD"}
    return validate({
        "general": {"timezone": "Europe/Moscow"},
        "smtp": {"host": "127.0.0.1", "port": smtp_port, "security": "none", "from": "mail-lint@alfa-solar.ru"},
        "digest": digest,
        "rules": {"disable": ["grammar"]},
        "mailbox": [{"name": "sales-a", "head": HEAD_A, "user": "sales-a", "address": "sales-a@alfa-solar.ru",
                     **mailbox},
                    {"name": "sales-b", "head": HEAD_B, "user": "sales-b", "address": "sales-b@alfa-solar.ru",
                     **mailbox}],
    })


@pytest.fixture
def sink():
    server = SmtpSink().start()
    yield server
    server.stop()


@pytest.fixture
def store(tmp_path, monkeypatch):
    """Team A: Ivan and Olga (found in sales-a; Olga's add-in checks count too); team B: Petr."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with Store.open(f"sqlite:///{tmp_path / 'teams.db'}") as opened:
        seed(opened, IVAN, datetime(2025, 12, 1, 10, tzinfo=MSK), 90, name="Иван Петров", mailbox="sales-a")
        seed(opened, OLGA, datetime(2025, 11, 20, 10, tzinfo=MSK), 70, name="Ольга Смирнова", mailbox="sales-a")
        seed(opened, OLGA, datetime(2025, 12, 2, 10, tzinfo=MSK), 80, ("cta.no-deadline",), name="Ольга Смирнова",
             source="api")
        seed(opened, PETR, datetime(2025, 12, 3, 10, tzinfo=MSK), 50, ("greeting.missing",), name="Пётр Сидоров",
             mailbox="sales-b")
        opened.record_skipped("<short-a@x.ru>", "imap", "short (2 lines, 9 words of new text)", "sales-a")
        opened.record_skipped("<short-b1@x.ru>", "imap", "short (1 lines, 3 words of new text)", "sales-b")
        opened.record_skipped("<short-b2@x.ru>", "imap", "not BCC: sales-b is in To", "sales-b")
        with opened.session(write=True) as session:  # seen by the watcher in that week
            session.execute(update(SkippedRow).values(created_at=datetime(2025, 12, 4, 10, tzinfo=MSK)))
        yield opened


def test_a_mailbox_head_must_be_an_address():
    with pytest.raises(ConfigError, match="mailbox.a.head: expected the team head's email address"):
        validate({"mailbox": [{"name": "a", "head": "Head of sales"}]})
    assert validate({"mailbox": [{"name": "a", "head": " Head@Corp.RU "}]}).mailboxes[0]["head"] == "head@corp.ru"


def test_each_team_digest_holds_that_teams_managers_only(store):
    config = config_for(25)
    team_a = compute_digest(store, config, WEEK, mailboxes=["sales-a"])
    team_b = compute_digest(store, config, WEEK, mailboxes=["sales-b"])
    whole = compute_digest(store, config, WEEK)
    assert [m["email"] for m in team_a["managers"]] == [IVAN, OLGA]  # Olga's add-in check counts: she is in A
    assert [m["email"] for m in team_b["managers"]] == [PETR]
    assert sorted(m["email"] for m in whole["managers"]) == [IVAN, OLGA, PETR]
    assert (team_a["team"]["emails"], team_b["team"]["emails"], whole["team"]["emails"]) == (2, 1, 3)
    assert team_a["skipped"]["total"] == 1 and team_b["skipped"]["total"] == 2 and whole["skipped"]["total"] == 3
    assert team_a["mailboxes"] == ["sales-a"] and "mailboxes" not in whole


def test_each_head_gets_only_their_team_by_smtp(sink, store):
    sent = DigestSchedule(config_for(sink.port), store).check(SEND_TIME)
    assert sorted(o.recipient for o in sent) == [HEAD_A, HEAD_B]  # no whole digest: nobody heads every team
    [to_a], [to_b] = received_to(sink, HEAD_A), received_to(sink, HEAD_B)
    text_a, text_b = part(to_a, "text/plain"), part(to_b, "text/plain")
    assert "Иван Петров" in text_a and "Ольга Смирнова" in text_a and "Пётр Сидоров" not in text_a
    assert "Пётр Сидоров" in text_b and "Иван Петров" not in text_b and "Ольга Смирнова" not in text_b
    assert "Пётр Сидоров" not in part(to_a, "text/html") and "Иван Петров" not in part(to_b, "text/html")
    assert DigestSchedule(config_for(sink.port), store).check(SEND_TIME) == []  # once per week, per head


def test_the_whole_digest_still_goes_to_the_configured_recipients(sink, store):
    sent = DigestSchedule(config_for(sink.port, recipients=[BOSS, HEAD_B]), store).check(SEND_TIME)
    assert sorted(o.recipient for o in sent) == [BOSS, HEAD_A, HEAD_B]
    [to_boss], [to_b] = received_to(sink, BOSS), received_to(sink, HEAD_B)
    for text in (part(to_boss, "text/plain"), part(to_b, "text/plain")):  # HEAD_B is a recipient: the whole one
        assert all(name in text for name in ("Иван Петров", "Ольга Смирнова", "Пётр Сидоров"))


@pytest.mark.skipif(not Dovecot.available(), reason="Dovecot is not installed (apt-get install dovecot-imapd)")
def test_the_watcher_records_the_mailbox_each_message_came_from(tmp_path, monkeypatch):
    monkeypatch.setenv("TEST_IMAP_PASSWORD", PASSWORD)
    server = Dovecot({"sales-a": PASSWORD, "sales-b": PASSWORD}).start()
    try:
        for user, sender, n in (("sales-a", IVAN, 1), ("sales-b", PETR, 2)):
            with IMAPClient("127.0.0.1", port=server.port, ssl=False) as imap:
                imap.login(user, PASSWORD)
                imap.append("INBOX", email_bytes(n, sender=sender))
                imap.append("INBOX", email_bytes(10 + n, sender=sender, lines=1))  # short: skipped
        config = config_for(25, server.port)
        with Store.open(f"sqlite:///{tmp_path / 'w.db'}") as store:
            for mailbox in config.mailboxes:
                assert Watcher(config, store, mailbox=mailbox).run_once() == 2
            team_b = compute_digest(store, config, WEEK, mailboxes=["sales-b"])
            ever = (datetime(2000, 1, 1, tzinfo=MSK), datetime(2100, 1, 1, tzinfo=MSK))
            skipped = {name: store.skipped_counts(*ever, mailboxes=[name]) for name in ("sales-a", "sales-b")}
        assert [m["email"] for m in team_b["managers"]] == [PETR]
        assert skipped == {"sales-a": {"short": 1}, "sales-b": {"short": 1}}
    finally:
        server.remove()
