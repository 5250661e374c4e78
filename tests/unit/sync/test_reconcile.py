"""The sync pass's own decisions against an in-memory collection that keeps CalDAV's rules.

In milliseconds, beside (never instead of) the same cases against Radicale and
Xandikos in tests/integration/test_caldav_sync.py.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from habitdesk.core.days import iso
from habitdesk.core.entries import SKIP, UNKNOWN, YES_MANUAL
from habitdesk.core.habit import Habit
from habitdesk.sync.mapping import uid
from habitdesk.sync.reconcile import Engine
from habitdesk.sync.remote import Precondition
from tests.support.memory_remote import MemoryRemote


@pytest.fixture
def world(tracker) -> Iterator:  # noqa: ANN001
    """(tracker, remote, a pass): an account on the in-memory collection."""
    from habitdesk.facade.sync import CalendarSync, _Local

    sync = CalendarSync(tracker, zone="UTC")
    remote = MemoryRemote()
    sync.state.add_account({"key": "k" * 32, "name": "home", "url": "http://memory.invalid/", "username": "alice",
                            "calendar_url": remote.url, "calendar_name": "Habits"})

    def run(*, pull: bool = True):  # noqa: ANN202 - a Report
        remote.requests = 0  # counted per pass, as a new Remote is made for each
        return Engine(_Local(sync, sync.account("home")), remote, zone="UTC").run(pull=pull)

    yield tracker, remote, run


def test_the_first_pass_writes_the_window_and_the_next_costs_one_request(world) -> None:  # noqa: ANN001
    tracker, remote, run = world
    tracker.add_habit(Habit("Run"))
    report = run()
    assert len(remote.resources) == 9  # yesterday to seven days ahead
    assert len(report.pushed) == 9
    run()  # reads back its own writes
    assert run().requests == 1  # the ctag alone: nothing changed


def test_a_phone_check_in_arrives_and_a_local_one_leaves(world) -> None:  # noqa: ANN001
    tracker, remote, run = world
    today = tracker.today()
    habit = tracker.add_habit(Habit("Run"))
    run()
    remote.phone_edit(uid(habit.uuid, today), status="COMPLETED")
    remote.phone_edit(uid(habit.uuid, today - 1), status="CANCELLED")
    assert sorted(run().pulled) == sorted([f"Run {iso(today)}: checked", f"Run {iso(today - 1)}: skipped"])
    assert (tracker.entry(habit, today)[0], tracker.entry(habit, today - 1)[0]) == (YES_MANUAL, SKIP)

    tracker.clear(habit, today)
    assert run(pull=False).pushed == [f"cleared Run {iso(today)}"]
    assert "STATUS:NEEDS-ACTION" in remote.resources[remote.href_of(uid(habit.uuid, today))][1]
    assert tracker.entry(habit, today)[0] == UNKNOWN


def test_a_412_reloads_merges_and_retries(world) -> None:  # noqa: ANN001
    tracker, remote, run = world
    today = tracker.today()
    habit = tracker.add_habit(Habit("Run"))
    run()
    tracker.check(habit, today)
    put, outcomes = remote.put, []

    def racing_put(href: str, text: str, *, etag: str | None, unconditional: bool = False) -> str:
        if etag and not outcomes:
            remote.phone_edit(uid(habit.uuid, today), description="phone was here")
        try:
            new = put(href, text, etag=etag, unconditional=unconditional)
        except Precondition:
            outcomes.append("412")
            raise
        outcomes.append("ok")
        return new

    remote.put = racing_put  # type: ignore[method-assign]
    run(pull=False)
    assert outcomes == ["412", "ok"]
    text = remote.resources[remote.href_of(uid(habit.uuid, today))][1]
    assert "STATUS:COMPLETED" in text and "DESCRIPTION:phone was here" in text


def test_a_task_deleted_on_the_phone_stays_deleted(world) -> None:  # noqa: ANN001
    tracker, remote, run = world
    today = tracker.today()
    habit = tracker.add_habit(Habit("Run"))
    run()
    remote.phone_delete(uid(habit.uuid, today + 2))
    assert run().pulled == [f"Run {iso(today + 2)}: deleted on the server"]
    tracker.edit_habit(habit)  # a queued habit change does not bring it back
    run()
    with pytest.raises(KeyError):
        remote.href_of(uid(habit.uuid, today + 2))
    assert len(remote.resources) == 8


def test_a_refused_sync_token_falls_back_to_a_full_listing(world) -> None:  # noqa: ANN001
    tracker, remote, run = world
    today = tracker.today()
    habit = tracker.add_habit(Habit("Run"))
    run()
    run()
    remote._changes.clear()  # the server forgot its history  # noqa: SLF001
    remote._revision += 100  # noqa: SLF001
    remote.phone_edit(uid(habit.uuid, today), status="COMPLETED")
    assert run().pulled == [f"Run {iso(today)}: checked"]


def test_tasks_of_habits_this_data_file_does_not_have_are_left_alone(world) -> None:  # noqa: ANN001
    """Another HabitDesk's tasks on the same calendar: read, never removed nor rewritten."""
    from habitdesk.core.occurrences import ALL_DAY
    from habitdesk.sync import mapping

    tracker, remote, run = world
    today = tracker.today()
    theirs = "f" * 32
    for day in (today - 1, today, today + 1):
        remote.put(remote.href_for(mapping.resource_name(theirs, day)),
                   mapping.build(theirs, "Their habit", day, ALL_DAY, mapping.OPEN, alarms=False, zone="UTC"), etag=None)
    before = dict(remote.resources)
    tracker.add_habit(Habit("Read"))
    report = run()
    run()
    assert not [line for line in report.pushed if "Their habit" in line or theirs[:8] in line]
    assert {href: remote.resources[href] for href in before} == before  # the same ETags and text


def test_a_task_rewritten_into_junk_is_skipped_and_the_pass_completes(world) -> None:  # noqa: ANN001
    tracker, remote, run = world
    today = tracker.today()
    read, gym = tracker.add_habit(Habit("Read")), tracker.add_habit(Habit("Gym"))
    run()
    href = remote.href_of(uid(read.uuid, today))
    remote._write(href, "this is not iCalendar at all")  # a lenient server kept what a client wrote  # noqa: SLF001
    tracker.check(read, today)
    tracker.check(gym, today)
    report = run()
    assert [line.split(":")[0] for line in report.skipped] == [href, href]  # read, then refused as a base
    assert f"checked Gym {iso(today)}" in report.pushed
    assert remote.resources[href][1] == "this is not iCalendar at all"  # left as it is
    assert run().skipped == []  # reported once: the next passes complete quietly
