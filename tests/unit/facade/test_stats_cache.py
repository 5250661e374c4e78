"""The statistics cache: incremental refreshes agree with a full recomputation.

The cache keeps an anchor about ANCHOR_DISTANCE days back and refreshes from it;
a change that moves automatic intervals reaching before the anchor makes it
stale (StaleAnchor) and forces a full analysis. These tests drive long random
histories through the Tracker and compare every cached figure with a full
analysis of the whole history and with StatsCache.rebuild().
"""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest

import habitdesk.core.analysis as engine
from habitdesk.core.analysis import ANCHOR_DISTANCE, ANCHOR_MAX_DISTANCE, analyse, summarize
from habitdesk.core.entries import NO, SKIP, UNKNOWN, YES_MANUAL
from habitdesk.core.habit import Frequency, Habit, Kind, TargetType
from habitdesk.core.status import RECENT_DAYS, Summary
from habitdesk.facade.stats import ENGINE_VERSION
from habitdesk.facade.tracker import Tracker
from tests.conftest import TODAY

HISTORY_DAYS = 3 * 365


def make_habits() -> list[Habit]:
    return [
        Habit("daily", frequency=Frequency(1, 1)),
        Habit("weekly", frequency=Frequency(1, 7)),
        Habit("monthly", frequency=Frequency(1, 30)),
        Habit("3 per week", frequency=Frequency(3, 7)),
        Habit("2 in 3", frequency=Frequency(2, 3)),
        Habit("4 per month", frequency=Frequency(4, 31)),
        Habit("mon wed fri", frequency=Frequency(1, 1, 0b0010101)),
        Habit("water", kind=Kind.MEASURABLE, unit="l", target_value=2.0),
        Habit("km per week", kind=Kind.MEASURABLE, unit="km", target_value=20.0, frequency=Frequency(1, 7)),
        Habit("sugar", kind=Kind.MEASURABLE, unit="g", target_value=30.0, target_type=TargetType.AT_MOST),
        Habit("drinks", kind=Kind.MEASURABLE, target_value=3.0, target_type=TargetType.AT_MOST, frequency=Frequency(1, 7)),
    ]


class EngineSpy:
    """Counts anchored analyses and stale anchors seen by the cache."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.counts: Counter[str] = Counter()
        real = engine.analyse

        def spy(habit, stored, today, *, anchor=None, scores_from=None):  # noqa: ANN001, ANN202
            self.counts["anchored" if anchor is not None else "full"] += 1
            try:
                return real(habit, stored, today, anchor=anchor, scores_from=scores_from)
            except engine.StaleAnchor:
                self.counts["stale"] += 1
                raise

        monkeypatch.setattr(engine, "analyse", spy)


def reference(tracker: Tracker, habit: Habit, today: int) -> Summary:
    """Summary from a full analysis of the whole history, written nowhere."""
    return summarize(analyse(habit, tracker.repo.entries(habit), today))


def assert_same(got: Summary, want: Summary, what: str) -> None:
    assert got.through == want.through, what
    assert got.score == pytest.approx(want.score, abs=1e-9), what
    assert (got.streak, got.best_streak, got.total, got.today_value, got.window_sum) == (
        want.streak, want.best_streak, want.total, want.today_value, want.window_sum,
    ), f"{what}: {got} != {want}"
    assert got.recent_values() == want.recent_values(), f"{what}: the table's recent days differ"


def check_cache(tracker: Tracker, habits: list[Habit], label: str) -> None:
    today = tracker.today()
    cached = tracker.summaries(habits)
    for habit in habits:
        assert cached[habit.id].through == today
        assert_same(cached[habit.id], reference(tracker, habit, today), f"{label}: {habit.name}")


def check_against_rebuild(tracker: Tracker, habits: list[Habit], label: str) -> None:
    cached = tracker.summaries(habits)
    rebuilt = tracker.stats.rebuild(habits, tracker.today())
    for habit in habits:
        assert_same(cached[habit.id], rebuilt[habit.id], f"{label} (rebuild): {habit.name}")


def seed_history(tracker: Tracker, habits: list[Habit], rng: random.Random, today: int) -> None:
    """Years of plausible history, written in bulk."""
    rows = []
    first = today - HISTORY_DAYS
    for habit in habits:
        density = {1: 0.7, 3: 0.5, 7: 0.2, 30: 0.05, 31: 0.15}.get(habit.frequency.den, 0.5)
        for day in range(first + rng.randrange(30), today + 1):
            if rng.random() > density:
                continue
            rows.append((habit.id, day, random_value(habit, rng), "note" if rng.random() < 0.02 else ""))
    with tracker.repo.transaction():
        tracker.repo.put_entries(rows)
        tracker.repo.drop_stats()


def random_value(habit: Habit, rng: random.Random) -> int:
    if habit.is_measurable:
        r = rng.random()
        if r < 0.05:
            return SKIP
        return round(rng.uniform(0, habit.target_value * 1.6) * (1000 if r < 0.9 else 0))
    return rng.choices([YES_MANUAL, NO, SKIP], weights=[85, 10, 5])[0]


def random_day(rng: random.Random, today: int) -> int:
    """Mostly recent days, many around the anchor, some anywhere in the history."""
    r = rng.random()
    if r < 0.4:
        return today - rng.randrange(0, ANCHOR_DISTANCE)
    if r < 0.75:
        return today - ANCHOR_DISTANCE + rng.randrange(-40, 40)
    return today - rng.randrange(0, HISTORY_DAYS + 60)


def random_change(tracker: Tracker, habit: Habit, rng: random.Random) -> None:
    today = tracker.today()
    day = random_day(rng, today)
    op = rng.random()
    if op < 0.55:
        if habit.is_measurable:
            tracker.check(habit, day, amount=round(rng.uniform(0, habit.target_value * 1.5), 3))
        else:
            tracker.check(habit, day)
    elif op < 0.7:
        tracker.skip(habit, day)
    elif op < 0.9:
        tracker.clear(habit, day)
    else:
        tracker.set_entry(habit, day, NO if not habit.is_measurable else 0, notes="n" if rng.random() < 0.5 else None)


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5, 6])
def test_random_changes_over_years_match_a_full_analysis(data_dir: Path, monkeypatch, seed: int):
    rng = random.Random(seed)
    spy = EngineSpy(monkeypatch)
    tracker = Tracker(data_dir, today=TODAY)
    try:
        habits = [tracker.add_habit(h) for h in make_habits()]
        seed_history(tracker, habits, rng, TODAY)
        check_cache(tracker, habits, "seeded")
        for step in range(1000):
            random_change(tracker, rng.choice(habits), rng)
            if step % 20 == 19:
                check_cache(tracker, habits, f"seed {seed} step {step}")
        check_cache(tracker, habits, "end of today")
        check_against_rebuild(tracker, habits, "end of today")
    finally:
        tracker.close()
    # the incremental path and its fallback were both taken
    assert spy.counts["anchored"] > 300, spy.counts
    assert spy.counts["stale"] > 0, spy.counts


def test_days_going_by_match_a_full_analysis(data_dir: Path, monkeypatch):
    """New days refresh stale rows; anchors further back than ANCHOR_MAX_DISTANCE move forward."""
    rng = random.Random(7)
    spy = EngineSpy(monkeypatch)
    tracker = Tracker(data_dir, today=TODAY)
    habits = [tracker.add_habit(h) for h in make_habits()]
    seed_history(tracker, habits, rng, TODAY)
    check_cache(tracker, habits, "start")
    tracker.close()
    today = TODAY
    for step in (1, 1, 2, 5, 30, 1, 90, 120, 1, 200):
        today += step
        tracker = Tracker(data_dir, today=today)
        try:
            habits = tracker.habits()
            stale_rows = {hid for hid, row in tracker.repo.stats().items() if row[0] != today}
            assert stale_rows == {h.id for h in habits}  # every row is for an older day
            check_cache(tracker, habits, f"day {today}")
            assert all(row[0] == today for row in tracker.repo.stats().values())
            for _ in range(30):
                random_change(tracker, rng.choice(habits), rng)
            check_cache(tracker, habits, f"day {today} after changes")
            anchors = [tracker.repo.anchor(h.id) for h in habits]
            for anchor in anchors:
                if anchor is not None:
                    assert today - anchor.day <= ANCHOR_MAX_DISTANCE
        finally:
            tracker.close()
    tracker = Tracker(data_dir, today=today)
    try:
        check_against_rebuild(tracker, tracker.habits(), "after the days")
    finally:
        tracker.close()
    assert spy.counts["anchored"] > 50, spy.counts


def test_a_new_day_refreshes_the_cached_row(data_dir: Path):
    tracker = Tracker(data_dir, today=TODAY)
    h = tracker.add_habit(Habit("Run"))
    for day in range(TODAY - 4, TODAY + 1):
        tracker.check(h, day)
    s = tracker.summaries([h])[h.id]
    assert (s.through, s.streak, s.today_value) == (TODAY, 5, YES_MANUAL)
    tracker.close()

    tracker = Tracker(data_dir, today=TODAY + 1)
    try:
        assert tracker.repo.stats()[h.id][0] == TODAY  # still yesterday's row
        s = tracker.summaries([h])[h.id]
        assert s.through == TODAY + 1
        assert s.today_value == UNKNOWN
        assert s.streak == 5 and s.best_streak == 5  # ended yesterday: still alive today
        assert_same(s, reference(tracker, h, TODAY + 1), "next day")
        assert tracker.repo.stats()[h.id][0] == TODAY + 1  # and stored
    finally:
        tracker.close()

    tracker = Tracker(data_dir, today=TODAY + 2)
    try:
        s = tracker.summaries([h])[h.id]
        assert (s.through, s.streak, s.best_streak, s.total) == (TODAY + 2, 0, 5, 5)
        assert s.score < 0.2218660862820091  # decays on the days without a check
    finally:
        tracker.close()


def test_a_weekly_habit_carries_its_streak_into_the_next_day(data_dir: Path):
    tracker = Tracker(data_dir, today=TODAY)
    h = tracker.add_habit(Habit("weekly", frequency=Frequency(1, 7)))
    tracker.check(h, TODAY)
    tracker.close()
    tracker = Tracker(data_dir, today=TODAY + 3)
    try:
        s = tracker.summaries([h])[h.id]
        assert s.today_value == 1  # YES_AUTO inside the week's interval
        assert s.streak == 7  # the interval's seven days, running into the future
        assert s.total == 1  # automatic days are no completions
        assert_same(s, reference(tracker, h, TODAY + 3), "weekly")
    finally:
        tracker.close()


def test_editing_the_frequency_invalidates_the_row(tracker: Tracker):
    h = tracker.add_habit(Habit("Run", frequency=Frequency(1, 1)))
    for day in range(TODAY - 400, TODAY + 1, 3):
        tracker.check(h, day)
    before = tracker.summaries([h])[h.id]
    assert h.id in tracker.repo.stats()
    h.frequency = Frequency(1, 3)
    tracker.edit_habit(h)
    assert h.id not in tracker.repo.stats()  # dropped at once, anchor and all
    after = tracker.summaries([h])[h.id]
    assert after.score > before.score
    assert after.streak > before.streak
    assert_same(after, reference(tracker, h, TODAY), "after edit")


def test_editing_the_target_invalidates_the_row(tracker: Tracker):
    h = tracker.add_habit(Habit("water", kind=Kind.MEASURABLE, target_value=2.0))
    for day in range(TODAY - 200, TODAY + 1):
        tracker.check(h, day, amount=1.5)
    assert tracker.summaries([h])[h.id].streak == 0
    h.target_value = 1.0
    tracker.edit_habit(h)
    after = tracker.summaries([h])[h.id]
    assert after.streak == 201
    assert_same(after, reference(tracker, h, TODAY), "after edit")


def test_changing_an_old_day_uses_the_whole_history(tracker: Tracker, monkeypatch):
    h = tracker.add_habit(Habit("Run"))
    for day in range(TODAY - 500, TODAY + 1):
        tracker.check(h, day)
    tracker.summaries([h])
    anchor = tracker.repo.anchor(h.id)
    assert anchor is not None and anchor.day == TODAY - ANCHOR_DISTANCE
    tracker.clear(h, TODAY - 450)  # before the anchor: the best streak changes
    s = tracker.summaries([h])[h.id]
    assert s.best_streak == 450 and s.total == 500
    assert_same(s, reference(tracker, h, TODAY), "old change")


def test_engine_version_drops_stale_caches(data_dir: Path):
    tracker = Tracker(data_dir, today=TODAY)
    h = tracker.add_habit(Habit("Run"))
    tracker.check(h, TODAY)
    tracker.summaries([h])
    # a cache row that the current engine would never write, as if an older one had
    with tracker.repo.transaction():
        tracker.repo.put_stats(h.id, Summary(TODAY, 0.123, 42, 42, 42, YES_MANUAL, 0), None)
    tracker.close()

    # same engine version: the row is trusted as it is
    tracker = Tracker(data_dir, today=TODAY)
    assert tracker.summaries([h])[h.id].streak == 42
    tracker.repo.put_setting("engine_version", ENGINE_VERSION - 1)
    tracker.close()

    # another engine version: dropped on open, recomputed on demand
    tracker = Tracker(data_dir, today=TODAY)
    try:
        assert tracker.repo.stats() == {}
        assert tracker.repo.settings()["engine_version"] == ENGINE_VERSION
        s = tracker.summaries([h])[h.id]
        assert (s.streak, s.total) == (1, 1)
        assert_same(s, reference(tracker, h, TODAY), "recomputed")
    finally:
        tracker.close()


def test_a_missing_engine_version_drops_caches(data_dir: Path):
    tracker = Tracker(data_dir, today=TODAY)
    h = tracker.add_habit(Habit("Run"))
    tracker.summaries([h])
    tracker.db.execute_sql("DELETE FROM setting WHERE key = 'engine_version'")
    tracker.close()
    tracker = Tracker(data_dir, today=TODAY)
    try:
        assert tracker.repo.stats() == {}
    finally:
        tracker.close()


def test_day_start_hour_drops_caches(tracker: Tracker):
    h = tracker.add_habit(Habit("Run"))
    tracker.summaries([h])
    assert tracker.repo.stats()
    tracker.set_setting("day_start_hour", 3)
    assert tracker.repo.stats() == {}


def test_summaries_of_a_habit_without_entries(tracker: Tracker):
    yes = tracker.add_habit(Habit("Run"))
    at_most = tracker.add_habit(Habit("sugar", kind=Kind.MEASURABLE, target_value=30, target_type=TargetType.AT_MOST))
    got = tracker.summaries([yes, at_most])
    assert got[yes.id][:7] == Summary(TODAY, 0.0, 0, 0, 0, UNKNOWN, 0)[:7]
    assert got[yes.id].recent_values() == [UNKNOWN] * RECENT_DAYS
    assert got[at_most.id].score == 1.0  # at most: the score starts full


def test_rebuild_stats_covers_archived_habits(tracker: Tracker):
    a = tracker.add_habit(Habit("a"))
    b = tracker.add_habit(Habit("b"))
    tracker.check(b, TODAY)
    tracker.set_archived(b, True)
    rebuilt = tracker.rebuild_stats()
    assert set(rebuilt) == {a.id, b.id}
    assert rebuilt[b.id].total == 1


def test_going_back_in_time_matches_a_full_analysis(data_dir: Path):
    """`--today` an earlier date: the newer anchor cannot be used."""
    rng = random.Random(11)
    tracker = Tracker(data_dir, today=TODAY)
    habits = [tracker.add_habit(h) for h in make_habits()]
    seed_history(tracker, habits, rng, TODAY)
    check_cache(tracker, habits, "today")
    tracker.close()
    for today in (TODAY - 10, TODAY - 100, TODAY - 400, TODAY):
        tracker = Tracker(data_dir, today=today)
        try:
            check_cache(tracker, tracker.habits(), f"day {today}")
        finally:
            tracker.close()
