"""Reading Loop Habit Tracker backup files (.db, SQLite schema 22 to 25).

Schema 22 keeps the question in Habits.description and has no uuid or notes;
23 adds Habits.question, 24 Habits.uuid, 25 Repetitions.notes.
"""

from __future__ import annotations

import sqlite3
import uuid as uuid_module
from pathlib import Path

from habitdesk.core.days import LATEST_DAY, MS_PER_DAY, OLDEST_DAY
from habitdesk.core.entries import MAX_AMOUNT, UNKNOWN
from habitdesk.core.habit import DEFAULT_COLOR, MAX_NAME, PALETTE, Frequency, Habit, Kind, TargetType
from habitdesk.core.reminders import Reminder, from_loop_days
from habitdesk.interop.bundle import (
    MAX_NOTE,
    MAX_RAW_AMOUNT,
    MEASURABLE_CODES,
    SOURCE_SCHEMA,
    YES_NO_VALUES,
    EntryQuery,
    HabitBundle,
    entry_problem,
)
from habitdesk.interop.errors import FormatError

OLDEST_SCHEMA = 22
NEWEST_SCHEMA = 25
SQLITE_MAGIC = b"SQLite format 3\x00"
# Habits created before schema 24 get a uuid derived from the backup's own id
# and name, so that importing the same old backup twice matches them again.
_LEGACY_NAMESPACE = uuid_module.UUID("5b0e4f7e-8c2a-4d0e-9a55-6a1c0d1e2f30")

_REQUIRED_HABIT_COLUMNS = {
    "id", "archived", "color", "description", "freq_den", "freq_num", "name",
    "position", "reminder_hour", "reminder_min", "reminder_days", "type",
    "target_type", "target_value", "unit",
}
_REQUIRED_REPETITION_COLUMNS = {"habit", "timestamp", "value"}


def read_loop_backup(path: Path, *, lazy_entries: bool = False) -> list[HabitBundle]:
    """Every habit of a Loop backup, in Loop's list order, with reminders and entries.

    With ``lazy_entries`` each bundle's entries stay in the file: ``source`` is the
    query that selects them once the file is attached (see EntryQuery).
    """
    path = Path(path)
    name = path.name
    try:
        with path.open("rb") as fh:
            header = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise FormatError(f"{name}: cannot be read ({exc.strerror or exc})") from None
    if header != SQLITE_MAGIC:
        raise FormatError(f"{name}: not a Loop Habit Tracker backup (not an SQLite database)")
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error as exc:
        raise FormatError(f"{name}: cannot be opened ({exc})") from None
    try:
        return _read(con, name, path.resolve() if lazy_entries else None)
    except sqlite3.DatabaseError as exc:
        raise FormatError(f"{name}: damaged or truncated ({exc})") from None
    finally:
        con.close()


def _columns(con: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in con.execute(f"PRAGMA table_info({table})")}


def _read(con: sqlite3.Connection, name: str, lazy: Path | None) -> list[HabitBundle]:
    version = con.execute("PRAGMA user_version").fetchone()[0]
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not {"Habits", "Repetitions"} <= tables:
        raise FormatError(f"{name}: not a Loop Habit Tracker backup (no Habits and Repetitions tables)")
    if not OLDEST_SCHEMA <= version <= NEWEST_SCHEMA:
        raise FormatError(
            f"{name}: Loop backup schema {version} is not supported "
            f"(HabitDesk reads schemas {OLDEST_SCHEMA} to {NEWEST_SCHEMA})"
        )
    habit_cols = _columns(con, "Habits")
    rep_cols = _columns(con, "Repetitions")
    expected_habit = set(_REQUIRED_HABIT_COLUMNS)
    if version >= 23:
        expected_habit.add("question")
    if version >= 24:
        expected_habit.add("uuid")
    missing = sorted((expected_habit - habit_cols) | (_REQUIRED_REPETITION_COLUMNS - rep_cols))
    if version >= 25 and "notes" not in rep_cols:
        missing.append("notes")
    if missing:
        raise FormatError(f"{name}: schema {version} backup lacks column(s) {', '.join(missing)}")

    question_col = "question" if version >= 23 else "''"
    uuid_col = "uuid" if version >= 24 else "NULL"
    rows = con.execute(
        f"SELECT id, name, {question_col}, description, type, freq_num, freq_den, color, "
        f"unit, target_type, target_value, archived, reminder_hour, reminder_min, reminder_days, "
        f"{uuid_col} FROM Habits ORDER BY position, id"
    ).fetchall()

    bundles: dict[int, HabitBundle] = {}
    seen_uuids: set[str] = set()
    for row in rows:
        bundle = _habit(row, version, name)
        if bundle.habit.uuid in seen_uuids:
            raise FormatError(f"{name}: two habits share the uuid {bundle.habit.uuid}")
        seen_uuids.add(bundle.habit.uuid)
        bundles[row[0]] = bundle

    # Loop's schema 25 added the notes column, so older rows upgrade with NULL notes.
    notes_col = "notes" if version >= 25 else "NULL"
    bad = con.execute(
        "SELECT habit FROM Repetitions WHERE habit IN (SELECT id FROM Habits) "
        "AND (typeof(timestamp) != 'integer' OR typeof(value) != 'integer') LIMIT 1"
    ).fetchone()
    if bad is not None:
        raise FormatError(f"{name}: repetition of habit {bad[0]} has a non-numeric timestamp or value")
    _check_ranges(con, bundles, notes_col, name)
    # Per habit, in SQL: the day (timestamp floored to whole days), and rows that carry
    # nothing left out. An UNKNOWN with empty notes carries nothing. With NULL notes Loop
    # keeps an UNKNOWN entry: invisible in a yes/no habit's own figures, a known day for a
    # measurable one, and for both a stored day that starts the root CSV files' range.
    # Rows are read in timestamp order, so of two on one day the later wins.
    select = (
        f"SELECT timestamp / {MS_PER_DAY} - (timestamp % {MS_PER_DAY} < 0) AS day, value, "
        f"coalesce({notes_col}, '') AS notes FROM {{table}} WHERE habit = ? AND NOT (value = {UNKNOWN} AND "
        f"{notes_col} IS NOT NULL AND {notes_col} = '') ORDER BY timestamp"
    )
    for habit_id, bundle in bundles.items():
        params = (habit_id,)
        if lazy is not None:
            bundle.source = EntryQuery(lazy, select.format(table=f"{SOURCE_SCHEMA}.Repetitions"), params)
        else:
            bundle.entries = {day: (value, notes) for day, value, notes in con.execute(select.format(table="Repetitions"), params)}
    return list(bundles.values())


def _check_ranges(con: sqlite3.Connection, bundles: dict[int, HabitBundle], notes_col: str, name: str) -> None:
    """Refuse the file, naming the repetition, when one is out of range (in SQL: a large file stays fast)."""
    first_ms, last_ms = OLDEST_DAY * MS_PER_DAY, (LATEST_DAY + 1) * MS_PER_DAY - 1
    for habit_id, bundle in bundles.items():
        codes = ", ".join(map(str, MEASURABLE_CODES))
        values = (f"(value NOT IN ({codes}) AND (value < 0 OR value > {MAX_RAW_AMOUNT}))" if bundle.habit.is_measurable
                  else f"value NOT IN ({', '.join(map(str, sorted(YES_NO_VALUES)))})")
        found = con.execute(
            f"SELECT timestamp, value, coalesce({notes_col}, '') FROM Repetitions WHERE habit = ? AND "
            f"(timestamp < {first_ms} OR timestamp > {last_ms} OR {values} OR length(coalesce({notes_col}, '')) > {MAX_NOTE}) "
            "LIMIT 1", (habit_id,)).fetchone()
        if found is not None:
            timestamp, value, notes = found
            day = timestamp // MS_PER_DAY
            problem = entry_problem(bundle.habit, day, value, notes) or f"timestamp {timestamp}"
            raise FormatError(f"{name}: habit {bundle.habit.name!r}: {problem}; nothing was imported")


def _text(value: object, what: str, habit: str, name: str) -> str:
    """A text column as Loop writes it (TEXT, perhaps NULL); a BLOB must at least be UTF-8 text."""
    if value is None:
        return ""
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            raise FormatError(f"{name}: habit {habit!r}: the {what} is binary data, not text") from None
    if not isinstance(value, str):
        raise FormatError(f"{name}: habit {habit!r}: the {what} is {value!r}, not text")
    return value


def _whole(value: object, what: str, habit: str, name: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise FormatError(f"{name}: habit {habit!r}: the {what} {value!r} is not a whole number from {low} to {high}")
    return value


def _habit(row: tuple, version: int, name: str) -> HabitBundle:
    (loop_id, habit_name, question, description, kind, num, den, color, unit,
     target_type, target_value, archived, hour, minute, days, uuid) = row
    habit_name = _text(habit_name, "name", str(loop_id), name)
    question, description = _text(question, "question", habit_name, name), _text(description, "description", habit_name, name)
    unit = _text(unit, "unit", habit_name, name)
    if version < 23:
        question, description = description or "", ""
    if not uuid:
        uuid = uuid_module.uuid5(_LEGACY_NAMESPACE, f"{loop_id}\x00{habit_name}").hex
    uuid = _text(uuid, "uuid", habit_name, name).replace("-", "").lower()
    if len(uuid) != 32 or any(c not in "0123456789abcdef" for c in uuid):
        raise FormatError(f"{name}: habit {habit_name!r} has an invalid uuid {uuid[:40]!r}")
    if kind not in (0, 1) or target_type not in (0, 1):
        raise FormatError(f"{name}: habit {habit_name!r} has an unknown type")
    if not isinstance(num, int) or not isinstance(den, int) or num < 1 or den < 1:
        raise FormatError(f"{name}: habit {habit_name!r} has an invalid frequency {num}/{den}")
    if target_value is not None and (isinstance(target_value, bool) or not isinstance(target_value, int | float)
                                     or not 0 <= target_value <= MAX_AMOUNT):
        raise FormatError(f"{name}: habit {habit_name!r}: the target {target_value!r} is not an amount from 0 to {MAX_AMOUNT:.0f}")
    habit = Habit(
        name=habit_name or "Unnamed habit",
        question=question or "",
        description=description or "",
        kind=Kind(kind),
        frequency=Frequency(num, den),
        color=color if isinstance(color, int) and 0 <= color < len(PALETTE) else DEFAULT_COLOR,
        unit=unit or "",
        target_type=TargetType(target_type),
        target_value=float(target_value or 0.0),
        archived=bool(archived),
        uuid=uuid,
    )
    if len(habit_name) > MAX_NAME:  # Loop's own names may hold tabs and the like, as its exports keep them
        raise FormatError(f"{name}: habit {habit_name[:60]!r}…: the name is longer than {MAX_NAME} characters")
    reminders = []
    if hour is not None:
        at = _whole(hour, "reminder hour", habit_name, name, 0, 23) * 60
        at += _whole(minute or 0, "reminder minute", habit_name, name, 0, 59)
        weekdays = from_loop_days(_whole(days or 0, "reminder days", habit_name, name, 0, 127))
        reminders.append(Reminder(at, weekdays, enabled=bool(weekdays)))
    return HabitBundle(habit, reminders)
