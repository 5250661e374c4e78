"""History bars, the weekday grid and the overview (DESIGN.md §3, statistics)."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from habitdesk.core import days
from habitdesk.core.analysis import analyse
from habitdesk.core.entries import NO, SKIP, UNKNOWN, YES_MANUAL
from habitdesk.core.habit import Frequency, Habit, Kind, TargetType
from habitdesk.core.history import Bucket, history, overview, score_series, weekday_grid

M, N, S, U = YES_MANUAL, NO, SKIP, UNKNOWN


def day(y: int, m: int, d: int) -> int:
    return days.from_date(dt.date(y, m, d))


def yes_no(num: int = 1, den: int = 1) -> Habit:
    return Habit("h", frequency=Frequency(num, den))


def measurable(target: float = 1.0, target_type: TargetType = TargetType.AT_LEAST) -> Habit:
    return Habit("m", kind=Kind.MEASURABLE, target_value=target, target_type=target_type)


def as_dates(rows):
    return [(days.iso(start), total) for start, total in rows]


# Thu 2023-12-28 .. Wed 2024-01-10 (2024-01-01 is a Monday)
CHECKS = [
    (2023, 12, 28), (2023, 12, 30), (2023, 12, 31), (2024, 1, 1),
    (2024, 1, 3), (2024, 1, 6), (2024, 1, 7), (2024, 1, 9),
]
TODAY = day(2024, 1, 10)


def daily_analysis():
    stored = {day(*c): M for c in CHECKS}
    stored[day(2024, 1, 2)] = S
    stored[day(2024, 1, 4)] = N
    return analyse(yes_no(), stored, TODAY)


def test_weeks_start_on_monday():
    rows = history(daily_analysis(), Bucket.WEEK, days.MONDAY)
    assert as_dates(rows) == [("2024-01-08", 1), ("2024-01-01", 4), ("2023-12-25", 3)]


def test_weeks_start_on_sunday():
    rows = history(daily_analysis(), Bucket.WEEK, days.SUNDAY)
    assert as_dates(rows) == [("2024-01-07", 2), ("2023-12-31", 4), ("2023-12-24", 2)]


def test_weeks_start_on_saturday():
    rows = history(daily_analysis(), Bucket.WEEK, days.SATURDAY)
    assert as_dates(rows) == [("2024-01-06", 3), ("2023-12-30", 4), ("2023-12-23", 1)]


def test_months_quarters_years():
    a = daily_analysis()
    assert as_dates(history(a, Bucket.MONTH)) == [("2024-01-01", 5), ("2023-12-01", 3)]
    assert as_dates(history(a, Bucket.QUARTER)) == [("2024-01-01", 5), ("2023-10-01", 3)]
    assert as_dates(history(a, Bucket.YEAR)) == [("2024-01-01", 5), ("2023-01-01", 3)]


def test_quarter_boundaries():
    stored = {day(2023, 3, 31): M, day(2023, 4, 1): M, day(2023, 9, 30): M, day(2023, 10, 1): M}
    a = analyse(yes_no(), stored, day(2023, 10, 2))
    assert as_dates(history(a, Bucket.QUARTER)) == [
        ("2023-10-01", 1), ("2023-07-01", 1), ("2023-04-01", 1), ("2023-01-01", 1),
    ]


def test_empty_buckets_between_entries_read_zero():
    a = analyse(yes_no(), {day(2024, 1, 15): M, day(2024, 3, 5): M}, day(2024, 3, 10))
    assert as_dates(history(a, Bucket.MONTH)) == [("2024-03-01", 1), ("2024-02-01", 0), ("2024-01-01", 1)]


def test_only_manual_checks_up_to_today_count():
    # weekly: the check on Jan 1 fills Jan 2..7 with YES_AUTO, which is not counted;
    # the check after today is not counted either.
    stored = {day(2024, 1, 1): M, day(2024, 1, 12): M}
    a = analyse(yes_no(1, 7), stored, TODAY)
    assert as_dates(history(a, Bucket.MONTH)) == [("2024-01-01", 1)]
    assert as_dates(history(a, Bucket.WEEK)) == [("2024-01-08", 0), ("2024-01-01", 1)]


def test_measurable_sums_ignore_negatives_and_skips():
    stored = {
        day(2024, 1, 1): 2500,
        day(2024, 1, 2): -1000,  # negative
        day(2024, 1, 3): S,  # a skip is not 0.003 here
        day(2024, 1, 4): U,
        day(2024, 1, 5): 1000,
        day(2024, 1, 8): 500,
    }
    a = analyse(measurable(), stored, TODAY)
    rows = history(a, Bucket.WEEK, days.MONDAY)
    assert as_dates(rows) == [("2024-01-08", 0.5), ("2024-01-01", 3.5)]
    assert as_dates(history(a, Bucket.MONTH)) == [("2024-01-01", 4.0)]
    assert as_dates(history(a, Bucket.DAY))[:3] == [("2024-01-10", 0), ("2024-01-09", 0), ("2024-01-08", 0.5)]


def test_weekday_grid_yes_no():
    grid = weekday_grid(daily_analysis())
    #                                  Mon Tue Wed Thu Fri Sat Sun
    assert grid == {
        day(2023, 12, 1): [0.0, 0.0, 0.0, 1.0, 0.0, 1.0, 1.0],
        day(2024, 1, 1): [1.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0],
    }


def test_weekday_grid_ignores_auto_days():
    a = analyse(yes_no(1, 7), {day(2024, 1, 1): M}, TODAY)
    assert weekday_grid(a) == {day(2024, 1, 1): [1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]}


def test_weekday_grid_measurable():
    stored = {
        day(2024, 1, 1): 2500,  # Mon
        day(2024, 1, 8): 500,  # Mon
        day(2024, 1, 2): -1000,  # Tue, negative
        day(2024, 1, 3): S,  # Wed, skip
        day(2024, 2, 2): 1250,  # Fri
    }
    a = analyse(measurable(), stored, day(2024, 2, 5))
    assert weekday_grid(a) == {
        day(2024, 1, 1): [3.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
        day(2024, 2, 1): [0.0, 0.0, 0.0, 0.0, 1.25, 0.0, 0.0],
    }


def test_overview_daily():
    m = 0.5 ** (1 / 13)
    stored = {d: M for d in range(401)}
    a = analyse(yes_no(), stored, today=400)
    o = overview(a)
    # score after n consecutive checks: 1 - m**n
    assert o.score == pytest.approx(1 - m**401, abs=1e-12)
    assert o.month_change == pytest.approx((1 - m**401) - (1 - m**371), abs=1e-12)
    assert o.year_change == pytest.approx((1 - m**401) - (1 - m**36), abs=1e-12)
    assert o.total == 401


def test_overview_before_the_range_counts_as_zero():
    m = 0.5 ** (math.sqrt(3 / 7) / 13)
    checks = {60, 62, 64}
    a = analyse(yes_no(3, 7), {d: M for d in checks}, today=100)
    o = overview(a)
    # hand-worked: R = manual checks in the 14 days ending on each day, 6 needed
    scores = {}
    s = 0.0
    for d in range(60, 101):
        r = sum(1 for c in checks if d - 13 <= c <= d)
        s = m * s + (1 - m) * min(1.0, r / 6)
        scores[d] = s
    assert o.score == pytest.approx(scores[100], abs=1e-12)
    assert o.month_change == pytest.approx(scores[100] - scores[70], abs=1e-12)
    assert o.year_change == o.score  # 365 days ago is before the first entry: score 0
    assert o.total == 3  # YES_AUTO days are not completions


def test_total_counts_manual_checks_only():
    a = analyse(yes_no(1, 7), {0: M, 2: S, 3: N, 10: M, 12: M}, today=12)
    assert overview(a).total == 3


def test_total_measurable_counts_days_that_meet_the_target():
    a = analyse(measurable(2.0), {0: 2000, 1: 1999, 2: 5000, 3: S, 4: U}, today=5)
    assert overview(a).total == 2
    b = analyse(measurable(2.0, TargetType.AT_MOST), {0: 2000, 1: 1999, 2: 5000, 4: U}, today=5)
    assert overview(b).total == 2


def test_score_series():
    a = analyse(yes_no(), {day(2024, 1, 30): M, day(2024, 2, 1): M}, day(2024, 2, 2))
    daily = score_series(a)
    assert [d for d, _ in daily] == list(range(day(2024, 1, 30), day(2024, 2, 2) + 1))
    assert [s for _, s in daily] == [a.score_on(d) for d, _ in daily]
    monthly = score_series(a, Bucket.MONTH)
    assert monthly == [(day(2024, 1, 1), a.score_on(day(2024, 1, 31))), (day(2024, 2, 1), a.score_on(day(2024, 2, 2)))]
