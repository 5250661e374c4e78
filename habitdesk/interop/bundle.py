"""What an importer hands over: habits with their reminders and entries."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from habitdesk.core.days import LATEST_DAY, OLDEST_DAY, iso
from habitdesk.core.entries import LABELS, MAX_AMOUNT, SKIP, UNKNOWN, amount_to_raw
from habitdesk.core.habit import Habit
from habitdesk.core.reminders import Reminder

SOURCE_SCHEMA = "src"  # the name a source file is attached under for EntryQuery.sql

# What an imported entry may hold; a file with anything else is refused whole, naming it.
MAX_RAW_AMOUNT = amount_to_raw(MAX_AMOUNT)
MAX_NOTE = 64 * 1024  # characters
YES_NO_VALUES = frozenset(LABELS)  # the entry codes
MEASURABLE_CODES = (UNKNOWN, SKIP)  # a measurable habit's other values are amounts


def entries_problem(habit: Habit, entries: dict[int, tuple[int, str]]) -> str | None:
    """Why a habit's imported entries cannot be kept (the first bad one named), or None.

    Checked as whole columns first (a large import stays fast), entry by entry only to name the culprit.
    """
    if not entries:
        return None
    values = {value for value, _ in entries.values()}
    fine = (OLDEST_DAY <= min(entries) and max(entries) <= LATEST_DAY
            and all(len(note) <= MAX_NOTE for _, note in entries.values() if note)
            and (values <= YES_NO_VALUES if not habit.is_measurable
                 else all(v in MEASURABLE_CODES or 0 <= v <= MAX_RAW_AMOUNT for v in values)))
    if fine:
        return None
    return next(p for day, (value, note) in sorted(entries.items()) if (p := entry_problem(habit, day, value, note)))


def entry_problem(habit: Habit, day: int, value: int, note: str) -> str | None:
    """Why one imported entry cannot be kept, or None."""
    if not OLDEST_DAY <= day <= LATEST_DAY:
        return "a day outside 1900-01-01 to 9999-12-31"
    if habit.is_measurable:
        if value not in MEASURABLE_CODES and not 0 <= value <= MAX_RAW_AMOUNT:
            return f"{iso(day)}: the amount {value / 1000:g} is not between 0 and a billion"
    elif value not in YES_NO_VALUES:
        return f"{iso(day)}: {value} is not a yes/no state (-1 to 3)"
    if len(note) > MAX_NOTE:
        return f"{iso(day)}: a note longer than {MAX_NOTE} characters"
    return None


@dataclasses.dataclass
class EntryQuery:
    """Entries left in an SQLite source file, to be copied by SQLite itself (a large import stays in C).

    ``sql`` selects (day, value, notes) rows, oldest first, from the file attached as SOURCE_SCHEMA.
    """

    path: Path
    sql: str
    params: tuple = ()


@dataclasses.dataclass
class HabitBundle:
    habit: Habit
    reminders: list[Reminder] | None = dataclasses.field(default_factory=list)  # None: the file has none to say
    entries: dict[int, tuple[int, str]] = dataclasses.field(default_factory=dict)  # day -> (value, notes)
    source: EntryQuery | None = None  # entries still in the file, instead of ``entries``
