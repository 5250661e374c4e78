"""Reminders end to end on a real D-Bus session: scheduler -> notification -> button -> the window's undo stack.

The notification server is the test service (tests/support/notification_service.py);
the window is the real MainWindow; the clock is the real one, shifted.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from habitdesk.core.days import to_date
from habitdesk.core.entries import SKIP, YES_MANUAL
from habitdesk.core.habit import Habit, Kind
from habitdesk.core.reminders import Reminder
from habitdesk.services.notifier import CallableBackend, NotifierChain
from habitdesk.services.notify_dbus import FreedesktopBackend
from habitdesk.services.scheduler import Clock, ReminderScheduler
from habitdesk.ui.entry_dialogs import AmountEditor
from habitdesk.ui.reminders import ReminderPresenter
from tests.conftest import TODAY
from tests.services.test_scheduler import StartingClock
from tests.ui.test_main_window import make_window, ui_settings  # noqa: F401 - fixtures

BERLIN = ZoneInfo("Europe/Berlin")
YES_NO_BUTTONS = ["default", "Open HabitDesk", "done", "Done", "skip", "Skip", "snooze", "Snooze 10 min"]


def wall(day: int, hour: int, minute: int, second: int = 0) -> dt.datetime:
    d = to_date(day)
    return dt.datetime(d.year, d.month, d.day, hour, minute, second, tzinfo=BERLIN)


def clock_at(moment: dt.datetime) -> Clock:
    """Reads ``moment`` when the scheduler starts (not when the window is being built)."""
    return StartingClock(moment)


@pytest.fixture
def reminders(qtbot, tracker, make_window, ui_settings, recorder):  # noqa: ANN001, ANN201, F811
    """reminders(clock) -> (presenter, window): the app's reminder wiring on the test bus, started."""
    made = []

    def make(clock: Clock):  # noqa: ANN202
        window = make_window(tracker)
        scheduler = ReminderScheduler(tracker, clock, jump_check_ms=50)
        chain = NotifierChain([FreedesktopBackend(timeout=1.0), CallableBackend("tray message", recorder)])
        presenter = ReminderPresenter(tracker, window, scheduler, chain, ui_settings)
        made.append(presenter)
        with qtbot.waitSignal(chain.ready, timeout=15000):
            presenter.start()
        return presenter, window

    yield make
    for presenter in made:
        presenter.stop()


def notify_calls(service) -> list[dict]:  # noqa: ANN001
    return service.calls("Notify")


def wait_for(qtbot, service, method: str = "Notify", count: int = 1) -> list[dict]:  # noqa: ANN001
    """The service's calls once there are ``count``, keeping Qt's event loop (and its timers) running."""
    qtbot.waitUntil(lambda: len(service.calls(method)) >= count, timeout=8000)
    return service.calls(method)


def test_a_reminder_due_in_a_second_is_one_notification_and_done_records_the_day(
    qtbot, tracker, notification_service, reminders, recorder  # noqa: ANN001
) -> None:
    read = tracker.add_habit(Habit("Read", question="Did you read 20 pages?"), [Reminder(12 * 60)])
    presenter, window = reminders(clock_at(wall(TODAY, 11, 59, 59)))
    assert notify_calls(notification_service) == []  # nothing was missed this morning
    (call,) = wait_for(qtbot, notification_service)
    qtbot.wait(300)  # room for a duplicate
    assert len(notify_calls(notification_service)) == 1
    _app, _replaces, _icon, title, text, actions, _hints, _expire = call["args"]
    assert (title, text, actions) == ("Read", "Did you read 20 pages?", YES_NO_BUTTONS)
    assert recorder.shown == []

    with qtbot.waitSignal(presenter.answered, timeout=5000):
        notification_service.invoke(call["id"], "done")
    assert tracker.entry(read, TODAY)[0] == YES_MANUAL
    assert window.undo_action.text().startswith("&Undo Check \u201cRead\u201d")  # undoable from the window
    window.undo_action.trigger()
    assert tracker.entry(read, TODAY)[0] != YES_MANUAL


def test_done_answered_the_next_morning_records_the_reminders_day(
    qtbot, tracker, notification_service, reminders  # noqa: ANN001
) -> None:
    read = tracker.add_habit(Habit("Read"), [Reminder(23 * 60 + 59)])
    presenter, _window = reminders(clock_at(wall(TODAY - 1, 23, 58, 59)))
    (call,) = wait_for(qtbot, notification_service)
    assert call["args"][3:5] == ["Read", "Did you complete this habit today?"]
    # The user answers after midnight: it is the reminder's day that gets the check.
    with qtbot.waitSignal(presenter.answered, timeout=5000):
        notification_service.invoke(call["id"], "done")
    assert tracker.entry(read, TODAY - 1)[0] == YES_MANUAL
    assert tracker.entry(read, TODAY)[0] != YES_MANUAL


def test_skip_records_a_skip(qtbot, tracker, notification_service, reminders) -> None:  # noqa: ANN001
    read = tracker.add_habit(Habit("Read"), [Reminder(12 * 60)])
    presenter, _window = reminders(clock_at(wall(TODAY, 12, 0, 1)))  # missed a second ago: shown at start
    (call,) = wait_for(qtbot, notification_service)
    with qtbot.waitSignal(presenter.answered, timeout=5000):
        notification_service.invoke(call["id"], "skip")
    assert tracker.entry(read, TODAY)[0] == SKIP


def test_snooze_notifies_again_after_the_snooze_time(qtbot, tracker, notification_service, reminders) -> None:  # noqa: ANN001
    tracker.add_habit(Habit("Read"), [Reminder(12 * 60)])
    presenter, _window = reminders(clock_at(wall(TODAY, 12, 0, 1)))
    (call,) = wait_for(qtbot, notification_service)
    with qtbot.waitSignal(presenter.answered, timeout=5000):
        notification_service.invoke(call["id"], "snooze")
    qtbot.wait(300)
    assert len(notify_calls(notification_service)) == 1  # not before the snooze time
    presenter.scheduler.clock.offset += dt.timedelta(minutes=10)
    calls = wait_for(qtbot, notification_service, count=2)
    assert calls[1]["args"][3] == "Read"
    assert calls[1]["args"][5] == YES_NO_BUTTONS


def test_a_measurable_habit_offers_enter_amount_which_opens_the_editor(
    qtbot, tracker, notification_service, reminders  # noqa: ANN001
) -> None:
    tracker.add_habit(Habit("Water", kind=Kind.MEASURABLE, unit="glasses", target_value=8), [Reminder(12 * 60)])
    presenter, window = reminders(clock_at(wall(TODAY, 12, 0, 1)))
    (call,) = wait_for(qtbot, notification_service)
    assert call["args"][5] == ["default", "Open HabitDesk", "amount", "Enter amount…", "snooze", "Snooze 10 min"]
    with qtbot.waitSignal(presenter.answered, timeout=5000):
        notification_service.invoke(call["id"], "amount")
    editor = window.findChild(AmountEditor)
    assert editor is not None and editor.isVisible()
    editor.reject()


def test_checking_in_the_window_withdraws_the_notification(qtbot, tracker, notification_service, reminders) -> None:  # noqa: ANN001
    read = tracker.add_habit(Habit("Read"), [Reminder(12 * 60)])
    _presenter, window = reminders(clock_at(wall(TODAY, 12, 0, 1)))
    (call,) = wait_for(qtbot, notification_service)
    window.record_from_outside(read.id, TODAY, YES_MANUAL)
    (close,) = wait_for(qtbot, notification_service, "CloseNotification")
    assert close["args"] == [call["id"]]


def test_with_the_service_gone_the_reminder_falls_back_to_the_tray_and_nothing_crashes(
    qtbot, tracker, notification_service, reminders, recorder  # noqa: ANN001
) -> None:
    tracker.add_habit(Habit("Read"), [Reminder(12 * 60)])
    tracker.add_habit(Habit("Run"), [Reminder(12 * 60 + 1)])
    presenter, window = reminders(clock_at(wall(TODAY, 12, 0, 1)))
    wait_for(qtbot, notification_service)
    notification_service.stop()  # the daemon is gone
    presenter.scheduler.clock.offset += dt.timedelta(minutes=1)
    qtbot.waitUntil(lambda: recorder.titles == ["Run"], timeout=10000)
    assert window.isVisible()
    assert tracker.due_today() == {h.id for h in tracker.habits()}  # still due: the window and tray say so


def test_a_restart_does_not_show_todays_reminder_again(qtbot, tracker, notification_service, reminders, ui_settings) -> None:  # noqa: ANN001, F811
    tracker.add_habit(Habit("Read"), [Reminder(12 * 60)])
    presenter, _window = reminders(clock_at(wall(TODAY, 12, 0, 1)))
    wait_for(qtbot, notification_service)
    presenter.stop()
    ui_settings.sync()
    reminders(clock_at(wall(TODAY, 12, 30)))  # the app starts again half an hour later
    qtbot.wait(300)
    assert len(notify_calls(notification_service)) == 1

