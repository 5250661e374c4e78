"""Reading a copy of a HabitDesk database (an automatic backup) without changing it."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from habitdesk.core.habit import Habit
from habitdesk.core.reminders import Reminder
from habitdesk.storage.database import inspect_file
from habitdesk.storage.errors import StorageError
from habitdesk.storage.repository import _HABIT_COLUMNS, _habit_from_row

HabitContent = tuple[Habit, list[Reminder], dict[int, tuple[int, str]]]


def read_copy(path: Path) -> tuple[list[HabitContent], dict[str, object]]:
    """The habits (with reminders and entries, in list order) and settings of a database copy.

    StorageError if the file is not a HabitDesk database or is from a newer HabitDesk.
    """
    path = Path(path)
    if inspect_file(path) == 0:
        raise StorageError(f"{path} is empty, not a HabitDesk database")
    con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        habits = [_habit_from_row(row) for row in con.execute(f"SELECT {_HABIT_COLUMNS} FROM habit ORDER BY position, id")]
        reminders: dict[int, list[Reminder]] = {}
        for habit_id, minute, weekdays, enabled in con.execute(
            "SELECT habit_id, minute, weekdays, enabled FROM reminder ORDER BY habit_id, minute"
        ):
            reminders.setdefault(habit_id, []).append(Reminder(minute, weekdays, bool(enabled)))
        entries: dict[int, dict[int, tuple[int, str]]] = {h.key: {} for h in habits}
        for habit_id, day, value, notes in con.execute("SELECT habit_id, day, value, notes FROM entry"):
            entries.setdefault(habit_id, {})[day] = (value, notes)
        settings = {key: json.loads(value) for key, value in con.execute("SELECT key, value FROM setting")}
    except (sqlite3.DatabaseError, ValueError) as exc:
        raise StorageError(f"{path} is damaged and cannot be read ({exc})") from None
    finally:
        con.close()
    return [(h, reminders.get(h.key, []), entries[h.key]) for h in habits], settings
