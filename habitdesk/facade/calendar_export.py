"""Export habits and their history as one .ics file (no CalDAV server needed)."""

from __future__ import annotations

from pathlib import Path

from habitdesk.core.reminders import by_habit
from habitdesk.facade.errors import UserError
from habitdesk.facade.tracker import Tracker


def export_ics(tracker: Tracker, path: Path) -> int:
    """Write every habit (archived ones too) with its schedule and history; returns the number of habits."""
    from habitdesk.interop.ics_export import build_calendar, write_ics

    habits = tracker.habits(archived=None)
    reminders = by_habit(tracker.reminders())
    items = [(h, reminders.get(h.key, []), tracker.repo.entries_with_notes(h.key)) for h in habits]
    calendar = build_calendar(items, tracker.today())
    try:
        write_ics(Path(path), calendar)
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from None
    return len(habits)
