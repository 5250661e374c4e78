"""Merging imported habits into the database, matched by uuid so that imports are idempotent."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from habitdesk.core.habit import Habit
from habitdesk.core.reminders import Reminder
from habitdesk.facade.errors import UserError
from habitdesk.interop.bundle import EntryQuery, HabitBundle
from habitdesk.storage.repository import Repository

# Fields an import may overwrite; local position, id and timestamps stay.
_IMPORTED_FIELDS = (
    "name", "question", "description", "kind", "unit", "target_value", "target_type",
    "frequency", "color", "archived",
)


@dataclasses.dataclass
class ImportReport:
    """What an import added, updated and left alone."""

    source: str
    habits_added: int = 0
    habits_updated: int = 0
    habits_unchanged: int = 0
    entries_added: int = 0
    entries_updated: int = 0
    entries_unchanged: int = 0
    warnings: list[str] = dataclasses.field(default_factory=list)
    safety_copy: Path | None = None  # the data as it was, when the import could change something

    def counts(self) -> str:
        return (
            f"{self.habits_added} habits added, {self.habits_updated} updated, {self.habits_unchanged} unchanged; "
            f"{self.entries_added} entries added, {self.entries_updated} updated, {self.entries_unchanged} unchanged"
        )


def apply_bundles(repo: Repository, bundles: list[HabitBundle], source: str) -> ImportReport:
    """Add or update each bundle's habit, reminders and entries; call inside a transaction."""
    report = ImportReport(source)
    taken = {h.name.casefold(): h.uuid for h in repo.habits(archived=None)}
    for bundle in bundles:
        incoming = bundle.habit
        existing = repo.habit_by_uuid(incoming.uuid)
        if existing is None:
            other = taken.get(incoming.name.casefold())
            if other is not None and other != incoming.uuid:
                report.warnings.append(f"{incoming.name!r} has the same name as a habit you already have")
            incoming.position = repo.next_position()
            repo.add_habit(incoming)
            habit_id = incoming.key
            report.habits_added += 1
            changed = True
        else:
            if existing.kind != incoming.kind and repo.has_entries(existing.key):
                raise UserError(
                    f"{source}: {incoming.name!r} is {incoming.kind.key.replace('_', '/')} in the file but "
                    f"{existing.kind.key.replace('_', '/')} here; nothing was imported"
                )
            habit_id = existing.key
            changed = False
            if _same(existing, incoming):
                report.habits_unchanged += 1
            else:
                for field in _IMPORTED_FIELDS:
                    setattr(existing, field, getattr(incoming, field))
                repo.update_habit(existing)
                report.habits_updated += 1
                changed = True
        taken[incoming.name.casefold()] = incoming.uuid
        # A file that says nothing of reminders (reminders None, a CSV export) leaves them alone.
        if bundle.reminders is not None and _sync_reminders(repo, habit_id, bundle.reminders) and not changed:
            report.habits_unchanged -= 1
            report.habits_updated += 1
            changed = True
        if bundle.source is not None:
            merged = _merge_from_source(repo, habit_id, bundle.source, report)
        else:
            merged = _merge_entries(repo, habit_id, bundle.entries, report)
        if merged or changed:
            # Only a real change makes cached figures stale: an import that
            # changes nothing leaves the database exactly as it was.
            repo.drop_stats(habit_id)
    return report


def _sync_reminders(repo: Repository, habit_id: int, incoming: list[Reminder]) -> bool:
    """Give the habit the file's reminders; whether anything changed.

    A Loop backup holds at most one reminder per habit, so a habit with at
    most one reminder takes the file's (changed, added or removed in Loop).
    A habit given more reminders in HabitDesk keeps them and gains the file's.
    """
    current = repo.reminders(habit_id)

    def key(r: Reminder) -> tuple[int, int, bool]:
        return (r.minute, r.weekdays, r.enabled)

    have = set(map(key, current))
    if sorted(map(key, current)) == sorted(map(key, incoming)):
        return False
    if len(current) <= 1:
        for reminder in current:
            repo.delete_reminder(habit_id, reminder.minute)
    elif all(key(r) in have for r in incoming):
        return False
    for reminder in incoming:
        repo.put_reminder(habit_id, reminder)
    return True


def _same(a: Habit, b: Habit) -> bool:
    return all(getattr(a, f) == getattr(b, f) for f in _IMPORTED_FIELDS)


def _merge_from_source(repo: Repository, habit_id: int, source: EntryQuery, report: ImportReport) -> bool:
    """Merge entries that are still in an attached file (see interop.bundle.EntryQuery)."""
    from habitdesk.storage.bulk import merge_entries

    added, updated, unchanged = merge_entries(repo.db, habit_id, source.sql, source.params)
    report.entries_added += added
    report.entries_updated += updated
    report.entries_unchanged += unchanged
    return bool(added or updated)


def _merge_entries(
    repo: Repository, habit_id: int, entries: dict[int, tuple[int, str]], report: ImportReport
) -> bool:
    """Add or update the entries that differ; whether any did.

    Built as list comprehensions: an import of ten years of 200 habits passes
    through here, so per-entry Python is kept to a minimum.
    """
    if not entries:
        return False
    current = repo.entries_with_notes(habit_id)
    if current:
        get = current.get
        rows = [(habit_id, day, *vn) for day, vn in entries.items() if get(day) != vn]
        added = sum(1 for row in rows if row[1] not in current)
    else:
        rows = [(habit_id, day, *vn) for day, vn in entries.items()]
        added = len(rows)
    report.entries_added += added
    report.entries_updated += len(rows) - added
    report.entries_unchanged += len(entries) - len(rows)
    if rows:
        repo.put_entries(rows)
    return bool(rows)
