"""When reminders fire: pure functions from (reminders, due habits, now, time zone) to times.

Reminder times are local wall-clock minutes. A habit day starts at the
configured hour, so with a 04:00 start a 01:00 reminder on a Monday belongs to
Monday's habit day and fires early on Tuesday's date.

DST: a wall time that does not exist (the clocks jump over it) fires at the
first valid minute after it; a wall time that occurs twice fires once, at its
first occurrence. Every occurrence is one instant, named by its key, so a
scheduler that remembers the keys it has fired never fires one twice.

Instants are aware datetimes in UTC: Python compares and subtracts two
datetimes of the same zone by their wall times, which is wrong across DST.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from typing import NamedTuple

from habitdesk.core.days import logical_today, to_date, weekday
from habitdesk.core.habit import Habit
from habitdesk.core.occurrences import is_scheduled
from habitdesk.core.reminders import Reminder

HORIZON_DAYS = 8  # every enabled reminder fires at least once a week
_MINUTE = dt.timedelta(minutes=1)
_LONGEST_GAP_MINUTES = 24 * 60  # a zone may skip a whole day (Samoa, 2011)
UTC = dt.UTC


class Occurrence(NamedTuple):
    """One reminder of one habit on one habit day, and the instant it fires."""

    habit_id: int
    day: int  # the habit day it is for (days since 1970-01-01)
    minute: int  # the reminder's wall-clock minute
    at: dt.datetime  # the instant, in UTC

    @property
    def key(self) -> str:
        return occurrence_key(self.habit_id, self.day, self.minute)


def occurrence_key(habit_id: int, day: int, minute: int) -> str:
    return f"{habit_id}:{day}:{minute}"


def parse_key(key: str) -> tuple[int, int, int]:
    """(habit_id, day, minute) of an occurrence key; ValueError when it is not one."""
    habit_id, day, minute = (int(part) for part in key.split(":"))
    return habit_id, day, minute


def local_day(moment: dt.datetime, tz: dt.tzinfo, day_start_hour: int) -> int:
    """The habit day an instant falls in, in the zone."""
    return logical_today(moment.astimezone(tz).replace(tzinfo=None), day_start_hour)


def wall_time(day: int, minute: int, day_start_hour: int) -> dt.datetime:
    """The naive local wall time of a reminder minute on a habit day."""
    date = to_date(day)
    if minute < day_start_hour * 60:  # after midnight, before the new day starts
        date += dt.timedelta(days=1)
    return dt.datetime(date.year, date.month, date.day, minute // 60, minute % 60)


def day_start(day: int, day_start_hour: int, tz: dt.tzinfo) -> dt.datetime:
    """The instant (UTC) a habit day starts."""
    return resolve(wall_time(day, day_start_hour * 60, day_start_hour), tz)


def exists(wall: dt.datetime, tz: dt.tzinfo) -> bool:
    """Whether a naive wall time occurs in the zone (False inside a DST gap)."""
    aware = wall.replace(tzinfo=tz, fold=0)
    return aware.astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None) == wall


def resolve(wall: dt.datetime, tz: dt.tzinfo) -> dt.datetime:
    """The instant (UTC) a wall time fires: its first occurrence, or the first valid minute after a gap."""
    probe = wall
    for _ in range(_LONGEST_GAP_MINUTES + 1):
        if exists(probe, tz):
            return probe.replace(tzinfo=tz, fold=0).astimezone(UTC)
        probe = (probe + _MINUTE).replace(second=0, microsecond=0)
    raise ValueError(f"no valid time within a day after {wall} in {tz}")


class _Resolver:
    """resolve() for many wall times in one zone: a date whose UTC offset is the same at
    both of its midnights is taken to have no transition, and needs no search."""

    def __init__(self, tz: dt.tzinfo) -> None:
        self.tz = tz
        self._offsets: dict[dt.date, dt.timedelta | None] = {}

    def __call__(self, wall: dt.datetime) -> dt.datetime:
        date = wall.date()
        if date not in self._offsets:
            midnight = dt.datetime(date.year, date.month, date.day, tzinfo=self.tz)
            offset = midnight.utcoffset()
            after = (midnight + dt.timedelta(days=1)).utcoffset()  # wall arithmetic: the next midnight
            self._offsets[date] = offset if offset == after and exists(midnight.replace(tzinfo=None), self.tz) else None
        offset = self._offsets[date]
        if offset is None:
            return resolve(wall, self.tz)
        return (wall - offset).replace(tzinfo=UTC)


def occurrences_on(
    reminders: Iterable[Reminder], habits: Mapping[int, Habit], day: int, tz: dt.tzinfo, day_start_hour: int
) -> list[Occurrence]:
    """The enabled reminders of active habits on a habit day, in firing order.

    A reminder is off when its weekday mask leaves the day out, or when the
    habit has chosen weekdays and the day is not one of them.
    """
    found = []
    wd = weekday(day)
    resolver = _Resolver(tz)
    for reminder in reminders:
        owner = reminder.habit_id
        habit = None if owner is None else habits.get(owner)
        if owner is None or habit is None or habit.archived or not reminder.enabled:
            continue
        if not reminder.weekdays >> wd & 1 or not is_scheduled(habit, day):
            continue
        at = resolver(wall_time(day, reminder.minute, day_start_hour))
        found.append(Occurrence(owner, day, reminder.minute, at))
    found.sort(key=lambda o: (o.at, o.habit_id, o.minute))
    return found


def next_occurrences(
    reminders: Iterable[Reminder],
    habits: Mapping[int, Habit],
    after: dt.datetime,
    tz: dt.tzinfo,
    day_start_hour: int,
    due_today: Collection[int],
    *,
    fired: Collection[str] = (),
) -> list[Occurrence]:
    """Every occurrence at the earliest instant strictly after ``after``; [] when none.

    Today (the habit day of ``after``) reminds only habits in ``due_today``; a
    later day's state is not known yet, so its habits count as open (the
    scheduler checks again when the time comes). Keys in ``fired`` are skipped.
    """
    reminders = list(reminders)
    after = after.astimezone(UTC)
    today = local_day(after, tz, day_start_hour)
    for day in range(today, today + HORIZON_DAYS):
        candidates = [
            o for o in occurrences_on(reminders, habits, day, tz, day_start_hour)
            if o.at > after and o.key not in fired and (day > today or o.habit_id in due_today)
        ]
        if candidates:
            first = min(o.at for o in candidates)
            return [o for o in candidates if o.at == first]
    return []


def missed_occurrences(
    reminders: Iterable[Reminder],
    habits: Mapping[int, Habit],
    since: dt.datetime,
    until: dt.datetime,
    tz: dt.tzinfo,
    day_start_hour: int,
    due_today: Collection[int],
    *,
    fired: Collection[str] = (),
) -> list[Occurrence]:
    """Today's reminders that fell in (since, until]: the latest per habit still open.

    What to show after a sleep, a clock jump or a start-up. Reminders of
    earlier days are not replayed.
    """
    since, until = since.astimezone(UTC), until.astimezone(UTC)
    today = local_day(until, tz, day_start_hour)
    latest: dict[int, Occurrence] = {}
    for o in occurrences_on(reminders, habits, today, tz, day_start_hour):
        if since < o.at <= until and o.habit_id in due_today:
            latest[o.habit_id] = o  # in firing order, so the last one wins
    return sorted((o for o in latest.values() if o.key not in fired), key=lambda o: (o.at, o.habit_id))


def next_day_start(now: dt.datetime, tz: dt.tzinfo, day_start_hour: int) -> dt.datetime:
    """The instant (UTC) the next habit day starts."""
    today = local_day(now, tz, day_start_hour)
    return day_start(today + 1, day_start_hour, tz)
