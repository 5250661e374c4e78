"""Numbered migrations: each one upgrades an older file and keeps its data (DESIGN.md §2)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from habitdesk.storage.database import APPLICATION_ID, DB_FILENAME, close_database, migrate, open_database
from habitdesk.storage.migrations import LATEST, MIGRATIONS


@pytest.fixture
def db_path(tmp_path: Path):
    path = tmp_path / "data" / DB_FILENAME
    path.parent.mkdir()
    yield path
    close_database()


def build_schema(path: Path, version: int, *, app_id: int = APPLICATION_ID) -> sqlite3.Connection:
    """A database as HabitDesk at schema ``version`` left it: only migrations 1..version run."""
    con = sqlite3.connect(path)
    for migration in MIGRATIONS[:version]:
        migration(con.execute)
    con.execute(f"PRAGMA user_version = {version}")
    if app_id:
        con.execute(f"PRAGMA application_id = {app_id}")
    con.commit()
    return con


def fill_schema1(con: sqlite3.Connection) -> None:
    con.execute(
        "INSERT INTO habit (id, uuid, name, question, description, kind, unit, target_value, target_type, "
        "freq_num, freq_den, weekdays, color, position, archived, created_at, updated_at) VALUES "
        "(1, ?, 'Run', 'Did you run?', 'outside', 0, '', 0, 0, 3, 7, 0, 4, 0, 0, '2020-01-01T00:00:00+00:00', '2020-01-02T00:00:00+00:00'),"
        "(2, ?, 'Water', '', '', 1, 'glasses', 8.0, 0, 1, 1, 0, 9, 1, 1, '', ''),"
        "(3, ?, 'Gym', '', '', 0, '', 0, 0, 1, 1, 21, 8, 2, 0, '', '')",
        ("a" * 32, "b" * 32, "c" * 32),
    )
    con.executemany(
        "INSERT INTO entry (habit_id, day, value, notes) VALUES (?, ?, ?, ?)",
        [(1, 20000, 2, "felt good"), (1, 20001, 3, ""), (1, 20003, -1, "only a note"), (2, 20000, 9000, ""),
         (3, 20002, 2, "")],
    )
    con.execute("INSERT INTO reminder (habit_id, minute, weekdays, enabled) VALUES (1, 450, 127, 1), (3, 1200, 21, 0)")
    con.execute("INSERT INTO setting (key, value) VALUES ('first_weekday', '6')")
    con.commit()


def dump(con: sqlite3.Connection, table: str) -> list[tuple]:
    return con.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()


def tables(con) -> set[str]:  # noqa: ANN001
    return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_migrations_are_numbered_consecutively():
    assert LATEST == len(MIGRATIONS) >= 2


def test_a_new_database_runs_every_migration(db_path):
    database = open_database(db_path)
    assert database.execute_sql("PRAGMA user_version").fetchone()[0] == LATEST
    assert not list(db_path.parent.glob("*.bak"))  # nothing to protect in a new file


def test_migration_1_creates_the_base_schema(db_path):
    con = build_schema(db_path, 1)
    try:
        assert tables(con) == {"habit", "entry", "reminder", "setting"}
        habit_columns = [r[1] for r in con.execute("PRAGMA table_info(habit)")]
        assert habit_columns == [
            "id", "uuid", "name", "question", "description", "kind", "unit", "target_value", "target_type",
            "freq_num", "freq_den", "weekdays", "color", "position", "archived", "created_at", "updated_at",
        ]
        assert [r[1] for r in con.execute("PRAGMA table_info(entry)")] == ["habit_id", "day", "value", "notes"]
    finally:
        con.close()


def test_migration_2_from_schema_1_keeps_the_data_and_adds_the_stats_table(db_path):
    con = build_schema(db_path, 1)
    fill_schema1(con)
    before = {t: dump(con, t) for t in ("habit", "entry", "reminder", "setting")}
    con.close()

    database = open_database(db_path)
    assert database.execute_sql("PRAGMA user_version").fetchone()[0] == LATEST
    assert database.execute_sql("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    close_database()

    con = sqlite3.connect(db_path)
    try:
        for table, rows in before.items():
            assert dump(con, table) == rows, table
        assert "habit_stats" in tables(con)
        columns = [r[1] for r in con.execute("PRAGMA table_info(habit_stats)")]
        assert columns == [
            "habit_id", "through", "score", "streak", "best_streak", "total", "today_value", "window_sum", "anchor",
            "recent",
        ]
        assert dump(con, "habit_stats") == []
        # the cascade from habit reaches the new table too
        con.execute("PRAGMA foreign_keys = ON")
        con.execute(
            "INSERT INTO habit_stats (habit_id, through, score, streak, best_streak, total, today_value, window_sum) "
            "VALUES (1, 0, 0, 0, 0, 0, 0, 0)"
        )
        con.execute("DELETE FROM habit WHERE id = 1")
        assert dump(con, "habit_stats") == []
        con.rollback()
    finally:
        con.close()

    # a safety copy of the schema-1 file, with its data, was kept next to it
    backups = list(db_path.parent.glob("*.schema1.bak"))
    assert [b.name for b in backups] == [f"{DB_FILENAME}.schema1.bak"]
    bak = sqlite3.connect(backups[0])
    try:
        assert bak.execute("PRAGMA user_version").fetchone()[0] == 1
        assert "habit_stats" not in tables(bak)
        for table, rows in before.items():
            assert dump(bak, table) == rows, table
    finally:
        bak.close()


def test_a_migrated_database_works_through_the_tracker(db_path):
    from habitdesk.facade.tracker import Tracker

    con = build_schema(db_path, 1)
    fill_schema1(con)
    con.close()
    tracker = Tracker(db_path.parent, today=20010)
    try:
        names = [h.name for h in tracker.habits(archived=None)]
        assert names == ["Run", "Water", "Gym"]
        run = tracker.find_habit("Run")
        assert tracker.notes(run) == {20000: "felt good", 20003: "only a note"}
        summaries = tracker.summaries(tracker.habits())
        assert summaries[run.id].total == 1
        assert tracker.settings.first_weekday == 6
    finally:
        tracker.close()


@pytest.mark.parametrize("version", range(1, LATEST))
def test_each_older_schema_reaches_latest(db_path, version):
    con = build_schema(db_path, version)
    fill_schema1(con)
    con.close()
    database = open_database(db_path)
    assert database.execute_sql("PRAGMA user_version").fetchone()[0] == LATEST
    assert database.execute_sql("SELECT count(*) FROM entry").fetchone()[0] == 5
    assert (db_path.parent / f"{DB_FILENAME}.schema{version}.bak").is_file()


def test_a_schema_1_file_without_application_id_is_still_ours(db_path):
    """Files with our tables and a known user_version open even if application_id is 0."""
    con = build_schema(db_path, 1, app_id=0)
    fill_schema1(con)
    con.close()
    database = open_database(db_path)
    assert database.execute_sql("PRAGMA user_version").fetchone()[0] == LATEST
    assert database.execute_sql("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


def test_migrate_runs_each_step_in_its_own_transaction(db_path, monkeypatch):
    """A failing step leaves the file at the last step that succeeded."""
    import habitdesk.storage.database as database_module

    def broken(sql):  # noqa: ANN001, ANN202
        sql("CREATE TABLE half_done (x)")
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(database_module, "MIGRATIONS", (MIGRATIONS[0], broken))
    from habitdesk.storage.connection import Database

    db = Database()
    db.init(str(db_path))
    db.connect()
    try:
        with pytest.raises(sqlite3.OperationalError):
            migrate(db, 0)
        assert db.execute_sql("PRAGMA user_version").fetchone()[0] == 1
        names = {r[0] for r in db.execute_sql("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert "habit" in names and "half_done" not in names
    finally:
        db.close()
