"""Calendar days as plain integers.

The engine counts days as integers: days since 1970-01-01 ("day numbers").
They index dense arrays directly and make "yesterday" a subtraction. Loop stores
the same thing as epoch milliseconds of the day at 00:00 UTC.
"""

from __future__ import annotations

import datetime as dt

_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
MS_PER_DAY = 86_400_000
OLDEST_DAY = -25567  # 1900-01-01, the first day HabitDesk stores
LATEST_DAY = 2932896  # 9999-12-31

MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY = range(7)
WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FULL_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def from_date(date: dt.date) -> int:
    """The day number of a calendar date."""
    return date.toordinal() - _EPOCH_ORDINAL


def to_date(day: int) -> dt.date:
    """The calendar date of a day number."""
    return dt.date.fromordinal(day + _EPOCH_ORDINAL)


def iso(day: int) -> str:
    """YYYY-MM-DD for a day number."""
    return to_date(day).isoformat()


def parse_iso(text: str) -> int:
    """Day number of a YYYY-MM-DD string; ValueError with a clear message otherwise."""
    try:
        return from_date(dt.date.fromisoformat(text.strip()))
    except ValueError:
        raise ValueError(f"not a date (expected YYYY-MM-DD): {text!r}") from None


def weekday(day: int) -> int:
    """0 = Monday ... 6 = Sunday (1970-01-01 was a Thursday)."""
    return (day + THURSDAY) % 7


def month_length(day: int) -> int:
    """Number of days in the month that contains the day."""
    d = to_date(day)
    if d.month == 12:
        return 31
    # (calendar.monthrange would do, but importing calendar costs the start-up 2 ms)
    return (dt.date(d.year, d.month + 1, 1) - dt.date(d.year, d.month, 1)).days


def logical_today(now: dt.datetime, day_start_hour: int = 0) -> int:
    """The day a moment belongs to when a new day starts at ``day_start_hour``.

    With day_start_hour = 3, 02:30 on the 5th still counts as the 4th.
    """
    return from_date((now - dt.timedelta(hours=day_start_hour)).date())


def from_loop_timestamp(ms: int) -> int:
    """Day number of a Loop timestamp (epoch ms of the day at 00:00 UTC), truncated."""
    return ms // MS_PER_DAY


def to_loop_timestamp(day: int) -> int:
    """Loop timestamp (epoch ms at 00:00 UTC) of a day number."""
    return day * MS_PER_DAY


def week_start(day: int, first_weekday: int) -> int:
    """The first day of the week containing ``day`` (weeks start on first_weekday)."""
    return day - (weekday(day) - first_weekday) % 7


def month_start(day: int) -> int:
    d = to_date(day)
    return from_date(d.replace(day=1))


def quarter_start(day: int) -> int:
    d = to_date(day)
    return from_date(dt.date(d.year, 3 * ((d.month - 1) // 3) + 1, 1))


def year_start(day: int) -> int:
    return from_date(dt.date(to_date(day).year, 1, 1))


def parse_weekdays(text: str) -> int:
    """A weekday mask (bit 0 = Monday) from "mon,wed,fri"; ValueError when unknown."""
    mask = 0
    for part in text.lower().replace(" ", "").split(","):
        if not part:
            continue
        key = part[:3]
        if key not in WEEKDAY_NAMES or part not in (key, _FULL_NAMES[WEEKDAY_NAMES.index(key)]):
            raise ValueError(f"unknown weekday {part!r} (use mon,tue,wed,thu,fri,sat,sun)")
        mask |= 1 << WEEKDAY_NAMES.index(key)
    if not mask:
        raise ValueError("choose at least one weekday")
    return mask


def format_weekdays(mask: int) -> str:
    """"mon,wed,fri" for a weekday mask."""
    return ",".join(name for i, name in enumerate(WEEKDAY_NAMES) if mask >> i & 1)
