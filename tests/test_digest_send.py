"""Sending the digest to a real SMTP server on loopback (aiosmtpd), the exactly-once schedule, the CLI verb."""
from __future__ import annotations

import json
import re
import threading
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from mail_lint.config import validate
from mail_lint.digest.schedule import DigestSchedule
from mail_lint.store import DigestSend, Store
from support.mailservers import SmtpSink, free_port
from support.verdicts import seed

MSK = ZoneInfo("Europe/Moscow")
UTC = timezone.utc
HEAD = "head@alfa-solar.ru"
IVAN, OLGA, PARTNER = "ivan@alfa-solar.ru", "olga@alfa-solar.ru", "partner@client.ru"
# Monday 2025-12-08, 09:00 in Moscow: the default send time for week 2025-W49.
SEND_TIME = datetime(2025, 12, 8, 6, 0, tzinfo=UTC)


@pytest.fixture
def sink():
    server = SmtpSink().start()
    yield server
    server.stop()


@pytest.fixture
def db_url(tmp_path, monkeypatch) -> str:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    url = f"sqlite:///{tmp_path / 'digest.db'}"
    with Store.open(url) as store:
        seed_weeks(store)
    return url


@pytest.fixture
def store(db_url):
    with Store.open(db_url) as opened:
        yield opened


def seed_weeks(store) -> None:
    """W48: Ivan 70 and 80 (greeting.unnamed), Olga 90. W49: Ivan 90, 85, 86; Olga 81; a partner 40."""
    seed(store, IVAN, datetime(2025, 11, 24, 10, tzinfo=MSK), 70, ("greeting.unnamed",), name="Иван Петров")
    seed(store, IVAN, datetime(2025, 11, 25, 10, tzinfo=MSK), 80, name="Иван Петров")
    seed(store, OLGA, datetime(2025, 11, 26, 10, tzinfo=MSK), 90, name="Ольга Смирнова")
    seed(store, IVAN, datetime(2025, 12, 1, 10, tzinfo=MSK), 90, ("greeting.unnamed",), name="Иван Петров",
         subject="КП на солнечные панели")
    seed(store, IVAN, datetime(2025, 12, 2, 10, tzinfo=MSK), 85, name="Иван Петров")
    seed(store, IVAN, datetime(2025, 12, 3, 10, tzinfo=MSK), 86, ("cta.no-deadline",), name="Иван Петров")
    seed(store, OLGA, datetime(2025, 12, 4, 10, tzinfo=MSK), 81, name="Ольга Смирнова")
    seed(store, PARTNER, datetime(2025, 12, 5, 10, tzinfo=MSK), 40, name="Партнёр")


def config_for(port: int, **digest):
    return validate({
        "general": {"timezone": "Europe/Moscow"},
        "smtp": {"host": "127.0.0.1", "port": port, "security": "none", "from": "mail-lint@alfa-solar.ru"},
        "watch": {"company_domains": ["alfa-solar.ru"]},
        "digest": {"recipients": [HEAD], "send_private": True, **digest},
    })


def part(mail, content_type: str) -> str:
    return next(p for p in mail.walk() if p.get_content_type() == content_type).get_content()


def received_to(sink, address: str) -> list:
    return [r["message"] for r in sink.received if r["to"] == [address]]


# -- the emails -------------------------------------------------------------------------------------

def test_head_digest_arrives_parsed_with_the_stores_numbers(sink, store):
    sent = DigestSchedule(config_for(sink.port), store).check(SEND_TIME)
    assert [(o.kind, o.recipient) for o in sent] == [("head", HEAD), ("private", IVAN), ("private", OLGA)]
    [mail] = received_to(sink, HEAD)
    assert mail["Subject"] == "Качество писем: неделя 49 (1–7 декабря 2025)"
    assert mail.get_content_type() == "multipart/alternative"
    text, html = part(mail, "text/plain"), part(mail, "text/html")
    # (90+85+86+81+40)/5 = 76.4 this week; (70+80+90)/3 = 80 the week before.
    assert "5 писем, средний балл 76,4 (−3,6 к прошлой неделе), прошли проверку 80\u202f%." in text
    assert "1. Иван Петров: 87 (+12), 3 письма, прошли проверку 100\u202f%" in text
    assert "2. Ольга Смирнова: 81 (−9), 1 письмо, прошли проверку 100\u202f%" in text
    assert "Повторились (уже встречались в прошлые недели): приветствие без имени" in text
    assert "«КП на солнечные панели» — 90" in text
    assert not re.search(r"</?(p|div|table|tr|td|span|a|img|br|h1|h2)\b", text), "no markup in the text part"
    assert "Иван Петров" in html and "76,4" in html


def test_html_part_references_its_inline_charts(sink, store):
    DigestSchedule(config_for(sink.port), store).check(SEND_TIME)
    [mail] = received_to(sink, HEAD)
    related = next(p for p in mail.walk() if p.get_content_type() == "multipart/related")
    images = [p for p in related.iter_parts() if p.get_content_type() == "image/png"]
    html = part(mail, "text/html")
    assert len(images) == 1 + 3  # the team chart and one trend per manager
    for image in images:
        assert image["Content-ID"].strip("<>") in html
        assert image.get_content()[:8] == b"\x89PNG\r\n\x1a\n"


def test_private_digests_go_to_each_manager_alone(sink, store):
    DigestSchedule(config_for(sink.port), store).check(SEND_TIME)
    [ivan] = received_to(sink, IVAN)
    assert ivan["Subject"].startswith("Ваши письма: неделя 49")
    text = part(ivan, "text/plain")
    assert "Иван, вот итоги вашей недели." in text and "3 письма, средний балл 87 (+12" in text
    assert "Ольга" not in text + part(ivan, "text/html") and "76,4" not in text
    assert received_to(sink, PARTNER) == []  # outside the company's domains


def test_no_private_digests_unless_configured(sink, store):
    DigestSchedule(config_for(sink.port, send_private=False), store).check(SEND_TIME)
    assert [r["to"] for r in sink.received] == [[HEAD]]


def test_english_digest(sink, store):
    DigestSchedule(config_for(sink.port, language="en", send_private=False), store).check(SEND_TIME)
    [mail] = received_to(sink, HEAD)
    assert mail["Subject"] == "Email quality: week 49 (1–7 December 2025)"
    assert "5 emails, mean score 76.4 (−3.6 vs last week), passed 80%." in part(mail, "text/plain")


# -- the schedule --------------------------------------------------------------------------------

def test_nothing_before_the_configured_local_time(sink, store):
    schedule = DigestSchedule(config_for(sink.port), store)
    assert schedule.check(SEND_TIME - timedelta(minutes=1)) == []  # 08:59 in Moscow, 05:59 UTC
    assert sink.received == []
    assert schedule.check(SEND_TIME) != []


def test_weekday_and_time_are_in_the_configured_zone(sink, store):
    schedule = DigestSchedule(config_for(sink.port, weekday="sunday", time="23:30"), store)
    sunday = datetime(2025, 12, 14, 20, 29, tzinfo=UTC)  # 23:29 Moscow, Sunday of W50
    assert schedule.due(sunday) is None
    assert str(schedule.due(sunday + timedelta(minutes=1))) == "2025-W49"


def test_two_schedulers_at_once_send_each_email_once(sink, db_url):
    config = config_for(sink.port)
    stores = [Store.open(db_url) for _ in range(2)]  # two engines on one file, like two watchers
    start = threading.Barrier(2)
    results: list = []

    def run(store):
        start.wait()
        results.append(DigestSchedule(config, store).check(SEND_TIME))

    threads = [threading.Thread(target=run, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    for s in stores:
        s.close()
    assert sorted(r["to"][0] for r in sink.received) == [HEAD, IVAN, OLGA]
    assert sum(len(r) for r in results) == 3


def test_a_restart_in_the_same_week_sends_nothing_new_but_next_week_does(sink, db_url):
    config = config_for(sink.port, send_private=False)
    with Store.open(db_url) as store:
        assert len(DigestSchedule(config, store).check(SEND_TIME)) == 1
    with Store.open(db_url) as store:  # the watcher restarted on Wednesday
        restarted = DigestSchedule(config, store)
        assert restarted.check(SEND_TIME + timedelta(days=2)) == []
        assert restarted.done is not None and str(restarted.done) == "2025-W49"
        seed(store, IVAN, datetime(2025, 12, 9, 10, tzinfo=MSK), 95)
        [next_week] = restarted.check(SEND_TIME + timedelta(weeks=1))
    assert next_week.mail["Subject"].startswith("Качество писем: неделя 50")
    assert len(sink.received) == 2
    with Store.open(db_url) as store, store.session() as session:
        rows = session.execute(select(DigestSend.week, DigestSend.kind, DigestSend.recipient)).all()
        assert sorted(rows) == [("2025-W49", "head", HEAD), ("2025-W50", "head", HEAD)]
        assert all(session.scalars(select(DigestSend.sent_at)))


def test_a_failed_send_is_retried_later(db_url):
    port = free_port()  # nothing listens here yet
    config = config_for(port, send_private=False)
    with Store.open(db_url) as store:
        schedule = DigestSchedule(config, store)
        assert schedule.check(SEND_TIME) == [] and schedule.failed and schedule.done is None
        with store.session() as session:
            assert session.scalar(select(DigestSend.id)) is None  # the claim was released
        sink = SmtpSink(port).start()
        try:
            assert len(schedule.check(SEND_TIME + timedelta(minutes=10))) == 1
            assert [r["to"] for r in sink.received] == [[HEAD]]
        finally:
            sink.stop()


def test_a_stale_claim_of_a_crashed_watcher_is_taken_over(sink, store):
    with store.session(write=True) as session:
        session.add(DigestSend(week="2025-W49", kind="head", recipient=HEAD,
                               claimed_at=datetime.now(UTC) - timedelta(hours=2)))  # the claimer died
    config = config_for(sink.port, send_private=False)
    fresh = DigestSchedule(config, store)
    with store.session(write=True) as session:
        session.add(DigestSend(week="2025-W49", kind="head", recipient="deputy@alfa-solar.ru",
                               claimed_at=datetime.now(UTC)))  # a live claim: someone is sending right now
    config.data["digest"]["recipients"] = [HEAD, "deputy@alfa-solar.ru"]
    sent = fresh.check(SEND_TIME + timedelta(hours=3))
    assert [o.recipient for o in sent] == [HEAD]
    assert fresh.done is None  # the deputy's email is still someone else's to finish


# -- the CLI ------------------------------------------------------------------------------------

def write_config(tmp_path, db_url: str, port: int) -> str:
    path = tmp_path / "mail-lint.toml"
    path.write_text(f'[general]\ntimezone = "Europe/Moscow"\n[store]\nurl = "{db_url}"\n'
                    f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\nfrom = "mail-lint@alfa-solar.ru"\n'
                    f'[digest]\nrecipients = ["{HEAD}"]\n', encoding="utf-8")
    return str(path)


def test_cli_json_and_formats(cli, tmp_path, db_url):
    config = write_config(tmp_path, db_url, 25)
    done = cli("digest", "--week", "2025-W49", "--format", "json", "--config", config)
    assert done.returncode == 0, done.stderr
    digest = json.loads(done.stdout)
    assert digest["week"] == "2025-W49" and digest["team"]["mean_score"] == 76.4
    assert [m["email"] for m in digest["managers"]] == [IVAN, OLGA, PARTNER]
    out = tmp_path / "digest.html"
    assert cli("digest", "--week", "2025-W49", "--format", "html", "--output", str(out),
               "--config", config).returncode == 0
    assert "Качество писем: неделя 49" in out.read_text(encoding="utf-8")
    md = cli("digest", "--week", "2025-W49", "--private", IVAN, "--config", config)
    assert md.returncode == 0 and "Ольга" not in md.stdout and "Иван" in md.stdout


@pytest.mark.parametrize("week", ["2025-W53", "2025-49", "next"])
def test_cli_bad_week_is_one_line(cli, tmp_path, db_url, week):
    done = cli("digest", "--week", week, "--config", write_config(tmp_path, db_url, 25))
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("mail-lint: --week: ") and done.stderr.count("\n") == 1


def test_cli_send(cli, tmp_path, db_url, sink):
    done = cli("digest", "--week", "2025-W49", "--send", "--config", write_config(tmp_path, db_url, sink.port))
    assert done.returncode == 0, done.stderr
    assert f"sent the 2025-W49 digest (head) to {HEAD}" in done.stderr
    assert [r["to"] for r in sink.received] == [[HEAD]]


def test_cli_send_with_no_server_is_one_line(cli, tmp_path, db_url):
    done = cli("digest", "--week", "2025-W49", "--send", "--config", write_config(tmp_path, db_url, free_port()))
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert done.stderr.startswith(f"mail-lint: cannot send the digest to {HEAD}")


def test_the_watcher_schedules_only_with_smtp_and_when_switched_on(store):
    assert DigestSchedule.from_config(config_for(2525), store) is not None
    assert DigestSchedule.from_config(config_for(2525, schedule=False), store) is None
    no_smtp = config_for(2525)
    no_smtp.data["smtp"]["host"] = ""
    assert DigestSchedule.from_config(no_smtp, store) is None


def test_the_schedule_thread_stops_with_the_watcher(store):
    schedule = DigestSchedule(config_for(free_port(), send_private=False), store, send=lambda mail: None)
    stop = threading.Event()
    thread = threading.Thread(target=schedule.run, args=(stop,))
    thread.start()
    stop.set()
    thread.join(10)
    assert not thread.is_alive()


def test_the_watcher_sends_the_digest_while_it_watches(sink, store, monkeypatch):
    """`Watcher.run_forever` runs the schedule beside the folders (the mailbox here is unreachable)."""
    from mail_lint.imap_watcher.watcher import Watcher

    config = config_for(sink.port, send_private=False, weekday="monday", time="00:00")  # always due
    config.data["imap"].update(host="127.0.0.1", port=free_port(), security="none", user=HEAD)
    monkeypatch.setenv("MAIL_LINT_IMAP_PASSWORD", "unused")
    watcher = Watcher(config, store)
    thread = threading.Thread(target=watcher.run_forever)
    thread.start()
    try:
        for _ in range(100):
            if sink.received:
                break
            threading.Event().wait(0.1)
    finally:
        watcher.stop.set()
        thread.join(15)
    assert [r["to"] for r in sink.received] == [[HEAD]]
    assert not thread.is_alive()
