"""Undoable commands: every change the window makes goes through a QUndoStack.

A command is applied once by ``UndoRunner.run`` before it is pushed, so that a
refused change (a UserError, a full disk) never lands on the stack. Later
redo/undo calls that fail are reported and drop the command from the stack.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

from PySide6.QtGui import QUndoCommand, QUndoStack

from habitdesk.core import days as d
from habitdesk.core.entries import SKIP, UNKNOWN, YES_MANUAL
from habitdesk.core.habit import Habit
from habitdesk.core.reminders import Reminder
from habitdesk.facade.errors import StorageError, UserError
from habitdesk.facade.tracker import DeletedHabit, Tracker

ERRORS: tuple[type[Exception], ...] = (UserError, StorageError)
ErrorHandler = Callable[[str, Exception], None]


def quoted(name: str) -> str:
    """A habit name in quotes, for undo texts."""
    return f"\u201c{name}\u201d"


def _lowered(text: str) -> str:
    """A command's text to go after "Could not": "Check …" -> "check …"."""
    return text[:1].lower() + text[1:]


def day_words(day: int) -> str:
    """A day as undo texts say it ("Mon 07 Dec")."""
    return f"{d.to_date(day):%a %d %b}"


class TrackerCommand(QUndoCommand):
    """A change with its inverse; subclasses implement apply() and revert()."""

    def __init__(self, tracker: Tracker, text: str) -> None:
        super().__init__(text)
        self.tracker = tracker
        self.on_error: ErrorHandler | None = None
        self._applied_by_runner = False

    def apply(self) -> None:
        raise NotImplementedError

    def revert(self) -> None:
        raise NotImplementedError

    def redo(self) -> None:
        if self._applied_by_runner:
            self._applied_by_runner = False
            return
        self._guarded(self.apply, "redo")

    def undo(self) -> None:
        self._guarded(self.revert, "undo")

    def _guarded(self, action: Callable[[], None], what: str) -> None:
        try:
            action()
        except ERRORS as exc:
            self.setObsolete(True)  # the stack drops it: its inverse no longer fits the data
            if self.on_error is not None:
                self.on_error(f"Could not {what} {_lowered(self.text())}", exc)


class UndoRunner:
    """Applies a command, and only when that worked puts it on the stack."""

    def __init__(self, stack: QUndoStack, on_error: ErrorHandler) -> None:
        self.stack = stack
        self.on_error = on_error

    def run(self, command: TrackerCommand) -> bool:
        command.on_error = self.on_error
        try:
            command.apply()
        except ERRORS as exc:
            self.on_error(f"Could not {_lowered(command.text())}", exc)
            return False
        command._applied_by_runner = True  # noqa: SLF001 - the runner's own handshake
        self.stack.push(command)
        return True


class SetEntry(TrackerCommand):
    """A day's value (and optionally its note) for one habit."""

    def __init__(self, tracker: Tracker, habit: Habit, day: int, value: int, notes: str | None = None) -> None:
        super().__init__(tracker, entry_text(habit, day, value, notes))
        self.habit, self.day, self.value, self.notes = habit, day, value, notes
        self.old_value, self.old_notes = tracker.entry(habit, day)

    def apply(self) -> None:
        self.tracker.set_entry(self.habit, self.day, self.value, self.notes)

    def revert(self) -> None:
        self.tracker.set_entry(self.habit, self.day, self.old_value, self.old_notes)


def entry_text(habit: Habit, day: int, value: int, notes: str | None) -> str:
    """The undo text for setting a day's value or note."""
    where = f"{quoted(habit.name)} on {day_words(day)}"
    if notes is not None and value == UNKNOWN:
        return f"Edit the note of {where}"
    if habit.is_measurable and value not in (UNKNOWN, SKIP):
        from habitdesk.core.entries import raw_to_amount, short_amount_text

        return f"Set {where} to {short_amount_text(raw_to_amount(value))} {habit.unit}".rstrip()
    verb = {YES_MANUAL: "Check", SKIP: "Skip", UNKNOWN: "Clear"}.get(value, "Mark as not done:")
    return f"{verb} {where}"


class SaveHabit(TrackerCommand):
    """Create a habit (before is None) or edit one, with its reminders when given."""

    def __init__(self, tracker: Tracker, before: Habit | None, after: Habit,
                 reminders: list[Reminder] | None = None) -> None:
        text = f"Create habit {quoted(after.name)}" if before is None else f"Edit habit {quoted(before.name)}"
        super().__init__(tracker, text)
        self.before = copy.copy(before)
        self.after = copy.copy(after)
        self.record: DeletedHabit | None = None
        self.reminders_after = reminders
        self.reminders_before = tracker.reminders(before) if before is not None and reminders is not None else None
        if self.reminders_before is not None and reminders is not None and _same(self.reminders_before, reminders):
            self.reminders_after = self.reminders_before = None  # untouched: leave them be

    def apply(self) -> None:
        if self.before is None:
            if self.record is None:
                self.after = self.tracker.add_habit(copy.copy(self.after), self.reminders_after or (), allow_duplicate=True)
            else:
                self.tracker.restore_habit(self.record)
        else:
            self.tracker.edit_habit(copy.copy(self.after), allow_duplicate=True)
            if self.reminders_after is not None:
                self.tracker.set_reminders(self.after, self.reminders_after)

    def revert(self) -> None:
        if self.before is None:
            self.record = self.tracker.delete_habit(self.after)
        else:
            self.tracker.edit_habit(copy.copy(self.before), allow_duplicate=True)
            if self.reminders_before is not None:
                self.tracker.set_reminders(self.before, self.reminders_before)


def _same(a: list[Reminder], b: list[Reminder]) -> bool:
    def key(r: Reminder) -> tuple:
        return r.minute, r.weekdays, r.enabled

    return sorted(map(key, a)) == sorted(map(key, b))


class Archive(TrackerCommand):
    def __init__(self, tracker: Tracker, habit: Habit, archived: bool) -> None:
        super().__init__(tracker, f"{'Archive' if archived else 'Unarchive'} {quoted(habit.name)}")
        self.habit, self.archived = copy.copy(habit), archived

    def apply(self) -> None:
        self.tracker.set_archived(self.habit, self.archived)

    def revert(self) -> None:
        self.tracker.set_archived(self.habit, not self.archived)


class Delete(TrackerCommand):
    def __init__(self, tracker: Tracker, habit: Habit) -> None:
        super().__init__(tracker, f"Delete {quoted(habit.name)}")
        self.habit = habit
        self.record: DeletedHabit | None = None

    def apply(self) -> None:
        self.record = self.tracker.delete_habit(self.habit)

    def revert(self) -> None:
        assert self.record is not None
        self.tracker.restore_habit(self.record)


class Move(TrackerCommand):
    """Move a habit to another place of the full list (archived habits included)."""

    def __init__(self, tracker: Tracker, habit: Habit, index: int) -> None:
        super().__init__(tracker, f"Move {quoted(habit.name)}")
        self.habit = habit
        order = [h.id for h in tracker.habits(archived=None)]
        self.old_index = order.index(habit.id)
        self.index = index

    def apply(self) -> None:
        self.tracker.move_habit(self.habit, self.index)

    def revert(self) -> None:
        self.tracker.move_habit(self.habit, self.old_index)
