"""Export habits and their history as one .ics file (no CalDAV server needed)."""

from __future__ import annotations

from pathlib import Path

from habitdesk.facade.errors import UserError
from habitdesk.facade.tracker import Tracker


def export_ics(tracker: Tracker, path: Path) -> int:
    """Write every habit (archived ones too) with its schedule and history; returns the number of habits."""
    from habitdesk.interop.ics_export import build_calendar, write_ics

    habits = tracker.habits(archived=None)
    reminders: dict[int, list] = {}
    for reminder in tracker.reminders():
        reminders.setdefault(reminder.habit_id, []).append(reminder)
    items = [(h, reminders.get(h.id, []), tracker.repo.entries_with_notes(h.id)) for h in habits]
    calendar = build_calendar(items, tracker.today())
    try:
        write_ics(Path(path), calendar)
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from None
    return len(habits)
