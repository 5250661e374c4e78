"""One habit's computed entries, scores and streaks, in full or from an anchor.

A full analysis reads the whole history. An anchored analysis reads only the
days since an :class:`Anchor` (plus a look-back for rolling windows and
intervals) and resumes the score and the streaks from the anchor's state. The
statistics cache keeps the anchor, so a check-in or a new day costs a few
hundred days of work instead of ten years.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Mapping

from habitdesk.core import codes
from habitdesk.core.computed import Intervals, apply_weekday_schedule, fill_yes_no
from habitdesk.core.entries import SKIP, UNKNOWN
from habitdesk.core.habit import Habit, TargetType
from habitdesk.core.scores import measurable_scores, yes_no_scores
from habitdesk.core.status import RECENT_DAYS, Summary
from habitdesk.core.stored import Stored
from habitdesk.core.streaks import (
    Streak,
    best_streaks,
    current_streak,
    find_streaks,
    longest,
    qualifying_flags,
    yes_no_flags,
)

TYPE_CHECKING = False  # typing's import alone costs the CLI 4 ms of start-up
if TYPE_CHECKING:
    from typing import Any

FUTURE_DAYS = 30  # scores and streaks run to today + 30, as in Loop
BEST_LIMIT = 10
ANCHOR_DISTANCE = 60  # a fresh anchor sits this many days before today
ANCHOR_MAX_DISTANCE = 150  # an older anchor is moved forward
assert RECENT_DAYS <= ANCHOR_DISTANCE  # an anchored analysis knows them exactly


def score_memory(num: int, den: int) -> int:
    """Non-skip days after which a score has forgotten its past (m ** days < 2 ** -40).

    A score is in [0, 1], so starting the recursion that many days early from
    the initial score instead of the true one changes it by less than 1e-12:
    invisible in a percentage or a four-decimal export.
    """
    return math.ceil(40 * 13 / math.sqrt(num / den))


def lookback(habit: Habit) -> int:
    """Days of stored history before an anchor that the days after it depend on.

    Rolling windows reach back 2 x den days; an interval reaches back its size
    (den, or a month) and snapping moves it back by less than that.
    """
    return 2 * max(habit.frequency.den, 31) + 2


class StaleAnchor(Exception):
    """A change reached back before the anchor; analyse the whole history instead."""


@dataclasses.dataclass
class Anchor:
    """What an anchored analysis needs to know about the days before ``day``.

    Scores and totals never depend on automatic values, but streaks do, and
    one new check can move Loop's intervals years back (the snap cascades).
    ``guard`` lists the intervals near the anchor that reach before it; if an
    anchored analysis finds them moved, the anchor is stale.
    """

    day: int
    start: int  # the habit's range start: its oldest computed entry
    score: float  # the score on day - 1
    run_start: int | None  # start of the streak that includes day - 1, if any
    best: list[tuple[int, int]]  # best streaks that end before day - 1
    total: int  # completions before day
    guard: list[tuple[int, int, int]] = dataclasses.field(default_factory=list)  # (center, begin, end)

    def to_json(self) -> dict[str, object]:
        return {
            "day": self.day, "start": self.start, "score": self.score, "run_start": self.run_start,
            "best": self.best, "total": self.total, "guard": self.guard,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Anchor:
        return cls(
            day=int(data["day"]),
            start=int(data["start"]),
            score=float(data["score"]),
            run_start=None if data["run_start"] is None else int(data["run_start"]),
            best=[(int(a), int(b)) for a, b in data["best"]],
            total=int(data["total"]),
            guard=[(int(c), int(b), int(e)) for c, b, e in data.get("guard", [])],
        )


@dataclasses.dataclass
class Analysis:
    """Computed values, scores and streaks of one habit as seen on ``today``.

    ``values[i]`` describes day ``lo + i`` and runs at least to today + 30:
    the computed value of a measurable habit, the value's code (codes.py) for
    a yes/no habit; value_on() and values_between() give plain values.
    ``scores`` shares the indexing. Scores and completions are
    known from ``score_from``: the range start, or the anchor's day. Streaks
    are newest first; an anchored analysis holds the recent ones plus the
    anchor's best, which is all that best and current streaks need.
    """

    habit: Habit
    today: int
    lo: int
    values: list[int] | bytearray
    start: int
    score_from: int
    scores: list[float]
    streaks: list[Streak]
    total_before: int  # completions before counted_from
    stored: Stored
    counted_from: int  # streaks and completions are complete from here (start, or the anchor)
    flags: bytes = b""  # streak flags of days counted_from .. today + 30
    intervals: Intervals | None = None  # a yes/no habit's automatic intervals

    @property
    def end(self) -> int:
        return self.today + FUTURE_DAYS

    @property
    def total(self) -> int:
        """Completions: manual checks, or days that met a measurable target."""
        return self.total_before + self._completions(self.counted_from, self.lo + len(self.values))

    @property
    def best(self) -> list[Streak]:
        return best_streaks(self.real_streaks, BEST_LIMIT)

    @property
    def current(self) -> Streak | None:
        return current_streak(self.real_streaks, self.today)

    @property
    def real_streaks(self) -> list[Streak]:
        """The streaks worth showing: for a weekday schedule, not runs of skipped days alone.

        Off-schedule days read SKIP, which carries a streak; by themselves (a
        Thursday after a missed Wednesday) they make no streak. Habits without
        a schedule keep Loop's rule that any skip counts.
        """
        if not self.habit.frequency.weekdays:
            return self.streaks
        return [s for s in self.streaks if not self._only_skips(s)]

    def _only_skips(self, streak: Streak) -> bool:
        a, b = streak.start - self.lo, streak.end - self.lo + 1
        if a < 0:
            return False  # reaches back past the analysed days: far longer than any run of off days
        skip = SKIP if self.habit.is_measurable else codes.C_SKIP
        return bool(self.values[a:b].count(skip) == b - a)

    def value_on(self, day: int) -> int:
        i = day - self.lo
        if not 0 <= i < len(self.values):
            return UNKNOWN
        value = self.values[i]
        return value if self.habit.is_measurable else value - codes.OFFSET

    def values_between(self, first: int, last: int) -> list[int]:
        """Plain computed values of days first..last (UNKNOWN outside the range)."""
        out = [UNKNOWN] * (last - first + 1)
        a = max(first, self.lo)
        b = min(last, self.lo + len(self.values) - 1)
        if a <= b:
            inner = self.values[a - self.lo : b - self.lo + 1]
            out[a - first : b - first + 1] = inner if self.habit.is_measurable else codes.decode(inner)  # type: ignore[arg-type]
        return out

    def score_on(self, day: int) -> float:
        """Loop's score on a day: 0 outside [start, today + 30]."""
        if day < self.start or day > self.end:
            return 0.0
        if day < self.score_from:
            raise ValueError("this analysis starts at an anchor; earlier scores are unknown")
        return self.scores[day - self.lo]

    def window_sum(self, day: int) -> int:
        """Sum of positive raw values (skips excluded) over the den days ending on ``day``.

        Measurable habits only; 0 for yes/no habits.
        """
        if not self.habit.is_measurable:
            return 0
        a = max(day - self.habit.frequency.den + 1 - self.lo, 0)
        return sum(v for v in self.values[a : max(day - self.lo + 1, 0)] if v > 0 and v != SKIP)

    def known_days(self) -> list[int]:
        """Days with a computed entry, newest first: a known value, or a stored entry.

        A stored UNKNOWN entry of a yes/no habit always carries notes (the
        repository keeps no empty ones), so it is known, as in Loop.
        """
        lo, stored, values = self.lo, self.stored, self.values
        unknown = UNKNOWN if self.habit.is_measurable else codes.C_UNKNOWN
        return [lo + i for i in range(len(values) - 1, -1, -1) if values[i] != unknown or lo + i in stored]

    def anchor_at(self, day: int) -> Anchor:
        """The state before ``day``, for a later anchored analysis."""
        scored_before = self.start <= day - 1 < self.score_from
        if scored_before or day < self.counted_from:
            raise ValueError("cannot anchor before the analysed range")
        run_start = next((s.start for s in self.streaks if s.start <= day - 1 <= s.end), None)
        ended = [s for s in self.real_streaks if s.end < day - 1]
        score = self.score_on(day - 1) if day - 1 >= self.start else _initial_score(self.habit)
        return Anchor(
            day=day,
            start=self.start,
            score=score,
            run_start=run_start,
            best=[(s.start, s.end) for s in best_streaks(ended, BEST_LIMIT)],
            total=self.total_before + self._completions(self.counted_from, day),
            guard=_guard(self.habit, self.intervals, day),
        )

    def _completions(self, begin: int, end: int) -> int:
        a = max(begin - self.lo, 0)
        b = max(end - self.lo, 0)
        if not self.habit.is_measurable:
            return self.values.count(codes.C_MANUAL, a, b)  # type: ignore[call-arg]  # a bytearray
        if self.flags and not self.habit.frequency.weekdays:
            # the streak flags are the target test; days past today + 30 hold no entries
            c = self.counted_from - self.lo
            return self.flags.count(1, max(a - c, 0), max(b - c, 0))
        return _flags(self.habit, self.values[a:b], skips_qualify=False).count(1)


def analyse(
    habit: Habit,
    stored: Stored | Mapping[int, int],
    today: int,
    *,
    anchor: Anchor | None = None,
    scores_from: int | None = None,
) -> Analysis:
    """Analyse a habit from its stored entries (a Stored, or a day -> value mapping).

    Without an anchor, ``stored`` is the whole history. With one, it holds at
    least every entry from ``anchor.day - lookback(habit)`` on. Every stored
    entry is a computed entry (see known_days), so the range starts at the
    oldest of them or of the automatic intervals.

    Raises StaleAnchor when a change moved intervals that reach before the anchor.

    ``scores_from``: only scores from this day on are wanted. The recursion
    then starts score_memory() non-skip days earlier instead of at the range
    start (the figures agree to within 1e-12); streaks and totals stay complete.
    """
    stored = Stored.of(stored)
    end = today + FUTURE_DAYS
    freq = habit.frequency
    measurable = habit.is_measurable
    unknown: list[int] | bytes = [UNKNOWN] if measurable else bytes([codes.C_UNKNOWN])
    values: list[int] | bytearray
    intervals = None
    if not stored:
        lo, values = today, ([UNKNOWN] if measurable else bytearray(unknown))
    elif measurable:
        lo, values = stored.first, stored.dense(stored.first, stored.last)
    else:
        lo, values, intervals = fill_yes_no(freq.num, freq.den, stored)
    if anchor is not None and _guard(habit, intervals, anchor.day) != anchor.guard:
        raise StaleAnchor(habit.name)

    if anchor is None:
        start = min(lo, end) if stored else today
        counted_from = start
    else:
        start, counted_from = anchor.start, anchor.day
    score_from = counted_from

    # Make the dense range cover [min(lo, score_from), end].
    if score_from < lo:
        values[:0] = unknown * (lo - score_from)
        lo = score_from
    if lo + len(values) <= end:
        values.extend(unknown * (end - lo - len(values) + 1))
    if freq.weekdays:
        apply_weekday_schedule(lo, values, start, today, freq.weekdays)

    scored = values[: end - lo + 1]
    score_begin = score_from
    if scores_from is not None and anchor is None and scores_from > score_from:
        skip = SKIP if measurable else codes.C_SKIP
        score_begin = max(score_from, _forgotten_before(scored, lo, min(scores_from, end), freq.num, freq.den, skip))
        score_from = min(scores_from, end)
    first = score_begin - lo
    if measurable:
        scores = measurable_scores(
            scored, freq.num, freq.den, habit.target_value, habit.target_type,  # type: ignore[arg-type]
            first=first, initial=None if anchor is None else anchor.score,
        )
    else:
        scores = yes_no_scores(
            scored, freq.num, freq.den, first=first, initial=0.0 if anchor is None else anchor.score  # type: ignore[arg-type]
        )

    flags = _flags(habit, scored[counted_from - lo :])
    streaks = find_streaks(flags, counted_from)
    total_before = 0
    if anchor is not None:
        streaks = _merge_anchor_streaks(streaks, anchor)
        total_before = anchor.total
    return Analysis(
        habit, today, lo, values, start, score_from, scores, streaks, total_before, stored, counted_from, flags,
        intervals,
    )


def _forgotten_before(values: list[int] | bytearray, lo: int, day: int, num: int, den: int, skip: int) -> int:
    """The day from which score_memory() non-skip days lead up to ``day``."""
    memory = score_memory(num, den)
    begin = day - memory
    while True:
        window = values[max(begin - lo, 0) : max(day - lo, 0)]
        skips = window.count(skip)
        if day - memory - skips == begin or begin <= lo:
            return begin
        begin = day - memory - skips


def summarize(analysis: Analysis) -> Summary:
    """The cached figures: today's score, current and best streak, completions, today's value."""
    current = analysis.current
    today = analysis.today
    return Summary(
        through=today,
        score=analysis.score_on(today),
        streak=current.length if current else 0,
        best_streak=longest(analysis.real_streaks),
        total=analysis.total,
        today_value=analysis.value_on(today),
        window_sum=analysis.window_sum(today),
        recent=json.dumps(analysis.values_between(today - RECENT_DAYS + 1, today), separators=(",", ":")),
    )


def _guard(habit: Habit, intervals: Intervals | None, day: int) -> list[tuple[int, int, int]]:
    """The intervals from groups within lookback() before ``day`` that reach before it.

    Older intervals depend on these alone, so if these stay put, so do they.
    """
    if intervals is None:
        return []
    return intervals.touching_before(day, day - lookback(habit), max(habit.frequency.den, 31))


def _initial_score(habit: Habit) -> float:
    return 1.0 if habit.is_measurable and habit.target_type is TargetType.AT_MOST else 0.0


def _flags(habit: Habit, values: list[int] | bytearray, *, skips_qualify: bool | None = None) -> bytes:
    """Streak flags; off-schedule skips carry a measurable streak unless told otherwise."""
    if not habit.is_measurable:
        return yes_no_flags(values)  # type: ignore[arg-type]
    return qualifying_flags(
        values,  # type: ignore[arg-type]
        measurable=habit.is_measurable,
        target=habit.target_value,
        target_type=habit.target_type,
        skips_qualify=bool(habit.frequency.weekdays) if skips_qualify is None else skips_qualify,
    )


def _merge_anchor_streaks(tail: list[Streak], anchor: Anchor) -> list[Streak]:
    """Join the tail's streaks (newest first, none before anchor.day) to the anchor's."""
    merged = list(tail)
    if anchor.run_start is not None:
        if merged and merged[-1].start == anchor.day:
            merged[-1] = Streak(anchor.run_start, merged[-1].end)
        else:
            merged.append(Streak(anchor.run_start, anchor.day - 1))
    merged.extend(Streak(a, b) for a, b in sorted(anchor.best, key=lambda s: s[1], reverse=True))
    return merged
