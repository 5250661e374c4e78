"""What an importer hands over: habits with their reminders and entries."""

from __future__ import annotations

import dataclasses

from habitdesk.core.habit import Habit
from habitdesk.core.reminders import Reminder


@dataclasses.dataclass
class HabitBundle:
    habit: Habit
    reminders: list[Reminder] | None = dataclasses.field(default_factory=list)  # None: the file has none to say
    entries: dict[int, tuple[int, str]] = dataclasses.field(default_factory=dict)  # day -> (value, notes)
