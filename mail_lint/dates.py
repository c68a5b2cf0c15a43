"""The dates mail-lint works with: years 1900 to 2199.

Wide enough for any real email, narrow enough that converting a date to any time zone, resolving a
deadline years ahead or stepping a digest back eight weeks never leaves Python's datetime (years 1
to 9999): a Date header in year 9999 at -14:00 used to overflow on its way to UTC. Dates that come in
(a Date header, a draft's date) outside these years are treated as unreadable; bounds of a search
are clamped to them.
"""
from __future__ import annotations

from datetime import datetime, timezone

EARLIEST = datetime(1900, 1, 1, tzinfo=timezone.utc)
LATEST = datetime(2199, 12, 31, 23, 59, 59, 999999, tzinfo=timezone.utc)
FIRST_YEAR, LAST_YEAR = EARLIEST.year, LATEST.year
YEARS = f"years {FIRST_YEAR} to {LAST_YEAR}"


def to_utc(value: datetime) -> datetime:
    """Aware datetimes are converted to UTC; naive ones are taken to be UTC already.
    OverflowError when the conversion leaves the calendar (year 9999 at -14:00)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def clamp(value: datetime) -> datetime:
    """The moment in UTC, moved to the nearest end of the supported years when outside them."""
    try:
        moment = to_utc(value)
    except OverflowError:  # only a few hours from the calendar's ends: which end is plain from the year
        return LATEST if value.year > FIRST_YEAR else EARLIEST
    return min(max(moment, EARLIEST), LATEST)


def in_range(value: datetime) -> bool:
    try:
        return EARLIEST <= to_utc(value) <= LATEST
    except OverflowError:
        return False
