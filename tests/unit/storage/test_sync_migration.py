"""Migration 4: the calendar sync tables, and the triggers that queue every local change."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from habitdesk.core.habit import Habit
from habitdesk.storage.database import DB_FILENAME
from habitdesk.storage.sync_state import SyncState
from tests.unit.storage.test_migrations import build_schema, db_path, fill_schema1  # noqa: F401 - the fixture


def test_migration_4_adds_the_sync_tables_and_keeps_the_data(db_path: Path) -> None:  # noqa: F811
    from habitdesk.storage.database import open_database

    con = build_schema(db_path, 3)
    fill_schema1(con)
    con.close()
    database = open_database(db_path)
    tables = {r[0] for r in database.execute_sql("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"calendar_account", "sync_item", "sync_outbox"} <= tables
    assert database.execute_sql("SELECT count(*) FROM entry").fetchone()[0] == 5
    assert database.execute_sql("SELECT count(*) FROM sync_outbox").fetchone()[0] == 0


def _outbox(tracker) -> list[tuple]:  # noqa: ANN001
    return tracker.db.execute_sql("SELECT account_id, habit_uuid, day FROM sync_outbox ORDER BY id").fetchall()


def test_changes_are_queued_for_enabled_accounts_only(data_dir: Path) -> None:
    from habitdesk.facade.tracker import Tracker

    tracker = Tracker(data_dir)  # the real date: the triggers queue recent days only
    today = tracker.today()
    run = tracker.add_habit(Habit("Run"))
    assert _outbox(tracker) == []  # no account: nothing is queued
    state = SyncState(tracker.db)
    on = state.add_account({"key": "a" * 32, "name": "on", "url": "https://x/", "username": "u"})
    state.add_account({"key": "b" * 32, "name": "off", "url": "https://x/", "username": "u", "enabled": 0})

    tracker.check(run, today)
    tracker.check(run, today - 30)  # long past the window: not queued
    run.name = "Run 5k"
    tracker.edit_habit(run)
    tracker.move_habit(run, 0)  # the order is not the calendar's business
    tracker.delete_habit(run)
    assert _outbox(tracker) == [(on, run.uuid, today), (on, run.uuid, None), (on, run.uuid, None)]
    tracker.close()


def test_the_password_is_not_a_column(data_dir: Path) -> None:
    from habitdesk.facade.tracker import Tracker

    tracker = Tracker(data_dir)
    columns = [r[1] for r in tracker.db.execute_sql("PRAGMA table_info(calendar_account)")]
    assert not any("pass" in c for c in columns)
    tracker.close()
    assert sqlite3.connect(data_dir / DB_FILENAME).execute("PRAGMA user_version").fetchone()[0] >= 4
