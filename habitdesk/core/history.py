"""History statistics: bars per period, the weekday grid and the overview."""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Callable

from habitdesk.core import days as d
from habitdesk.core.analysis import Analysis
from habitdesk.core.entries import SKIP, YES_MANUAL


class Bucket(enum.Enum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


def bucket_start(bucket: Bucket, first_weekday: int = d.MONDAY) -> Callable[[int], int]:
    """The function mapping a day to the first day of its bucket."""
    if bucket is Bucket.DAY:
        return lambda day: day
    if bucket is Bucket.WEEK:
        return lambda day: d.week_start(day, first_weekday)
    return {Bucket.MONTH: d.month_start, Bucket.QUARTER: d.quarter_start, Bucket.YEAR: d.year_start}[bucket]


def _day_amount(measurable: bool, value: int) -> int:
    """What one day adds to a history bar: a manual check, or a non-negative amount."""
    if measurable:
        return 0 if value == SKIP or value < 0 else value
    return 1 if value == YES_MANUAL else 0


def history(analysis: Analysis, bucket: Bucket, first_weekday: int = d.MONDAY) -> list[tuple[int, float]]:
    """(bucket start, total) newest first, from the oldest entry to today.

    Yes/no habits count manual checks; measurable habits sum amounts, with
    negatives and skips counted as zero.
    """
    measurable = analysis.habit.is_measurable
    key = bucket_start(bucket, first_weekday)
    totals: dict[int, int] = {}
    first = analysis.start
    for day, value in enumerate(analysis.values_between(first, analysis.today), start=first):
        start = key(day)
        totals[start] = totals.get(start, 0) + _day_amount(measurable, value)
    scale = 1000 if measurable else 1
    return [(start, totals[start] / scale if measurable else totals[start]) for start in sorted(totals, reverse=True)]


def weekday_grid(analysis: Analysis) -> dict[int, list[float]]:
    """Month start -> seven totals (Monday first) of manual checks or amounts."""
    measurable = analysis.habit.is_measurable
    grid: dict[int, list[int]] = {}
    lo = analysis.lo
    for day, value in enumerate(analysis.values_between(lo, lo + len(analysis.values) - 1), start=lo):
        amount = _day_amount(measurable, value)
        if not amount:
            continue
        row = grid.setdefault(d.month_start(day), [0] * 7)
        row[d.weekday(day)] += amount
    if measurable:
        return {month: [v / 1000 for v in row] for month, row in grid.items()}
    return {month: [float(v) for v in row] for month, row in grid.items()}


def score_series(analysis: Analysis, bucket: Bucket = Bucket.DAY, first_weekday: int = d.MONDAY) -> list[tuple[int, float]]:
    """(day, score) oldest first, from the range start to today; per bucket, the bucket's last score."""
    key = bucket_start(bucket, first_weekday)
    series: dict[int, float] = {}
    for day in range(analysis.start, analysis.today + 1):
        series[key(day)] = analysis.score_on(day)
    return sorted(series.items())


@dataclasses.dataclass(frozen=True)
class Overview:
    score: float
    month_change: float
    year_change: float
    total: int


def overview(analysis: Analysis) -> Overview:
    """Today's score, its change against 30 and 365 days ago, and total completions."""
    today = analysis.today
    score = analysis.score_on(today)
    return Overview(
        score=score,
        month_change=score - analysis.score_on(today - 30),
        year_change=score - analysis.score_on(today - 365),
        total=analysis.total,
    )
