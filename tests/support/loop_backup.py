"""Build Loop Habit Tracker backup files (.db) for tests, from the format rules in DESIGN.md §3.

Nothing here is copied from Loop's own files: the tables are written from the
documented column sets of schemas 22 to 25, with Loop's extra columns
(highlight, position, reminder_*), its Events table and Android's
android_metadata table, as real backups have them.

    backup = LoopBackup(25)
    run = backup.habit("Run", freq=(3, 7), color=8, reminder=(7, 30, 127))
    backup.rep(run, date(2026, 11, 20), YES_MANUAL, notes="easy")
    backup.write(tmp_path / "loop.db")

Schema differences:
  22: Habits has no question (the question text lives in description), no uuid;
      Repetitions has no notes.
  23: Habits.question.
  24: Habits.uuid (32 lowercase hex digits).
  25: Repetitions.notes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
import uuid as uuid_module
from pathlib import Path

UNKNOWN, NO, YES_AUTO, YES_MANUAL, SKIP = -1, 0, 1, 2, 3
EVERY_DAY = 127  # Loop's reminder_days: bit 0 = Saturday ... bit 6 = Friday
_EPOCH = dt.date(1970, 1, 1)
_UNSET = object()

# Loop's reminder_days bits.
SATURDAY, SUNDAY, MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY = (1 << i for i in range(7))


def loop_timestamp(date: dt.date) -> int:
    """Epoch milliseconds of the date at 00:00 UTC."""
    return (date - _EPOCH).days * 86_400_000


@dataclasses.dataclass
class LoopHabit:
    """A habit row of the backup being built; pass it to LoopBackup.rep()."""

    id: int
    name: str
    freq: tuple[int, int]
    type: int
    target_type: int
    target_value: float
    unit: str
    color: int
    archived: bool
    question: str
    description: str
    reminder: tuple[int, int, int] | None
    uuid: str | None
    position: int
    highlight: int = 0
    reps: dict[dt.date, tuple[int, str | None]] = dataclasses.field(default_factory=dict)


class LoopBackup:
    """An in-memory Loop backup of one schema version (22 to 25, or any other for refusal tests)."""

    def __init__(self, schema: int = 25) -> None:
        self.schema = schema
        self.habits: list[LoopHabit] = []
        self._next_id = 1

    def habit(
        self,
        name: str,
        *,
        freq: tuple[int, int] = (1, 1),
        type: int = 0,  # noqa: A002 - Loop's column name; 0 yes/no, 1 measurable
        target_type: int = 0,
        target_value: float = 0.0,
        unit: str = "",
        color: int = 8,
        archived: bool = False,
        question: str = "",
        description: str = "",
        reminder: tuple[int, int, int] | None = None,
        uuid: str | None | object = _UNSET,
        position: int | None = None,
        id: int | None = None,  # noqa: A002
    ) -> LoopHabit:
        """Add a habit. ``reminder`` is (hour, minute, Loop days mask) or None.

        For schema < 23 the question is written to description (as Loop did), so a
        separate description cannot be given. For schema >= 24 a uuid is made up
        unless given; before 24 there is no uuid column and ``uuid`` must not be given.
        """
        if self.schema < 23 and description:
            raise ValueError("schema < 23 keeps the question in description: give question only")
        if uuid is _UNSET:
            uuid = uuid_module.uuid4().hex if self.schema >= 24 else None
        elif self.schema < 24 and uuid is not None:
            raise ValueError("schema < 24 has no uuid column")
        habit_id = self._next_id if id is None else id
        self._next_id = max(self._next_id, habit_id) + 1
        habit = LoopHabit(
            id=habit_id,
            name=name,
            freq=freq,
            type=type,
            target_type=target_type,
            target_value=target_value,
            unit=unit,
            color=color,
            archived=archived,
            question=question,
            description=description,
            reminder=reminder,
            uuid=uuid,  # type: ignore[arg-type]
            position=len(self.habits) if position is None else position,
        )
        self.habits.append(habit)
        return habit

    def rep(self, habit: LoopHabit, date: dt.date, value: int, notes: str | None = None) -> None:
        """A Repetitions row. Before schema 25 notes cannot be stored."""
        if notes is not None and self.schema < 25:
            raise ValueError("schema < 25 has no Repetitions.notes")
        if date in habit.reps:
            raise ValueError(f"{habit.name}: two repetitions on {date}")
        habit.reps[date] = (value, notes)

    def amount(self, habit: LoopHabit, date: dt.date, amount: float, notes: str | None = None) -> None:
        """A measurable amount, stored as round(amount x 1000)."""
        self.rep(habit, date, round(amount * 1000), notes)

    # -- writing ------------------------------------------------------------------
    def _habits_ddl(self) -> str:
        columns = [
            "id integer primary key autoincrement",
            "archived integer",
            "color integer",
            "description text",
            "freq_den integer",
            "freq_num integer",
            "highlight integer",
            "name text",
            "position integer",
            "reminder_hour integer",
            "reminder_min integer",
            "reminder_days integer not null default 127",
            "type integer not null default 0",
            "target_type integer not null default 0",
            "target_value real not null default 0",
            'unit text not null default ""',
        ]
        if self.schema >= 23:
            columns.append("question text")
        if self.schema >= 24:
            columns.append("uuid text")
        return "CREATE TABLE Habits ( " + ", ".join(columns) + ")"

    def _repetitions_ddl(self) -> str:
        columns = [
            "id integer primary key autoincrement",
            "habit integer not null references habits(id)",
            "timestamp integer not null",
            "value integer not null",
        ]
        if self.schema >= 25:
            columns.append("notes text")
        return "CREATE TABLE Repetitions ( " + ", ".join(columns) + ")"

    def write(self, path: Path) -> Path:
        """Write the backup to ``path`` (replacing any file there); returns the path."""
        path = Path(path)
        if path.exists():
            path.unlink()
        con = sqlite3.connect(path)
        try:
            con.execute("CREATE TABLE android_metadata (locale TEXT)")
            con.execute("INSERT INTO android_metadata VALUES ('en_US')")
            con.execute(self._habits_ddl())
            con.execute(
                "CREATE TABLE Events ( id integer primary key autoincrement, timestamp integer, "
                "message text, server_id integer )"
            )
            con.execute(self._repetitions_ddl())
            con.execute("CREATE UNIQUE INDEX idx_repetitions_habit_timestamp on Repetitions( habit, timestamp)")
            for h in self.habits:
                hour, minute, days = h.reminder if h.reminder is not None else (None, None, 0)
                row = {
                    "id": h.id,
                    "archived": int(h.archived),
                    "color": h.color,
                    "description": h.question if self.schema < 23 else h.description,
                    "freq_den": h.freq[1],
                    "freq_num": h.freq[0],
                    "highlight": h.highlight,
                    "name": h.name,
                    "position": h.position,
                    "reminder_hour": hour,
                    "reminder_min": minute,
                    "reminder_days": days,
                    "type": h.type,
                    "target_type": h.target_type,
                    "target_value": float(h.target_value),
                    "unit": h.unit,
                }
                if self.schema >= 23:
                    row["question"] = h.question
                if self.schema >= 24:
                    row["uuid"] = h.uuid
                con.execute(
                    f"INSERT INTO Habits ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                    list(row.values()),
                )
            for h in self.habits:
                for date, (value, notes) in sorted(h.reps.items()):
                    if self.schema >= 25:
                        con.execute(
                            "INSERT INTO Repetitions (habit, timestamp, value, notes) VALUES (?, ?, ?, ?)",
                            (h.id, loop_timestamp(date), value, notes),
                        )
                    else:
                        con.execute(
                            "INSERT INTO Repetitions (habit, timestamp, value) VALUES (?, ?, ?)",
                            (h.id, loop_timestamp(date), value),
                        )
            con.execute(f"PRAGMA user_version = {int(self.schema)}")
            con.commit()
        finally:
            con.close()
        return path
