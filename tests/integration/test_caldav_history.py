"""Several computers on one account share their habits and whole history (sync.share), on real servers.

Home is a Tracker in this process; the laptop at work (or a reinstall) is the CLI
in its own process with its own data folder. Against Radicale and Xandikos.
"""

from __future__ import annotations

import datetime as dt
import socket
from pathlib import Path

import pytest

from habitdesk.core.days import iso, to_date
from habitdesk.core.entries import SKIP, YES_MANUAL
from habitdesk.core.habit import Habit
from habitdesk.core.reminders import Reminder
from habitdesk.storage.database import DB_FILENAME as DB
from tests.integration.test_caldav_sync import add_account, live, only, server  # noqa: F401
from tests.support.computer import dump
from tests.support.sync_helpers import other_computer

pytestmark = pytest.mark.slow


def join(folder: Path, server) -> str:  # noqa: ANN001
    other_computer(folder, "account", "add", "home", "--url", server.url, "--username", "alice", "--password-stdin")
    return other_computer(folder, "sync", "--password-stdin")


def test_a_reinstall_gets_every_habit_day_note_and_reminder_back(live, server, tmp_path: Path) -> None:  # noqa: ANN001, F811
    home, home_sync = live
    today = home.today()
    read = home.add_habit(Habit("Read", question="Did you read?"), [Reminder(7 * 60 + 30, 0b0011111)])
    gym = home.add_habit(Habit("Gym"))
    for day in range(today - 800, today + 1, 3):  # more than two years back: several yearly objects
        home.check(read, day)
    home.check(read, today - 400, notes="a good book")
    home.skip(gym, today - 1, notes="ill")
    home.set_archived(gym, True)
    add_account(home_sync, server)
    first = only(home_sync.sync())
    assert first.shared_out >= 4, first.summary()  # two habits and at least three years of Read

    reinstall = tmp_path / "reinstall"
    said = join(reinstall, server)
    assert "shared history: " in said and " read" in said, said
    assert dump(reinstall / DB) == dump(home.db_path)
    listed = other_computer(reinstall, "list", "--archived")
    assert "Read" in listed and "Gym" in listed
    only(home_sync.sync())
    shared_with = home_sync.account("home").computers
    assert shared_with == [(socket.gethostname().split(".")[0], dt.datetime.now(dt.UTC).date().isoformat())], shared_with
    assert home_sync.account("home").status_text.endswith(f"Shared with: {shared_with[0][0]} (last sync {shared_with[0][1]})")


def test_edits_flow_both_ways_in_one_sync_each(live, server, tmp_path: Path) -> None:  # noqa: ANN001, F811
    home, home_sync = live
    today = home.today()
    read, gym = home.add_habit(Habit("Read")), home.add_habit(Habit("Gym"))
    add_account(home_sync, server)
    only(home_sync.sync())
    work = tmp_path / "work"
    join(work, server)

    other_computer(work, "check", "Read", "--date", iso(today), "--note", "on the train")
    other_computer(work, "add", "Stretch")
    other_computer(work, "sync", "--password-stdin")
    home.skip(gym, today)
    home.edit_habit(_renamed(home, read, "Read a book"))
    only(home_sync.sync())
    assert home.entry(home.habit(read.id), today) == (YES_MANUAL, "on the train")
    assert "Stretch" in [h.name for h in home.habits()]

    other_computer(work, "sync", "--password-stdin")
    assert dump(work / DB) == dump(home.db_path)
    assert "Read a book" in other_computer(work, "list")
    assert home.entry(gym, today)[0] == SKIP

    other_computer(work, "delete", "Gym", "--yes")
    other_computer(work, "sync", "--password-stdin")
    only(home_sync.sync())
    assert "Gym" not in [h.name for h in home.habits(archived=None)]
    assert dump(work / DB) == dump(home.db_path)


def test_a_note_both_computers_changed_offline_keeps_both_texts(live, server, tmp_path: Path) -> None:  # noqa: ANN001, F811
    home, home_sync = live
    today = home.today()
    read = home.add_habit(Habit("Read"))
    add_account(home_sync, server)
    only(home_sync.sync())
    work = tmp_path / "work"
    join(work, server)

    home.check(read, today, notes="chapter 3 at home")
    other_computer(work, "check", "Read", "--date", iso(today), "--note", "chapter 4 on the train")
    other_computer(work, "sync", "--password-stdin")
    only(home_sync.sync())
    other_computer(work, "sync", "--password-stdin")
    note = home.entry(read, today)[1]
    assert "chapter 3 at home" in note and "chapter 4 on the train" in note
    assert dump(work / DB) == dump(home.db_path)


def _renamed(tracker, habit: Habit, name: str) -> Habit:  # noqa: ANN001
    fresh = tracker.habit(habit.id)
    fresh.name = name
    return fresh


def test_a_pass_cut_off_half_way_loses_and_duplicates_nothing(live, server, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001, F811
    """The connection drops after a few requests of the shared history's first pass; the next pass completes it."""
    from habitdesk.sync import share
    from habitdesk.sync.errors import Unreachable

    home, home_sync = live
    today = home.today()
    habits = [home.add_habit(Habit(name)) for name in ("Read", "Gym", "Floss")]
    for habit in habits:
        for day in range(today - 700, today + 1, 5):
            home.check(habit, day)
    add_account(home_sync, server)
    sent = {"puts": 0}
    real_put = share.Remote.put

    def put_then_drop(self, href: str, text: str, *, etag: str | None, unconditional: bool = False) -> str:  # noqa: ANN001
        sent["puts"] += 1
        if sent["puts"] > 3:
            raise Unreachable("the server cannot be reached (connection reset)")
        return real_put(self, href, text, etag=etag, unconditional=unconditional)

    monkeypatch.setattr(share.Remote, "put", put_then_drop)
    cut = home_sync.sync()
    assert cut[0].error is not None and "connection reset" in str(cut[0].error)
    monkeypatch.setattr(share.Remote, "put", real_put)
    assert only(home_sync.sync()).shared_out >= 3  # the rest, and only the rest

    reinstall = tmp_path / "reinstall"
    join(reinstall, server)
    assert dump(reinstall / DB) == dump(home.db_path)
    phone = server.phone().calendar(url=home_sync.account("home").share_url)
    uids = [str(journal.icalendar_component["UID"]) for journal in phone.journals()]
    computers = [uid for uid in uids if uid.startswith("habitdesk-computer-")]
    assert len(computers) == 2  # home and the reinstall, once each
    uids = [uid for uid in uids if uid not in computers]
    years = len({to_date(day).year for day in range(today - 700, today + 1, 5)})
    assert len(uids) == len(set(uids)) == 3 + 3 * years  # each habit once, and each of its years once


def test_a_server_that_keeps_no_journals_syncs_tasks_only(live, radicale, monkeypatch) -> None:  # noqa: ANN001, F811
    """Google and some hosted servers refuse a journal collection: the account still syncs its tasks."""
    from habitdesk.sync import discovery
    from habitdesk.sync.errors import SyncError

    real_create = discovery.create_collection

    def no_journals(connection, name: str = discovery.DEFAULT_NAME, *, kind: str = "VTODO"):  # noqa: ANN001, ANN202
        if kind == "VJOURNAL":
            raise SyncError("creating the calendar 'HabitDesk data' failed: 403 Forbidden")
        return real_create(connection, name, kind=kind)

    monkeypatch.setattr(discovery, "create_collection", no_journals)
    home, home_sync = live
    home.add_habit(Habit("Read"))
    account = add_account(home_sync, radicale)
    assert account.share_url == "-"
    report = only(home_sync.sync())
    assert len(report.pushed) == 9 and report.shared_summary() == "" and report.shared_requests == 0
    assert home_sync.account("home").status_text.endswith(
        "Tasks only: this server keeps no journal collection, so other computers on the account "
        "get the tasks but not the habits and their history.")


def _home_with_history(home, home_sync, server):  # noqa: ANN001, ANN202
    today = home.today()
    read, gym = home.add_habit(Habit("Read")), home.add_habit(Habit("Gym"))
    for day in (today - 3, today - 2, today - 1):
        home.check(read, day)
    home.check(gym, today - 1)
    add_account(home_sync, server)
    only(home_sync.sync())
    return read, gym


def test_joining_previews_then_makes_same_named_habits_one(live, server, tmp_path: Path) -> None:  # noqa: ANN001, F811
    """The laptop had its own "read" before it joined: the account's Read and it become one habit with the days of both."""
    home, home_sync = live
    today = home.today()
    read, _gym = _home_with_history(home, home_sync, server)
    work = tmp_path / "work"
    other_computer(work, "add", "read ")
    other_computer(work, "add", "Walk")
    other_computer(work, "check", "read", "--date", iso(today - 10), "--note", "on the train")
    other_computer(work, "check", "read", "--date", iso(today - 1))
    other_computer(work, "check", "Walk", "--date", iso(today))

    said = other_computer(work, "account", "add", "home", "--url", server.url, "--username", "alice", "--password-stdin")
    # Gym (1 day) and Read's two days the laptop lacks come down; Walk (1 day) and read's day 10 go up.
    assert "this computer gets 1 habit and 3 days of history from the account, and the account gets 1 habit and 2 days" in said, said
    assert "made one habit with the days of both: read" in said and "Nothing is deleted" in said, said
    assert dump(work / DB) != dump(home.db_path)  # adding the account changed nothing yet

    synced = other_computer(work, "sync", "--password-stdin")
    assert "now one habit: read" in synced, synced
    only(home_sync.sync())
    other_computer(work, "sync", "--password-stdin")
    assert dump(work / DB) == dump(home.db_path)
    names = sorted(h.name for h in home.habits())
    assert names == ["Gym", "Read", "Walk"], names  # the account's version of the name, once
    merged = home.habit(read.id)
    assert home.entry(merged, today - 10) == (YES_MANUAL, "on the train")
    assert [home.entry(merged, day)[0] for day in (today - 3, today - 2, today - 1)] == [YES_MANUAL] * 3


def test_joining_can_keep_same_named_habits_apart(live, server, tmp_path: Path) -> None:  # noqa: ANN001, F811
    home, home_sync = live
    _home_with_history(home, home_sync, server)
    work = tmp_path / "work"
    other_computer(work, "add", "Read")
    said = other_computer(work, "account", "add", "home", "--url", server.url, "--username", "alice", "--password-stdin",
                          "--keep-apart")
    assert "kept apart (two habits each): Read" in said, said
    other_computer(work, "sync", "--password-stdin")
    only(home_sync.sync())
    assert sorted(h.name for h in home.habits()) == ["Gym", "Read", "Read"]
    other_computer(work, "sync", "--password-stdin")
    assert dump(work / DB) == dump(home.db_path)


def test_account_add_says_when_it_cannot_preview_the_join_and_still_adds_the_account(
        live, server, tmp_path: Path, monkeypatch, capsys) -> None:  # noqa: ANN001, F811
    """The account's data collection cannot be read just then: one warning line; the first sync joins all the same."""
    import io

    from habitdesk.cli import main
    from habitdesk.sync import share
    from habitdesk.sync.errors import Unreachable

    home, home_sync = live
    _home_with_history(home, home_sync, server)

    def unreadable(remote):  # noqa: ANN001, ANN202
        raise Unreachable("the server cannot be reached (connection reset)")

    monkeypatch.setattr(share, "survey", unreadable)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.setattr("sys.stdin", io.StringIO("wonderland\n"))
    work = tmp_path / "work"
    code = main(["--data-dir", str(work), "account", "add", "home", "--url", server.url, "--username", "alice",
                 "--password-stdin"])
    said = capsys.readouterr()
    assert code == 0, said.err
    assert said.out.startswith("Added 'home'") and "gets" not in said.out
    assert ("warning: could not look at the account's shared history yet (the server cannot be reached (connection reset)); "
            "the first sync joins it all the same") in said.err
    monkeypatch.undo()
    joined = other_computer(work, "sync", "--password-stdin")
    assert "2 new habits" in joined, joined
