"""Replacing the whole content of the database (a restore): call inside one transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from habitdesk.core.habit import Habit
from habitdesk.core.reminders import Reminder
from habitdesk.storage.repository import Repository


def replace_everything(
    repo: Repository,
    habits: Iterable[tuple[Habit, list[Reminder], dict[int, tuple[int, str]]]],
    setting_keys: Iterable[str],
    settings: Mapping[str, object],
) -> None:
    """Delete every habit (its entries, reminders and cached figures go with it), insert ``habits``
    as (habit, reminders, entries by day) with their uuids, positions and timestamps, and give
    each of ``setting_keys`` its value from ``settings`` (or its default, when absent)."""
    repo.db.execute_sql("DELETE FROM habit")
    for number, (habit, reminders, entries) in enumerate(habits, start=1):
        habit.id = number
        repo.restore_habit(habit)  # keeps uuid, position and timestamps
        repo.put_entries((number, day, value, notes) for day, (value, notes) in entries.items())
        for reminder in reminders:
            repo.put_reminder(number, reminder)
    for key in setting_keys:
        if key in settings:
            repo.put_setting(key, settings[key])
        else:
            repo.db.execute_sql("DELETE FROM setting WHERE key = ?", (key,))
