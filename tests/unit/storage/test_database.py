"""Opening the data file: pragmas, constraints, the schema gate and refusals (DESIGN.md §2)."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import peewee
import pytest

from habitdesk.storage.database import (
    APPLICATION_ID,
    DB_FILENAME,
    close_database,
    open_database,
)
from habitdesk.storage.errors import NewerDatabaseError, StorageError
from habitdesk.storage.migrations import LATEST


@pytest.fixture
def db_path(tmp_path: Path):
    path = tmp_path / "data" / DB_FILENAME
    yield path
    close_database()


@pytest.fixture
def opened(db_path: Path):
    return open_database(db_path)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def folder_listing(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir())


def add_habit(database, name: str = "Run", uuid: str | None = None) -> int:
    cursor = database.execute_sql(
        "INSERT INTO habit (uuid, name) VALUES (?, ?)", (uuid or os.urandom(16).hex(), name)
    )
    return cursor.lastrowid


def count(database, table: str) -> int:
    return database.execute_sql(f"SELECT count(*) FROM {table}").fetchone()[0]


# -- pragmas and the schema gate ---------------------------------------------------


def test_pragmas(opened):
    assert opened.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert opened.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    # synchronous=normal is 1
    assert opened.execute_sql("PRAGMA synchronous").fetchone()[0] == 1


def test_wal_is_persistent_in_the_file(db_path, opened):
    close_database()
    con = sqlite3.connect(db_path)
    try:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        con.close()


def test_user_version_and_application_id(db_path, opened):
    assert opened.execute_sql("PRAGMA user_version").fetchone()[0] == LATEST
    assert opened.execute_sql("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    close_database()
    # and they are in the file itself, for other readers
    con = sqlite3.connect(db_path)
    try:
        assert con.execute("PRAGMA user_version").fetchone()[0] == LATEST
        assert con.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    finally:
        con.close()


def test_reopening_a_current_database_keeps_its_data_and_makes_no_backup(db_path, opened):
    add_habit(opened, "Run")
    close_database()
    again = open_database(db_path)
    assert count(again, "habit") == 1
    assert again.execute_sql("PRAGMA user_version").fetchone()[0] == LATEST
    assert not list(db_path.parent.glob("*.bak"))


def test_an_empty_file_becomes_a_new_database(db_path):
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"")
    database = open_database(db_path)
    assert database.execute_sql("PRAGMA user_version").fetchone()[0] == LATEST
    assert count(database, "habit") == 0


def test_creates_missing_folders(tmp_path):
    path = tmp_path / "a" / "b" / DB_FILENAME
    try:
        open_database(path)
        assert path.is_file()
    finally:
        close_database()


def test_every_table_exists(opened):
    tables = {r[0] for r in opened.execute_sql("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"habit", "entry", "reminder", "setting", "habit_stats"} <= tables


# -- constraints -------------------------------------------------------------------


def test_one_entry_per_habit_and_day(opened):
    habit = add_habit(opened)
    opened.execute_sql("INSERT INTO entry (habit_id, day, value) VALUES (?, 100, 2)", (habit,))
    with pytest.raises((sqlite3.IntegrityError, peewee.IntegrityError)):
        opened.execute_sql("INSERT INTO entry (habit_id, day, value) VALUES (?, 100, 0)", (habit,))
    # another day, or another habit on the same day, is fine
    opened.execute_sql("INSERT INTO entry (habit_id, day, value) VALUES (?, 101, 2)", (habit,))
    other = add_habit(opened, "Read")
    opened.execute_sql("INSERT INTO entry (habit_id, day, value) VALUES (?, 100, 2)", (other,))
    assert count(opened, "entry") == 3


def test_entry_day_lookup_uses_the_primary_key(opened):
    plan = " ".join(
        str(r[-1]) for r in opened.execute_sql("EXPLAIN QUERY PLAN SELECT value FROM entry WHERE habit_id = 1 AND day = 5")
    )
    assert "PRIMARY KEY" in plan or "USING INDEX" in plan


def test_one_reminder_per_habit_and_minute(opened):
    habit = add_habit(opened)
    opened.execute_sql("INSERT INTO reminder (habit_id, minute) VALUES (?, 450)", (habit,))
    with pytest.raises((sqlite3.IntegrityError, peewee.IntegrityError)):
        opened.execute_sql("INSERT INTO reminder (habit_id, minute) VALUES (?, 450)", (habit,))


def test_foreign_keys_are_enforced(opened):
    with pytest.raises((sqlite3.IntegrityError, peewee.IntegrityError)):
        opened.execute_sql("INSERT INTO entry (habit_id, day, value) VALUES (999, 1, 2)")


def test_uuid_is_unique(opened):
    add_habit(opened, "a", uuid="0" * 32)
    with pytest.raises((sqlite3.IntegrityError, peewee.IntegrityError)):
        add_habit(opened, "b", uuid="0" * 32)


def test_deleting_a_habit_cascades(opened):
    keep, gone = add_habit(opened, "keep"), add_habit(opened, "gone")
    for habit in (keep, gone):
        for day in range(5):
            opened.execute_sql("INSERT INTO entry (habit_id, day, value) VALUES (?, ?, 2)", (habit, day))
        opened.execute_sql("INSERT INTO reminder (habit_id, minute) VALUES (?, 480)", (habit,))
        opened.execute_sql(
            "INSERT INTO habit_stats (habit_id, through, score, streak, best_streak, total, today_value, window_sum) "
            "VALUES (?, 0, 0.5, 1, 2, 3, 2, 0)",
            (habit,),
        )
    opened.execute_sql("DELETE FROM habit WHERE id = ?", (gone,))
    for table in ("entry", "reminder", "habit_stats"):
        rows = [r[0] for r in opened.execute_sql(f"SELECT habit_id FROM {table}")]
        assert rows and set(rows) == {keep}, table


# -- refusals: newer, damaged and foreign files ------------------------------------


def make_newer(path: Path, *, wal: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path)
    try:
        if wal:
            con.execute("PRAGMA journal_mode = wal")
        con.execute("CREATE TABLE habit (id INTEGER PRIMARY KEY, name TEXT)")
        con.execute("CREATE TABLE something_new (x)")
        con.execute("INSERT INTO habit (name) VALUES ('Run')")
        con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        con.execute(f"PRAGMA user_version = {LATEST + 1}")
        con.commit()
    finally:
        con.close()
    assert folder_listing(path) == [path.name]  # the last close removed -wal and -shm


@pytest.mark.parametrize("wal", [False, True], ids=["rollback-journal", "wal"])
def test_a_newer_database_is_refused_and_left_untouched(db_path, wal):
    make_newer(db_path, wal=wal)
    before = digest(db_path)
    with pytest.raises(NewerDatabaseError) as info:
        open_database(db_path)
    message = str(info.value)
    assert "newer" in message and "update HabitDesk" in message
    assert str(LATEST + 1) in message
    assert "\n" not in message
    assert digest(db_path) == before
    assert folder_listing(db_path) == [db_path.name]  # no -wal, -shm or backup appeared


def test_a_newer_database_is_a_storage_error(db_path):
    make_newer(db_path, wal=False)
    with pytest.raises(StorageError):
        open_database(db_path)


def write_other_program_db(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path)
    try:
        con.execute("CREATE TABLE contacts (id INTEGER PRIMARY KEY, name TEXT, phone TEXT)")
        con.executemany("INSERT INTO contacts (name, phone) VALUES (?, ?)", [("Ann", "1"), ("Bob", "2")])
        con.commit()
    finally:
        con.close()


def write_loop_backup(path: Path) -> None:
    """The shape of a Loop Habit Tracker backup: an Android database at user_version 25."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path)
    try:
        con.execute("CREATE TABLE android_metadata (locale TEXT)")
        con.execute("INSERT INTO android_metadata VALUES ('en_US')")
        con.execute(
            "CREATE TABLE Habits (id INTEGER PRIMARY KEY AUTOINCREMENT, archived INTEGER, color INTEGER, "
            "description TEXT, freq_den INTEGER, freq_num INTEGER, highlight INTEGER, name TEXT, "
            "position INTEGER, reminder_hour INTEGER, reminder_min INTEGER, reminder_days INTEGER NOT NULL DEFAULT 127, "
            "type INTEGER NOT NULL DEFAULT 0, target_type INTEGER NOT NULL DEFAULT 0, "
            "target_value REAL NOT NULL DEFAULT 0, unit TEXT NOT NULL DEFAULT '', question TEXT, uuid TEXT)"
        )
        con.execute(
            "CREATE TABLE Repetitions (id INTEGER PRIMARY KEY AUTOINCREMENT, habit INTEGER NOT NULL REFERENCES Habits(id), "
            "timestamp INTEGER NOT NULL, value INTEGER NOT NULL, notes TEXT, UNIQUE(habit, timestamp))"
        )
        con.execute(
            "INSERT INTO Habits (archived, color, description, freq_den, freq_num, highlight, name, position, "
            "question, uuid) VALUES (0, 8, '', 7, 3, 0, 'Run', 0, 'Did you run?', ?)",
            ("a" * 32,),
        )
        con.execute("INSERT INTO Repetitions (habit, timestamp, value) VALUES (1, 1422144000000, 2)")
        con.execute("PRAGMA user_version = 25")
        con.commit()
    finally:
        con.close()


def write_random(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(bytes(range(256)) * 40)


def write_magic_then_garbage(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"SQLite format 3\x00" + bytes((i * 37 + 11) % 256 for i in range(8192)))


def truncated(length_fraction: float | int):
    def write(path: Path) -> None:
        source = path.with_name("source.sqlite3")
        write_other_program_db(source)
        con = sqlite3.connect(source)
        con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        con.execute(f"PRAGMA user_version = {LATEST}")
        con.commit()
        con.close()
        data = source.read_bytes()
        source.unlink()
        n = length_fraction if isinstance(length_fraction, int) else int(len(data) * length_fraction)
        path.write_bytes(data[:n])

    return write


DAMAGED = {
    "random-bytes": write_random,
    "sqlite-magic-then-garbage": write_magic_then_garbage,
    "truncated-inside-magic": truncated(10),
    "truncated-header": truncated(60),
    "truncated-first-page": truncated(1000),
    "truncated-half": truncated(0.5),
    "other-program": write_other_program_db,
    "loop-backup": write_loop_backup,
}


@pytest.mark.parametrize("writer", DAMAGED.values(), ids=DAMAGED.keys())
def test_unusable_files_are_refused_and_left_unchanged(db_path, writer):
    writer(db_path)
    before = digest(db_path)
    listing = folder_listing(db_path)
    with pytest.raises(StorageError) as info:
        open_database(db_path)
    message = str(info.value)
    assert "\n" not in message and str(db_path) in message
    # nothing here was written by a newer HabitDesk: don't tell the user to update
    assert "update HabitDesk" not in message
    assert digest(db_path) == before
    assert folder_listing(db_path) == listing


@pytest.mark.parametrize("writer", [write_other_program_db, write_loop_backup], ids=["other-program", "loop-backup"])
def test_foreign_sqlite_files_are_named_as_such(db_path, writer):
    writer(db_path)
    with pytest.raises(StorageError, match="another program"):
        open_database(db_path)


def test_a_directory_in_place_of_the_file_is_refused(db_path):
    db_path.mkdir(parents=True)
    with pytest.raises(StorageError):
        open_database(db_path)


def test_a_file_in_place_of_the_folder_is_refused(tmp_path):
    blocker = tmp_path / "data"
    blocker.write_text("not a folder")
    with pytest.raises(StorageError, match="data"):
        open_database(blocker / DB_FILENAME)
    assert blocker.read_text() == "not a folder"


def test_a_failing_migration_is_a_storage_error_and_rolls_back(db_path):
    """A schema-1 file that cannot take migration 2 is refused, still at schema 1."""
    from habitdesk.storage.migrations import MIGRATIONS

    db_path.parent.mkdir(parents=True)
    con = sqlite3.connect(db_path)
    MIGRATIONS[0](con.execute)
    con.execute("CREATE TABLE habit_stats (x)")  # in the way of migration 2
    con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    con.execute("PRAGMA user_version = 1")
    con.commit()
    con.close()
    with pytest.raises(StorageError):
        open_database(db_path)
    close_database()
    con = sqlite3.connect(db_path)
    try:
        assert con.execute("PRAGMA user_version").fetchone()[0] == 1
    finally:
        con.close()
