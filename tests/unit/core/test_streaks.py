"""Streaks: maximal runs of qualifying days in [start, today + 30] (DESIGN.md §3)."""

from __future__ import annotations

from habitdesk.core.analysis import analyse, summarize
from habitdesk.core.entries import NO, SKIP, UNKNOWN, YES_AUTO, YES_MANUAL
from habitdesk.core.habit import Frequency, Habit, Kind, TargetType

M, A, N, S, U = YES_MANUAL, YES_AUTO, NO, SKIP, UNKNOWN


def yes_no(num: int = 1, den: int = 1) -> Habit:
    return Habit("h", frequency=Frequency(num, den))


def measurable(target: float, target_type: TargetType) -> Habit:
    return Habit("m", kind=Kind.MEASURABLE, target_value=target, target_type=target_type)


def spans(streaks) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in streaks]


def span(streak) -> tuple[int, int] | None:
    return None if streak is None else (streak.start, streak.end)


def test_yes_no_skips_count():
    a = analyse(yes_no(), {0: M, 1: M, 2: S, 3: M, 4: N, 5: M, 7: M}, today=7)
    assert spans(a.streaks) == [(7, 7), (5, 5), (0, 3)]  # newest first


def test_yes_no_skip_alone_is_a_streak():
    a = analyse(yes_no(), {0: S, 2: M}, today=2)
    assert spans(a.streaks) == [(2, 2), (0, 0)]


def test_yes_no_auto_days_count_and_no_inside_an_interval_is_auto():
    a = analyse(yes_no(1, 7), {0: M, 3: N, 10: M}, today=12)
    assert a.value_on(3) == A
    assert spans(a.streaks) == [(10, 16), (0, 6)]


def test_streak_runs_into_the_future_through_auto_days():
    a = analyse(yes_no(1, 7), {100: M}, today=100)
    assert spans(a.streaks) == [(100, 106)]
    assert span(a.current) == (100, 106)
    assert summarize(a).streak == 7


def test_streak_stops_at_today_plus_30():
    # every 60 days: the interval reaches today + 59, the streak only today + 30
    a = analyse(yes_no(1, 60), {100: M}, today=100)
    assert a.value_on(145) == A
    assert spans(a.streaks) == [(100, 130)]
    assert a.current.length == 31


def test_streaks_start_at_the_range_start():
    # at least -1: every day qualifies, even days without an entry
    a = analyse(measurable(-1, TargetType.AT_LEAST), {10: U}, today=20)
    assert spans(a.streaks) == [(10, 50)]


def test_at_least():
    habit = measurable(5, TargetType.AT_LEAST)
    stored = {0: 5000, 1: 6000, 2: 4999, 3: 5000, 4: S, 5: 5000, 6: U}
    a = analyse(habit, stored, today=6)
    # a SKIP is 0.003, below the target; UNKNOWN and empty days never qualify
    assert spans(a.streaks) == [(5, 5), (3, 3), (0, 1)]


def test_at_least_zero_target():
    habit = measurable(0, TargetType.AT_LEAST)
    stored = {0: 0, 1: S, 2: 1500, 3: U, 5: 0}
    a = analyse(habit, stored, today=5)
    # amount >= 0: zero and the skip (0.003) qualify; UNKNOWN (-0.001) and empty days do not
    assert spans(a.streaks) == [(5, 5), (0, 2)]


def test_at_most_needs_an_entry():
    habit = measurable(2, TargetType.AT_MOST)
    stored = {0: 0, 1: 2000, 3: 1000, 4: 3000, 5: S, 6: U}
    a = analyse(habit, stored, today=8)
    # day 2 has no entry; 4 is above the target; the SKIP (0.003) is within it;
    # the UNKNOWN entry of day 6 and the empty days after do not count
    assert spans(a.streaks) == [(5, 5), (3, 3), (0, 1)]


def test_best_ten_longest_newest_first_later_wins_ties():
    lengths = [5, 3, 5, 1, 2, 4, 3, 6, 1, 2, 3, 1]  # oldest to newest, one empty day between
    stored = {}
    runs = []
    d = 0
    for n in lengths:
        runs.append((d, d + n - 1))
        for i in range(n):
            stored[d + i] = M
        d += n + 1
    today = d  # one empty day after the last run
    a = analyse(yes_no(), stored, today=today)
    assert spans(a.streaks) == runs[::-1]
    # the three length-1 runs compete for the last place: the newest (index 11) wins
    kept = [i for i in range(12) if i not in (3, 8)]
    assert spans(a.best) == [runs[i] for i in reversed(kept)]
    assert summarize(a).best_streak == 6


def test_best_tie_prefers_the_later_streak():
    # ten 2-day streaks and one 3-day streak in the middle: the oldest 2-day one drops out
    stored = {}
    runs = []
    for i in range(11):
        n = 3 if i == 5 else 2
        first = 4 * i
        runs.append((first, first + n - 1))
        stored.update({first + k: M for k in range(n)})
    a = analyse(yes_no(), stored, today=44)
    assert spans(a.best) == runs[:0:-1]
    assert a.best[0].length == 2 and a.best[5].length == 3


def test_best_limit_is_ten():
    stored = {2 * i: M for i in range(15)}
    a = analyse(yes_no(), stored, today=30)
    assert len(a.streaks) == 15
    assert spans(a.best) == [(2 * i, 2 * i) for i in range(14, 4, -1)]


def test_current_streak_includes_today():
    a = analyse(yes_no(), {5: M, 6: M, 7: M}, today=7)
    assert span(a.current) == (5, 7)
    assert summarize(a).streak == 3


def test_current_streak_ended_yesterday_is_still_current():
    a = analyse(yes_no(), {5: M, 6: M}, today=7)
    assert span(a.current) == (5, 6)


def test_broken_streak_is_not_current():
    a = analyse(yes_no(), {5: M, 6: M}, today=8)
    assert a.current is None
    assert summarize(a).streak == 0
    assert summarize(a).best_streak == 2


def test_streak_lengths():
    a = analyse(yes_no(), {3: M, 10: M, 11: M, 12: M}, today=12)
    assert [s.length for s in a.streaks] == [3, 1]


def test_no_today_value_breaks_nothing_in_an_interval():
    # weekly: yesterday's check keeps the streak running through today
    a = analyse(yes_no(1, 7), {10: M}, today=14)
    assert span(a.current) == (10, 16)


def test_future_only_streak_is_not_current():
    a = analyse(yes_no(), {1: M, 12: M}, today=10)
    assert spans(a.streaks) == [(12, 12), (1, 1)]
    assert a.current is None


def test_no_entries_no_streaks():
    a = analyse(yes_no(), {}, today=10)
    assert a.streaks == []
    assert a.best == []
    assert a.current is None
