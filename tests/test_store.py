"""The verdict store on a real SQLite file: migrations, round trip, dedupe, filters, URL resolution."""
from __future__ import annotations

import sqlite3
import threading
from datetime import datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from mail_lint.errors import ConfigError
from mail_lint.message import from_draft
from mail_lint.model import Address, Message, Parts
from mail_lint.store import Base, Store, StoreError, draft_message_id, resolve_url
from mail_lint.verdict import Verdict
from support.verdicts import verdict_for

MSK = timezone(timedelta(hours=3))

RU_TEXT = "Добрый день, Иван!\nПришлите, пожалуйста, подписанный договор.\n\nС уважением,\nПётр Сидоров"
EN_TEXT = "Hi Anna,\nCould you send the signed contract by Friday?\n\nBest regards,\nPeter"


def make_message(message_id: str = "<m1@example.ru>", *, sender: str = "Пётр Сидоров <Petr@Example.RU>",
                 subject: str = "Договор поставки", text: str = RU_TEXT,
                 date: datetime | None = datetime(2025, 12, 3, 10, 15, tzinfo=MSK)) -> Message:
    return from_draft(text=text, subject=subject, sender=sender, to=["Иван Петров <ivan@client.ru>"],
                      cc="Анна <anna@example.ru>", date=date, message_id=message_id)


def make_verdict(message: Message, *, score: int = 83, names: tuple[str, ...] = ("greeting.unnamed",),
                 passed: bool = True) -> Verdict:
    """A verdict as the engine makes it, built by hand."""
    verdict = verdict_for(message, score, names, passed,
                          checks={"greeting": {"score": 60, "status": "warn"}, "grammar": {"score": 100, "status": "ok"}},
                          stats={"words": 12, "removable_words": 1, "sentences": 2, "readability": 54.2,
                                 "deadline": {"text": "до пятницы", "resolved": "2025-12-05T18:00:00+03:00"}})
    for finding in verdict.findings:
        finding.message = "Приветствие без имени адресата"
    return verdict


@pytest.fixture
def db_url(tmp_path, monkeypatch) -> str:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    return f"sqlite:///{tmp_path / 'store.db'}"


@pytest.fixture
def store(db_url):
    with Store.open(db_url) as opened:
        yield opened


def table_count(db_url: str, table: str) -> int:
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            return conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar()
    finally:
        engine.dispose()


# -- migrations -----------------------------------------------------------------------------------

def head_revision() -> str:
    from alembic.script import ScriptDirectory

    from mail_lint.store.migrate import alembic_config
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def test_migrations_from_empty_create_all_tables(db_url):
    Store.open(db_url).close()
    engine = create_engine(db_url)
    schema = inspect(engine)
    assert {"messages", "verdicts", "verdict_rules", "skipped", "alembic_version"} <= set(schema.get_table_names())
    columns = {c["name"] for c in schema.get_columns("messages")}
    assert {"message_id", "sender", "sender_name", "recipients", "cc", "subject", "date", "source",
            "size", "language", "created_at"} <= columns
    assert {"score", "passed", "findings", "checks", "stats", "text", "parts", "rules_version",
            "grammar_status", "created_at"} <= {c["name"] for c in schema.get_columns("verdicts")}
    assert any(ix["column_names"][0] == "name" for ix in schema.get_indexes("verdict_rules"))
    assert any(ix["column_names"] == ["sender"] for ix in schema.get_indexes("messages"))
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == head_revision()
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    engine.dispose()


def test_reopening_is_a_no_op_and_keeps_data(db_url):
    with Store.open(db_url) as store:
        message = make_message()
        verdict_id = store.save(make_verdict(message), "cli")
    with Store.open(db_url) as store:
        assert store.get(verdict_id)["message_id"] == "<m1@example.ru>"
    assert table_count(db_url, "alembic_version") == 1


def test_models_match_migrations(store):
    with store.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert differences == []


def test_downgrade_to_empty_and_upgrade_again(db_url):
    """Migrations stay reversible: a later migration's author can rely on downgrade working."""
    from alembic import command

    from mail_lint.store.migrate import alembic_config

    Store.open(db_url).close()
    command.downgrade(alembic_config(db_url), "base")
    engine = create_engine(db_url)
    assert set(inspect(engine).get_table_names()) == {"alembic_version"}
    engine.dispose()
    with Store.open(db_url) as store:
        message = make_message()
        assert store.get(store.save(make_verdict(message), "cli"))["score"] == 83


def test_parent_folders_of_the_sqlite_file_are_created(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    path = tmp_path / "deep" / "er" / "verdicts.db"
    Store.open(f"sqlite:///{path}").close()
    assert path.is_file()


# -- saving and reading ---------------------------------------------------------------------------

def test_round_trip_keeps_russian_text_and_findings(store):
    message = make_message()
    verdict = make_verdict(message, names=("greeting.unnamed", "cta.no-deadline"))
    verdict_id = store.save(verdict, "cli")

    row = store.get(verdict_id)
    assert row["verdict"] == verdict.to_json()
    assert row["verdict"]["findings"][0]["message"] == "Приветствие без имени адресата"
    assert row["verdict"]["text"].startswith("Добрый день, Иван!")
    assert row["message_id"] == "<m1@example.ru>"
    assert row["sender"] == "petr@example.ru"
    assert row["sender_name"] == "Пётр Сидоров"
    assert row["recipients"] == ["Иван Петров <ivan@client.ru>"]
    assert row["cc"] == ["Анна <anna@example.ru>"]
    assert row["subject"] == "Договор поставки"
    assert row["date"] == datetime(2025, 12, 3, 7, 15, tzinfo=timezone.utc)
    assert row["date"].tzinfo is not None
    assert (row["source"], row["score"], row["passed"]) == ("cli", 83, True)
    assert row["language"] == "ru" and row["grammar_status"] == "ok"
    assert store.get(verdict_id + 1000) is None


def test_english_round_trip(store):
    message = make_message("<en@example.com>", sender="Peter <peter@example.com>", subject="Contract",
                           text=EN_TEXT)
    verdict = make_verdict(message, score=95, names=())
    verdict_id = store.save(verdict, "api")
    row = store.get(verdict_id)
    assert row["verdict"] == verdict.to_json()
    assert row["language"] == "en"


def test_cyrillic_is_stored_readably(store, db_url):
    message = make_message()
    store.save(make_verdict(message), "cli")
    with sqlite3.connect(db_url.removeprefix("sqlite:///")) as conn:
        raw = conn.execute("SELECT findings FROM verdicts").fetchone()[0]
    assert "Приветствие" in raw


def test_resaving_a_message_id_keeps_one_message_and_replaces_the_verdict(store, db_url):
    message = make_message()
    first = store.save(make_verdict(message, score=40, names=("greeting.unnamed",)), "imap")
    second = store.save(make_verdict(message, score=90, names=("cta.no-deadline",)), "imap")

    assert second == first
    assert table_count(db_url, "messages") == 1
    assert table_count(db_url, "verdicts") == 1
    assert store.get(first)["score"] == 90
    assert store.list(name="greeting.unnamed") == []
    assert [r["id"] for r in store.list(name="cta.no-deadline")] == [first]


def test_message_id_spelling_does_not_duplicate(store, db_url):
    message = make_message(" <m1@example.ru> ")
    store.save(make_verdict(message), "imap")
    again = make_message("m1@example.ru")
    store.save(make_verdict(again), "imap")
    assert table_count(db_url, "messages") == 1
    assert store.has_message("<m1@example.ru>") and store.has_message("m1@example.ru")
    assert not store.has_message("<other@example.ru>")


def test_drafts_without_message_id_dedupe(store, db_url):
    draft = make_message("", date=None)
    first = store.save(make_verdict(draft), "api")
    second = store.save(make_verdict(make_message("", date=None), score=70), "api")
    assert first == second
    assert table_count(db_url, "messages") == 1
    row = store.get(first)
    assert row["message_id"] == draft_message_id(draft)
    assert row["message_id"].startswith("<draft-") and row["message_id"].endswith("@mail-lint>")
    assert len(row["message_id"]) == len("<draft-@mail-lint>") + 24
    assert row["date"] is not None  # no Date header: dated when first stored

    other = make_message("", date=None, text=RU_TEXT + "\nТел. +7 495 000-00-00")
    assert store.save(make_verdict(other), "api") != first
    assert table_count(db_url, "messages") == 2


@pytest.mark.parametrize("date", [datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone(timedelta(hours=-14))),
                                  datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14))), datetime(3000, 1, 1)])
def test_dates_past_the_supported_years_are_clamped_on_save(store, date):
    """A message built by hand can carry any datetime: the store keeps it at the nearest supported end."""
    message = make_message("<far@example.ru>")
    message.date = date
    verdict_id = store.save(make_verdict(message), "cli")
    stored = store.get(verdict_id)["date"]
    assert stored.year in (1900, 2199) and (stored.year == 2199) == (date.year > 2000)
    assert message_ids(store.list(since=datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14))),
                                  until="9999-12-31T23:59:59-14:00")) == ["<far@example.ru>"]


def test_owners_never_replace_each_others_verdicts(store):
    """A verdict saved through the API is kept within its owner's keeping (issue 12: overwrite)."""
    message = make_message("<shared@example.ru>")
    watcher_id = store.save(make_verdict(message, score=90), "imap")
    olga = make_message("<shared@example.ru>", sender="Ольга <olga@example.ru>", subject="Чужой Message-ID")
    olga_id = store.save(make_verdict(olga, score=10), "api", owner="olga@example.ru")
    assert olga_id != watcher_id
    assert store.save(make_verdict(olga, score=20), "api", owner="Olga@Example.ru") == olga_id  # her own
    kept = store.get(watcher_id)
    assert (kept["source"], kept["score"], kept["sender"], kept["subject"]) == ("imap", 90, "petr@example.ru",
                                                                                "Договор поставки")
    assert (store.get(olga_id)["message_id"], store.get(olga_id)["score"]) == ("<shared@example.ru>", 20)
    assert message_ids(store.list()) == ["<shared@example.ru>", "<shared@example.ru>"]
    assert store.find("<shared@example.ru>")["id"] == watcher_id
    assert store.find("shared@example.ru", owner="olga@example.ru")["id"] == olga_id
    assert store.find("<shared@example.ru>", owner="ivan@example.ru") is None and store.find("<no@x.ru>") is None
    assert store.has_message("<shared@example.ru>") and store.count_messages() == 2


def test_api_verdicts_move_into_their_senders_keeping_on_upgrade(db_url):
    """Before owners existed, an API verdict sat where the watcher's would go; it moves, unchanged."""
    from alembic import command

    from mail_lint.store.migrate import alembic_config
    command.upgrade(alembic_config(db_url), "0004")
    engine = create_engine(db_url)
    with engine.begin() as conn:
        for pk, message_id, sender, source in ((1, "<a@x.ru>", "petr@x.ru", "api"), (2, "<w@x.ru>", "ivan@x.ru", "imap")):
            conn.exec_driver_sql(
                "INSERT INTO messages (id, message_id, sender, sender_name, recipients, cc, subject, date, source, "
                f"size, language, created_at) VALUES ({pk}, '{message_id}', '{sender}', '', '[]', '[]', 'Тема', "
                f"'2025-12-03 07:15:00', '{source}', 10, 'ru', '2025-12-03 07:15:00')")
            conn.exec_driver_sql(
                "INSERT INTO verdicts (id, message_pk, score, passed, schema, header, text, parts, findings, checks, "
                f"stats, extra, rules_version, created_at) VALUES ({pk}, {pk}, 80, true, '', '{{}}', 'Текст', '{{}}', "
                "'[]', '{}', '{}', '{}', '0.1.0', '2025-12-03 07:15:00')")
    engine.dispose()
    with Store.open(db_url) as store:
        assert sorted(message_ids(store.list())) == ["<a@x.ru>", "<w@x.ru>"]  # shown as they were
        assert store.find("<a@x.ru>") is None  # no longer where the watcher's verdict on it would go
        assert store.find("<a@x.ru>", owner="petr@x.ru")["id"] == 1
        assert store.find("<w@x.ru>")["id"] == 2


def test_a_bad_source_is_refused(store):
    message = make_message()
    with pytest.raises(ValueError, match="source"):
        store.save(make_verdict(message), "smtp")
    assert store.count_messages() == 0


def test_record_skipped(store, db_url):
    store.record_skipped("<junk@example.ru>", "imap", "unparseable: no MIME boundary")
    store.record_skipped("<junk@example.ru>", "imap", "not selected: shorter than 5 lines")
    store.record_skipped("", "imap", "unparseable: no headers")
    assert table_count(db_url, "skipped") == 2
    engine = create_engine(db_url)
    with engine.connect() as conn:
        reason = conn.exec_driver_sql("SELECT reason FROM skipped WHERE message_id = '<junk@example.ru>'").scalar()
    engine.dispose()
    assert reason == "not selected: shorter than 5 lines"
    assert not store.has_message("<junk@example.ru>")
    assert store.has_message("<junk@example.ru>", include_skipped=True)


def test_text_is_cut_to_its_columns_and_nul_bytes_dropped(store):
    """PostgreSQL refuses both (varchar(500) overflow, NUL in text); SQLite would keep them unchecked."""
    long_id = "<" + "x" * 1200 + "@example.ru>"
    message = make_message(long_id, subject="Договор\x00 поставки")
    message.sender = Address("Я" * 600, "petr\x00@example.ru")
    message.text = "Добрый\x00 день"
    verdict = make_verdict(message, names=("grammar." + "Z" * 300, "grammar." + "Z" * 301))
    verdict_id = store.save(verdict, "imap")
    row = store.get(verdict_id)
    assert row["sender_name"] == "Я" * 500 and row["sender"] == "petr@example.ru"
    assert row["subject"] == "Договор поставки" and row["verdict"]["text"] == "Добрый день"
    assert row["message_id"] == long_id[:998]
    assert store.list(name="grammar")[0]["id"] == verdict_id  # two rule names, one after the cut
    assert store.save(verdict, "imap") == verdict_id  # the cut id still finds its row
    assert store.has_message(long_id) and store.count_messages() == 1

    store.record_skipped("<nul\x00@example.ru>", "imap", "unparseable:\x00 " + "ж" * 20)
    assert store.has_message("<nul@example.ru>", include_skipped=True)


def test_concurrent_writers_on_one_file_lose_nothing(db_url):
    """Separate stores (like the service, the watcher, the CLI) migrating and writing one file at once."""
    errors: list[BaseException] = []

    def work(worker: int) -> None:
        try:
            with Store.open(db_url) as own:
                for i in range(15):
                    for message_id in (f"<shared-{i}@x.ru>", f"<w{worker}-{i}@x.ru>"):
                        message = make_message(message_id)
                        own.save(make_verdict(message, score=worker), "imap")
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert table_count(db_url, "messages") == 15 + 4 * 15
    assert table_count(db_url, "verdicts") == 15 + 4 * 15


# -- listing --------------------------------------------------------------------------------------

@pytest.fixture
def seeded(store):
    """Five verdicts from two senders over a week, with different scores and rules."""
    rows = [
        ("<a1@x.ru>", "Пётр <petr@example.ru>", datetime(2025, 12, 1, 9, 0, tzinfo=MSK), 40,
         ("greeting.unnamed", "cta.no-deadline"), "imap"),
        ("<a2@x.ru>", "Пётр <petr@example.ru>", datetime(2025, 12, 2, 9, 0, tzinfo=MSK), 75,
         ("cta.no-deadline",), "imap"),
        ("<a3@x.ru>", "Anna <anna@example.com>", datetime(2025, 12, 3, 9, 0, tzinfo=MSK), 90,
         ("grammar.COMMA_PARENTHESIS_WHITESPACE",), "api"),
        ("<a4@x.ru>", "Anna <anna@example.com>", datetime(2025, 12, 4, 9, 0, tzinfo=MSK), 100, (), "api"),
        ("<a5@x.ru>", "Пётр <PETR@example.ru>", datetime(2025, 12, 5, 9, 0, tzinfo=MSK), 60,
         ("greeting_unnamed",), "cli"),
    ]
    ids = {}
    for message_id, sender, date, score, names, source in rows:
        message = make_message(message_id, sender=sender, date=date)
        ids[message_id] = store.save(make_verdict(message, score=score, names=names), source)
    return ids


def message_ids(items: list[dict]) -> list[str]:
    return [item["message_id"] for item in items]


def test_list_is_newest_first_with_summary_fields(store, seeded):
    items = store.list()
    assert message_ids(items) == ["<a5@x.ru>", "<a4@x.ru>", "<a3@x.ru>", "<a2@x.ru>", "<a1@x.ru>"]
    first = items[0]
    assert {"id", "message_id", "sender", "subject", "date", "source", "score", "passed"} <= set(first)
    assert first["id"] == seeded["<a5@x.ru>"]
    assert "verdict" not in first


def test_list_by_sender_is_case_insensitive(store, seeded):
    assert message_ids(store.list(sender="Petr@Example.ru")) == ["<a5@x.ru>", "<a2@x.ru>", "<a1@x.ru>"]
    assert store.list(sender="nobody@example.ru") == []


def test_list_since_inclusive_until_exclusive_across_timezones(store, seeded):
    # 2025-12-02 09:00 MSK is 06:00 UTC.
    assert message_ids(store.list(since=datetime(2025, 12, 2, 6, 0, tzinfo=timezone.utc),
                                  until=datetime(2025, 12, 4, 9, 0, tzinfo=MSK))) == ["<a3@x.ru>", "<a2@x.ru>"]
    assert message_ids(store.list(since="2025-12-04T00:00:00+03:00")) == ["<a5@x.ru>", "<a4@x.ru>"]
    assert message_ids(store.list(until="2025-12-01T06:00:00")) == []  # naive: UTC, exclusive
    with pytest.raises(ValueError, match="since"):
        store.list(since="last week")


def test_list_min_score_and_source(store, seeded):
    assert message_ids(store.list(min_score=75)) == ["<a4@x.ru>", "<a3@x.ru>", "<a2@x.ru>"]
    assert message_ids(store.list(source="api")) == ["<a4@x.ru>", "<a3@x.ru>"]


def test_list_by_rule_name_or_prefix(store, seeded):
    assert message_ids(store.list(name="cta.no-deadline")) == ["<a2@x.ru>", "<a1@x.ru>"]
    assert message_ids(store.list(name="greeting")) == ["<a1@x.ru>"]  # not "greeting_unnamed"
    assert message_ids(store.list(name="greeting_unnamed")) == ["<a5@x.ru>"]
    assert message_ids(store.list(name="grammar")) == ["<a3@x.ru>"]
    assert message_ids(store.list(name="greeting.unnamed", sender="petr@example.ru")) == ["<a1@x.ru>"]
    assert store.list(name="signature") == []


def test_list_limit_and_offset(store, seeded):
    assert message_ids(store.list(limit=2)) == ["<a5@x.ru>", "<a4@x.ru>"]
    assert message_ids(store.list(limit=2, offset=2)) == ["<a3@x.ru>", "<a2@x.ru>"]
    assert message_ids(store.list(limit=2, offset=4)) == ["<a1@x.ru>"]
    assert store.list(offset=10) == []


# -- where the store is ---------------------------------------------------------------------------

def test_database_url_env_wins_over_config(tmp_path, monkeypatch):
    env_path, config_path = tmp_path / "env.db", tmp_path / "config.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{env_path}")
    config = {"store": {"url": f"sqlite:///{config_path}"}}
    with Store.open(config=config) as store:
        message = make_message()
        store.save(make_verdict(message), "cli")
    assert env_path.is_file() and not config_path.exists()
    assert table_count(f"sqlite:///{env_path}", "messages") == 1


def test_url_resolution_order(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("MAIL_LINT_HOME", str(tmp_path / "home"))
    config = {"store": {"url": "sqlite:///from-config.db"}}
    home = tmp_path / "home"
    assert resolve_url(None, None)[0] == f"sqlite:///{home}/mail-lint.db"
    assert resolve_url(None, config)[0] == f"sqlite:///{home}/from-config.db"
    monkeypatch.setenv("DATABASE_URL", "sqlite:///from-env.db")
    assert resolve_url(None, config)[0] == f"sqlite:///{home}/from-env.db"
    assert resolve_url("sqlite:////srv/explicit.db", config)[0] == "sqlite:////srv/explicit.db"
    assert resolve_url("postgresql://u@h/db", config)[0] == "postgresql://u@h/db"


def test_default_store_is_in_the_data_directory_whatever_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("MAIL_LINT_HOME", str(tmp_path / "home"))
    for folder in ("one", "two"):  # the same store from two working directories
        (tmp_path / folder).mkdir()
        monkeypatch.chdir(tmp_path / folder)
        with Store.open() as store:
            store.save(make_verdict(make_message(f"<{folder}@x.ru>")), "cli")
            count = store.count_messages()
    assert count == 2
    assert (tmp_path / "home" / "mail-lint.db").is_file()
    assert not list((tmp_path / "one").iterdir()) and not list((tmp_path / "two").iterdir())


def test_data_directory_must_be_absolute(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("MAIL_LINT_HOME", "relative/home")
    with pytest.raises(ConfigError, match="MAIL_LINT_HOME.*absolute"):
        Store.open()


def test_per_user_default_data_directory(monkeypatch, tmp_path):
    from mail_lint.home import data_dir
    monkeypatch.delenv("MAIL_LINT_HOME")
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert data_dir() == tmp_path / ".local" / "share" / "mail-lint"
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert data_dir() == tmp_path / "data" / "mail-lint"


def test_bad_url_is_a_one_line_error(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "not a url")
    with pytest.raises(ConfigError, match="DATABASE_URL") as caught:
        Store.open()
    assert "\n" not in str(caught.value)
    blocked = tmp_path / "file"
    blocked.write_text("")
    with pytest.raises((StoreError, OSError)):
        Store.open(f"sqlite:///{blocked}/sub/store.db")


def test_not_a_database_is_a_store_error(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    path = tmp_path / "garbage.db"
    path.write_bytes(b"this is not an SQLite file" * 100)
    with pytest.raises(StoreError, match="cannot open the store") as caught:
        Store.open(f"sqlite:///{path}")
    assert "\n" not in str(caught.value)


def test_message_model_directly(store):
    """A Message built without the parser (as the watcher might) stores the same way."""
    message = Message(text="Hello", parts=Parts(body=(0, 5)), language="en", subject="Hi",
                      sender=Address("", "A@B.com"), message_id="<direct@b.com>", size=5)
    verdict_id = store.save(verdict_for(message, 100), "cli")
    row = store.get(verdict_id)
    assert row["sender"] == "a@b.com" and row["sender_name"] == "" and row["recipients"] == []


def test_a_locked_database_is_a_one_line_store_error(db_url, monkeypatch):
    """Another process holding the write lock past the busy timeout: a StoreError, not a traceback."""
    import mail_lint.store.store as store_module

    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 50)
    with Store.open(db_url) as store:
        blocker = sqlite3.connect(db_url.removeprefix("sqlite:///"), isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")
        try:
            message = make_message()
            with pytest.raises(StoreError, match="locked") as caught:
                store.save(make_verdict(message), "cli")
            assert "\n" not in str(caught.value)
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        store.save(make_verdict(message), "cli")  # and works once the lock is gone
        assert store.count_messages() == 1
