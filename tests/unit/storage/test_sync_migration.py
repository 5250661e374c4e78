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


def test_changes_are_queued_for_enabled_accounts_only(tracker) -> None:  # noqa: ANN001
    """Which days are queued follows each account's sync window, never the real date:
    this tracker's today is years from any real one."""
    today = tracker.today()
    run = tracker.add_habit(Habit("Run"))
    assert _outbox(tracker) == []  # no account: nothing is queued
    state = SyncState(tracker.db)
    on = state.add_account({"key": "a" * 32, "name": "on", "url": "https://x/", "username": "u"})
    state.add_account({"key": "b" * 32, "name": "off", "url": "https://x/", "username": "u", "enabled": 0})
    state.update_account(on, window_start=today - 1)  # as a pass today left it

    tracker.check(run, today)
    tracker.check(run, today - 3)  # the margin before the window: queued
    tracker.check(run, today - 30)  # long past the window: not queued
    run.name = "Run 5k"
    tracker.edit_habit(run)
    tracker.move_habit(run, 0)  # the order is not the calendar's business
    tracker.delete_habit(run)
    assert _outbox(tracker) == [(on, run.uuid, today), (on, run.uuid, today - 3), (on, run.uuid, None), (on, run.uuid, None)]


def test_before_an_accounts_first_pass_every_check_in_is_queued(tracker) -> None:  # noqa: ANN001
    run = tracker.add_habit(Habit("Run"))
    on = SyncState(tracker.db).add_account({"key": "a" * 32, "name": "on", "url": "https://x/", "username": "u"})
    tracker.check(run, tracker.today() - 30)
    assert _outbox(tracker) == [(on, run.uuid, tracker.today() - 30)]


def test_migration_6_queues_by_the_window_on_an_existing_file(db_path: Path) -> None:  # noqa: F811
    from habitdesk.storage.database import open_database

    con = build_schema(db_path, 5)
    fill_schema1(con)
    con.execute("INSERT INTO calendar_account (key, name, url, username) VALUES ('k', 'on', 'https://x/', 'u')")
    con.commit()
    con.close()
    database = open_database(db_path)
    database.execute_sql("UPDATE calendar_account SET window_start = 100")  # as a sync pass leaves it
    habit_id = database.execute_sql("SELECT min(id) FROM habit").fetchone()[0]
    with database.atomic():
        for day in (98, 97):
            database.execute_sql("INSERT OR REPLACE INTO entry (habit_id, day, value, notes) VALUES (?, ?, 2, '')", (habit_id, day))
    assert [day for (day,) in database.execute_sql("SELECT day FROM sync_outbox")] == [98]


def test_the_password_is_not_a_column(data_dir: Path) -> None:
    from habitdesk.facade.tracker import Tracker

    tracker = Tracker(data_dir)
    columns = [r[1] for r in tracker.db.execute_sql("PRAGMA table_info(calendar_account)")]
    assert not any("pass" in c for c in columns)
    tracker.close()
    assert sqlite3.connect(data_dir / DB_FILENAME).execute("PRAGMA user_version").fetchone()[0] >= 4


def test_migration_7_forgets_deletions_made_by_other_habitdesks_and_writes_the_window_again(db_path: Path) -> None:  # noqa: F811
    from habitdesk.storage.database import open_database

    con = build_schema(db_path, 6)
    con.execute("INSERT INTO calendar_account (key, name, url, username, window_start) VALUES ('k', 'on', 'https://x/', 'u', 100)")
    account = con.execute("SELECT id FROM calendar_account").fetchone()[0]
    for uid, tombstone in (("a-1", 1), ("a-2", 0), ("unreadable:/cal/junk.ics", 1)):
        con.execute("INSERT INTO sync_item (account_id, uid, habit_uuid, day, href, tombstone) VALUES (?, ?, 'a', 1, ?, ?)",
                    (account, uid, f"/cal/{uid}.ics", tombstone))
    con.commit()
    con.close()
    database = open_database(db_path)
    assert sorted(r[0] for r in database.execute_sql("SELECT uid FROM sync_item")) == ["a-2", "unreadable:/cal/junk.ics"]
    assert database.execute_sql("SELECT window_start FROM calendar_account").fetchone() == (None,)
