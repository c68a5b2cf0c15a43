"""Find deadlines in Russian and English text and resolve them to an absolute, time-zone-aware moment.

Resolution (against the message's Date header, or now when absent, in the configured time zone):
- A date without a time ("до 15 декабря", "by Dec 15", "до пятницы", "завтра") means the end of that
  business day: 18:00 local (`END_OF_BUSINESS`).
- "сегодня", "до конца дня", "EOD" mean 18:00 today; a message sent after 18:00 gets 23:59 instead,
  so an evening "до конца дня" is not a past deadline.
- A weekday ("до пятницы", "by Friday", "в среду") is the next such day strictly after the message's
  day: on a Friday "до пятницы" means the next Friday ("сегодня" says today).
- A day and month without a year take the year that puts the date nearest to the message date: "до 10
  января" sent on 20 December is next January; "до 1 декабря" sent on 3 December is two days ago.
- "до конца недели", "на этой неделе", "by end of week": Friday 18:00 of that week (the next Friday
  when the message is sent after it); "на следующей неделе": the next week's Friday.
- "как можно скорее", "ASAP", "as soon as possible": the end of today's business day (a time frame the
  reader can act on, if not a date).
- "в течение 3 рабочих дней", "within 3 business days": skip Saturdays and Sundays (no holiday
  calendar); calendar days otherwise; hours are added exactly.
- A time alone ("до 15:00", "by 5 pm") is today at that time, or tomorrow if it has already passed; a time
  before its day ("до 12:00 сегодня", "by noon today", "by 5 pm on March 3") is that hour of that day.
- A time zone after a time ("by 5 pm EST", "до 15:00 МСК", "3 pm PT") puts the hour in that zone; the
  deadline is compared with the message's moment in the configured zone.

Our own regular expressions find the candidates and resolve the common forms; dateparser (imported
lazily: it is slow to load) only gets a candidate span our patterns found but could not resolve.
"""
from __future__ import annotations

import re
from bisect import bisect_left, insort
from dataclasses import dataclass
from functools import lru_cache
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

# Time zones named after a time ("by 5 pm EST", "до 15:00 МСК"): fixed offsets for the standard and
# daylight abbreviations, the region's rules for the ones that change with the season.
_ZONE_OFFSETS = {"EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
                 "GMT": 0, "UTC": 0, "BST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3, "MSK": 3, "МСК": 3}
_ZONE_NAMES = {"ET": "America/New_York", "CT": "America/Chicago", "PT": "America/Los_Angeles"}
# What may stand between a time and the day it belongs to: a zone, a comma, "on", "в".
_TIME_TAIL = re.compile(r"\s*\(?(?P<zone>" + "|".join(sorted(_ZONE_OFFSETS.keys() | _ZONE_NAMES.keys(), key=len,
                                                             reverse=True)) + r")?\)?(?!\w)\s*,?\s*")
# Deadlines that name a day, which a time written before them belongs to ("до 12:00 сегодня").
_DAY_KINDS = frozenset({"date", "numdate", "isodate", "dayonly", "rel", "weekday"})
END_OF_BUSINESS = time(18, 0)
END_OF_DAY = time(23, 59)
FRIDAY = 4

_RU_MONTHS = {"янв": 1, "фев": 2, "мар": 3, "апр": 4, "ма": 5, "июн": 6, "июл": 7, "авг": 8, "сен": 9,
              "окт": 10, "ноя": 11, "дек": 12}
_EN_MONTHS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
              "oct": 10, "nov": 11, "dec": 12}
_RU_WEEKDAYS = {"понедельник": 0, "вторник": 1, "сред": 2, "четверг": 3, "пятниц": 4, "суббот": 5, "воскресень": 6}
_EN_WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_NUMBER_WORDS = {
    "один": 1, "одного": 1, "одних": 1, "два": 2, "двух": 2, "две": 2, "три": 3, "трёх": 3, "трех": 3,
    "четыре": 4, "четырёх": 4, "четырех": 4, "пять": 5, "пяти": 5, "шесть": 6, "шести": 6, "семь": 7,
    "семи": 7, "десять": 10, "десяти": 10,
    "one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "ten": 10,
}

# --- building blocks -------------------------------------------------------------------------------
_RU_MONTH = (r"(?P<mon>января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря"
             r"|(?:янв|фев|мар|апр|июн|июл|авг|сент|сен|окт|нояб|ноя|дек)\.?)")
_EN_MONTH = (r"(?P<mon>january|february|march|april|may|june|july|august|september|october|november|december"
             r"|(?:jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?)")
_RU_WEEKDAY = (r"(?P<wd>понедельник[аеу]?|вторник[аеу]?|сред[ыуае]|четверг[аеу]?|пятниц[ыуае]|суббот[ыуае]"
               r"|воскресень[яеюи])")
_EN_WEEKDAY = r"(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|wed|thu(?:rs?)?|fri)\b\.?"
_RU_TRIGGER = r"(?P<trig>до|к|ко|по|не позднее|не позже|в срок до|в|во|на)"
_EN_TRIGGER = r"(?P<trig>by|before|until|till|no later than|not later than|on|due|latest)"
# Spaces, perhaps a comma, more spaces: written so that a run of spaces can be matched one way only.
# As "\s*,?\s*" (plus the "\s*" after the time's optional word) a long run was split every possible way: cubic.
_COMMA = r"\s*(?:,\s*)?"
_RU_TIME = (rf"(?:{_COMMA}(?:(?:до|к|в|не позднее)\s*)?(?P<h>[01]?\d|2[0-3])[:.](?P<mi>[0-5]\d)"
            r"(?:\s*(?:мск|по москве|по московскому времени))?)?")
_EN_TIME = (rf"(?:{_COMMA}(?:(?:by|before|at|until|no later than)\s*)?(?:(?P<h>1[0-2]|0?\d)(?::(?P<mi>[0-5]\d))?\s*"
            r"(?P<ampm>[ap]\.?m\.?)|(?P<h24>[01]?\d|2[0-3]):(?P<mi24>[0-5]\d)|(?P<noon>noon|midday)))?")
_NUM = r"(?P<n>\d{1,2}|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")"

_NUM_AHEAD = r"(?:\d{1,2}|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")"
_FLAGS = re.I | re.U


def _rx(pattern: str) -> re.Pattern:
    return re.compile(r"(?<![\w/.-])" + pattern + r"(?![\w/])", _FLAGS)


RU_PATTERNS: tuple[tuple[str, re.Pattern], ...] = (
    ("date", _rx(rf"(?:{_RU_TRIGGER}\s+)?(?:{_RU_WEEKDAY}{_COMMA})?(?P<d>\d{{1,2}})(?:-?го)?\s+{_RU_MONTH}"
                 rf"(?:\s+(?P<y>\d{{4}})(?:\s*(?:г\.|года|г\b))?)?{_RU_TIME}")),
    ("numdate", _rx(rf"(?:{_RU_TRIGGER}\s+)?(?:{_RU_WEEKDAY}{_COMMA})?(?P<d>\d{{1,2}})\.(?P<m>\d{{1,2}})"
                    rf"(?:\.(?P<y>\d{{4}}|\d{{2}}))?(?![.,]?\d){_RU_TIME}")),
    ("isodate", _rx(rf"(?:{_RU_TRIGGER}\s+)?(?P<y>\d{{4}})-(?P<m>\d{{2}})-(?P<d>\d{{2}}){_RU_TIME}")),
    ("end", _rx(r"(?:до|к)\s+конц[ау]\s+(?P<unit>(?:рабочего\s+)?дня|этой\s+недели|недели|следующей\s+недели"
                r"|месяца|этого\s+месяца|года)")),
    ("this", _rx(r"(?P<which>на\s+этой|на\s+текущей|на\s+следующей|на\s+будущей)\s+неделе")),
    ("within", _rx(rf"(?:в\s+течение|в\s+ближайшие|через)\s+(?:{_NUM}\s+)?(?P<bus>рабоч(?:их|его|ий)\s+)?"
                   r"(?P<unit>дн(?:я|ей|ь)|час(?:а|ов)?|недел(?:и|ь|ю)|месяц(?:а|ев)?)")),
    ("rel", _rx(rf"(?:(?P<trig>до|к|не позднее)\s+)?(?P<rel>сегодня|завтра|послезавтра)"
                rf"(?:\s+(?:утром|вечером|днём|днем))?{_RU_TIME}")),
    ("weekday", _rx(rf"{_RU_TRIGGER}\s+{_RU_WEEKDAY}{_RU_TIME}")),
    ("dayonly", _rx(rf"{_RU_TRIGGER}\s+(?P<d>\d{{1,2}})-?(?:го|е)(?:\s+числа)?")),
    ("time", _rx(r"(?P<trig>до|к|не позднее)\s+(?P<h>[01]?\d|2[0-3])(?:[:.](?P<mi>[0-5]\d)|\s+час(?:ов|ам|а)?)")),
    ("asap", _rx(r"как\s+можно\s+(?:скорее|быстрее|раньше)")),
)

EN_PATTERNS: tuple[tuple[str, re.Pattern], ...] = (
    ("date", _rx(rf"(?:{_EN_TRIGGER}\s+)?(?:{_EN_WEEKDAY}{_COMMA})?{_EN_MONTH}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?"
                 rf"(?:,?\s+(?P<y>\d{{4}}))?{_EN_TIME}")),
    ("date", _rx(rf"(?:{_EN_TRIGGER}\s+)?(?:{_EN_WEEKDAY}{_COMMA})?(?:the\s+)?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?"
                 rf"\s+(?:of\s+)?{_EN_MONTH}(?:,?\s+(?P<y>\d{{4}}))?{_EN_TIME}")),
    ("numdate", _rx(rf"(?:{_EN_TRIGGER}\s+)?(?:{_EN_WEEKDAY}{_COMMA})?(?P<m>\d{{1,2}})/(?P<d>\d{{1,2}})"
                    rf"(?:/(?P<y>\d{{4}}|\d{{2}}))?{_EN_TIME}")),
    ("isodate", _rx(rf"(?:{_EN_TRIGGER}\s+)?(?P<y>\d{{4}})-(?P<m>\d{{2}})-(?P<d>\d{{2}}){_EN_TIME}")),
    ("end", _rx(r"(?:by\s+|before\s+)?(?:the\s+)?(?:(?:end|close)\s+of\s+(?:the\s+)?(?P<unit>business\s+day|day|"
                r"this\s+week|week|next\s+week|this\s+month|month)|(?P<abbr>eod|cob|eow|eom))"
                r"(?:\s+(?P<rel>today|tomorrow|monday|tuesday|wednesday|thursday|friday))?")),
    ("this", _rx(r"(?P<which>this|next)\s+week")),
    ("within", _rx(rf"(?:within(?:\s+the\s+next)?|in(?:\s+the\s+next)?(?=\s+{_NUM_AHEAD}\s))\s+(?:{_NUM}\s+)?"
                   r"(?P<bus>(?:business|working)\s+)?"
                   r"(?P<unit>days?|hours?|weeks?|months?)")),
    ("rel", _rx(rf"(?:{_EN_TRIGGER}\s+)?(?P<rel>today|tonight|tomorrow|the\s+day\s+after\s+tomorrow)"
                rf"(?:\s+(?:morning|afternoon|evening))?{_EN_TIME}")),
    ("weekday", _rx(rf"(?:{_EN_TRIGGER}\s+|(?P<which>this|next)\s+)?{_EN_WEEKDAY}{_EN_TIME}")),
    ("time", _rx(r"(?P<trig>by|before|until|no later than|at)\s+(?:(?P<h>1[0-2]|0?\d)(?::(?P<mi>[0-5]\d))?\s*"
                 r"(?P<ampm>[ap]\.?m\.?)|(?P<h24>[01]?\d|2[0-3]):(?P<mi24>[0-5]\d)|(?P<noon>noon|midday))")),
    ("asap", _rx(r"\basap\b|\ba\.s\.a\.p\.?|as\s+soon\s+as\s+possible")),
)

# Something each pattern cannot match without (literal substrings of the lower-cased text, or a small
# regex); a text lacking it skips that pattern. Long alternations are slow to try at every position.
_DIGIT_DOT = re.compile(r"\d\.\d")
_ISO = re.compile(r"\d{4}-\d\d-")
_RU_TIME_ANCHOR = re.compile(r"\d[:.]\d\d|\d\s+час")
_RU_DAYONLY = re.compile(r"\d-?(?:го|е)\b")
_EN_TIME_ANCHOR = re.compile(r"\d\s*[ap]\.?m|\d:\d\d")
_ANCHORS: dict[str, dict[str, tuple[str, ...] | re.Pattern]] = {
    "ru": {"date": ("янв", "фев", "мар", "апр", "мая", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"),
           "numdate": _DIGIT_DOT, "isodate": _ISO, "end": ("конц",), "this": ("недел",),
           "within": ("течение", "ближайшие", "через"), "rel": ("сегодня", "завтра"), "dayonly": _RU_DAYONLY,
           "weekday": ("понедельник", "вторник", "сред", "четверг", "пятниц", "суббот", "воскресен"),
           "time": _RU_TIME_ANCHOR, "asap": ("как можно",)},
    "en": {"date": ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
           "numdate": ("/",), "isodate": _ISO, "end": ("end", "close", "eod", "cob", "eow", "eom"),
           "this": ("week",), "within": ("within", "in "), "rel": ("today", "tonight", "tomorrow"),
           "weekday": ("mon", "tue", "wed", "thu", "fri", "sat", "sun"), "time": ("noon", "midday", _EN_TIME_ANCHOR),
           "asap": ("asap", "a.s.a.p", "as soon as")},
}


def _anchored(anchor, lower: str) -> bool:
    if isinstance(anchor, re.Pattern):
        return anchor.search(lower) is not None
    return any(_anchored(a, lower) if isinstance(a, re.Pattern) else a in lower for a in anchor)


_DEADLINE_WORD = re.compile(r"(?<!\w)(?:до|к|ко|по|не позднее|не позже|by|before|until|till|no later than|"
                            r"not later than|due|latest)(?!\w)", _FLAGS)

# A span that looks like a date but none of the above could read: dateparser gets it.
_CANDIDATE = {
    "ru": _rx(r"(?P<trig>до|к|не позднее)\s+(?P<rest>\d{1,2}-?(?:го|е)\s+[а-я]{3,}\.?)"),
    "en": _rx(r"(?P<trig>by|before|until|no later than)\s+(?P<rest>(?:the\s+)?\d{1,2}(?:st|nd|rd|th)"
              r"(?:\s+of\s+\w+)?|[a-z]{3,}\.?\s+\d{1,2}(?:st|nd|rd|th)?)"),
}


@dataclass(frozen=True)
class Deadline:
    start: int
    end: int
    text: str
    resolved: datetime
    explicit: bool   # introduced by "до/к/by/before/within...": a date that is a deadline, not a mention

    def to_stats(self) -> dict:
        return {"text": self.text, "resolved": self.resolved.isoformat()}


# --- resolution helpers ----------------------------------------------------------------------------
def _at(day: date, when: time, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, when, tzinfo=tz)


def _end_of_business(day: date, base: datetime) -> datetime:
    """18:00 that day; 23:59 when the message itself was sent that day after 18:00."""
    when = END_OF_DAY if day == base.date() and base.time() >= END_OF_BUSINESS else END_OF_BUSINESS
    return _at(day, when, base.tzinfo)


def _nearest_year(month: int, day: int, base: datetime) -> date | None:
    candidates = []
    for year in (base.year - 1, base.year, base.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    return min(candidates, key=lambda d: abs((d - base.date()).days)) if candidates else None


def _next_weekday(weekday: int, base: datetime, strictly_after: bool = True) -> date:
    ahead = (weekday - base.weekday()) % 7
    if ahead == 0 and strictly_after:
        ahead = 7
    return base.date() + timedelta(days=ahead)


def _this_friday(base: datetime) -> date:
    """The Friday that ends the message's working week; the next one once that Friday's 18:00 has passed."""
    friday = _next_weekday(FRIDAY, base, strictly_after=False)
    return friday if base < _at(friday, END_OF_BUSINESS, base.tzinfo) else friday + timedelta(days=7)


def add_business_days(day: date, n: int) -> date:
    while n > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


def _number(value: str | None) -> int:
    if not value:
        return 1
    return int(value) if value.isdigit() else _NUMBER_WORDS.get(value.lower(), 1)


def _time_of(g: dict) -> time | None:
    if g.get("noon"):
        return time(12, 0)
    if g.get("h24"):
        return time(int(g["h24"]), int(g["mi24"]))
    if not g.get("h"):
        return None
    hour, minute = int(g["h"]), int(g.get("mi") or 0)
    ampm = (g.get("ampm") or "").replace(".", "").lower()
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    return time(hour, minute) if hour < 24 else None


def _month_number(name: str, language: str) -> int | None:
    name = name.lower().rstrip(".")
    table = _RU_MONTHS if language == "ru" else _EN_MONTHS
    return next((n for prefix, n in table.items() if name.startswith(prefix)), None)


def _weekday_number(name: str, language: str) -> int | None:
    name = name.lower().rstrip(".")
    table = _RU_WEEKDAYS if language == "ru" else _EN_WEEKDAYS
    return next((n for prefix, n in table.items() if name.startswith(prefix)), None)


def _on(day: date, g: dict, base: datetime) -> datetime:
    when = _time_of(g)
    return _at(day, when, base.tzinfo) if when else _end_of_business(day, base)


def _resolve(kind: str, g: dict, language: str, base: datetime) -> datetime | None:
    tz = base.tzinfo
    if kind in ("date", "numdate", "isodate"):
        month = int(g["m"]) if g.get("m") else _month_number(g["mon"], language)
        day_n = int(g["d"])
        if not month or not 1 <= month <= 12 or not 1 <= day_n <= 31:
            return None
        if g.get("y"):
            year = int(g["y"]) + (2000 if len(g["y"]) == 2 else 0)
            try:
                day = date(year, month, day_n)
            except ValueError:
                return None
        else:
            day = _nearest_year(month, day_n, base)
        return _on(day, g, base) if day else None
    if kind == "dayonly":
        day_n, this_month = int(g["d"]), base.date().replace(day=1)
        next_month = (this_month + timedelta(days=32)).replace(day=1)
        for first in (this_month, next_month):
            try:
                day = first.replace(day=day_n)
            except ValueError:
                continue
            if day >= base.date() or first == next_month:
                return _on(day, g, base)
        return None
    if kind == "rel":
        rel = g["rel"].lower()
        offset = 0 if rel in ("сегодня", "today", "tonight") else 1 if rel in ("завтра", "tomorrow") else 2
        day = base.date() + timedelta(days=offset)
        if rel == "tonight" and not _time_of(g):
            return _at(day, END_OF_DAY, tz)
        return _on(day, g, base)
    if kind == "weekday":
        weekday = _weekday_number(g["wd"], language)
        if weekday is None:
            return None
        day = _next_weekday(weekday, base)
        if (g.get("which") or "").lower() == "next" and day - base.date() < timedelta(days=7) \
                and weekday > base.weekday():
            day += timedelta(days=7)
        return _on(day, g, base)
    if kind == "time":
        when = _time_of(g)
        if when is None:
            return None
        moment = _at(base.date(), when, tz)
        return moment if moment >= base else moment + timedelta(days=1)
    if kind == "end":
        unit = re.sub(r"\s+", " ", (g.get("unit") or g.get("abbr") or "").lower())
        rel = (g.get("rel") or "").lower()
        if unit in ("дня", "рабочего дня", "day", "business day", "eod", "cob"):
            if rel == "tomorrow":
                return _end_of_business(base.date() + timedelta(days=1), base)
            if rel and rel != "today":
                return _end_of_business(_next_weekday(_weekday_number(rel, "en"), base), base)
            return _end_of_business(base.date(), base)
        if unit in ("недели", "этой недели", "week", "this week", "eow"):
            return _end_of_business(_this_friday(base), base)
        if unit in ("следующей недели", "next week"):
            return _end_of_business(_this_friday(base) + timedelta(days=7), base)
        if unit in ("месяца", "этого месяца", "month", "this month", "eom"):
            first_next = (base.date().replace(day=28) + timedelta(days=4)).replace(day=1)
            return _end_of_business(first_next - timedelta(days=1), base)
        if unit == "года":
            return _end_of_business(date(base.year, 12, 31), base)
        return None
    if kind == "this":
        which = g["which"].lower()
        friday = _this_friday(base)
        if "след" in which or "буд" in which or which == "next":
            friday += timedelta(days=7)
        return _end_of_business(friday, base)
    if kind == "asap":
        return _end_of_business(base.date(), base)
    if kind == "within":
        n = _number(g.get("n"))
        unit = g["unit"].lower()
        if unit.startswith(("час", "hour")):
            return base + timedelta(hours=n)
        if unit.startswith(("недел", "week")):
            return _end_of_business(base.date() + timedelta(days=7 * n), base)
        if unit.startswith(("месяц", "month")):
            return _end_of_business(base.date() + timedelta(days=30 * n), base)
        day = add_business_days(base.date(), n) if g.get("bus") else base.date() + timedelta(days=n)
        return _end_of_business(day, base)
    return None


@lru_cache(maxsize=4096)
def _dateparser_resolve(span: str, language: str, base: datetime) -> datetime | None:
    import dateparser  # slow to import: only when our own patterns found a candidate they cannot read
    parsed = dateparser.parse(span, languages=[language], settings={
        "RELATIVE_BASE": base.replace(tzinfo=None), "PREFER_DATES_FROM": "future",
        "RETURN_AS_TIMEZONE_AWARE": False})
    if parsed is None or abs((parsed.date() - base.date()).days) > 400:
        return None
    if parsed.time() == time(0, 0):
        return _end_of_business(parsed.date(), base)
    return parsed.replace(tzinfo=base.tzinfo)


def reference_moment(sent: datetime | None, tz: ZoneInfo) -> datetime:
    """The message's date in the configured zone (a naive date is taken as local); now when absent."""
    if sent is None:
        return datetime.now(tz).replace(second=0, microsecond=0)
    return sent.replace(tzinfo=tz) if sent.tzinfo is None else sent.astimezone(tz)


def find_deadlines(text: str, language: str, sent: datetime | None, tz: ZoneInfo, offset: int = 0) -> list[Deadline]:
    """Deadlines in `text` (spans shifted by `offset`), resolved against `sent` in `tz`, in text order."""
    base = reference_moment(sent, tz)
    patterns = RU_PATTERNS if language == "ru" else EN_PATTERNS
    found: list[Deadline] = []
    times: dict[int, time] = {}        # start of a time-only deadline ("до 12:00", "by 5 pm") -> its time
    days: set[int] = set()             # starts of the deadlines that name a day
    taken: list[tuple[int, int]] = []  # spans already read, in order; they never overlap

    def free(s: int, e: int) -> bool:
        """Overlaps no taken span: only its neighbours need a look (a text of a thousand deadlines must
        not compare each with all the others)."""
        i = bisect_left(taken, (s, e))
        return (i == 0 or taken[i - 1][1] <= s) and (i == len(taken) or taken[i][0] >= e)

    anchors, lower = _ANCHORS["ru" if language == "ru" else "en"], text.lower()
    for kind, pattern in patterns:
        anchor = anchors.get(kind)
        if anchor is not None and not _anchored(anchor, lower):
            continue  # cheap literal test first: the full patterns are slow to try at every position
        for m in pattern.finditer(text):
            g = m.groupdict()
            if not free(m.start(), m.end()) or (kind == "numdate" and not (g.get("trig") or g.get("y"))):
                continue
            if kind == "weekday" and language == "ru" and g["trig"].lower() == "на":
                continue  # "на пятницу" plans a meeting, it is not a deadline
            resolved = _resolve(kind, g, language, base)
            if resolved is None:
                continue
            # "до/к/by/within..." make a deadline; a bare "в пятницу", "сегодня", "this week" is a time frame
            explicit = kind in ("end", "within", "asap") or bool(_DEADLINE_WORD.search(m.group(0)))
            insort(taken, (m.start(), m.end()))
            found.append(Deadline(m.start() + offset, m.end() + offset, m.group(0).strip(), resolved, explicit))
            if kind == "time":
                times[m.start() + offset] = _time_of(g)
            elif kind in _DAY_KINDS:
                days.add(m.start() + offset)
    for m in _CANDIDATE.get(language, _CANDIDATE["en"]).finditer(text):
        if not free(m.start(), m.end()):
            continue
        resolved = _dateparser_resolve(m.group("rest"), language, base)
        if resolved is not None:
            insort(taken, (m.start(), m.end()))
            found.append(Deadline(m.start() + offset, m.end() + offset, m.group(0).strip(), resolved, True))
    return _with_times_placed(sorted(found, key=lambda d: d.start), times, days, text, offset, base)


def _with_times_placed(found: list[Deadline], times: dict[int, time], days: set[int], text: str, offset: int,
                       base: datetime) -> list[Deadline]:
    """A time before its day is one deadline ("до 12:00 сегодня", "by 5 pm EST on March 3": that hour of
    that day), and a time zone after a time ("5 pm EST", "15:00 МСК") puts the hour in that zone."""
    out: list[Deadline] = []
    i = 0
    while i < len(found):
        d = found[i]
        when = times.get(d.start)
        if when is None:
            out.append(d)
            i += 1
            continue
        gap = _TIME_TAIL.match(text, d.end - offset)
        zone = _zone(gap.group("zone")) if gap.group("zone") else base.tzinfo
        nxt = found[i + 1] if i + 1 < len(found) else None
        if nxt is not None and nxt.start in days and nxt.start - offset == gap.end():
            day = nxt.resolved.astimezone(base.tzinfo).date()
            moment = datetime.combine(day, when, tzinfo=zone).astimezone(base.tzinfo)
            out.append(Deadline(d.start, nxt.end, text[d.start - offset:nxt.end - offset].strip(), moment, True))
            i += 2
            continue
        if gap.group("zone"):
            local = base.astimezone(zone)
            moment = datetime.combine(local.date(), when, tzinfo=zone)
            moment = (moment if moment >= local else moment + timedelta(days=1)).astimezone(base.tzinfo)
            end = d.start - offset + len(text[d.start - offset:gap.end()].rstrip(" ,"))
            d = Deadline(d.start, end + offset, text[d.start - offset:end].strip(), moment, d.explicit)
        out.append(d)
        i += 1
    return out


def _zone(name: str):
    name = name.upper()
    if name in _ZONE_NAMES:
        return ZoneInfo(_ZONE_NAMES[name])
    return timezone(timedelta(hours=_ZONE_OFFSETS[name]))
