"""ISO weeks in the configured timezone: "2025-W49" runs from local Monday 00:00 to the next Monday 00:00."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo

from ..dates import FIRST_YEAR, LAST_YEAR

_WEEK = re.compile(r"(\d{4})-?W(\d{1,2})", re.IGNORECASE)


class WeekError(ValueError):
    """A week string that is not an ISO week; str() is the one-line reason."""


@dataclass(frozen=True, order=True)
class IsoWeek:
    year: int
    week: int

    @classmethod
    def parse(cls, text: str) -> IsoWeek:
        match = _WEEK.fullmatch(text.strip())
        if not match:
            raise WeekError(f"{text!r} is not an ISO week (expected YYYY-Www, e.g. 2025-W49)")
        year, week = int(match[1]), int(match[2])
        if not FIRST_YEAR <= year <= LAST_YEAR:  # the years mail can be dated (mail_lint.dates)
            raise WeekError(f"{text!r} is not an ISO week here: the year must be between {FIRST_YEAR} and {LAST_YEAR}")
        try:
            date.fromisocalendar(year, week, 1)
        except ValueError:
            last = date(year, 12, 28).isocalendar().week  # 28 December is always in the last week
            raise WeekError(f"{text!r} is not an ISO week: {year} has weeks 1 to {last}") from None
        return cls(year, week)

    @classmethod
    def of(cls, day: date) -> IsoWeek:
        iso = day.isocalendar()
        return cls(iso.year, iso.week)

    @classmethod
    def containing(cls, moment: datetime, tz: tzinfo) -> IsoWeek:
        """The week a moment falls in, on the wall clock of `tz` (naive moments are UTC)."""
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        return cls.of(moment.astimezone(tz).date())

    @classmethod
    def last_complete(cls, now: datetime, tz: tzinfo) -> IsoWeek:
        """The most recent week that has fully ended in `tz`: the default digest."""
        return cls.containing(now, tz).shift(-1)

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    def shift(self, weeks: int) -> IsoWeek:
        return IsoWeek.of(self.monday + timedelta(weeks=weeks))

    def start(self, tz: tzinfo) -> datetime:
        """Local Monday 00:00 as an aware datetime (the zone's rules, so DST changes are honoured)."""
        return datetime.combine(self.monday, time(0), tzinfo=tz)

    def end(self, tz: tzinfo) -> datetime:
        return self.shift(1).start(tz)

    def days(self) -> tuple[date, date]:
        """First and last day (Monday, Sunday)."""
        return self.monday, self.monday + timedelta(days=6)

    def __str__(self) -> str:
        return f"{self.year}-W{self.week:02d}"
