"""Several HabitDesks on one calendar, and the tasks they did not make: nothing is destroyed.

A desktop at home and a laptop at work point at the same calendar; the laptop's
fresh data folder has none of the desktop's habits. Against Radicale and Xandikos.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from habitdesk.core.days import iso, to_date
from habitdesk.core.entries import YES_MANUAL
from habitdesk.core.habit import Habit
from tests.integration.test_caldav_sync import add_account, live, only, phone_calendar, phone_todo, server  # noqa: F401
from tests.support.sync_helpers import other_computer

pytestmark = pytest.mark.slow


def task_uids(server, account) -> set[str]:  # noqa: ANN001
    return {str(todo.icalendar_component["UID"]) for todo in phone_calendar(server, account).todos(include_completed=True)}


def test_a_second_computer_joining_the_calendar_removes_nothing(live, server, tmp_path: Path) -> None:  # noqa: ANN001, F811
    home, home_sync = live
    today = home.today()
    read, gym = home.add_habit(Habit("Read")), home.add_habit(Habit("Gym"))
    account = add_account(home_sync, server)
    assert len(only(home_sync.sync()).pushed) == 18
    home.check(read, today)
    only(home_sync.sync())
    before = task_uids(server, account)
    assert len(before) == 18

    work = tmp_path / "work"
    other_computer(work, "account", "add", "home", "--url", server.url, "--username", "alice", "--password-stdin")
    joined = other_computer(work, "sync", "--password-stdin")
    # It gets the habits through the shared history, and adopts the desktop's tasks as they are:
    # it removes none and rewrites none (it may add the days its own clock already counts).
    assert "removed" not in joined and "updated" not in joined, joined
    assert task_uids(server, account) >= before
    other_computer(work, "sync", "--password-stdin")

    again = only(home_sync.sync())
    assert not [line for line in again.pulled if "deleted on the server" in line], again.pulled
    assert task_uids(server, account) >= before
    assert home.entry(read, today)[0] == YES_MANUAL
    assert str(phone_todo(server, account, read, today).icalendar_component["STATUS"]) == "COMPLETED"
    assert all(phone_todo(server, account, gym, day) is not None for day in (today - 1, today, today + 7))


def test_a_users_own_task_in_the_same_calendar_is_never_touched(live, server) -> None:  # noqa: ANN001, F811
    tracker, sync = live
    tracker.add_habit(Habit("Read"))
    account = add_account(sync, server)
    only(sync.sync())
    calendar = phone_calendar(server, account)
    own = calendar.save_todo(summary="Buy milk", uid="users-own-task-1")
    own_url, own_text = str(own.url), own.data
    for _ in range(2):
        only(sync.sync())
    again = calendar.object_by_uid("users-own-task-1")
    assert str(again.url) == own_url and again.data == own_text  # the same resource, byte for byte


def test_the_upgrade_writes_back_tasks_an_older_habitdesk_deleted_and_rewrites_the_old_format(live, server) -> None:  # noqa: ANN001, F811
    """Before migration 7 the owner took a joining HabitDesk's deletions for the user's and
    wrote all-day tasks due the day after; the first sync after the upgrade mends both."""
    tracker, sync = live
    today = tracker.today()
    read = tracker.add_habit(Habit("Read"))
    account = add_account(sync, server)
    only(sync.sync())
    for day in (today, today + 1):
        phone_todo(server, account, read, day).delete()  # what a joining HabitDesk used to do
    old = phone_todo(server, account, read, today + 2)  # and how the older version wrote a task
    component = old.icalendar_component
    del component["DUE"]
    component.add("dtstart", to_date(today + 2))
    component.add("due", to_date(today + 3))
    old.save()
    assert len(only(sync.sync()).pulled) == 2  # "deleted on the server": remembered
    path = tracker.db_path
    tracker.close()
    con = sqlite3.connect(path)
    with con:  # the data file as the version before the fix left it
        con.execute("UPDATE sync_item SET rendered = replace(rendered, char(31) || '2', '')")
        con.execute("PRAGMA user_version = 6")
        for trigger in [row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'share_%'")]:
            con.execute(f"DROP TRIGGER {trigger}")
        for table in ("share_clock", "share_stamp", "share_object", "share_computer"):
            con.execute(f"DROP TABLE {table}")
        for column in ("share_url", "share_token", "share_seq", "share_join"):
            con.execute(f"ALTER TABLE calendar_account DROP COLUMN {column}")
    con.close()

    from habitdesk.facade.sync import CalendarSync
    from habitdesk.facade.tracker import Tracker

    upgraded = Tracker(path.parent)
    try:
        report = only(CalendarSync(upgraded, zone="Europe/Berlin", timeout=(2, 5)).sync())
        assert {f"created Read {iso(today)}", f"created Read {iso(today + 1)}", f"updated Read {iso(today + 2)}"} <= set(report.pushed)
        for day in (today, today + 1, today + 2):
            component = phone_todo(server, account, read, day).icalendar_component
            assert "DTSTART" not in component and component.decoded("DUE") == to_date(day)
    finally:
        upgraded.close()


def test_an_all_day_task_is_written_due_on_its_own_day(live, server) -> None:  # noqa: ANN001, F811
    tracker, sync = live
    today = tracker.today()
    read = tracker.add_habit(Habit("Read"))
    account = add_account(sync, server)
    only(sync.sync())
    component = phone_todo(server, account, read, today).icalendar_component
    assert "DTSTART" not in component
    assert component.decoded("DUE") == to_date(today)
