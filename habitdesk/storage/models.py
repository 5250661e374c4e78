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


class SharedSqliteDatabase(SqliteDatabase):
    """Peewee on the connections of a storage Database (connection.py), one per thread.

    The Database opens and closes them; peewee keeps its transaction state.
    """

    owner = None

    def attach(self, owner) -> None:  # noqa: ANN001 - a storage.connection.Database
        self.owner = owner
        self.init(owner.path)

    def _connect(self):  # noqa: ANN202 - an sqlite3 connection
        return self.owner.connection()

    def _close(self, conn) -> None:  # noqa: ANN001
        pass  # the owner closes its connections

    def is_closed(self) -> bool:
        # A connection the owner has closed since (the file was reopened) is stale.
        if not self._state.closed and (self.owner is None or self._state.conn is not self.owner.live_connection()):
            self._state.reset()
        return self._state.closed


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

