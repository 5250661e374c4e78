"""Streaks: maximal runs of qualifying days (DESIGN.md §3)."""

from __future__ import annotations

import heapq
import math
from collections import namedtuple
from itertools import accumulate, compress, repeat
from operator import add, and_, itemgetter, ne, sub

from habitdesk.core import codes
from habitdesk.core.entries import SKIP, UNKNOWN
from habitdesk.core.habit import TargetType


class Streak(namedtuple("Streak", "start end")):
    """Days start..end, both included."""

    __slots__ = ()

    @property
    def length(self) -> int:
        return int(self.end - self.start + 1)


def _threshold_at_least(target: float) -> int:
    """The smallest raw value v with v / 1000 >= target."""
    v = math.ceil(target * 1000) - 1
    while v / 1000 < target:
        v += 1
    while (v - 1) / 1000 >= target:
        v -= 1
    return v


def _threshold_at_most(target: float) -> int:
    """The largest raw value v with v / 1000 <= target."""
    v = math.floor(target * 1000) + 1
    while v / 1000 > target:
        v -= 1
    while (v + 1) / 1000 <= target:
        v += 1
    return v


def yes_no_flags(day_codes: bytes | bytearray) -> bytes:
    """Streak flags of yes/no codes: value > 0 (auto, manual, skip) qualifies."""
    return bytes(day_codes).translate(codes.STREAK)


def qualifying_flags(
    values: list[int],
    *,
    measurable: bool,
    target: float = 0.0,
    target_type: TargetType = TargetType.AT_LEAST,
    skips_qualify: bool = False,
) -> bytes:
    """One byte per day, 1 where the day counts toward a streak.

    Yes/no: any value > 0 (auto, manual, skip). At least: amount >= target.
    At most: an entry exists and amount <= target. ``skips_qualify`` lets a
    measurable habit's off-schedule days carry a streak.
    """
    if not measurable:
        return bytes(map((0).__lt__, values))
    if not math.isfinite(target):
        flags = bytes(len(values))
    elif target_type is TargetType.AT_MOST:
        limit = _threshold_at_most(target)
        flags = bytes(map(and_, map(limit.__ge__, values), map(ne, values, repeat(UNKNOWN))))
    else:
        flags = bytes(map(_threshold_at_least(target).__le__, values))
    if skips_qualify:
        flags = bytes(map(max, flags, map(SKIP.__eq__, values)))
    return flags


def find_streaks(flags: bytes, first_day: int) -> list[Streak]:
    """All streaks in a flag string whose index 0 is ``first_day``, newest first.

    Splitting at the zero bytes gives every run at once; map and accumulate
    turn the pieces into days without a Python loop per streak.
    """
    lengths = list(map(len, flags.split(b"\x00")))
    # piece i starts after the previous pieces and one separator each
    starts = accumulate(map(add, lengths, repeat(1)), initial=first_day)
    runs = [length for length in lengths if length]
    begins = list(compress(starts, lengths))
    ends = list(map(add, begins, map(sub, runs, repeat(1))))
    streaks = list(map(tuple.__new__, repeat(Streak), zip(begins, ends)))
    streaks.reverse()
    return streaks


def _lengths(streaks: list[Streak]) -> list[int]:
    return list(map(sub, map(itemgetter(1), streaks), map(itemgetter(0), streaks)))


def best_streaks(streaks: list[Streak], limit: int = 10) -> list[Streak]:
    """The ``limit`` longest (the later one wins a tie), listed newest first."""
    ends = map(itemgetter(1), streaks)
    chosen = heapq.nlargest(limit, zip(_lengths(streaks), ends, streaks))
    return [streak for _, _, streak in sorted(chosen, key=itemgetter(1), reverse=True)]


def longest(streaks: list[Streak]) -> int:
    """The length of the longest streak, 0 without any."""
    return max(_lengths(streaks), default=-1) + 1


def current_streak(streaks: list[Streak], today: int) -> Streak | None:
    """The streak that includes today, or the one that ended yesterday (still alive)."""
    for streak in streaks:  # newest first
        if streak.start <= today <= streak.end or streak.end == today - 1:
            return streak
        if streak.end < today - 1:
            break
    return None
