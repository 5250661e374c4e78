"""Which days of a habit become calendar tasks, and at what time (DESIGN.md §5).

Weekday habits have a task on their scheduled days; every other habit on every
day, since any day may count toward its frequency. The task is timed at the
first enabled reminder of that weekday, or all-day when there is none.
"""

from __future__ import annotations

from habitdesk.core.days import weekday
from habitdesk.core.habit import Habit
from habitdesk.core.reminders import Reminder

ALL_DAY = -1
WINDOW_BEFORE = 1  # yesterday
WINDOW_AFTER = 7  # a week ahead


def window(today: int) -> range:
    """The rolling window of days that have calendar tasks: yesterday to 7 days ahead."""
    return range(today - WINDOW_BEFORE, today + WINDOW_AFTER + 1)


def is_scheduled(habit: Habit, day: int) -> bool:
    mask = habit.frequency.weekdays
    return not mask or bool(mask >> weekday(day) & 1)


def task_minute(reminders: list[Reminder], day: int) -> int:
    """Minutes after midnight of the day's first enabled reminder, or ALL_DAY."""
    bit = 1 << weekday(day)
    minutes = [r.minute for r in reminders if r.enabled and r.weekdays & bit]
    return min(minutes) if minutes else ALL_DAY


def occurrences(habit: Habit, reminders: list[Reminder], days: range) -> dict[int, int]:
    """Day -> task minute (or ALL_DAY) for each day of ``days`` with a task; none when archived."""
    if habit.archived:
        return {}
    return {day: task_minute(reminders, day) for day in days if is_scheduled(habit, day)}


_BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def rrule(habit: Habit) -> dict[str, object] | None:
    """The iCalendar RRULE parts of a habit's schedule, or None when no RRULE says it (X times in Y days)."""
    freq = habit.frequency
    if freq.weekdays:
        return {"FREQ": "WEEKLY", "BYDAY": [_BYDAY[i] for i in range(7) if freq.weekdays >> i & 1]}
    if freq.num == 1 and freq.den == 1:
        return {"FREQ": "DAILY"}
    if freq.num == 1 and freq.den == 7:
        return {"FREQ": "WEEKLY"}
    if freq.num == 1:
        return {"FREQ": "DAILY", "INTERVAL": freq.den}
    return None
