"""The Tracker's reminder commands, today's due habits, and changes made by other processes."""

from __future__ import annotations

import pytest

from habitdesk.core.habit import Habit
from habitdesk.core.reminders import Reminder
from habitdesk.facade.changes import Change, ChangeKind
from habitdesk.facade.errors import UserError
from habitdesk.facade.tracker import Tracker
from tests.conftest import TODAY


def times(tracker: Tracker, habit: Habit) -> list[tuple[str, str, bool]]:
    return [(r.time_text, r.days_text, r.enabled) for r in tracker.reminders(habit)]


def test_set_reminders_replaces_them_and_tells_listeners(tracker: Tracker) -> None:
    habit = tracker.add_habit(Habit("Read"), [Reminder(8 * 60), Reminder(21 * 60)])
    seen: list[Change] = []
    tracker.subscribe(seen.append)
    tracker.set_reminders(habit, [Reminder(21 * 60, 0b1100000), Reminder(7 * 60, enabled=False)])
    assert times(tracker, habit) == [("07:00", "every day", False), ("21:00", "sat,sun", True)]
    assert seen == [Change(ChangeKind.REMINDERS, habit.id)]


def test_add_and_remove_one_reminder(tracker: Tracker) -> None:
    habit = tracker.add_habit(Habit("Read"))
    tracker.add_reminder(habit, Reminder(9 * 60))
    tracker.add_reminder(habit, Reminder(9 * 60, 0b1))
    assert times(tracker, habit) == [("09:00", "mon", True)]
    tracker.remove_reminder(habit, 9 * 60)
    assert times(tracker, habit) == []
    with pytest.raises(UserError, match="'Read' has no reminder at 09:00"):
        tracker.remove_reminder(habit, 9 * 60)
    with pytest.raises(UserError, match="at least one weekday"):
        tracker.add_reminder(habit, Reminder(9 * 60, 0))


def test_due_today_lists_active_habits_still_to_do(tracker: Tracker) -> None:
    read = tracker.add_habit(Habit("Read"))
    run = tracker.add_habit(Habit("Run"))
    old = tracker.add_habit(Habit("Old", archived=True))
    assert tracker.due_today() == {read.id, run.id}
    tracker.check(run, TODAY)
    assert tracker.due_today() == {read.id}
    assert old.id not in tracker.due_today()


def test_a_change_by_another_process_is_noticed_once(tracker: Tracker, cli) -> None:  # noqa: ANN001
    tracker.add_habit(Habit("Read"))
    seen: list[Change] = []
    tracker.subscribe(seen.append)
    assert tracker.poll_external_changes() is False  # our own writes do not count
    assert cli("remind", "add", "Read", "21:00").code == 0
    assert tracker.poll_external_changes() is True
    assert seen == [Change(ChangeKind.EXTERNAL)]
    assert [r.time_text for r in tracker.reminders()] == ["21:00"]
    assert tracker.poll_external_changes() is False
    assert seen == [Change(ChangeKind.EXTERNAL)]
