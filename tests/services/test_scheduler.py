"""The reminder scheduler with its real QTimer: a reminder due in a second, changes, jumps, snoozes, DST.

The wall clock is the real one shifted (Clock.offset), so the timer waits real
milliseconds while the reminders sit at chosen times of the tracker's day.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from habitdesk.core.days import from_date, to_date
from habitdesk.core.habit import Habit
from habitdesk.core.reminders import Reminder
from habitdesk.services.scheduler import Clock, ReminderScheduler
from tests.conftest import TODAY

BERLIN = ZoneInfo("Europe/Berlin")


class StartingClock(Clock):
    """Reads ``wall`` at its first reading (the scheduler's start), then runs at the real rate.

    Anchoring at the first reading rather than at creation keeps a slow test set-up
    (a loaded CI machine) from eating into "a reminder due in a second".
    """

    def __init__(self, wall: dt.datetime) -> None:
        super().__init__(wall.tzinfo)
        self.wall = wall
        self.anchored = False

    def now(self) -> dt.datetime:
        if not self.anchored:
            self.anchored = True
            self.offset += self.wall.astimezone(dt.UTC) - dt.datetime.now(dt.UTC)
        return super().now()


def clock_at(wall: dt.datetime) -> Clock:
    """A clock that reads ``wall`` when the scheduler starts and runs at the real rate from there."""
    return StartingClock(wall)


def today_at(hour: int, minute: int, second: int = 0) -> dt.datetime:
    d = to_date(TODAY)
    return dt.datetime(d.year, d.month, d.day, hour, minute, second, tzinfo=BERLIN)


@pytest.fixture
def make_scheduler(qtbot, tracker):  # noqa: ANN001, ANN201
    made = []

    def make(clock: Clock, **kw) -> ReminderScheduler:
        scheduler = ReminderScheduler(tracker, clock, **kw)
        made.append(scheduler)
        return scheduler

    yield make
    for scheduler in made:
        scheduler.stop()


def names(tracker, fired: list) -> list[tuple[str, str]]:  # noqa: ANN001
    return [(tracker.habit(o.habit_id).name, f"{o.minute // 60:02d}:{o.minute % 60:02d}") for o in fired]


def test_a_reminder_due_in_a_second_fires_exactly_once(qtbot, tracker, make_scheduler) -> None:  # noqa: ANN001
    read = tracker.add_habit(Habit("Read"), [Reminder(12 * 60)])
    scheduler = make_scheduler(clock_at(today_at(11, 59, 59)))
    fired: list[list] = []
    scheduler.fire.connect(fired.append)
    scheduler.start()
    assert fired == []  # nothing was missed this morning
    assert scheduler.next_fire == today_at(12, 0)
    with qtbot.waitSignal(scheduler.fire, timeout=3000):
        pass
    assert [names(tracker, batch) for batch in fired] == [[("Read", "12:00")]]
    assert fired[0][0].day == TODAY and fired[0][0].habit_id == read.id
    qtbot.wait(1200)
    assert len(fired) == 1
    assert scheduler.next_fire == today_at(0, 0) + dt.timedelta(days=1)  # the next day starts first


def test_start_up_shows_todays_latest_missed_reminder_of_each_open_habit(qtbot, tracker, make_scheduler) -> None:  # noqa: ANN001
    tracker.add_habit(Habit("Read"), [Reminder(8 * 60), Reminder(10 * 60), Reminder(20 * 60)])
    done = tracker.add_habit(Habit("Run"), [Reminder(9 * 60)])
    tracker.check(done, TODAY)
    scheduler = make_scheduler(clock_at(today_at(11, 0)))
    fired: list[list] = []
    scheduler.fire.connect(fired.append)
    scheduler.start()
    assert [names(tracker, batch) for batch in fired] == [[("Read", "10:00")]]
    assert scheduler.next_fire == today_at(20, 0)


def test_a_change_reaims_the_timer(qtbot, tracker, make_scheduler) -> None:  # noqa: ANN001
    read = tracker.add_habit(Habit("Read"), [Reminder(20 * 60)])
    scheduler = make_scheduler(clock_at(today_at(11, 0)))
    scheduler.start()
    assert scheduler.next_fire == today_at(20, 0)
    tracker.add_reminder(read, Reminder(15 * 60))
    qtbot.waitUntil(lambda: scheduler.next_fire == today_at(15, 0), timeout=1000)
    tracker.check(read, TODAY)  # done today: tomorrow's first reminder is next, after midnight
    qtbot.waitUntil(lambda: scheduler.next_fire == today_at(0, 0) + dt.timedelta(days=1), timeout=1000)
    tracker.set_archived(read, True)
    qtbot.waitUntil(lambda: scheduler.next_fire == today_at(0, 0) + dt.timedelta(days=1), timeout=1000)


def test_a_new_day_hour_moves_the_next_day_start(qtbot, tracker, make_scheduler) -> None:  # noqa: ANN001
    scheduler = make_scheduler(clock_at(today_at(11, 0)))
    scheduler.start()
    assert scheduler.next_fire == today_at(0, 0) + dt.timedelta(days=1)
    tracker.set_setting("day_start_hour", 4)
    qtbot.waitUntil(lambda: scheduler.next_fire == today_at(4, 0) + dt.timedelta(days=1), timeout=1000)


def test_a_done_habit_is_not_reminded(qtbot, tracker, make_scheduler) -> None:  # noqa: ANN001
    read = tracker.add_habit(Habit("Read"), [Reminder(12 * 60)])
    tracker.check(read, TODAY)
    scheduler = make_scheduler(clock_at(today_at(11, 59, 59)))
    fired: list[list] = []
    scheduler.fire.connect(fired.append)
    scheduler.start()
    qtbot.wait(1500)
    assert fired == []


def test_a_sleep_through_a_reminder_fires_it_once_on_resume(qtbot, tracker, make_scheduler) -> None:  # noqa: ANN001
    tracker.add_habit(Habit("Read"), [Reminder(12 * 60), Reminder(13 * 60)])
    clock = clock_at(today_at(11, 0))
    scheduler = make_scheduler(clock, jump_check_ms=50)
    fired: list[list] = []
    scheduler.fire.connect(fired.append)
    scheduler.start()
    assert fired == []
    clock.offset += dt.timedelta(hours=3)  # the laptop slept from 11:00 to 14:00
    with qtbot.waitSignal(scheduler.fire, timeout=2000):
        pass
    assert [names(tracker, batch) for batch in fired] == [[("Read", "13:00")]]
    qtbot.wait(300)  # several more jump checks: nothing new
    assert len(fired) == 1


def test_a_clock_set_back_does_not_repeat_a_reminder(qtbot, tracker, make_scheduler) -> None:  # noqa: ANN001
    tracker.add_habit(Habit("Read"), [Reminder(12 * 60)])
    clock = clock_at(today_at(11, 59, 59))
    scheduler = make_scheduler(clock, jump_check_ms=50)
    fired: list[list] = []
    scheduler.fire.connect(fired.append)
    scheduler.start()
    with qtbot.waitSignal(scheduler.fire, timeout=3000):
        pass
    clock.offset -= dt.timedelta(seconds=30)  # back to 11:59:31
    qtbot.wait(300)
    assert scheduler.next_fire == today_at(0, 0) + dt.timedelta(days=1)
    clock.offset += dt.timedelta(seconds=40)
    qtbot.wait(300)
    assert len(fired) == 1


def test_snooze_fires_again_later_if_still_open(qtbot, tracker, make_scheduler) -> None:  # noqa: ANN001
    read = tracker.add_habit(Habit("Read"), [Reminder(12 * 60)])
    clock = clock_at(today_at(12, 0, 1))
    scheduler = make_scheduler(clock, jump_check_ms=50)
    fired: list[list] = []
    scheduler.fire.connect(fired.append)
    scheduler.start()
    [occurrence] = fired[0]
    when = scheduler.snooze(occurrence.key, 10)
    assert scheduler.next_fire == when
    clock.offset += dt.timedelta(minutes=10)
    with qtbot.waitSignal(scheduler.fire, timeout=2000):
        pass
    assert names(tracker, fired[1]) == [("Read", "12:00")] and fired[1][0].day == TODAY
    # Snoozed again, but done meanwhile: it stays quiet.
    scheduler.snooze(occurrence.key, 10)
    tracker.check(read, TODAY)
    clock.offset += dt.timedelta(minutes=10)
    qtbot.wait(300)
    assert len(fired) == 2


def test_snooze_all_keeps_quiet_then_shows_what_is_open(qtbot, tracker, make_scheduler) -> None:  # noqa: ANN001
    tracker.add_habit(Habit("Read"), [Reminder(12 * 60)])
    tracker.add_habit(Habit("Run"), [Reminder(12 * 60 + 30)])
    clock = clock_at(today_at(12, 0, 1))
    scheduler = make_scheduler(clock, jump_check_ms=50)
    fired: list[list] = []
    scheduler.fire.connect(fired.append)
    scheduler.start()
    until = scheduler.snooze_all(60, [o.key for o in fired[0]])
    assert scheduler.quiet_until == until
    clock.offset += dt.timedelta(minutes=40)  # Run's 12:30 falls in the quiet hour
    qtbot.wait(300)
    assert len(fired) == 1
    clock.offset += dt.timedelta(minutes=21)
    with qtbot.waitSignal(scheduler.fire, timeout=2000):
        pass
    assert sorted(names(tracker, fired[1])) == [("Read", "12:00"), ("Run", "12:30")]
    assert scheduler.quiet_until is None


def test_a_reminder_in_the_spring_gap_fires_at_three(qtbot, tracker, make_scheduler) -> None:  # noqa: ANN001
    tracker.add_habit(Habit("Read"), [Reminder(2 * 60 + 30)])
    wall = dt.datetime(2026, 3, 29, 1, 59, 59, tzinfo=BERLIN)
    scheduler = make_scheduler(clock_at(wall))
    fired: list[list] = []
    scheduler.fire.connect(fired.append)
    scheduler.start()
    assert scheduler.next_fire == dt.datetime(2026, 3, 29, 3, 0, tzinfo=BERLIN)
    assert scheduler.next_fire - wall == dt.timedelta(seconds=1)  # one real second: the clocks skip an hour
    with qtbot.waitSignal(scheduler.fire, timeout=3000):
        pass
    assert fired[0][0].day == from_date(dt.date(2026, 3, 29))


def test_a_new_day_is_announced_once_at_its_start(qtbot, tracker, make_scheduler) -> None:  # noqa: ANN001
    scheduler = make_scheduler(clock_at(today_at(23, 59, 59)))
    scheduler.start()
    assert scheduler.next_fire == today_at(0, 0) + dt.timedelta(days=1)
    with qtbot.waitSignal(scheduler.day_started, timeout=3000) as started:
        pass
    assert started.args == [TODAY + 1]
    with qtbot.assertNotEmitted(scheduler.day_started, wait=300):
        scheduler.tick()


def test_reminders_shown_by_an_earlier_run_are_not_shown_again(qtbot, tracker, make_scheduler) -> None:  # noqa: ANN001
    tracker.add_habit(Habit("Read"), [Reminder(8 * 60), Reminder(10 * 60)])
    first = make_scheduler(clock_at(today_at(11, 0)))
    fired: list[list] = []
    first.fire.connect(fired.append)
    first.start()
    assert [names(tracker, batch) for batch in fired] == [[("Read", "10:00")]]
    shown = first.fired_keys
    first.stop()
    again = make_scheduler(clock_at(today_at(11, 5)))
    again.fire.connect(fired.append)
    again.start(shown + ["junk"])
    assert len(fired) == 1
