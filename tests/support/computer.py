"""One computer of the convergence test: a data folder, its Tracker and CalendarSync, in a process of its own.

Driven by JSON lines on stdin, one answer line per command on stdout:
``python -m tests.support.computer FOLDER SERVER_URL``. Commands name habits by uuid.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path
from typing import Any


def dump(database: Path) -> dict[str, Any]:
    """Habits (every shared field), reminders and days, keyed so that two computers compare equal."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        habits = {row[0]: list(row[1:]) for row in db.execute(
            "SELECT uuid, name, question, description, kind, unit, target_value, target_type, freq_num, freq_den, "
            "weekdays, color, position, archived, created_at FROM habit")}
        reminders = sorted(db.execute(
            "SELECT h.uuid, r.minute, r.weekdays, r.enabled FROM reminder r JOIN habit h ON h.id = r.habit_id"))
        days = sorted(db.execute("SELECT h.uuid, e.day, e.value, e.notes FROM entry e JOIN habit h ON h.id = e.habit_id"))
    return {"habits": habits, "reminders": [list(r) for r in reminders], "days": [list(d) for d in days]}


class Computer:
    def __init__(self, folder: Path, url: str) -> None:
        import keyring

        from habitdesk.facade.sync import CalendarSync
        from habitdesk.facade.tracker import Tracker
        from tests.support.sync_helpers import MemoryKeyring

        keyring.set_keyring(MemoryKeyring())
        folder.mkdir(parents=True, exist_ok=True)
        self.url = url
        self.tracker = Tracker(folder)
        self.sync = CalendarSync(self.tracker, zone="UTC", timeout=(5, 30))
        self.deleted: list[Any] = []  # what undo brings back

    def do(self, command: dict[str, Any]) -> Any:
        from habitdesk.core.habit import Habit

        tracker, verb = self.tracker, command["do"]
        habit = tracker.habit_by_uuid(command["uuid"]) if "uuid" in command else None
        if "uuid" in command and habit is None:
            return "no such habit"
        if verb == "join":
            self.sync.add_account("home", self.url, "alice", "wonderland")
            return self._sync()
        if verb == "sync":
            return self._sync()
        if verb == "habits":
            return [[h.uuid, h.name] for h in tracker.habits(archived=None)]
        if verb == "add":
            return tracker.add_habit(Habit(command["name"]), allow_duplicate=True).uuid
        if verb == "set":
            tracker.set_entry(habit, tracker.today() + command["day"], command["value"], command.get("note"))
        elif verb == "rename":
            habit.name = command["name"]
            tracker.edit_habit(habit, allow_duplicate=True)
        elif verb == "archive":
            tracker.set_archived(habit, not habit.archived)
        elif verb == "delete":
            self.deleted.append(tracker.delete_habit(habit))
        elif verb == "undo":
            if self.deleted:
                tracker.restore_habit(self.deleted.pop())
        elif verb == "dump":
            return dump(tracker.db_path)
        return "ok"

    def _sync(self) -> str:
        outcomes = self.sync.sync()
        errors = [str(o.error) for o in outcomes if o.error is not None]
        return "; ".join(errors) or "ok"


def main() -> None:
    computer = Computer(Path(sys.argv[1]), sys.argv[2])
    for line in sys.stdin:
        try:
            answer = computer.do(json.loads(line))
        except Exception as exc:  # noqa: BLE001 - the test reads it
            answer = {"error": f"{type(exc).__name__}: {exc}"}
        print(json.dumps(answer), flush=True)
    computer.tracker.close()


if __name__ == "__main__":
    main()
