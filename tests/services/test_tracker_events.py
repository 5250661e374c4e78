"""One bridge per Tracker carries its changes to the GUI thread, for every Qt listener."""

from __future__ import annotations

import threading

from habitdesk.core.habit import Habit
from habitdesk.facade.changes import Change, ChangeKind
from habitdesk.services.tracker_events import tracker_events


def test_one_bridge_per_tracker_and_changes_arrive_on_the_gui_thread(qtbot, tracker) -> None:  # noqa: ANN001
    events = tracker_events(tracker)
    assert tracker_events(tracker) is events
    seen: list[tuple[Change, bool]] = []

    def slot(change: Change) -> None:
        seen.append((change, threading.current_thread() is threading.main_thread()))

    events.listen(slot)
    events.listen(slot)  # started twice: still heard once
    habit = tracker.add_habit(Habit("Read"))
    worker = threading.Thread(target=lambda: tracker.check(habit, tracker.today()))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: len(seen) == 2)
    assert seen == [(Change(ChangeKind.HABIT_ADDED, habit.id), True),
                    (Change(ChangeKind.ENTRY, habit.id, tracker.today()), True)]  # made on a worker, heard on the GUI thread

    events.stop_listening(slot)
    events.stop_listening(slot)  # stopped twice: no error
    tracker.check(habit, tracker.today() - 1)
    qtbot.wait(50)
    assert len(seen) == 2
