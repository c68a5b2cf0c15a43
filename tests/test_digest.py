"""Digest numbers on a real SQLite store seeded with known verdicts: weeks, timezones, repeats, changes."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest

from mail_lint.config import validate
from mail_lint.digest import IsoWeek, WeekError, digest_json, private_digest
from mail_lint.links import link_secret, valid
from mail_lint.store import Store
from support.verdicts import seed

MSK = ZoneInfo("Europe/Moscow")
UTC = timezone.utc
IVAN, OLGA = "ivan@alfa-solar.ru", "olga@alfa-solar.ru"


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with Store.open(f"sqlite:///{tmp_path / 'digest.db'}") as opened:
        yield opened


def config(**digest):
    return validate({"general": {"timezone": digest.pop("timezone", "Europe/Moscow")}, "digest": digest})


def msk(*args) -> datetime:
    return datetime(*args, tzinfo=MSK)


def manager(digest: dict, email: str) -> dict:
    return next(m for m in digest["managers"] if m["email"] == email)


# -- ISO weeks ------------------------------------------------------------------------------------

def test_iso_weeks_across_the_year_boundary():
    assert IsoWeek.parse("2025-W01").monday == date(2024, 12, 30)
    assert IsoWeek.parse("2026-W53").days() == (date(2026, 12, 28), date(2027, 1, 3))
    assert IsoWeek.parse("2026-W53").shift(1) == IsoWeek(2027, 1)
    assert IsoWeek.parse("2025-W01").shift(-1) == IsoWeek(2024, 52)
    assert IsoWeek.of(date(2027, 1, 1)) == IsoWeek(2026, 53)
    assert str(IsoWeek.parse("2025w9")) == "2025-W09"


@pytest.mark.parametrize("text, reason", [
    ("2025-W53", "2025 has weeks 1 to 52"), ("2025-W00", "weeks 1 to 52"), ("2026-W54", "weeks 1 to 53"),
    ("2025-49", "expected YYYY-Www"), ("", "expected YYYY-Www"), ("last week", "expected YYYY-Www"),
    ("0000-W01", "between 1900 and 2199"), ("9999-W52", "between 1900 and 2199"),
    ("0001-W01", "between 1900 and 2199"), ("2200-W01", "between 1900 and 2199")])
def test_bad_week_strings_are_one_line_errors(text, reason):
    with pytest.raises(WeekError, match=reason) as caught:
        IsoWeek.parse(text)
    assert "\n" not in str(caught.value)


def test_last_complete_week_is_on_the_configured_wall_clock():
    sunday_night_utc = datetime(2025, 12, 7, 22, 0, tzinfo=UTC)  # already Monday 01:00 in Moscow
    assert IsoWeek.last_complete(sunday_night_utc, MSK) == IsoWeek(2025, 49)
    assert IsoWeek.last_complete(sunday_night_utc, UTC) == IsoWeek(2025, 48)
    assert IsoWeek.last_complete(datetime(2025, 1, 1, 12, tzinfo=UTC), MSK) == IsoWeek(2024, 52)


def test_week_bounds_are_local_midnights():
    week = IsoWeek.parse("2025-W49")
    assert week.start(MSK).astimezone(UTC) == datetime(2025, 11, 30, 21, 0, tzinfo=UTC)
    assert week.end(MSK).astimezone(UTC) == datetime(2025, 12, 7, 21, 0, tzinfo=UTC)


# -- which mail falls in which week ---------------------------------------------------------------

def test_year_boundary_weeks_take_the_right_mail(store):
    seed(store, IVAN, msk(2024, 12, 29, 12), 50)   # Sunday: 2024-W52
    seed(store, IVAN, msk(2024, 12, 30, 0, 5), 90)  # Monday: 2025-W01
    seed(store, IVAN, msk(2025, 1, 5, 23, 55), 80)  # Sunday: still 2025-W01
    first = digest_json(store, config(), "2025-W01")
    assert (first["team"]["emails"], first["team"]["mean_score"], first["team"]["change"]) == (2, 85.0, 35.0)
    assert first["start"] == "2024-12-30T00:00:00+03:00"
    assert digest_json(store, config(), "2024-W52")["team"]["emails"] == 1


def test_week_53_exists_and_is_followed_by_week_1(store):
    seed(store, OLGA, msk(2026, 12, 31, 15), 77)
    seed(store, OLGA, msk(2027, 1, 4, 9), 88)
    w53 = digest_json(store, config(), "2026-W53")
    assert [m["emails"] for m in w53["managers"]] == [1]
    assert w53["managers"][0]["series"][-2:] == [{"week": "2026-W52", "emails": 0, "mean_score": None},
                                                 {"week": "2026-W53", "emails": 1, "mean_score": 77.0}]
    assert digest_json(store, config(), "2027-W01")["managers"][0]["change"] == 11.0


def test_a_sunday_night_in_utc_is_monday_in_moscow(store):
    seed(store, IVAN, datetime(2025, 12, 7, 23, 30, tzinfo=UTC), 60)  # Monday 02:30 in Moscow
    assert digest_json(store, config(), "2025-W49")["team"]["emails"] == 0
    assert digest_json(store, config(), "2025-W50")["team"]["emails"] == 1
    in_utc = config(timezone="UTC")
    assert digest_json(store, in_utc, "2025-W49")["team"]["emails"] == 1
    assert digest_json(store, in_utc, "2025-W49")["timezone"] == "UTC"


# -- the numbers -----------------------------------------------------------------------------------

def test_a_week_with_no_mail(store):
    seed(store, IVAN, msk(2025, 11, 26, 10), 80)  # the week before has mail; this one does not
    digest = digest_json(store, config(), "2025-W49")
    assert digest["week"] == "2025-W49" and digest["timezone"] == "Europe/Moscow"
    assert digest["managers"] == []
    assert {k: digest["team"][k] for k in ("emails", "mean_score", "change")} == \
        {"emails": 0, "mean_score": None, "change": None}


def test_a_manager_with_one_email(store):
    only = seed(store, OLGA, msk(2025, 12, 3, 11), 64, ("greeting.unnamed", "cta.no-deadline"),
                name="Ольга Смирнова", subject="КП на панели")
    m = digest_json(store, config(), "2025-W49")["managers"][0]
    assert m["email"] == OLGA and m["name"] == "Ольга Смирнова"
    assert (m["emails"], m["mean_score"], m["change"], m["pass_rate"]) == (1, 64.0, None, 0.0)
    # one email is no example to hold up: no "best", and the one email is the worst
    assert m["best"] is None and m["worst"] == only and m["worst_subject"] == "КП на панели"
    assert m["top_rules"] == ["cta.no-deadline", "greeting.unnamed"]
    assert m["repeated"] == []


def test_week_on_week_change_per_manager_and_team(store):
    for day, score in ((24, 70), (25, 80)):
        seed(store, IVAN, msk(2025, 11, day, 10), score)
    seed(store, OLGA, msk(2025, 11, 26, 10), 90)
    for day, score in ((1, 90), (2, 85), (3, 86)):
        seed(store, IVAN, msk(2025, 12, day, 10), score)
    seed(store, OLGA, msk(2025, 12, 4, 10), 81)
    digest = digest_json(store, config(), "2025-W49")
    ivan, olga = manager(digest, IVAN), manager(digest, OLGA)
    assert (ivan["mean_score"], ivan["change"]) == (87.0, 12.0)
    assert (olga["mean_score"], olga["change"]) == (81.0, -9.0)
    team = digest["team"]
    assert (team["emails"], team["mean_score"], team["change"]) == (4, 85.5, 5.5)  # (70+80+90)/3 = 80
    assert team["series"][-2:] == [{"week": "2025-W48", "emails": 3, "mean_score": 80.0},
                                   {"week": "2025-W49", "emails": 4, "mean_score": 85.5}]


def test_repeated_mistakes_are_rules_already_shown_in_an_earlier_week(store):
    seed(store, IVAN, msk(2025, 11, 18, 10), 70, ("greeting.unnamed",))                  # W47
    seed(store, IVAN, msk(2025, 11, 25, 10), 70, ("cta.missing", "wordiness.stop-word"))  # W48
    seed(store, OLGA, msk(2025, 11, 25, 10), 70, ("signature.missing",))                 # someone else's
    seed(store, IVAN, msk(2025, 12, 1, 10), 60, ("greeting.unnamed", "signature.missing"))  # W49
    seed(store, IVAN, msk(2025, 12, 2, 10), 60, ("cta.missing", "forward.vague-subject"))
    seed(store, IVAN, msk(2025, 12, 3, 10), 60, ("forward.vague-subject",))  # twice this week: not "again"
    ivan = manager(digest_json(store, config(top_rules=5), "2025-W49"), IVAN)
    assert ivan["repeated"] == ["cta.missing", "greeting.unnamed"]
    assert len(ivan["repeated"]) == 2
    assert ivan["fixed"] == ["wordiness.stop-word"]
    assert ivan["top_rules"][0] == "forward.vague-subject" and ivan["rule_counts"]["forward.vague-subject"] == 2


def test_best_and_worst_and_pass_rate(store):
    ids = [seed(store, IVAN, msk(2025, 12, 1, h), s) for h, s in ((9, 72), (10, 95), (11, 40), (12, 95))]
    settings = config(base_url="https://lint.alfa-solar.ru/")
    ivan = digest_json(store, settings, "2025-W49")["managers"][0]
    assert (ivan["best"], ivan["worst"]) == (ids[1], ids[2])  # a tie for best: the earlier one
    assert ivan["pass_rate"] == 0.75
    link = urlsplit(ivan["worst_url"])                        # signed: it opens without a token
    query = {k: v[0] for k, v in parse_qs(link.query).items()}
    assert (link.netloc, link.path, query["reader"]) == ("lint.alfa-solar.ru", f"/v1/verdicts/{ids[2]}/view", "head")
    assert valid(link_secret(settings), ids[2], "head", int(query["expires"]), query["sig"])


def test_ranking_is_a_config_choice(store):
    seed(store, IVAN, msk(2025, 12, 1, 10), 60, name="Иван Петров")
    seed(store, OLGA, msk(2025, 12, 1, 10), 90, name="Анна Ольгина")
    seed(store, "boris@alfa-solar.ru", msk(2025, 12, 1, 10), 75, name="Борис")
    ranked = digest_json(store, config(), "2025-W49")
    assert [(m["rank"], m["email"]) for m in ranked["managers"]] == \
        [(1, OLGA), (2, "boris@alfa-solar.ru"), (3, IVAN)]
    plain = digest_json(store, config(rank_managers=False), "2025-W49")
    assert [m["name"] for m in plain["managers"]] == ["Анна Ольгина", "Борис", "Иван Петров"]
    assert all("rank" not in m for m in plain["managers"]) and plain["ranked"] is False


def test_series_covers_the_configured_weeks_with_gaps(store):
    seed(store, IVAN, msk(2025, 10, 15, 10), 50)  # 2025-W42: outside an 8-week chart of W49
    seed(store, IVAN, msk(2025, 10, 22, 10), 60)  # W43
    seed(store, IVAN, msk(2025, 12, 5, 10), 90)   # W49
    series = manager(digest_json(store, config(), "2025-W49"), IVAN)["series"]
    assert [p["week"] for p in series] == [f"2025-W{w}" for w in range(42, 50)]
    assert [p["mean_score"] for p in series] == [50.0, 60.0, None, None, None, None, None, 90.0]
    assert len(manager(digest_json(store, config(weeks_in_chart=4), "2025-W49"), IVAN)["series"]) == 4


def test_sources_and_senderless_drafts(store):
    seed(store, IVAN, msk(2025, 12, 1, 10), 90, source="imap")
    seed(store, IVAN, msk(2025, 12, 1, 11), 10, source="cli")
    seed(store, "", msk(2025, 12, 1, 12), 10, source="api")  # a draft without a sender: nobody's
    assert digest_json(store, config(), "2025-W49")["team"]["mean_score"] == 50.0
    assert digest_json(store, config(sources=["imap"]), "2025-W49")["team"]["mean_score"] == 90.0


def test_private_digest_holds_only_the_managers_own_numbers(store):
    seed(store, IVAN, msk(2025, 12, 1, 10), 60)
    seed(store, OLGA, msk(2025, 12, 1, 10), 90)
    digest = digest_json(store, config(), "2025-W49")
    mine = private_digest(digest, "Ivan@Alfa-Solar.ru")
    assert [m["email"] for m in mine["managers"]] == [IVAN] and mine["team"] is None
    assert "rank" not in mine["managers"][0] and OLGA not in str(mine)
    assert private_digest(digest, "nobody@alfa-solar.ru") is None


def test_the_contract_keys(store):
    seed(store, IVAN, msk(2025, 12, 1, 10), 60, ("greeting.missing",))
    digest = digest_json(store, config(), "2025-W49")
    assert {"week", "timezone", "managers", "team"} <= digest.keys()
    assert {"email", "name", "emails", "mean_score", "change", "pass_rate", "top_rules", "repeated",
            "best", "worst"} <= digest["managers"][0].keys()
    assert {"emails", "mean_score", "change"} <= digest["team"].keys()


def test_default_week_is_the_last_complete_one(store):
    seed(store, IVAN, msk(2025, 12, 3, 10), 60)
    now = datetime(2025, 12, 10, 9, tzinfo=UTC)  # Wednesday of W50
    assert digest_json(store, config(), None, now=now)["week"] == "2025-W49"
    assert digest_json(store, config(), None, now=now + timedelta(days=7))["team"]["emails"] == 0
