"""A habit's figures for one day: what the list, the tray and `status` show.

Kept free of dataclasses and of the engine so that the CLI's status path
imports little.
"""

from __future__ import annotations

import json
from collections import namedtuple

from habitdesk.core.entries import SKIP, UNKNOWN, YES_AUTO, YES_MANUAL
from habitdesk.core.entries import label as value_label
from habitdesk.core.habit import Habit, TargetType

RECENT_DAYS = 60  # days of computed values a summary carries for the habit table


class DayStatus(namedtuple("DayStatus", "value label amount done due")):
    """A day as the status line shows it: value, label, amount (or None), done, due."""

    __slots__ = ()


class Summary(
    namedtuple("Summary", "through score streak best_streak total today_value window_sum recent", defaults=("",))
):
    """The figures a habit list shows, as cached per habit and day.

    through: the day they are for; window_sum: positive amounts over the
    frequency's window, for measurable habits; recent: the computed values of
    the RECENT_DAYS days ending on ``through``, oldest first, as JSON text
    (decoded only by those who show them: see recent_values).
    """

    __slots__ = ()

    def recent_values(self) -> list[int]:
        return json.loads(self.recent) if self.recent else []

    def status(self, habit: Habit) -> DayStatus:
        return day_status(habit, self.today_value, self.window_sum)


def day_status(habit: Habit, value: int, window_sum: int) -> DayStatus:
    """Whether a day is done, and whether it is still due, from its computed value.

    Yes/no: manual or automatic is done; UNKNOWN or NO is due. Measurable: the
    amount over the frequency's window meets the target. An at-most habit is
    due until something (even zero) is entered for the day.
    """
    if not habit.is_measurable:
        done = value in (YES_MANUAL, YES_AUTO)
        return DayStatus(value, value_label(value), None, done, value in (UNKNOWN, 0))
    amount = None if value in (UNKNOWN, SKIP) else value / 1000
    label = "UNKNOWN" if value == UNKNOWN else "SKIP" if value == SKIP else "YES_MANUAL"
    target = habit.target_value
    if habit.target_type is TargetType.AT_MOST:
        done = value not in (UNKNOWN, SKIP) and window_sum / 1000 <= target
        due = value == UNKNOWN
    else:
        done = value != SKIP and window_sum / 1000 >= target
        due = not done and value != SKIP
    return DayStatus(value, label, amount, done, due)


# What one day's cell shows: the table, the calendar and the tray share these.
MANUAL, AUTO, SKIPPED, MISSED_NO, EMPTY, MET, UNMET = "manual", "auto", "skip", "no", "unknown", "met", "missed"


def cell_state(habit: Habit, value: int) -> str:
    """The mark for a day's computed value.

    Yes/no: manual, auto, skip, no or unknown. Measurable: unknown, skip, or
    whether the day's amount meets the target on its own (at most: an entry
    of at most the target), which is also what makes a day count in a streak.
    """
    if value == UNKNOWN or (habit.is_measurable and value < 0):
        return EMPTY
    if value == SKIP:
        return SKIPPED
    if not habit.is_measurable:
        return {YES_MANUAL: MANUAL, YES_AUTO: AUTO}.get(value, MISSED_NO)
    amount = value / 1000
    if habit.target_type is TargetType.AT_MOST:
        return MET if amount <= habit.target_value else UNMET
    return MET if amount >= habit.target_value else UNMET
