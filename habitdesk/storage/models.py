"""Peewee models over the tables that migrations create (see migrations.py)."""

from __future__ import annotations

from peewee import (
    AutoField,
    BooleanField,
    CompositeKey,
    FloatField,
    ForeignKeyField,
    IntegerField,
    Model,
    SqliteDatabase,
    TextField,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    import sqlite3
    from typing import Protocol

    class Database(Protocol):
        """What the models need of storage.connection.Database (not imported: it imports this module)."""

        @property
        def path(self) -> str | None: ...

        def connection(self) -> sqlite3.Connection: ...
        def live_connection(self) -> sqlite3.Connection | None: ...


class SharedSqliteDatabase(SqliteDatabase):
    """Peewee on the connections of a storage Database (connection.py), one per thread.

    The Database opens and closes them; peewee keeps its transaction state.
    """

    owner: Database | None = None

    def use_connections_of(self, owner: Database) -> None:
        self.owner = owner
        self.init(owner.path)

    def _connect(self) -> sqlite3.Connection:
        assert self.owner is not None, "use_connections_of() comes first"
        return self.owner.connection()

    def _close(self, conn) -> None:  # noqa: ANN001
        pass  # the owner closes its connections

    def is_closed(self) -> bool:
        # A connection the owner has closed since (the file was reopened) is stale.
        state = self._state  # type: ignore[attr-defined]  # peewee's per-thread state, not in its stubs
        if not state.closed and (self.owner is None or state.conn is not self.owner.live_connection()):
            state.reset()
        return bool(state.closed)


# Bound to the open data file by storage.connection.Database.peewee().
db = SharedSqliteDatabase(None)


class BaseModel(Model):
    class Meta:
        database = db


class HabitRow(BaseModel):
    id = AutoField()
    uuid = TextField(unique=True)
    name = TextField()
    question = TextField(default="")
    description = TextField(default="")
    kind = IntegerField(default=0)
    unit = TextField(default="")
    target_value = FloatField(default=0.0)
    target_type = IntegerField(default=0)
    freq_num = IntegerField(default=1)
    freq_den = IntegerField(default=1)
    weekdays = IntegerField(default=0)
    color = IntegerField(default=8)
    position = IntegerField(default=0)
    archived = BooleanField(default=False)
    created_at = TextField(default="")
    updated_at = TextField(default="")

    class Meta:
        table_name = "habit"


class EntryRow(BaseModel):
    habit = ForeignKeyField(HabitRow, column_name="habit_id", on_delete="CASCADE")
    day = IntegerField()
    value = IntegerField()
    notes = TextField(default="")

    class Meta:
        table_name = "entry"
        primary_key = CompositeKey("habit", "day")
        without_rowid = True


class ReminderRow(BaseModel):
    id = AutoField()
    habit = ForeignKeyField(HabitRow, column_name="habit_id", on_delete="CASCADE")
    minute = IntegerField()
    weekdays = IntegerField(default=127)
    enabled = BooleanField(default=True)

    class Meta:
        table_name = "reminder"


class SettingRow(BaseModel):
    key = TextField(primary_key=True)
    value = TextField()

    class Meta:
        table_name = "setting"


class HabitStatsRow(BaseModel):
    habit = ForeignKeyField(HabitRow, column_name="habit_id", primary_key=True, on_delete="CASCADE")
    through = IntegerField()
    score = FloatField()
    streak = IntegerField()
    best_streak = IntegerField()
    total = IntegerField()
    today_value = IntegerField()
    window_sum = IntegerField()
    anchor = TextField(null=True)
    recent = TextField(default="")

    class Meta:
        table_name = "habit_stats"

