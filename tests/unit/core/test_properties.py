"""Properties of the engine over random histories (hypothesis)."""

from __future__ import annotations

import calendar
import datetime as dt
import json
import math
import random

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from habitdesk.core import analysis
from habitdesk.core.analysis import Anchor, analyse, lookback
from habitdesk.core.entries import NO, SKIP, UNKNOWN, YES_AUTO, YES_MANUAL
from habitdesk.core.habit import Frequency, Habit, Kind, TargetType

TODAY = 19_000  # 2022-01-08; the offset drawn below moves it across months
FREQUENCIES = [(1, 1), (1, 2), (2, 3), (1, 3), (3, 7), (1, 7), (5, 7), (6, 13), (2, 30), (1, 30), (4, 31), (1, 60)]
WEEKDAY_MASKS = [0b0010101, 0b0011111, 0b1000000, 0b0111110]

FAST = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def frequencies(draw, weekdays: bool = True) -> Frequency:
    if weekdays and draw(st.integers(0, 5)) == 0:
        return Frequency(1, 1, draw(st.sampled_from(WEEKDAY_MASKS)))
    num, den = draw(st.sampled_from(FREQUENCIES))
    return Frequency(num, den)


@st.composite
def habits(draw, kinds=("yes_no", "at_least", "at_most"), weekdays: bool = True) -> Habit:
    kind = draw(st.sampled_from(kinds))
    freq = draw(frequencies(weekdays=weekdays))
    if kind == "yes_no":
        return Habit("h", frequency=freq)
    target = draw(st.sampled_from([0.0, 0.5, 1.0, 2.5, 10.0, -1.0]))
    target_type = TargetType.AT_LEAST if kind == "at_least" else TargetType.AT_MOST
    return Habit("m", kind=Kind.MEASURABLE, frequency=freq, target_value=target, target_type=target_type)


def random_history(habit: Habit, seed: int, first: int, last: int, density: float, period: int) -> dict[int, int]:
    """Stored entries for days in [first, last]: random, or roughly periodic when period > 0."""
    rng = random.Random(seed)
    stored: dict[int, int] = {}
    target = max(habit.target_value, 0.5)
    for d in range(first, last + 1):
        if period:
            hit = (d - first) % period == 0 or rng.random() < density / 10
        else:
            hit = rng.random() < density
        if not hit:
            if rng.random() < 0.05:
                stored[d] = rng.choice([NO, SKIP, UNKNOWN])
            continue
        if habit.is_measurable:
            stored[d] = rng.choice([
                round(target * 1000),
                rng.randint(0, round(target * 2500)),
                rng.randint(1, 3000),
                0, SKIP, UNKNOWN, YES_MANUAL, -rng.randint(1, 5000),
            ])
        else:
            stored[d] = rng.choices([YES_MANUAL, NO, SKIP, UNKNOWN], weights=[20, 2, 2, 1])[0]
    return stored


@st.composite
def scenarios(draw, min_days: int, max_days: int, future: bool = False, **habit_options):
    """(habit, stored, today): n days of history ending today (and, if asked, some after it)."""
    habit = draw(habits(**habit_options))
    today = TODAY + draw(st.integers(0, 400))
    n = draw(st.integers(min_days, max_days))
    ahead = draw(st.sampled_from([0, 0, 5, 40])) if future else 0
    density = draw(st.floats(0.02, 0.95))
    period = draw(st.sampled_from([0, 0, 0, 1, 2, 3, 5, 6, 7, 8, 29, 30]))
    seed = draw(st.integers(0, 2**32 - 1))
    stored = random_history(habit, seed, today - n + 1, today + ahead, density, period)
    if n:  # the history starts on its first day
        stored[today - n + 1] = round(max(habit.target_value, 1) * 1000) if habit.is_measurable else YES_MANUAL
    return habit, stored, today


@FAST
@given(scenarios(0, 400))
def test_scores_stay_in_the_unit_interval(scenario):
    habit, stored, today = scenario
    a = analyse(habit, stored, today)
    for d in range(a.start, a.end + 1):
        assert 0.0 <= a.score_on(d) <= 1.0, (d, a.score_on(d))
    assert a.score_on(a.start - 1) == 0.0
    assert a.score_on(a.end + 1) == 0.0


@FAST
@given(scenarios(0, 400, kinds=("yes_no", "at_least")), st.integers(0, 2**32 - 1))
def test_a_new_check_never_lowers_todays_score(scenario, pick):
    habit, stored, today = scenario
    rng = random.Random(pick)
    if habit.is_measurable:
        # a positive amount on a day with nothing (or nothing positive) entered
        candidates = [d for d in range(today - 400, today + 1) if stored.get(d, UNKNOWN) in (UNKNOWN, NO) or stored[d] < 0]
        new_value = rng.choice([YES_MANUAL, 1, 500, 1000, 2500, 10_000])
        # off a weekday schedule an empty day is a SKIP; an entry there is scored
        assume(not habit.frequency.weekdays)
    else:
        candidates = [d for d in range(today - 400, today + 1) if stored.get(d, UNKNOWN) in (UNKNOWN, NO)]
        new_value = YES_MANUAL
    assume(candidates)
    day = rng.choice(candidates)
    before = analyse(habit, stored, today).score_on(today)
    after = analyse(habit, {**stored, day: new_value}, today).score_on(today)
    assert after >= before - 1e-12, (day, before, after)


@FAST
@given(scenarios(0, 400))
def test_streaks_stay_inside_the_range(scenario):
    habit, stored, today = scenario
    a = analyse(habit, stored, today)
    span = a.end - a.start + 1
    for s in a.streaks:
        assert a.start <= s.start <= s.end <= a.end
        assert s.length == s.end - s.start + 1 <= span
    # newest first, disjoint and not touching
    for newer, older in zip(a.streaks, a.streaks[1:]):
        assert older.end + 1 < newer.start
    assert len(a.best) <= 10
    if a.current is not None:
        assert a.current.start <= today


def _same_figures(full, anchored):
    today = full.today
    assert anchored.score_on(today) == pytest.approx(full.score_on(today), abs=1e-12)
    assert (anchored.current is None) == (full.current is None)
    if full.current is not None:
        assert (anchored.current.start, anchored.current.end) == (full.current.start, full.current.end)
    assert [(s.start, s.end) for s in anchored.best] == [(s.start, s.end) for s in full.best]
    assert anchored.total == full.total


@SLOW
@given(scenarios(500, 1500))
def test_anchored_analysis_equals_the_full_one(scenario):
    habit, stored, today = scenario
    full = analyse(habit, stored, today)
    anchor_day = today - 400
    assume(full.start <= anchor_day)
    anchor = full.anchor_at(anchor_day)
    anchor = Anchor.from_json(json.loads(json.dumps(anchor.to_json())))  # as the cache stores it
    since = anchor.day - lookback(habit)
    recent = {d: v for d, v in stored.items() if d >= since}
    anchored = analyse(habit, recent, today, anchor=anchor)
    _same_figures(full, anchored)
    # every day from the anchor on agrees, value and score
    for d in range(anchor.day, full.end + 1):
        assert anchored.value_on(d) == full.value_on(d)
        assert anchored.score_on(d) == pytest.approx(full.score_on(d), abs=1e-12)


@SLOW
@given(scenarios(500, 1500), st.integers(1, 300))
def test_an_anchor_survives_new_days(scenario, days_later):
    # the cache keeps an anchor while the days go by (no new entries)
    habit, stored, today = scenario
    full_then = analyse(habit, stored, today)
    anchor_day = today - 400
    assume(full_then.start <= anchor_day)
    anchor = full_then.anchor_at(anchor_day)
    later = today + days_later
    recent = {d: v for d, v in stored.items() if d >= anchor.day - lookback(habit)}
    _same_figures(analyse(habit, stored, later), analyse(habit, recent, later, anchor=anchor))


def _anchored_or_stale(habit, stored, today, anchor):
    """The anchored analysis, or None when the engine reports the anchor stale."""
    recent = {d: v for d, v in stored.items() if d >= anchor.day - lookback(habit)}
    try:
        return analyse(habit, recent, today, anchor=anchor)
    except analysis.StaleAnchor:
        return None


def test_a_check_in_that_moves_intervals_before_the_anchor():
    # Weekly checks exactly every 7 days make adjacent intervals. A check the next
    # day after the last one snaps every older interval 6 days back, down to the first:
    # the range start and the whole streak move. An anchor 400 days back cannot know
    # that; the engine must notice (StaleAnchor) rather than answer from it.
    habit = Habit("weekly", frequency=Frequency(1, 7))
    old = {d: YES_MANUAL for d in range(0, 1000, 7)}  # 0 .. 994
    today = 994
    anchor = analyse(habit, old, today).anchor_at(today - 400)
    new = {**old, today + 1: YES_MANUAL}
    full = analyse(habit, new, today + 1)
    assert (full.current.start, full.current.end) == (-6, 1001)
    assert full.start == -6
    anchored = _anchored_or_stale(habit, new, today + 1, anchor)
    if anchored is not None:
        _same_figures(full, anchored)


@SLOW
@given(scenarios(500, 1500), st.integers(0, 60), st.integers(0, 2**32 - 1), st.integers(1, 40))
def test_an_anchor_survives_edits_after_it(scenario, days_later, seed, edits):
    # The cache keeps an anchor while only days from anchor.day on change: then the
    # anchored analysis must either match the full one or report itself stale.
    habit, stored, today = scenario
    full_then = analyse(habit, stored, today)
    anchor_day = today - 400
    assume(full_then.start <= anchor_day)
    anchor = Anchor.from_json(json.loads(json.dumps(full_then.anchor_at(anchor_day).to_json())))
    later = today + days_later
    rng = random.Random(seed)
    new = dict(stored)
    for _ in range(edits):
        d = rng.randint(anchor.day, later)
        if rng.random() < 0.2:
            new.pop(d, None)
        elif habit.is_measurable:
            new[d] = rng.choice([0, 500, 1000, 2500, 10_000, SKIP, UNKNOWN])
        else:
            new[d] = rng.choice([YES_MANUAL, YES_MANUAL, YES_MANUAL, NO, SKIP, UNKNOWN])
    anchored = _anchored_or_stale(habit, new, later, anchor)
    if anchored is None:
        # only interval-building habits can be stale; the others always take the cheap path
        assert not habit.is_measurable and habit.frequency.num != habit.frequency.den
    else:
        _same_figures(analyse(habit, new, later), anchored)


# --- the engine against a plain reading of DESIGN.md §3 ------------------------


def _month_size(begin: int, den: int) -> int:
    if den not in (30, 31):
        return den
    date = dt.date(1970, 1, 1) + dt.timedelta(days=begin)
    length = calendar.monthrange(date.year, date.month)[1]
    if date.day == length:
        nxt = date + dt.timedelta(days=1)
        return calendar.monthrange(nxt.year, nxt.month)[1]
    return length


def reference(habit: Habit, stored: dict[int, int], today: int):
    """(start, computed values, scores, streaks) computed the slow, literal way."""
    freq = habit.frequency
    num, den = freq.num, freq.den
    computed: dict[int, int] = {}
    if habit.is_measurable:
        computed.update(stored)
    else:
        checks = sorted((d for d, v in stored.items() if v == YES_MANUAL), reverse=True)
        intervals = []
        for i in range(num - 1, len(checks)):
            begin, center = checks[i], checks[i - num + 1]
            size = _month_size(begin, den)
            if center - begin < size:
                intervals.append([begin, center, begin + size - 1])
        for i in range(1, len(intervals)):
            curr, newer = intervals[i], intervals[i - 1]
            if curr[2] >= newer[0]:
                shift = min(curr[2] - curr[1], curr[2] - newer[0] + 1)
                curr[0] -= shift
                curr[2] -= shift
        for begin, _center, end in intervals:
            for d in range(begin, end + 1):
                computed[d] = YES_AUTO
        for d, v in stored.items():
            if d not in computed or v in (SKIP, YES_MANUAL):
                computed[d] = v
            else:
                computed[d] = YES_AUTO
    end = today + 30
    start = min(min(computed), end) if computed else today
    if freq.weekdays:
        # beyond Loop: off-schedule days without a value (even a notes-only one) read SKIP
        for d in range(start, today + 1):
            if not freq.weekdays >> ((d + 3) % 7) & 1 and computed.get(d, UNKNOWN) == UNKNOWN:
                computed[d] = SKIP

    def value(d: int) -> int:
        return computed.get(d, UNKNOWN) if start <= d else UNKNOWN

    m = 0.5 ** (math.sqrt(num / den) / 13)
    scores = {}
    if habit.is_measurable:
        prev = 1.0 if habit.target_type is TargetType.AT_MOST else 0.0
        t = habit.target_value
        for d in range(start, end + 1):
            r = sum(max(0, value(x)) for x in range(d - den + 1, d + 1)) / 1000
            if value(d) != SKIP:
                if habit.target_type is TargetType.AT_LEAST:
                    pct = min(1.0, r / t) if t > 0 else 1.0
                elif t > 0:
                    pct = min(1.0, max(0.0, 1 - (r - t) / t))
                else:
                    pct = 0.0 if r > 0 else 1.0
                prev = m * prev + (1 - m) * pct
            scores[d] = prev
    else:
        wn, wd = (2 * num, 2 * den) if num < den else (num, den)
        prev = 0.0
        for d in range(start, end + 1):
            r = sum(1 for x in range(d - wd + 1, d + 1) if value(x) == YES_MANUAL)
            if value(d) != SKIP:
                prev = m * prev + (1 - m) * min(1.0, r / wn)
            scores[d] = prev

    def qualifies(v: int) -> bool:
        if not habit.is_measurable:
            return v > 0
        if freq.weekdays and v == SKIP:
            return True  # beyond Loop: off-schedule days carry a measurable streak
        if habit.target_type is TargetType.AT_LEAST:
            return v / 1000 >= habit.target_value
        return v != UNKNOWN and v / 1000 <= habit.target_value

    streaks = []
    run = None
    for d in range(start, end + 1):
        if qualifies(value(d)):
            run = [d, d] if run is None else [run[0], d]
        elif run is not None:
            streaks.append(tuple(run))
            run = None
    if run is not None:
        streaks.append(tuple(run))
    return start, computed, scores, streaks[::-1]


@st.composite
def odd_targets(draw):
    habit, stored, today = draw(scenarios(0, 300, future=True, kinds=("at_least", "at_most")))
    target = draw(st.one_of(
        st.sampled_from([0.3, 0.1 + 0.2, 2.675, 1e-3, 1.0005, 0.0, -0.001]),
        st.floats(-2, 15, allow_nan=False, allow_infinity=False),
    ))
    habit.target_value = target
    return habit, stored, today


def _check_against_reference(habit, stored, today):
    a = analyse(habit, stored, today)
    start, computed, scores, streaks = reference(habit, stored, today)
    assert a.start == start
    for d in range(start - 3, max(computed, default=today) + 2):
        assert a.value_on(d) == (computed.get(d, UNKNOWN) if d >= start else UNKNOWN), d
    for d in range(start - 2, today + 33):
        assert a.score_on(d) == pytest.approx(scores.get(d, 0.0), abs=1e-12), d
    assert [(s.start, s.end) for s in a.streaks] == streaks
    if habit.frequency.weekdays:
        # beyond Loop: a run of skipped days alone is no streak to show
        streaks = [s for s in streaks if any(computed.get(d, UNKNOWN) != SKIP for d in range(s[0], s[1] + 1))]
    best = sorted(streaks, key=lambda s: (s[1] - s[0], s[1]), reverse=True)[:10]
    assert [(s.start, s.end) for s in a.best] == sorted(best, key=lambda s: s[1], reverse=True)


@FAST
@given(scenarios(0, 300, future=True))
def test_engine_matches_a_literal_reading_of_the_rules(scenario):
    _check_against_reference(*scenario)


@FAST
@given(odd_targets())
def test_measurable_targets_compare_like_the_spec(scenario):
    _check_against_reference(*scenario)
