"""The Tracker: HabitDesk's commands and queries, shared by the GUI, the tray and the CLI."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from pathlib import Path

from habitdesk.core.days import OLDEST_DAY, iso, logical_today
from habitdesk.core.entries import MAX_AMOUNT, SKIP, UNKNOWN, YES_MANUAL, amount_to_raw, next_toggle
from habitdesk.core.habit import Habit
from habitdesk.core.reminders import Reminder
from habitdesk.facade.changes import Change, ChangeKind, Listener
from habitdesk.facade.errors import UserError
from habitdesk.facade.settings import EngineSettings, validated
from habitdesk.facade.stats import StatsCache
from habitdesk.storage.connection import database_errors
from habitdesk.storage.database import DB_FILENAME, close_database, open_database
from habitdesk.storage.errors import StorageError, failure
from habitdesk.storage.repository import Repository

TYPE_CHECKING = False  # typing's import alone costs the CLI 4 ms of start-up
if TYPE_CHECKING:
    from types import TracebackType

    from habitdesk.core.analysis import Analysis
    from habitdesk.core.status import Summary

log = logging.getLogger(__name__)


class DeletedHabit:
    """A deleted habit with everything needed to put it back."""

    __slots__ = ("habit", "entries", "reminders")

    def __init__(self, habit: Habit, entries: dict[int, tuple[int, str]], reminders: list[Reminder]) -> None:
        self.habit, self.entries, self.reminders = habit, entries, reminders


class Tracker:
    """Opens a data folder and offers every read and change as one call."""

    def __init__(self, data_dir: Path, *, today: int | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.db_path = self.data_dir / DB_FILENAME
        self.db = open_database(self.db_path)
        self.repo = Repository(self.db)
        self.stats = StatsCache(self.repo)
        try:
            stored = self.repo.settings()  # read once: the engine version and the settings
            self.stats.check_engine_version(stored)
            data_version: int = self.db.execute_sql("PRAGMA data_version").fetchone()[0]
        except database_errors() as exc:
            close_database()
            raise failure(exc, self.db_path) from None
        self._today_override = today
        self._listeners: list[Listener] = []
        self._settings: EngineSettings | None = EngineSettings.from_stored(stored)
        self._data_version = data_version

    def close(self) -> None:
        close_database()

    def prepare_writes(self) -> None:
        """Load the model layer now (about 30 ms) rather than on the first change."""
        self.db.peewee()

    # -- events -----------------------------------------------------------------
    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def _emit(self, change: Change) -> None:
        for listener in list(self._listeners):
            listener(change)

    # -- settings and the day ---------------------------------------------------
    @property
    def settings(self) -> EngineSettings:
        if self._settings is None:
            with self._reading():
                self._settings = EngineSettings.from_stored(self.repo.settings())
        return self._settings

    def set_setting(self, name: str, value: object) -> None:
        value = validated(name, value)
        with self._writing():
            self.repo.put_setting(name, value)
            if name == "day_start_hour":
                self.repo.drop_stats()
        self._settings = None
        self._emit(Change(ChangeKind.SETTINGS))

    def today(self) -> int:
        if self._today_override is not None:
            return self._today_override
        return logical_today(dt.datetime.now(), self.settings.day_start_hour)

    # -- habits -----------------------------------------------------------------
    def habits(self, *, archived: bool | None = False) -> list[Habit]:
        with self._reading():
            return self.repo.habits(archived=archived)

    def habit(self, habit_id: int) -> Habit:
        with self._reading():
            found = self.repo.habit(habit_id)
        if found is None:
            raise UserError(f"no habit with id {habit_id}")
        return found

    def habit_by_uuid(self, uuid: str) -> Habit | None:
        """The habit with exactly this uuid (archived or not), or None."""
        with self._reading():
            return self.repo.habit_by_uuid(uuid)

    def find_habit(self, name: str) -> Habit:
        """A habit by its exact name (any case), its uuid (or a prefix of 6+), or a unique name prefix."""
        text = name.strip()
        habits = self.habits(archived=None)
        key = text.casefold()
        exact = [h for h in habits if h.name.casefold() == key]
        if len(exact) == 1:
            return exact[0]
        if len(exact) > 1:
            raise UserError(f"{len(exact)} habits are named {text!r}; use a uuid: " + ", ".join(h.uuid[:8] for h in exact))
        if len(key) >= 6:
            by_uuid = [h for h in habits if h.uuid.startswith(key.replace("-", ""))]
            if len(by_uuid) == 1:
                return by_uuid[0]
        prefixed = [h for h in habits if h.name.casefold().startswith(key)] if key else []
        if len(prefixed) == 1:
            return prefixed[0]
        if len(prefixed) > 1:
            names = ", ".join(repr(h.name) for h in prefixed[:5])
            raise UserError(f"{text!r} matches several habits: {names}")
        raise UserError(f"no habit named {text!r}")

    def check_habit(self, habit: Habit, *, exclude_id: int | None = None, allow_duplicate: bool = False) -> None:
        """UserError naming the first problem: an empty name, an impossible target or frequency."""
        problems = habit.problems()
        if problems:
            raise UserError(next(iter(problems.values())))
        if not allow_duplicate:
            key = habit.name.strip().casefold()
            for other in self.repo.habits(archived=None):
                if other.id != exclude_id and other.name.strip().casefold() == key:
                    raise UserError(f"a habit named {other.name!r} already exists")

    def add_habit(self, habit: Habit, reminders: Iterable[Reminder] = (), *, allow_duplicate: bool = False) -> Habit:
        habit.name = habit.name.strip()
        with self._writing():
            self.check_habit(habit, allow_duplicate=allow_duplicate)
            habit.position = self.repo.next_position()
            self.repo.add_habit(habit)
            for reminder in reminders:
                self.repo.put_reminder(habit.key, reminder)
        self._emit(Change(ChangeKind.HABIT_ADDED, habit.id))
        return habit

    def edit_habit(self, habit: Habit, *, allow_duplicate: bool = False) -> Habit:
        habit.name = habit.name.strip()
        with self._writing():
            self.check_habit(habit, exclude_id=habit.id, allow_duplicate=allow_duplicate)
            before = self.repo.habit(habit.key)
            if before is not None and before.kind != habit.kind and self.repo.has_entries(habit.key):
                # A check is not an amount: the history would read as nonsense.
                raise UserError(
                    f"{before.name!r} already has history, so it cannot change between yes/no and "
                    "measurable; create a new habit instead"
                )
            self.repo.update_habit(habit)
            self.stats.invalidate(habit.key)
        self._emit(Change(ChangeKind.HABIT_EDITED, habit.id))
        return habit

    def set_archived(self, habit: Habit, archived: bool) -> Habit:
        habit.archived = archived
        with self._writing():
            self.repo.update_habit(habit)
        self._emit(Change(ChangeKind.HABIT_EDITED, habit.id))
        return habit

    def delete_habit(self, habit: Habit) -> DeletedHabit:
        """Delete a habit with its history; the returned record can restore it."""
        with self._writing():
            kept = self.repo.habit(habit.key)
            if kept is None:
                raise UserError(f"{habit.name!r} no longer exists")
            record = DeletedHabit(kept, self.repo.entries_with_notes(habit.key), self.repo.reminders(habit.key))
            self.repo.delete_habit(habit.key)
        self._emit(Change(ChangeKind.HABIT_DELETED, habit.id))
        return record

    def restore_habit(self, record: DeletedHabit) -> Habit:
        """Undo a deletion: the habit comes back with its id, place, history and reminders."""
        habit = record.habit
        with self._writing():
            if self.repo.habit(habit.key) is not None or self.repo.habit_by_uuid(habit.uuid) is not None:
                raise UserError(f"{habit.name!r} exists already")
            self.repo.restore_habit(habit)
            self.repo.put_entries((habit.key, day, value, notes) for day, (value, notes) in record.entries.items())
            for reminder in record.reminders:
                self.repo.put_reminder(habit.key, reminder)
        self._emit(Change(ChangeKind.HABIT_ADDED, habit.id))
        return habit

    def move_habit(self, habit: Habit, index: int) -> None:
        """Put a habit at ``index`` of the full list (archived habits included)."""
        with self._writing():
            order = [h.key for h in self.repo.habits(archived=None) if h.id != habit.id]
            order.insert(max(0, min(index, len(order))), habit.key)
            self.repo.set_positions(order)
        self._emit(Change(ChangeKind.ORDER, habit.id))

    # -- reminders --------------------------------------------------------------
    def reminders(self, habit: Habit | None = None) -> list[Reminder]:
        with self._reading():
            return self.repo.reminders(None if habit is None else habit.id)

    def set_reminders(self, habit: Habit, reminders: Iterable[Reminder]) -> None:
        """Replace a habit's reminders (one per minute of the day)."""
        wanted = {r.minute: r for r in reminders}
        with self._writing():
            for old in self.repo.reminders(habit.id):
                if old.minute not in wanted:
                    self.repo.delete_reminder(habit.key, old.minute)
            for reminder in wanted.values():
                self.repo.put_reminder(habit.key, reminder)
        self._emit(Change(ChangeKind.REMINDERS, habit.id))

    def add_reminder(self, habit: Habit, reminder: Reminder) -> None:
        """Add a reminder, or change the weekdays of the one at the same time."""
        if not reminder.weekdays:
            raise UserError("a reminder needs at least one weekday")
        with self._writing():
            self.repo.put_reminder(habit.key, reminder)
        self._emit(Change(ChangeKind.REMINDERS, habit.id))

    def remove_reminder(self, habit: Habit, minute: int) -> None:
        with self._writing():
            removed = self.repo.delete_reminder(habit.key, minute)
        if not removed:
            raise UserError(f"{habit.name!r} has no reminder at {minute // 60:02d}:{minute % 60:02d}")
        self._emit(Change(ChangeKind.REMINDERS, habit.id))

    def due_today(self, habits: list[Habit] | None = None) -> set[int]:
        """The ids of active habits still to do today (what reminders and the tray ask).

        ``habits``: the habits already at hand, to save reading them again.
        """
        habits = self.habits() if habits is None else [h for h in habits if not h.archived]
        summaries = self.summaries(habits)
        return {h.key for h in habits if summaries[h.key].status(h).due}

    # -- changes made elsewhere -------------------------------------------------
    def poll_external_changes(self) -> bool:
        """Whether another process (the CLI, say) committed since the last poll; if so, emit "external".

        SQLite's data_version moves only for commits made through other
        connections, so this is one cheap pragma on an idle database.
        """
        try:
            with self._reading():
                version: int = self.db.execute_sql("PRAGMA data_version").fetchone()[0]
        except StorageError:
            return False
        changed = version != self._data_version
        self._data_version = version
        if changed:
            self._settings = None
            self._emit(Change(ChangeKind.EXTERNAL))
        return changed

    def changed_elsewhere(self, habit_ids: set[int]) -> None:
        """Habits and days another computer changed were written here (the shared history): refresh them."""
        with self._writing():
            for habit_id in habit_ids:
                self.stats.invalidate(habit_id)
        self._emit(Change(ChangeKind.SHARED))

    # -- entries ----------------------------------------------------------------
    def check_day(self, day: int) -> None:
        if day > self.today():
            raise UserError(f"{iso(day)} is in the future; only today and earlier days can be recorded")
        if day < OLDEST_DAY:
            raise UserError(f"{iso(day)} is too long ago")

    def set_entry(self, habit: Habit, day: int, value: int, notes: str | None = None) -> Summary:
        """Record a day's value (and notes, when given); returns the habit's new summary."""
        self.check_day(day)
        with self._writing():
            old = self.repo.entry(habit.key, day)
            if notes is None:
                notes = old[1] if old else ""
            self.repo.put_entry(habit.key, day, value, notes)
            summary = self.stats.refresh(habit, self.today(), changed_day=day)
        self._emit(Change(ChangeKind.ENTRY, habit.id, day))
        return summary

    def check(self, habit: Habit, day: int, *, amount: float | None = None, notes: str | None = None) -> Summary:
        """Mark a day done: YES_MANUAL, or an amount for a measurable habit."""
        if habit.is_measurable:
            if amount is None:
                raise UserError(f"{habit.name!r} is measurable: give the amount with --value")
            return self.set_entry(habit, day, self.amount_value(amount), notes)
        if amount is not None:
            raise UserError(f"{habit.name!r} is a yes/no habit: it takes no --value")
        return self.set_entry(habit, day, YES_MANUAL, notes)

    def skip(self, habit: Habit, day: int, notes: str | None = None) -> Summary:
        return self.set_entry(habit, day, SKIP, notes)

    def clear(self, habit: Habit, day: int) -> Summary:
        """Clear a day's value; its note stays."""
        return self.set_entry(habit, day, UNKNOWN, None)

    def toggle(self, habit: Habit, day: int, shown: int) -> Summary:
        """Advance a yes/no cell from the value it shows, through Loop's toggle cycle."""
        s = self.settings
        return self.set_entry(habit, day, next_toggle(shown, skips_enabled=s.skips_enabled, unknown_enabled=s.unknown_enabled))

    @staticmethod
    def amount_value(amount: float) -> int:
        if amount != amount or abs(amount) == float("inf"):
            raise UserError("the amount must be a number")
        if amount < 0:
            raise UserError("the amount cannot be negative")
        if amount > MAX_AMOUNT:
            raise UserError("the amount is too large")
        return amount_to_raw(amount)

    def entry(self, habit: Habit, day: int) -> tuple[int, str]:
        """What is stored for a day: (value, notes); (UNKNOWN, "") when nothing is."""
        with self._reading():
            return self.repo.entry(habit.key, day) or (UNKNOWN, "")

    def has_history(self, habit: Habit) -> bool:
        """Whether anything at all is stored for the habit."""
        with self._reading():
            return self.repo.has_entries(habit.key)

    def noted_days(self, since: int, habit: Habit | None = None) -> dict[int, set[int]]:
        """Habit id -> the days from ``since`` on that carry a note (of one habit, or of all)."""
        with self._reading():
            return self.repo.noted_days(since, None if habit is None else habit.id)

    def notes(self, habit: Habit) -> dict[int, str]:
        with self._reading():
            return self.repo.notes(habit.key)

    # -- statistics -------------------------------------------------------------
    def summaries(self, habits: list[Habit], *, stale_ok: bool = False) -> dict[int, Summary]:
        """Each habit's summary for today (``stale_ok``: an earlier day's, where one is cached)."""
        with self._reading():
            return self.stats.summaries(habits, self.today(), stale_ok=stale_ok)

    def analysis(self, habit: Habit) -> Analysis:
        with self._reading():
            return self.stats.analysis(habit, self.today())

    def rebuild_stats(self) -> dict[int, Summary]:
        with self._reading():
            return self.stats.rebuild(self.repo.habits(archived=None), self.today())

    # -- interop ----------------------------------------------------------------
    def export_loop_csv(self, path: Path) -> int:
        """Write Loop's CSV export zip of every habit; returns the number of habits."""
        from habitdesk.interop.loop_csv import write_loop_csv_zip

        today = self.today()
        with self._reading():
            habits = self.repo.habits(archived=None)
            analyses = [self.stats.analysis(h, today) for h in habits]
            notes = [self.repo.notes(h.key) for h in habits]
            oldest = self.repo.oldest_day()
        try:
            write_loop_csv_zip(Path(path), analyses, notes, oldest, today)
        except OSError as exc:
            raise UserError(f"cannot write {path}: {exc.strerror or exc}") from None
        return len(habits)

    # -- database access with clear errors ---------------------------------------
    def _writing(self) -> _DatabaseErrors:
        return _DatabaseErrors(self, write=True)

    def _reading(self) -> _DatabaseErrors:
        return _DatabaseErrors(self, write=False)


class _DatabaseErrors:
    """A transaction (for writes) that turns SQLite failures into StorageError.

    When a statement fails, the error the user sees is that one: SQLite may
    already have rolled back (a full disk does), and the rollback's own
    complaint would only hide the cause.
    """

    def __init__(self, tracker: Tracker, *, write: bool) -> None:
        self.path = tracker.db_path
        self.atomic = tracker.db.atomic() if write else None

    def __enter__(self) -> None:
        if self.atomic is not None:
            try:
                self.atomic.__enter__()
            except database_errors() as exc:
                raise failure(exc, self.path) from None

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self.atomic is not None:
            try:
                self.atomic.__exit__(exc_type, exc, tb)
            except database_errors() as ending:
                if exc is None:  # the commit failed; the rollback that followed may have failed too
                    raise failure(ending, self.path) from None
        if isinstance(exc, database_errors()):
            raise failure(exc, self.path) from None
