"""Reminder times across DST, sleep, midnight and the new-day hour, in several zones."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from habitdesk.core.days import from_date
from habitdesk.core.habit import Frequency, Habit
from habitdesk.core.reminders import Reminder
from habitdesk.core.schedule import (
    local_day,
    missed_occurrences,
    next_day_start,
    next_occurrences,
    occurrence_key,
    occurrences_on,
    parse_key,
    resolve,
)

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
SYDNEY = ZoneInfo("Australia/Sydney")
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")  # a 30-minute DST shift
KOLKATA = ZoneInfo("Asia/Kolkata")  # no DST
APIA = ZoneInfo("Pacific/Apia")  # skipped 2011-12-30 entirely

ALL = frozenset({1, 2, 3})


def at(tz: dt.tzinfo, *fields: int, fold: int = 0) -> dt.datetime:
    return dt.datetime(*fields, tzinfo=tz, fold=fold)


def habits(*ids: int, **changes: Habit) -> dict[int, Habit]:
    found = {i: Habit(f"Habit {i}", id=i) for i in ids}
    found.update({int(k[1:]): v for k, v in changes.items()})
    return found


def rem(habit_id: int, time: str, weekdays: int = 0b1111111, enabled: bool = True) -> Reminder:
    h, m = map(int, time.split(":"))
    return Reminder(h * 60 + m, weekdays, enabled, habit_id=habit_id)


def fire_times(found: list, tz: dt.tzinfo = BERLIN) -> list[tuple[int, str]]:
    """(habit, local wall time) of each occurrence; their instants are in UTC."""
    assert all(o.at.tzinfo is dt.UTC for o in found)
    return [(o.habit_id, o.at.astimezone(tz).strftime("%Y-%m-%d %H:%M %Z")) for o in found]


# -- the plain case --------------------------------------------------------------
def test_the_next_reminder_today_fires_at_its_wall_time() -> None:
    found = next_occurrences([rem(1, "08:00"), rem(1, "20:00")], habits(1), at(BERLIN, 2026, 11, 26, 9, 0), BERLIN, 0, ALL)
    assert fire_times(found) == [(1, "2026-11-26 20:00 CET")]
    assert found[0].day == from_date(dt.date(2026, 11, 26))
    assert found[0].key == f"1:{found[0].day}:1200"


def test_reminders_at_the_same_minute_fire_together() -> None:
    found = next_occurrences([rem(1, "08:00"), rem(2, "08:00"), rem(3, "08:01")], habits(1, 2, 3),
                             at(BERLIN, 2026, 11, 26, 7, 0), BERLIN, 0, ALL)
    assert [o.habit_id for o in found] == [1, 2]


def test_the_exact_minute_is_not_after_itself() -> None:
    found = next_occurrences([rem(1, "08:00")], habits(1), at(BERLIN, 2026, 11, 26, 8, 0), BERLIN, 0, ALL)
    assert fire_times(found) == [(1, "2026-11-27 08:00 CET")]


@pytest.mark.parametrize(
    ("why", "reminder", "habit", "due"),
    [
        ("today is already done", rem(1, "20:00"), Habit("Read", id=1), frozenset()),
        ("the habit is archived", rem(1, "20:00"), Habit("Read", id=1, archived=True), ALL),
        ("the reminder is switched off", rem(1, "20:00", enabled=False), Habit("Read", id=1), ALL),
        # 2026-11-26 is a Thursday; this reminder is for Fridays only.
        ("today is not one of the reminder's weekdays", rem(1, "20:00", weekdays=0b10000), Habit("Read", id=1), ALL),
        ("the habit is not scheduled today", rem(1, "20:00"), Habit("Gym", id=1, frequency=Frequency(weekdays=0b10000)), ALL),
    ],
)
def test_no_reminder_today_when(why: str, reminder: Reminder, habit: Habit, due: frozenset) -> None:
    found = next_occurrences([reminder], {1: habit}, at(BERLIN, 2026, 11, 26, 9, 0), BERLIN, 0, due)
    if habit.archived or not reminder.enabled:
        assert found == [], why
    else:  # the next one is tomorrow, a Friday, whose state is not known yet
        assert fire_times(found) == [(1, "2026-11-27 20:00 CET")], why


def test_an_at_most_habit_is_reminded_while_due() -> None:
    from habitdesk.core.habit import Kind, TargetType

    habit = Habit("Coffee", kind=Kind.MEASURABLE, target_type=TargetType.AT_MOST, target_value=2, id=1)
    found = next_occurrences([rem(1, "20:00")], {1: habit}, at(BERLIN, 2026, 11, 26, 9, 0), BERLIN, 0, {1})
    assert fire_times(found) == [(1, "2026-11-26 20:00 CET")]


def test_fired_keys_are_not_fired_again() -> None:
    r = [rem(1, "20:00")]
    first = next_occurrences(r, habits(1), at(BERLIN, 2026, 11, 26, 9, 0), BERLIN, 0, ALL)
    again = next_occurrences(r, habits(1), at(BERLIN, 2026, 11, 26, 9, 0), BERLIN, 0, ALL, fired={first[0].key})
    assert fire_times(again) == [(1, "2026-11-27 20:00 CET")]


def test_no_reminders_means_no_fire_time() -> None:
    assert next_occurrences([], habits(1), at(BERLIN, 2026, 11, 26, 9, 0), BERLIN, 0, ALL) == []


def test_keys_round_trip() -> None:
    assert parse_key(occurrence_key(12, 20418, 480)) == (12, 20418, 480)
    with pytest.raises(ValueError):
        parse_key("not:a key")


# -- DST ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("tz", "date", "time", "expected"),
    [
        # Europe: 02:00 -> 03:00 on the last Sunday of March.
        (BERLIN, (2026, 3, 29), "02:30", "2026-03-29 03:00 CEST"),
        (BERLIN, (2026, 3, 29), "02:00", "2026-03-29 03:00 CEST"),
        (BERLIN, (2026, 3, 29), "03:15", "2026-03-29 03:15 CEST"),
        # US: 02:00 -> 03:00 on the second Sunday of March.
        (NEW_YORK, (2026, 3, 8), "02:59", "2026-03-08 03:00 EDT"),
        # Southern hemisphere: Sydney springs forward in October.
        (SYDNEY, (2026, 10, 4), "02:10", "2026-10-04 03:00 AEDT"),
        # Lord Howe moves by half an hour: 02:00 -> 02:30.
        (LORD_HOWE, (2026, 10, 4), "02:10", "2026-10-04 02:30 +11"),
    ],
)
def test_a_time_in_the_spring_gap_fires_at_the_first_valid_minute_after_it(tz, date, time, expected) -> None:  # noqa: ANN001
    day = from_date(dt.date(*date))
    found = next_occurrences([rem(1, time)], habits(1), at(tz, *date, 0, 0) - dt.timedelta(hours=1), tz, 0, ALL)
    assert fire_times(found, tz) == [(1, expected)]
    assert found[0].day == day


@pytest.mark.parametrize(
    ("tz", "date", "time", "first_utc"),
    [
        # Europe: 03:00 -> 02:00 on the last Sunday of October; 02:30 happens twice.
        (BERLIN, (2026, 10, 25), "02:30", "00:30"),
        (NEW_YORK, (2026, 11, 1), "01:30", "05:30"),
        (SYDNEY, (2026, 4, 5), "02:30", "15:30"),
    ],
)
def test_a_repeated_time_fires_once_at_its_first_occurrence(tz, date, time, first_utc) -> None:  # noqa: ANN001
    day = from_date(dt.date(*date))
    r = [rem(1, time)]
    start = at(tz, *date, 0, 0)
    first = next_occurrences(r, habits(1), start, tz, 0, ALL)
    assert first[0].at.astimezone(dt.UTC).strftime("%H:%M") == first_utc
    assert first[0].day == day
    # Right after it fires (the wall clock shows the same time again an hour
    # later), the next one is the next day's.
    second = next_occurrences(r, habits(1), first[0].at, tz, 0, ALL, fired={first[0].key})
    assert second[0].day == day + 1
    # Half an hour later the wall clock reads the same time again, in the repeated hour.
    later = first[0].at + dt.timedelta(minutes=30)
    assert later.astimezone(tz).strftime("%H:%M") < time <= (later + dt.timedelta(minutes=31)).astimezone(tz).strftime("%H:%M")
    assert next_occurrences(r, habits(1), later, tz, 0, ALL)[0].day == day + 1
    assert next_occurrences(r, habits(1), later.astimezone(tz), tz, 0, ALL)[0].day == day + 1


def test_a_day_that_never_happened_fires_at_the_next_valid_minute() -> None:
    # Samoa moved across the date line: 2011-12-29 23:59 was followed by 2011-12-31 00:00.
    found = occurrences_on([rem(1, "09:00")], habits(1), from_date(dt.date(2011, 12, 30)), APIA, 0)
    assert fire_times(found, APIA) == [(1, "2011-12-31 00:00 +14")]


def test_a_zone_without_dst_is_plain() -> None:
    found = next_occurrences([rem(1, "02:30")], habits(1), at(KOLKATA, 2026, 3, 29, 0, 0), KOLKATA, 0, ALL)
    assert fire_times(found, KOLKATA) == [(1, "2026-03-29 02:30 IST")]


def test_resolve_keeps_an_existing_time() -> None:
    assert resolve(dt.datetime(2026, 7, 1, 12, 0), BERLIN) == at(BERLIN, 2026, 7, 1, 12, 0)


# -- midnight and the new-day hour --------------------------------------------------
def test_after_the_last_reminder_the_next_is_tomorrows_even_when_today_was_done() -> None:
    r = [rem(1, "08:00"), rem(1, "21:00")]
    found = next_occurrences(r, habits(1), at(BERLIN, 2026, 11, 26, 23, 59), BERLIN, 0, frozenset())
    assert fire_times(found) == [(1, "2026-11-27 08:00 CET")]


def test_after_midnight_a_new_day_begins_and_yesterdays_done_no_longer_counts() -> None:
    # Done on the 26th; at 00:01 on the 27th, today is the 27th and nothing is done yet.
    found = next_occurrences([rem(1, "00:30")], habits(1), at(BERLIN, 2026, 11, 27, 0, 1), BERLIN, 0, {1})
    assert fire_times(found) == [(1, "2026-11-27 00:30 CET")]
    assert found[0].day == from_date(dt.date(2026, 11, 27))


def test_with_a_late_day_start_an_early_reminder_belongs_to_the_evening_before() -> None:
    # A new day starts at 04:00: the 01:00 reminder of Thursday the 26th fires on the 27th's date.
    r = [rem(1, "01:00")]
    found = next_occurrences(r, habits(1), at(BERLIN, 2026, 11, 26, 22, 0), BERLIN, 4, ALL)
    assert fire_times(found) == [(1, "2026-11-27 01:00 CET")]
    assert found[0].day == from_date(dt.date(2026, 11, 26))
    # Thursday-only: it is Thursday's reminder, though the date is Friday's.
    thursday_only = [rem(1, "01:00", weekdays=0b1000)]
    assert next_occurrences(thursday_only, habits(1), at(BERLIN, 2026, 11, 26, 22, 0), BERLIN, 4, ALL)[0].day == found[0].day


def test_the_day_start_hour_decides_whether_today_is_done() -> None:
    # At 02:00 on the 27th with a 04:00 day start, today is still the 26th: done, so no 03:00 reminder.
    r = [rem(1, "03:00")]
    now = at(BERLIN, 2026, 11, 27, 2, 0)
    assert local_day(now, BERLIN, 4) == from_date(dt.date(2026, 11, 26))
    found = next_occurrences(r, habits(1), now, BERLIN, 4, frozenset())
    assert fire_times(found) == [(1, "2026-11-28 03:00 CET")]
    # With a midnight day start, 03:00 on the 27th is today's, and due.
    assert fire_times(next_occurrences(r, habits(1), now, BERLIN, 0, {1})) == [(1, "2026-11-27 03:00 CET")]


def test_next_day_start_follows_the_setting_and_dst() -> None:
    assert next_day_start(at(BERLIN, 2026, 11, 26, 9, 0), BERLIN, 0) == at(BERLIN, 2026, 11, 27, 0, 0)
    assert next_day_start(at(BERLIN, 2026, 11, 27, 2, 0), BERLIN, 4) == at(BERLIN, 2026, 11, 27, 4, 0)
    # A 02:00 day start on the spring-forward night begins at 03:00.
    assert next_day_start(at(BERLIN, 2026, 3, 28, 12, 0), BERLIN, 2) == at(BERLIN, 2026, 3, 29, 3, 0)


# -- sleep and clock jumps --------------------------------------------------------
def test_a_reminder_missed_in_sleep_fires_once_if_still_open() -> None:
    r = [rem(1, "08:00"), rem(1, "12:00"), rem(2, "09:00"), rem(3, "10:00")]
    slept = at(BERLIN, 2026, 11, 26, 7, 0)
    woke = at(BERLIN, 2026, 11, 26, 13, 0)
    found = missed_occurrences(r, habits(1, 2, 3), slept, woke, BERLIN, 0, {1, 2})
    # Habit 1 missed two; only the latest is shown. Habit 3 was done meanwhile.
    assert fire_times(found) == [(2, "2026-11-26 09:00 CET"), (1, "2026-11-26 12:00 CET")]
    assert missed_occurrences(r, habits(1, 2, 3), slept, woke, BERLIN, 0, {1, 2}, fired={o.key for o in found}) == []


def test_a_sleep_across_midnight_does_not_replay_yesterday() -> None:
    r = [rem(1, "21:00"), rem(1, "07:00")]
    found = missed_occurrences(r, habits(1), at(BERLIN, 2026, 11, 26, 20, 0), at(BERLIN, 2026, 11, 27, 8, 0), BERLIN, 0, ALL)
    assert fire_times(found) == [(1, "2026-11-27 07:00 CET")]


def test_a_clock_set_back_misses_nothing() -> None:
    found = missed_occurrences([rem(1, "08:00")], habits(1), at(BERLIN, 2026, 11, 26, 9, 0), at(BERLIN, 2026, 11, 26, 7, 0), BERLIN, 0, ALL)
    assert found == []


def test_after_a_jump_the_next_reminder_is_counted_from_the_new_time() -> None:
    r = [rem(1, "08:00"), rem(1, "18:00")]
    assert fire_times(next_occurrences(r, habits(1), at(BERLIN, 2026, 11, 26, 12, 0), BERLIN, 0, ALL)) == [(1, "2026-11-26 18:00 CET")]
