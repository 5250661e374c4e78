"""The repository: rows <-> core objects.

Hot paths (entries, statistics) read tuples through plain cursors; model
objects are used only for the few habit rows.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from habitdesk.core.entries import UNKNOWN
from habitdesk.core.habit import Frequency, Habit, Kind, TargetType
from habitdesk.core.reminders import Reminder
from habitdesk.core.status import Summary
from habitdesk.core.stored import Stored
from habitdesk.storage.connection import Database

TYPE_CHECKING = False  # typing's import alone costs the CLI 4 ms of start-up
if TYPE_CHECKING:
    from habitdesk.core.analysis import Anchor

_HABIT_COLUMNS = (
    "id, uuid, name, question, description, kind, unit, target_value, target_type, "
    "freq_num, freq_den, weekdays, color, position, archived, created_at, updated_at"
)


_VISIBLE = f" AND NOT (value = {UNKNOWN} AND notes = '')"


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _habit_from_row(row: tuple) -> Habit:
    (id_, uuid, name, question, description, kind, unit, target_value, target_type,
     num, den, weekdays, color, position, archived, created_at, updated_at) = row
    return Habit(
        id=id_, uuid=uuid, name=name, question=question, description=description,
        kind=Kind(kind), unit=unit, target_value=target_value, target_type=TargetType(target_type),
        frequency=Frequency(num, den, weekdays), color=color, position=position,
        archived=bool(archived), created_at=created_at, updated_at=updated_at,
    )


def _habit_fields(habit: Habit) -> dict:
    return {
        "uuid": habit.uuid, "name": habit.name, "question": habit.question,
        "description": habit.description, "kind": int(habit.kind), "unit": habit.unit,
        "target_value": float(habit.target_value), "target_type": int(habit.target_type),
        "freq_num": habit.frequency.num, "freq_den": habit.frequency.den,
        "weekdays": habit.frequency.weekdays, "color": habit.color,
        "position": habit.position, "archived": habit.archived,
    }


class Repository:
    """Reads and writes HabitDesk data in the open database."""

    def __init__(self, database: Database) -> None:
        self.db = database

    def _sql(self, sql: str, params: Iterable = ()):  # noqa: ANN202 - a DB-API cursor
        return self.db.execute_sql(sql, tuple(params))

    def _habit_rows(self):  # noqa: ANN202 - the peewee model, bound to this database
        self.db.peewee()
        from habitdesk.storage.models import HabitRow

        return HabitRow

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self.db.atomic():
            yield

    # -- habits ---------------------------------------------------------------
    def habits(self, *, archived: bool | None = False) -> list[Habit]:
        """Habits in list order; archived=None gives all of them."""
        where = "" if archived is None else f" WHERE archived = {int(archived)}"
        rows = self._sql(f"SELECT {_HABIT_COLUMNS} FROM habit{where} ORDER BY position, id")
        return [_habit_from_row(r) for r in rows]

    def habit(self, habit_id: int) -> Habit | None:
        row = self._sql(f"SELECT {_HABIT_COLUMNS} FROM habit WHERE id = ?", (habit_id,)).fetchone()
        return _habit_from_row(row) if row else None

    def habit_by_uuid(self, uuid: str) -> Habit | None:
        row = self._sql(f"SELECT {_HABIT_COLUMNS} FROM habit WHERE uuid = ?", (uuid,)).fetchone()
        return _habit_from_row(row) if row else None

    def next_position(self) -> int:
        return self._sql("SELECT coalesce(max(position) + 1, 0) FROM habit").fetchone()[0]

    def add_habit(self, habit: Habit) -> Habit:
        now = _now()
        fields = _habit_fields(habit) | {"created_at": habit.created_at or now, "updated_at": now}
        habit.id = self._habit_rows().insert(**fields).execute()
        habit.created_at, habit.updated_at = fields["created_at"], now
        return habit

    def restore_habit(self, habit: Habit) -> None:
        """Put back a deleted habit with its old id, uuid, position and timestamps."""
        fields = _habit_fields(habit) | {"id": habit.id, "created_at": habit.created_at, "updated_at": habit.updated_at}
        self._habit_rows().insert(**fields).execute()

    def update_habit(self, habit: Habit) -> None:
        habit.updated_at = _now()
        fields = _habit_fields(habit) | {"updated_at": habit.updated_at}
        rows = self._habit_rows()
        rows.update(**fields).where(rows.id == habit.id).execute()

    def delete_habit(self, habit_id: int) -> None:
        self._sql("DELETE FROM habit WHERE id = ?", (habit_id,))

    def set_positions(self, habit_ids: list[int]) -> None:
        """Renumber habits 0, 1, 2... in the given order."""
        self.db.cursor().executemany(
            "UPDATE habit SET position = ? WHERE id = ?", list(enumerate(habit_ids))
        )

    # -- entries --------------------------------------------------------------
    def entries(self, habit: Habit, since: int | None = None) -> Stored:
        """A habit's stored values in day order (from ``since`` on, if given).

        SQLite gathers them in one string, far cheaper than a tuple per row: a
        JSON array for measurable habits, and for yes/no habits one digit per
        day, value + 1, which is exactly the engine's code (core/codes.py). The
        days themselves are read only when some are missing.
        """
        since = -(2**62) if since is None else since
        gather = "json_group_array(value)" if habit.is_measurable else "group_concat(value + 1, '')"
        # A yes/no habit's UNKNOWN without notes (kept from a Loop backup, see oldest_day)
        # is invisible to the engine, as in Loop.
        rows = "habit_id = ?1 AND day >= ?2" + ("" if habit.is_measurable else _VISIBLE)
        first, last, gathered = self._sql(
            f"SELECT (SELECT day FROM entry WHERE {rows} ORDER BY day LIMIT 1), "
            f"(SELECT day FROM entry WHERE {rows} ORDER BY day DESC LIMIT 1), "
            f"(SELECT {gather} FROM (SELECT value FROM entry WHERE {rows} ORDER BY day))",
            (habit.id, since),
        ).fetchone()
        if first is None:
            return Stored([], [])
        if habit.is_measurable:
            values = json.loads(gathered)
            count = len(values)
        else:
            count = len(gathered)
        days: list[int] | range
        if last - first + 1 == count:  # an entry every day: the days need no reading
            days = range(first, last + 1)
        else:
            days = json.loads(
                self._sql(
                    f"SELECT json_group_array(day) FROM (SELECT day FROM entry WHERE {rows} ORDER BY day)",
                    (habit.id, since),
                ).fetchone()[0]
            )
        if habit.is_measurable:
            return Stored(days, values)
        if len(days) != count:  # a value outside -1..8 took more than one digit
            raise ValueError(f"habit {habit.name!r} holds a value that is not a yes/no state")
        return Stored(days, codes=gathered.encode("ascii"))

    def oldest_day(self) -> int | None:
        """The oldest day stored for any habit, invisible entries included: where Loop's
        root CSV files end."""
        return self._sql("SELECT min(day) FROM entry").fetchone()[0]

    def has_entries(self, habit_id: int) -> bool:
        return self._sql("SELECT 1 FROM entry WHERE habit_id = ? LIMIT 1", (habit_id,)).fetchone() is not None

    def entries_with_notes(self, habit_id: int) -> dict[int, tuple[int, str]]:
        rows = self._sql("SELECT day, value, notes FROM entry WHERE habit_id = ?", (habit_id,))
        return {day: (value, notes) for day, value, notes in rows}

    def notes(self, habit_id: int) -> dict[int, str]:
        rows = self._sql("SELECT day, notes FROM entry WHERE habit_id = ? AND notes != ''", (habit_id,))
        return dict(rows)

    def noted_days(self, since: int, habit_id: int | None = None) -> dict[int, set[int]]:
        """Habit id -> days from ``since`` on that carry a note (one habit, or all)."""
        which = "(SELECT id FROM habit)" if habit_id is None else "(?)"  # lets SQLite seek each habit's range
        params = (since,) if habit_id is None else (habit_id, since)
        found: dict[int, set[int]] = {}
        rows = self._sql(f"SELECT habit_id, day FROM entry WHERE habit_id IN {which} AND day >= ? AND notes != ''", params)
        for owner, day in rows:
            found.setdefault(owner, set()).add(day)
        return found

    def entry(self, habit_id: int, day: int) -> tuple[int, str] | None:
        return self._sql(
            "SELECT value, notes FROM entry WHERE habit_id = ? AND day = ?", (habit_id, day)
        ).fetchone()

    def put_entry(self, habit_id: int, day: int, value: int, notes: str) -> None:
        """Store a day's value and notes; a day with neither is removed."""
        if value == UNKNOWN and not notes:
            self._sql("DELETE FROM entry WHERE habit_id = ? AND day = ?", (habit_id, day))
        else:
            self._sql(
                "INSERT INTO entry (habit_id, day, value, notes) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (habit_id, day) DO UPDATE SET value = excluded.value, notes = excluded.notes",
                (habit_id, day, value, notes),
            )

    def put_entries(self, rows: Iterable[tuple[int, int, int, str]]) -> None:
        """Bulk upsert of (habit_id, day, value, notes)."""
        self.db.cursor().executemany(
            "INSERT INTO entry (habit_id, day, value, notes) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (habit_id, day) DO UPDATE SET value = excluded.value, notes = excluded.notes",
            rows,
        )

    # -- reminders ------------------------------------------------------------
    def reminders(self, habit_id: int | None = None) -> list[Reminder]:
        sql = "SELECT id, habit_id, minute, weekdays, enabled FROM reminder"
        params: tuple = ()
        if habit_id is not None:
            sql += " WHERE habit_id = ?"
            params = (habit_id,)
        rows = self._sql(sql + " ORDER BY habit_id, minute", params)
        return [Reminder(minute, weekdays, bool(enabled), habit_id=h, id=i) for i, h, minute, weekdays, enabled in rows]

    def put_reminder(self, habit_id: int, reminder: Reminder) -> None:
        self._sql(
            "INSERT INTO reminder (habit_id, minute, weekdays, enabled) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (habit_id, minute) DO UPDATE SET weekdays = excluded.weekdays, enabled = excluded.enabled",
            (habit_id, reminder.minute, reminder.weekdays, int(reminder.enabled)),
        )

    def delete_reminder(self, habit_id: int, minute: int) -> int:
        return self._sql("DELETE FROM reminder WHERE habit_id = ? AND minute = ?", (habit_id, minute)).rowcount

    # -- settings -------------------------------------------------------------
    def settings(self) -> dict[str, object]:
        return {key: json.loads(value) for key, value in self._sql("SELECT key, value FROM setting")}

    def put_setting(self, key: str, value: object) -> None:
        self._sql(
            "INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, json.dumps(value)),
        )

    # -- statistics cache -----------------------------------------------------
    def stats(self, habit_id: int | None = None) -> dict[int, Summary]:
        """Cached summaries by habit id (whatever day they were computed for): every habit's, or one's."""
        rows = self._sql(
            "SELECT habit_id, through, score, streak, best_streak, total, today_value, window_sum, recent "
            "FROM habit_stats" + ("" if habit_id is None else " WHERE habit_id = ?"),
            () if habit_id is None else (habit_id,),
        )
        return {row[0]: Summary._make(row[1:]) for row in rows}

    def anchor(self, habit_id: int) -> Anchor | None:
        from habitdesk.core.analysis import Anchor

        row = self._sql("SELECT anchor FROM habit_stats WHERE habit_id = ?", (habit_id,)).fetchone()
        return Anchor.from_json(json.loads(row[0])) if row and row[0] else None

    def put_stats(self, habit_id: int, summary: Summary, anchor: Anchor | None) -> None:
        self._sql(
            "INSERT OR REPLACE INTO habit_stats (habit_id, through, score, streak, best_streak, total, "
            "today_value, window_sum, recent, anchor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (habit_id, *summary, json.dumps(anchor.to_json(), separators=(",", ":")) if anchor else None),
        )

    def drop_stats(self, habit_id: int | None = None) -> None:
        if habit_id is None:
            self._sql("DELETE FROM habit_stats")
        else:
            self._sql("DELETE FROM habit_stats WHERE habit_id = ?", (habit_id,))

