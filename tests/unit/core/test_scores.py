"""Habit strength, worked by hand from the formula in DESIGN.md §3.

f = num/den; m = 0.5 ** (sqrt(f) / 13); score = m * previous + (1 - m) * pct.
The expected values are written out here; none is taken from the engine.
"""

from __future__ import annotations

import datetime as dt
import math

import pytest

from habitdesk.core import days
from habitdesk.core.analysis import analyse
from habitdesk.core.entries import NO, SKIP, UNKNOWN, YES_MANUAL
from habitdesk.core.habit import Frequency, Habit, Kind, TargetType

M, N, S, U = YES_MANUAL, NO, SKIP, UNKNOWN
EXACT = 1e-12


def yes_no(num: int = 1, den: int = 1) -> Habit:
    return Habit("h", frequency=Frequency(num, den))


def measurable(target: float, target_type: TargetType, num: int = 1, den: int = 1) -> Habit:
    return Habit(
        "m", kind=Kind.MEASURABLE, frequency=Frequency(num, den), target_value=target, target_type=target_type
    )


def smooth(m: float, pcts: list[float | None], initial: float = 0.0) -> list[float]:
    """score = m * prev + (1 - m) * pct; None marks a SKIP day (the score repeats)."""
    out = []
    prev = initial
    for pct in pcts:
        if pct is not None:
            prev = m * prev + (1 - m) * pct
        out.append(prev)
    return out


def test_daily_written_out():
    m = 0.5 ** (1 / 13)
    a = analyse(yes_no(), {0: M, 1: M, 2: M, 3: N}, today=4)
    s0 = (1 - m) * 1
    s1 = m * s0 + (1 - m) * 1
    s2 = m * s1 + (1 - m) * 1
    s3 = m * s2 + (1 - m) * 0
    s4 = m * s3  # no entry today: pct 0
    assert a.score_on(0) == pytest.approx(s0, abs=EXACT)
    assert a.score_on(1) == pytest.approx(s1, abs=EXACT)
    assert a.score_on(2) == pytest.approx(s2, abs=EXACT)
    assert a.score_on(2) == pytest.approx(1 - m**3, abs=EXACT)
    assert a.score_on(3) == pytest.approx(s3, abs=EXACT)
    assert a.score_on(4) == pytest.approx(s4, abs=EXACT)
    # the future decays: pct 0 on every day up to today + 30
    assert a.score_on(34) == pytest.approx(s4 * m**30, abs=EXACT)


def test_three_per_week_doubles_the_window_and_ignores_auto():
    # checks on 0, 2, 4; the group (0, 4) fills [0, 6] with YES_AUTO on 1, 3, 5, 6.
    m = 0.5 ** (math.sqrt(3 / 7) / 13)  # f = 3/7 is never doubled
    a = analyse(yes_no(3, 7), {0: M, 2: M, 4: M}, today=4)
    # pct = min(1, R / 6) with R = manual checks in the 14 days ending that day
    s = 0.0
    expected = []
    for r in [1, 1, 2, 2, 3]:  # days 0..4; auto days 1 and 3 do not count
        s = m * s + (1 - m) * min(1.0, r / 6)
        expected.append(s)
    for d, want in enumerate(expected):
        assert a.score_on(d) == pytest.approx(want, abs=EXACT)
    # days 5..13 keep R = 3; on day 14 the check of day 0 leaves the window
    s13 = expected[-1] * m**9 + 0.5 * (1 - m**9)
    assert a.score_on(13) == pytest.approx(s13, abs=EXACT)
    assert a.score_on(14) == pytest.approx(m * s13 + (1 - m) * 2 / 6, abs=EXACT)


def test_weekly_doubling_closed_form():
    # 1/7 -> 2 checks in 14 days for pct; one check gives pct 1/2 for 14 days, then 0
    m = 0.5 ** (math.sqrt(1 / 7) / 13)
    a = analyse(yes_no(1, 7), {0: M}, today=20)
    assert a.score_on(6) == pytest.approx(0.5 * (1 - m**7), abs=EXACT)
    assert a.score_on(13) == pytest.approx(0.5 * (1 - m**14), abs=EXACT)
    assert a.score_on(20) == pytest.approx(0.5 * (1 - m**14) * m**7, abs=EXACT)


def test_every_day_is_not_doubled():
    m = 0.5 ** (1 / 13)
    a = analyse(yes_no(), {0: M}, today=1)
    # window of one day: the check counts on day 0 only
    assert a.score_on(0) == pytest.approx(1 - m, abs=EXACT)
    assert a.score_on(1) == pytest.approx((1 - m) * m, abs=EXACT)


def test_skip_carries_the_score():
    m = 0.5 ** (1 / 13)
    a = analyse(yes_no(), {0: M, 1: S, 2: M}, today=2)
    s0 = 1 - m
    assert a.score_on(0) == pytest.approx(s0, abs=EXACT)
    assert a.score_on(1) == a.score_on(0)
    assert a.score_on(2) == pytest.approx(m * s0 + (1 - m), abs=EXACT)


def test_skip_still_occupies_its_window_slot():
    # every 2 days -> pct over 4 days, 2 checks needed; SKIP on day 1
    m = 0.5 ** (math.sqrt(1 / 2) / 13)
    a = analyse(yes_no(1, 2), {0: M, 1: S, 3: M}, today=5)
    #       day:  0    1     2    3    4    5
    #   R (4 d):  1    skip  1    2    1    1   (day 0 leaves the window on day 4)
    expected = smooth(m, [0.5, None, 0.5, 1.0, 0.5, 0.5])
    for d, want in enumerate(expected):
        assert a.score_on(d) == pytest.approx(want, abs=EXACT)


def test_reference_wake_up_early_scores():
    # Loop's own export, today = 2015-01-25, 2 times in 3 days; 4-decimal scores.
    d = lambda n: days.from_date(dt.date(2015, 1, n))  # noqa: E731
    stored = {d(25): M, d(24): N, d(23): U, d(22): M, d(21): M, d(20): M, d(19): U, d(17): M, d(16): M}
    a = analyse(yes_no(2, 3), stored, today=d(25))
    expected = [0.2557, 0.2226, 0.1991, 0.1746, 0.1379, 0.0995, 0.0706, 0.0515, 0.0315, 0.0107]
    got = [a.score_on(d(n)) for n in range(25, 15, -1)]
    assert got == pytest.approx(expected, abs=5e-5)
    # and from the formula: f = 2/3, window 6 days, 4 checks needed
    m = 0.5 ** (math.sqrt(2 / 3) / 13)
    # manual checks on 16 17 20 21 22 25; R over the 6 days ending on 16..25:
    r = [1, 2, 2, 2, 3, 4, 4, 3, 3, 4]
    by_formula = smooth(m, [min(1.0, x / 4) for x in r])
    assert got[::-1] == pytest.approx(by_formula, abs=EXACT)


def test_measurable_at_least_daily():
    m = 0.5 ** (1 / 13)
    habit = measurable(5, TargetType.AT_LEAST)
    a = analyse(habit, {0: 2500, 1: 5000, 2: 10000}, today=3)
    expected = smooth(m, [2.5 / 5, 1.0, 1.0, 0.0])  # 10 is capped at 1; no entry on day 3
    for d, want in enumerate(expected):
        assert a.score_on(d) == pytest.approx(want, abs=EXACT)


def test_measurable_window_is_not_doubled_and_sums_skips_but_not_negatives():
    m = 0.5 ** (math.sqrt(3 / 7) / 13)
    habit = measurable(10, TargetType.AT_LEAST, 3, 7)
    stored = {0: 4000, 2: 3000, 3: S, 4: -2000, 8: 1000}
    a = analyse(habit, stored, today=8)
    # R over 7 days (not 14): the SKIP adds 0.003, the negative adds nothing.
    #      day: 0  1  2  3     4      5      6      7      8
    r = [4, 4, 7, None, 7.003, 7.003, 7.003, 3.003, 4.003]
    expected = smooth(m, [None if x is None else min(1.0, x / 10) for x in r])
    for d, want in enumerate(expected):
        assert a.score_on(d) == pytest.approx(want, abs=EXACT)


@pytest.mark.parametrize("target", [0.0, -3.0])
def test_measurable_at_least_without_a_positive_target_is_always_complete(target):
    m = 0.5 ** (1 / 13)
    a = analyse(measurable(target, TargetType.AT_LEAST), {0: U}, today=2)
    for d in range(3):
        assert a.score_on(d) == pytest.approx(1 - m ** (d + 1), abs=EXACT)


def test_measurable_at_most_daily():
    m = 0.5 ** (1 / 13)
    habit = measurable(2, TargetType.AT_MOST)
    a = analyse(habit, {0: 1000, 1: 3000, 2: 5000, 4: S}, today=4)
    # pct = clamp(1 - (R - 2) / 2, 0, 1); the initial score is 1.0
    pcts = [
        min(1.0, 1 - (1 - 2) / 2),  # 1.5 -> 1
        1 - (3 - 2) / 2,  # 0.5
        max(0.0, 1 - (5 - 2) / 2),  # -0.5 -> 0
        1.0,  # no entry: zero consumption
        None,  # SKIP
        1.0,  # day 5, the future: still nothing consumed, the score rises
    ]
    expected = smooth(m, pcts, initial=1.0)
    assert expected[0] == 1.0
    for d, want in enumerate(expected):
        assert a.score_on(d) == pytest.approx(want, abs=EXACT)
    assert a.score_on(5) > a.score_on(4)


def test_measurable_at_most_weekly_window():
    m = 0.5 ** (math.sqrt(1 / 7) / 13)  # measurable: no doubling
    habit = measurable(3, TargetType.AT_MOST, 1, 7)
    a = analyse(habit, {0: 2000, 3: 2000}, today=8)
    #      day: 0  1  2  3  4  5  6  7  8
    r = [2, 2, 2, 4, 4, 4, 4, 2, 0]
    pcts = [min(1.0, max(0.0, 1 - (x - 3) / 3)) for x in r]
    expected = smooth(m, pcts, initial=1.0)
    for d, want in enumerate(expected):
        assert a.score_on(d) == pytest.approx(want, abs=EXACT)


def test_measurable_at_most_with_zero_target():
    m = 0.5 ** (1 / 13)
    a = analyse(measurable(0, TargetType.AT_MOST), {0: 0, 1: 500}, today=2)
    # pct = 0 if R > 0 else 1
    assert a.score_on(0) == pytest.approx(1.0, abs=EXACT)
    assert a.score_on(1) == pytest.approx(m, abs=EXACT)
    assert a.score_on(2) == pytest.approx(m * m + (1 - m), abs=EXACT)


def test_measurable_at_most_zero_target_counts_a_skip_as_consumption():
    # a SKIP (stored as 3) adds 0.003 to R on the following days of its window
    m = 0.5 ** (math.sqrt(1 / 7) / 13)
    a = analyse(measurable(0, TargetType.AT_MOST, 1, 7), {0: S}, today=1)
    assert a.score_on(0) == 1.0  # the SKIP day repeats the initial 1.0
    assert a.score_on(1) == pytest.approx(m, abs=EXACT)


def test_score_is_zero_outside_the_range():
    m = 0.5 ** (1 / 13)
    a = analyse(yes_no(), {100: M}, today=105)
    assert a.start == 100
    assert a.score_on(99) == 0.0
    assert a.score_on(100) == pytest.approx(1 - m, abs=EXACT)
    assert a.score_on(135) == pytest.approx((1 - m) * m**35, abs=EXACT)
    assert a.score_on(136) == 0.0


def test_at_most_range_starts_at_the_first_entry():
    habit = measurable(2, TargetType.AT_MOST)
    a = analyse(habit, {10: U}, today=12)  # an UNKNOWN with notes is a computed entry
    assert a.start == 10
    assert a.score_on(9) == 0.0  # outside the range, not the initial 1.0
    assert a.score_on(10) == 1.0
    assert a.score_on(42) == 1.0
    assert a.score_on(43) == 0.0


def test_range_start_follows_snapped_intervals():
    # weekly checks on 8, 14, 20 snap the oldest interval back to day 6
    m = 0.5 ** (math.sqrt(1 / 7) / 13)
    a = analyse(yes_no(1, 7), {8: M, 14: M, 20: M}, today=20)
    assert a.start == 6
    expected = smooth(m, [0, 0, 0.5, 0.5])  # days 6..9: the first check on day 8
    for i, want in enumerate(expected):
        assert a.score_on(6 + i) == pytest.approx(want, abs=EXACT)


def test_no_entries():
    a = analyse(yes_no(), {}, today=50)
    assert a.start == 50
    assert a.score_on(50) == 0.0
    # an at-most habit with nothing entered consumes nothing from today on
    b = analyse(measurable(2, TargetType.AT_MOST), {}, today=50)
    assert b.score_on(49) == 0.0
    assert b.score_on(50) == 1.0


def test_entries_only_beyond_the_horizon():
    # the range start is clamped to today + 30
    a = analyse(yes_no(), {200: M}, today=100)
    assert a.start == 130
    assert a.score_on(129) == 0.0
    assert a.score_on(130) == 0.0
    assert a.score_on(200) == 0.0
