"""Computed entries: Loop's automatic fill of days covered by the frequency.

For yes/no habits the user's manual checks form intervals (DESIGN.md §3). Days
inside an interval read YES_AUTO; stored YES_MANUAL and SKIP are kept; a stored
NO or UNKNOWN inside an interval becomes YES_AUTO. Measurable habits compute
nothing: their computed entries are the stored ones.

Entries travel as dense runs of consecutive days starting at a known day:
one-byte codes for yes/no habits (see codes.py), so that the per-day loops
run in C (translate, compress, slicing).
"""

from __future__ import annotations

from bisect import bisect_left
from functools import lru_cache
from itertools import compress, repeat
from operator import add, lt, neg, sub

from habitdesk.core import codes
from habitdesk.core.days import month_length, to_date, weekday
from habitdesk.core.entries import SKIP, UNKNOWN
from habitdesk.core.stored import Stored


@lru_cache(maxsize=4096)
def interval_size(begin: int, den: int) -> int:
    """Length of an interval starting at ``begin``: den, or a month for den 30/31.

    The month is begin's own, or the next one when begin is its month's last day.
    """
    if den not in (30, 31):
        return den
    length = month_length(begin)
    if to_date(begin).day == length:
        return month_length(begin + 1)
    return length


class Intervals:
    """Intervals as parallel lists, newest first.

    ``origins`` are the begins before snapping: the oldest check of each group.
    """

    __slots__ = ("begins", "centers", "ends", "origins")

    def __init__(self, begins: list[int], centers: list[int], ends: list[int]) -> None:
        self.begins, self.centers, self.ends = begins, centers, ends
        self.origins = list(begins)

    def __len__(self) -> int:
        return len(self.begins)

    def touching_before(self, day: int, since: int, reach: int) -> list[tuple[int, int, int]]:
        """(center, begin, end), sorted, of the intervals from groups starting on or
        after ``since`` that reach before ``day``; ``reach`` bounds an interval's size."""
        origins = self.origins  # descending
        # Snapping moves an interval back by less than its size, so only groups
        # starting before day + reach can reach before day.
        i0 = bisect_left(origins, -(day + reach), key=neg)
        i1 = bisect_left(origins, -since + 1, key=neg)
        return sorted(
            (self.centers[i], self.begins[i], self.ends[i]) for i in range(i0, i1) if self.begins[i] < day
        )


def build_intervals(num: int, den: int, checks_newest_first: list[int]) -> Intervals:
    """One interval per run of ``num`` consecutive checks (a sliding window) that fits its size."""
    begins_all = checks_newest_first[num - 1 :]
    centers_all = checks_newest_first[: len(begins_all)]
    if den in (30, 31):
        sizes = list(map(interval_size, begins_all, repeat(den)))
        keep = list(map(lt, map(sub, centers_all, begins_all), sizes))
        begins = list(compress(begins_all, keep))
        ends = [b + s - 1 for b, s in compress(zip(begins_all, sizes), keep)]
    else:
        keep = list(map(lt, map(sub, centers_all, begins_all), repeat(den)))
        begins = list(compress(begins_all, keep))
        ends = list(map(add, begins, repeat(den - 1)))
    return Intervals(begins, list(compress(centers_all, keep)), ends)


def snap_intervals(intervals: Intervals) -> None:
    """In place: from the second newest back, slide each interval towards the newer one.

    An interval that reaches the newer one's begin moves back by
    min(end - center, end - newer.begin + 1) days.
    """
    begins, centers, ends = intervals.begins, intervals.centers, intervals.ends
    newer_begin = begins[0] if begins else 0
    for i in range(1, len(begins)):
        end = ends[i]
        gap = end - newer_begin
        if gap >= 0:
            shift = end - centers[i]
            if gap + 1 < shift:
                shift = gap + 1
            begins[i] -= shift
            ends[i] = end - shift
        newer_begin = begins[i]


def covered_runs(intervals: Intervals) -> list[tuple[int, int]]:
    """The union of the intervals as disjoint [begin, end] runs, oldest first."""
    pairs = sorted(zip(intervals.begins, intervals.ends))
    runs: list[tuple[int, int]] = []
    if not pairs:
        return runs
    run_begin, run_end = pairs[0]
    for begin, end in pairs:
        if begin > run_end + 1:
            runs.append((run_begin, run_end))
            run_begin, run_end = begin, end
        elif end > run_end:
            run_end = end
    runs.append((run_begin, run_end))
    return runs


def fill_yes_no(num: int, den: int, stored: Stored) -> tuple[int, bytearray, Intervals | None]:
    """Dense computed codes of a yes/no habit over its computed range.

    Returns (first day, codes, intervals); code "0" (UNKNOWN) on days without
    an entry. ``stored`` must not be empty.
    """
    lo, hi = stored.first, stored.last
    if num == den:
        # Every interval is a single checked day: nothing is ever filled.
        return lo, stored.dense_codes(lo, hi), None
    checks = list(compress(stored.days, stored.codes.translate(codes.MANUAL)))
    checks.reverse()
    intervals = build_intervals(num, den, checks)
    snap_intervals(intervals)
    if intervals.begins:
        lo = min(lo, min(intervals.begins))
        hi = max(hi, max(intervals.ends))
    values = stored.dense_codes(lo, hi)
    for begin, end in covered_runs(intervals):
        a, b = begin - lo, end - lo + 1
        values[a:b] = values[a:b].translate(codes.INSIDE)
    return lo, values, intervals


def apply_weekday_schedule(lo: int, values: bytearray | list[int], begin: int, until: int, weekdays: int) -> None:
    """In place: days in [begin, until] off a weekday schedule, with no entry, become SKIP."""
    first = max(begin, lo)
    last = min(until, lo + len(values) - 1)
    for off in range(7):
        if weekdays >> off & 1:
            continue
        a = first + (off - weekday(first)) % 7 - lo
        b = last - lo + 1
        if a >= b:
            continue
        if isinstance(values, bytearray):
            values[a:b:7] = values[a:b:7].translate(codes.OFF_SCHEDULE)
        else:
            values[a:b:7] = [SKIP if v == UNKNOWN else v for v in values[a:b:7]]
