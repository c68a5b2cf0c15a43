"""Deadline resolution against fixed message dates and time zones (rules/support/deadlines.py)."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from mail_lint.rules.support.deadlines import find_deadlines

MSK = ZoneInfo("Europe/Moscow")
NY = ZoneInfo("America/New_York")
WEDNESDAY = datetime(2025, 12, 3, 10, 15, tzinfo=MSK)  # Wednesday, 3 December 2025


def resolved(text: str, language: str, sent: datetime | None = WEDNESDAY, tz: ZoneInfo = MSK) -> str:
    found = find_deadlines(text, language, sent, tz)
    assert found, f"no deadline found in {text!r}"
    return found[0].resolved.isoformat()


@pytest.mark.parametrize("text, expected", [
    ("Пришлите до 15 декабря.", "2025-12-15T18:00:00+03:00"),
    ("Ответьте к 5.12, пожалуйста.", "2025-12-05T18:00:00+03:00"),
    ("Оплата до 05.12.2025.", "2025-12-05T18:00:00+03:00"),
    ("Подпишите до пятницы.", "2025-12-05T18:00:00+03:00"),
    ("Подтвердите завтра до 12:00.", "2025-12-04T12:00:00+03:00"),
    ("Нужен ответ сегодня.", "2025-12-03T18:00:00+03:00"),
    ("Пришлите до конца дня.", "2025-12-03T18:00:00+03:00"),
    ("Решение до конца недели.", "2025-12-05T18:00:00+03:00"),
    ("Оплатите в течение 3 рабочих дней.", "2025-12-08T18:00:00+03:00"),
    ("Ответьте в течение двух дней.", "2025-12-05T18:00:00+03:00"),
    ("Созвонимся на этой неделе?", "2025-12-05T18:00:00+03:00"),
    ("Подпишите не позднее 20 декабря 2025 г.", "2025-12-20T18:00:00+03:00"),
    ("Пришлите до 15-го числа.", "2025-12-15T18:00:00+03:00"),
    ("Ответьте до 12.00.", "2025-12-03T12:00:00+03:00"),
])
def test_russian_deadlines(text, expected):
    assert resolved(text, "ru") == expected


@pytest.mark.parametrize("text, expected", [
    ("Please reply by Dec 15.", "2025-12-15T18:00:00+03:00"),
    ("Sign it by Friday.", "2025-12-05T18:00:00+03:00"),
    ("I need it EOD tomorrow.", "2025-12-04T18:00:00+03:00"),
    ("Send it by end of day.", "2025-12-03T18:00:00+03:00"),
    ("Reply within two days.", "2025-12-05T18:00:00+03:00"),
    ("Confirm no later than Friday.", "2025-12-05T18:00:00+03:00"),
    ("Call me by 5 pm.", "2025-12-03T17:00:00+03:00"),
    ("Sign by December 15th, 2025.", "2025-12-15T18:00:00+03:00"),
    ("Pay by the 15th.", "2025-12-15T18:00:00+03:00"),  # dateparser reads this one
    ("Review within 3 business days.", "2025-12-08T18:00:00+03:00"),
])
def test_english_deadlines(text, expected):
    assert resolved(text, "en") == expected


def test_day_and_month_take_the_nearest_year_across_new_year():
    december_20 = datetime(2025, 12, 20, 10, 0, tzinfo=MSK)
    assert resolved("до 10 января", "ru", december_20) == "2026-01-10T18:00:00+03:00"
    assert resolved("by Jan 10", "en", december_20) == "2026-01-10T18:00:00+03:00"
    # two days ago is still this year: a past deadline, not one eleven months away
    assert resolved("до 1 декабря", "ru") == "2025-12-01T18:00:00+03:00"


def test_relative_deadlines_cross_month_and_year_boundaries():
    new_years_eve = datetime(2025, 12, 31, 11, 0, tzinfo=MSK)  # a Wednesday
    assert resolved("завтра", "ru", new_years_eve) == "2026-01-01T18:00:00+03:00"
    assert resolved("до конца месяца", "ru", new_years_eve) == "2025-12-31T18:00:00+03:00"
    assert resolved("в течение 3 рабочих дней", "ru", new_years_eve) == "2026-01-05T18:00:00+03:00"
    november_28 = datetime(2025, 11, 28, 9, 0, tzinfo=MSK)  # a Friday
    assert resolved("до пятницы", "ru", november_28) == "2025-12-05T18:00:00+03:00"  # the next Friday, not today
    assert resolved("до понедельника", "ru", november_28) == "2025-12-01T18:00:00+03:00"


def test_evening_message_end_of_day_is_midnight_and_passed_time_is_tomorrow():
    evening = datetime(2025, 12, 3, 19, 30, tzinfo=MSK)
    assert resolved("до конца дня", "ru", evening) == "2025-12-03T23:59:00+03:00"
    assert resolved("до 15:00", "ru", evening) == "2025-12-04T15:00:00+03:00"


def test_message_date_is_converted_into_the_configured_zone():
    # 23:30 in New York on 4 December is already 5 December, 07:30 in Moscow
    sent = datetime(2025, 12, 4, 23, 30, tzinfo=NY)
    assert resolved("завтра", "ru", sent, MSK) == "2025-12-06T18:00:00+03:00"
    assert resolved("tomorrow", "en", sent, NY) == "2025-12-05T18:00:00-05:00"
    # a naive date is local time in the configured zone
    assert resolved("by Friday", "en", datetime(2025, 12, 3, 9, 0), NY) == "2025-12-05T18:00:00-05:00"


def test_no_message_date_resolves_against_now():
    found = find_deadlines("до конца дня", "ru", None, MSK)
    assert found and found[0].resolved.tzinfo is not None


def test_explicit_deadlines_are_told_from_mentions():
    [deadline] = find_deadlines("Подпишите до пятницы.", "ru", WEDNESDAY, MSK)
    assert deadline.explicit and deadline.text == "до пятницы"
    [mention] = find_deadlines("Встреча в пятницу.", "ru", WEDNESDAY, MSK)
    assert not mention.explicit


@pytest.mark.parametrize("text, language", [
    ("Цена — 1.2 млн за 40 панелей.", "ru"),
    ("Скидка до 40 процентов.", "ru"),
    ("До свидания!", "ru"),
    ("We have 40 panels in stock.", "en"),
    ("In my opinion, this is fine.", "en"),
])
def test_numbers_and_words_that_are_not_deadlines(text, language):
    assert find_deadlines(text, language, WEDNESDAY, MSK) == []


def test_spans_point_into_the_text_with_offset():
    text = "Мария, добрый день! Подпишите до 15 декабря."
    [d] = find_deadlines(text[20:], "ru", WEDNESDAY, MSK, offset=20)
    assert text[d.start:d.end] == "до 15 декабря"
