"""Computed entries of yes/no habits: intervals, snapping and the fill (DESIGN.md §3).

Interval groups are a sliding window over the YES_MANUAL days sorted newest
first: for i in num-1 .. len-1, begin = checks[i], center = checks[i-num+1].
"""

from __future__ import annotations

import datetime as dt

import pytest

from habitdesk.core import days
from habitdesk.core.analysis import analyse
from habitdesk.core.computed import interval_size
from habitdesk.core.entries import NO, SKIP, UNKNOWN, YES_AUTO, YES_MANUAL
from habitdesk.core.habit import Frequency, Habit, Kind

M, A, N, S, U = YES_MANUAL, YES_AUTO, NO, SKIP, UNKNOWN


def day(y: int, m: int, d: int) -> int:
    return days.from_date(dt.date(y, m, d))


def yes_no(num: int = 1, den: int = 1, weekdays: int = 0) -> Habit:
    return Habit("h", frequency=Frequency(num, den, weekdays))


def values_between(analysis, first: int, last: int) -> list[int]:
    return [analysis.value_on(d) for d in range(first, last + 1)]


# --- interval groups (a sliding window over the checks) -------------------------
#
# Tested through analyse(): the computed values show where the intervals lie.


def test_groups_are_a_sliding_window():
    # 3 times per week, checks 20, 19, 18, 17 and 5 (newest first):
    # groups (begin, center) = (18, 20) -> [18, 24], (17, 19) -> [17, 23], (5, 18): 13 days, none.
    # Snap: [17, 23] reaches 18: shift min(23 - 19, 23 - 18 + 1) = 4 -> [13, 19].
    # Disjoint chunks (20, 19, 18), (17, 5) would never fill days 13..16.
    a = analyse(yes_no(3, 7), {20: M, 19: M, 18: M, 17: M, 5: M}, today=20)
    assert values_between(a, 12, 25) == [U, A, A, A, A, M, M, M, M, A, A, A, A, U]
    assert values_between(a, 5, 6) == [M, U]
    assert a.start == 5


def test_sliding_groups_extend_the_range_back():
    # 2 times in 3 days, checks 9, 7, 6: groups (7, 9) -> [7, 9] and (6, 7) -> [6, 8],
    # the second snaps back by min(8 - 7, 8 - 7 + 1) = 1 to [5, 7].
    a = analyse(yes_no(2, 3), {9: M, 7: M, 6: M}, today=9)
    assert values_between(a, 4, 10) == [U, A, M, M, A, M, U]
    assert a.start == 5


def test_sliding_groups_overlap():
    # checks 10, 8, 7, 3 (2 in 3): intervals [8, 10] and [7, 9] -> snapped to [6, 8];
    # the group (3, 7) spans 4 days and makes no interval.
    a = analyse(yes_no(2, 3), {10: M, 8: M, 7: M, 3: M}, today=10)
    assert values_between(a, 3, 11) == [M, U, U, A, M, M, A, M, U]


def test_center_must_be_less_than_size_after_begin():
    a = analyse(yes_no(2, 3), {12: M, 10: M}, today=12)  # 12 - 10 = 2 < 3
    assert values_between(a, 10, 13) == [M, A, M, U]
    b = analyse(yes_no(2, 3), {13: M, 10: M}, today=13)  # 3 is not < 3
    assert values_between(b, 10, 14) == [M, U, U, M, U]


def test_too_few_checks_make_no_interval():
    a = analyse(yes_no(3, 7), {5: M, 4: M}, today=5)
    assert values_between(a, 3, 12) == [U, M, M] + [U] * 7


def test_yes_auto_and_no_are_not_checks():
    # only YES_MANUAL days form groups
    a = analyse(yes_no(2, 3), {10: M, 9: N, 8: S, 7: U}, today=10)
    assert values_between(a, 7, 12) == [U, S, N, M, U, U]


@pytest.mark.parametrize(
    ("begin", "den", "size"),
    [
        ((2015, 1, 15), 30, 31),
        ((2015, 1, 15), 31, 31),
        ((2015, 2, 10), 30, 28),
        ((2016, 2, 10), 31, 29),
        ((2015, 4, 1), 30, 30),
        # the last day of its month: the next month's length
        ((2015, 1, 31), 30, 28),
        ((2015, 1, 31), 31, 28),
        ((2016, 1, 31), 30, 29),
        ((2015, 2, 28), 30, 31),
        ((2016, 2, 29), 31, 31),
        ((2015, 4, 30), 30, 31),
        ((2015, 3, 31), 31, 30),
        ((2015, 12, 31), 30, 31),
        # other denominators are taken literally
        ((2015, 1, 31), 29, 29),
        ((2015, 2, 10), 28, 28),
        ((2015, 2, 10), 7, 7),
        ((2015, 2, 10), 60, 60),
    ],
)
def test_interval_size(begin, den, size):
    assert interval_size(day(*begin), den) == size


def test_month_rule_limits_the_group_to_the_month():
    feb10, mar9, mar10 = day(2015, 2, 10), day(2015, 3, 9), day(2015, 3, 10)
    # February 2015 has 28 days: a center 27 days later fits ...
    a = analyse(yes_no(2, 30), {feb10: M, mar9: M}, today=mar10)
    assert values_between(a, feb10, mar10) == [M] + [A] * 26 + [M, U]
    # ... 28 days later does not, although 28 < 30.
    b = analyse(yes_no(2, 30), {feb10: M, mar10: M}, today=mar10)
    assert values_between(b, feb10, mar10) == [M] + [U] * 27 + [M]
    # a den that is not 30/31 is used literally: 28 < 29
    c = analyse(yes_no(2, 29), {feb10: M, mar10: M}, today=mar10)
    assert values_between(c, feb10, mar10 + 1) == [M] + [A] * 27 + [M, U]


def test_month_rule_when_begin_is_the_last_day_of_a_month():
    jan31, feb27, feb28 = day(2015, 1, 31), day(2015, 2, 27), day(2015, 2, 28)
    # size = length of February (28): a center on Feb 27 fits, the interval ends there
    a = analyse(yes_no(2, 31), {jan31: M, feb27: M}, today=feb28)
    assert values_between(a, jan31, feb28) == [M] + [A] * 26 + [M, U]
    # Feb 28 is 28 days later: no interval (January's 31 days would have allowed it)
    b = analyse(yes_no(2, 31), {jan31: M, feb28: M}, today=feb28)
    assert values_between(b, jan31, feb28) == [M] + [U] * 27 + [M]
    # April 30 -> May has 31 days: a center 30 days later fits, the interval ends on May 30
    apr30, may30 = day(2015, 4, 30), day(2015, 5, 30)
    c = analyse(yes_no(2, 30), {apr30: M, may30: M}, today=may30)
    assert values_between(c, apr30, may30 + 1) == [M] + [A] * 29 + [M, U]


def test_one_check_per_month_covers_the_next_month_from_a_last_day():
    jan31 = day(2015, 1, 31)
    a = analyse(yes_no(1, 30), {jan31: M}, today=jan31)
    assert values_between(a, jan31, jan31 + 28) == [M] + [A] * 27 + [U]  # through Feb 27
    leap_jan31 = day(2016, 1, 31)
    b = analyse(yes_no(1, 31), {leap_jan31: M}, today=leap_jan31)
    assert values_between(b, leap_jan31, leap_jan31 + 29) == [M] + [A] * 28 + [U]  # through Feb 28
    jan15 = day(2015, 1, 15)
    c = analyse(yes_no(1, 30), {jan15: M}, today=jan15)
    assert values_between(c, jan15, jan15 + 31) == [M] + [A] * 30 + [U]  # January's 31 days


# --- snapping ------------------------------------------------------------------


def test_snap_limited_by_end_minus_center():
    # 2 in 3, checks 22, 21, 20: [21, 23] and [20, 22]; the second reaches 21:
    # shift = min(22 - 21, 22 - 21 + 1) = 1 -> [19, 21]
    a = analyse(yes_no(2, 3), {22: M, 21: M, 20: M}, today=22)
    assert values_between(a, 18, 24) == [U, A, M, M, M, A, U]
    assert a.start == 19


def test_snap_limited_by_the_gap():
    # weekly, checks 10 and 12: [12, 18] and [10, 16]; gap = 16 - 12 = 4,
    # shift = min(16 - 10, 4 + 1) = 5 -> [5, 11], ending the day before the newer one
    a = analyse(yes_no(1, 7), {10: M, 12: M}, today=12)
    assert values_between(a, 4, 19) == [U] + [A] * 5 + [M, A, M] + [A] * 6 + [U]
    assert a.start == 5


def test_snap_leaves_separate_intervals_alone():
    a = analyse(yes_no(1, 3), {0: M, 3: M, 10: M}, today=10)
    assert values_between(a, -1, 13) == [U, M, A, A, M, A, A, U, U, U, U, M, A, A, U]
    assert a.start == 0


def test_snap_compares_with_the_already_moved_newer_interval():
    # weekly checks on 8, 14, 20: [20, 26], [14, 20], [8, 14].
    # second: gap 0 -> shift min(6, 1) = 1 -> [13, 19]
    # third: against the moved begin 13: gap 1 -> shift min(6, 2) = 2 -> [6, 12]
    # (against the unmoved begin 14 it would only move 1 day, to [7, 13])
    a = analyse(yes_no(1, 7), {8: M, 14: M, 20: M}, today=20)
    assert a.start == 6
    assert values_between(a, 5, 27) == [U, A, A, M] + [A] * 5 + [M] + [A] * 5 + [M] + [A] * 6 + [U]


# --- the fill ----------------------------------------------------------------


def test_fill_rules():
    # weekly habit; the check on day 10 makes the interval [10, 16]
    stored = {10: M, 11: N, 12: S, 13: U, 20: N, 22: U}
    a = analyse(yes_no(1, 7), stored, today=25)
    assert values_between(a, 9, 23) == [
        U,  # 9 before everything
        M,  # 10 kept
        A,  # 11 NO inside an interval -> YES_AUTO
        S,  # 12 SKIP kept
        A,  # 13 UNKNOWN (notes) inside an interval -> YES_AUTO
        A, A, A,  # 14-16 filled
        U, U, U,  # 17-19 nothing
        N,  # 20 NO outside intervals kept
        U,  # 21 nothing
        U,  # 22 UNKNOWN with notes, kept as an entry
        U,
    ]
    # a notes-only UNKNOWN is a computed entry; plain empty days are not
    assert a.known_days() == [22, 20, 16, 15, 14, 13, 12, 11, 10]
    assert a.start == 10


def test_notes_only_unknown_can_start_the_range():
    a = analyse(yes_no(), {5: U, 9: M}, today=12)
    assert a.start == 5
    assert a.known_days() == [9, 5]
    assert a.value_on(5) == U


def test_reference_wake_up_early_values():
    # Loop's own export: "Wake up early", 2 times in 3 days, today 2015-01-25.
    d = lambda n: day(2015, 1, n)  # noqa: E731
    stored = {d(25): M, d(24): N, d(23): U, d(22): M, d(21): M, d(20): M, d(19): U, d(17): M, d(16): M}
    a = analyse(yes_no(2, 3), stored, today=d(25))
    assert [a.value_on(d(n)) for n in range(25, 15, -1)] == [M, N, A, M, M, M, A, A, M, M]
    assert a.known_days() == [d(n) for n in range(25, 15, -1)]
    assert a.start == d(16)
    # nothing is filled into the future: the group (22, 25) spans 3 days, not < 3
    assert a.value_on(d(26)) == U


def test_fill_reaches_into_the_future():
    a = analyse(yes_no(1, 7), {100: M}, today=100)
    assert values_between(a, 100, 107) == [M, A, A, A, A, A, A, U]


def test_daily_habit_fills_nothing():
    stored = {1: M, 2: N, 4: M, 5: S, 7: U}
    a = analyse(yes_no(), stored, today=7)
    assert values_between(a, 0, 9) == [U, M, N, U, M, S, U, U, U, U]
    assert a.known_days() == [7, 5, 4, 2, 1]


def test_measurable_computed_entries_are_the_stored_ones():
    habit = Habit("m", kind=Kind.MEASURABLE, frequency=Frequency(1, 7), target_value=3)
    stored = {0: 2, 1: 0, 5: 5000, 6: S, 8: U}
    a = analyse(habit, stored, today=10)
    assert values_between(a, 0, 9) == [2, 0, U, U, U, 5000, S, U, U, U]
    assert a.known_days() == [8, 6, 5, 1, 0]
    assert a.start == 0


def test_weekday_schedule_marks_days_off_as_skip():
    mon_wed_fri = days.parse_weekdays("mon,wed,fri")
    monday = day(2024, 1, 1)
    habit = yes_no(weekdays=mon_wed_fri)
    a = analyse(habit, {monday: M, monday + 3: M}, today=monday + 8)
    # Tue, Thu, Sat, Sun without an entry read SKIP up to today; Wed without one stays UNKNOWN.
    assert values_between(a, monday, monday + 8) == [M, S, U, M, U, S, S, U, S]
    # the future is left alone
    assert a.value_on(monday + 12) == U


def test_no_entries_at_all():
    a = analyse(yes_no(3, 7), {}, today=50)
    assert a.start == 50
    assert a.known_days() == []
    assert a.value_on(50) == U


# --- frequencies -------------------------------------------------------------


def test_frequency_normalisation():
    assert Frequency(7, 7) == Frequency(1, 1)
    assert Frequency(30, 30) == Frequency(1, 1)
    assert Frequency(1, 1, 0b1111111) == Frequency(1, 1, 0)
    assert Frequency(3, 7).ratio == 3 / 7


@pytest.mark.parametrize(
    ("freq", "label"),
    [
        (Frequency(1, 1), "every day"),
        (Frequency(5, 5), "every day"),
        (Frequency(1, 7), "every week"),
        (Frequency(1, 3), "every 3 days"),
        (Frequency(3, 7), "3 times per week"),
        (Frequency(4, 30), "4 times per month"),
        (Frequency(2, 31), "2 times per month"),
        (Frequency(2, 3), "2 times in 3 days"),
    ],
)
def test_frequency_labels(freq, label):
    assert freq.label() == label


def test_frequency_problems():
    assert Frequency(3, 7).problem() is None
    assert Frequency(8, 7).problem()
    assert Frequency(0, 7).problem()
    assert Frequency(1, 0).problem()


def test_target_text():
    from habitdesk.core.habit import Habit, Kind, TargetType

    assert Habit("Run", kind=Kind.MEASURABLE, target_value=5, unit="km").target_text() == "at least 5 km"
    coffee = Habit("Coffee", kind=Kind.MEASURABLE, target_value=2.5, target_type=TargetType.AT_MOST)
    assert coffee.target_text() == "at most 2.5"
    assert Habit("Read").target_text() == ""
