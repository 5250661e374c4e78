"""What an importer hands over: habits with their reminders and entries."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from habitdesk.core.habit import Habit
from habitdesk.core.reminders import Reminder

SOURCE_SCHEMA = "src"  # the name a source file is attached under for EntryQuery.sql


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
