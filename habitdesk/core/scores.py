"""Habit strength (Loop's score): an exponential average of recent success.

f = num/den; m = 0.5 ** (sqrt(f) / 13); score = m * previous + (1 - m) * pct.
A SKIP day repeats the previous score. See DESIGN.md §3 for pct.

The arithmetic is Loop's, operation for operation, so results match to the
last bit. Each day flows through a chain of C-level iterators (map,
accumulate); only the smoothing step is a Python call.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from itertools import accumulate, chain, islice, repeat
from operator import mul, sub, truediv

from habitdesk.core import codes
from habitdesk.core.entries import SKIP
from habitdesk.core.habit import TargetType


def multiplier(num: int, den: int) -> float:
    return float(0.5 ** (math.sqrt(num / den) / 13.0))


def rolling_sums(parts: Sequence[int], window: int, first: int = 0) -> Iterator[int]:
    """Sum of the ``window`` parts ending at each index from ``first`` on (fewer at the start)."""
    n = len(parts)
    base = max(first - window + 1, 0)
    cum = list(accumulate(islice(parts, base, None), initial=0))  # cum[j] = sum(parts[base:base + j])
    head_end = min(max(window - 1 + base, first), n)  # [first, head_end): windows cut off at index 0
    head = islice(cum, first + 1 - base, head_end + 1 - base)
    if head_end >= n:
        return head
    lag = head_end + 1 - window - base
    return chain(head, map(sub, islice(cum, head_end + 1 - base, None), islice(cum, lag, None)))


def _smooth(
    increments: Iterable[float], values: Sequence[int], m: float, first: int, initial: float, skip: int = SKIP
) -> list[float]:
    """score[i] = score[i-1] * m + increment[i] from index ``first``; SKIP days repeat.

    ``increments`` yields one item per value from index ``first``; indices
    before it read 0. Runs between skips are found with list.index and
    smoothed by accumulate.
    """

    def step(prev: float, inc: float) -> float:
        return prev * m + inc

    incs = iter(increments)
    scores = [0.0] * first
    prev = initial
    pos = first
    n = len(values)
    while pos < n:
        try:
            stop = values.index(skip, pos)
        except ValueError:
            stop = n
        if stop > pos:
            run = accumulate(islice(incs, stop - pos), step, initial=prev)
            next(run)
            scores.extend(run)
            prev = scores[-1]
        if stop < n:
            next(incs, None)
            scores.append(prev)
        pos = stop + 1
    return scores


def yes_no_scores(
    day_codes: bytes | bytearray, num: int, den: int, *, first: int = 0, initial: float = 0.0
) -> list[float]:
    """Scores for each day of dense computed codes (oldest first, see codes.py).

    Only YES_MANUAL counts. Below daily frequency the window and the numerator
    are doubled for the percentage. ``first``/``initial`` resume from a known
    score: indices before ``first`` only feed the rolling window.
    """
    m = multiplier(num, den)
    k = 1.0 - m
    if num < den:
        num, den = 2 * num, 2 * den
    off = max(first - den + 1, 0)  # days before this feed no window
    tail = bytes(day_codes[off:])
    manual = tail.translate(codes.MANUAL)  # 1 per manual check
    sums: Iterable[int] = islice(manual, first - off, None) if den == 1 else rolling_sums(manual, den, first - off)
    # pct = min(1, R / num), times (1 - m): one table entry per possible R.
    table = [min(1.0, r / num) * k for r in range(den + 1)]
    return [0.0] * off + _smooth(map(table.__getitem__, sums), tail, m, first - off, initial, codes.C_SKIP)


def measurable_scores(
    values: list[int],
    num: int,
    den: int,
    target: float,
    target_type: TargetType,
    *,
    first: int = 0,
    initial: float | None = None,
) -> list[float]:
    """Scores of a measurable habit; values are raw (amount x 1000) or codes.

    The window is den days (never doubled); R sums max(0, raw) / 1000, so a
    SKIP (3) adds 0.003 and UNKNOWN adds nothing.
    """
    m = multiplier(num, den)
    k = 1.0 - m
    off = max(first - den + 1, 0)  # days before this feed no window
    values = values[off:]
    first -= off
    amounts = map(truediv, rolling_sums(list(map(max, values, repeat(0))), den, first), repeat(1000))
    pcts: Iterable[float]
    if target_type is TargetType.AT_MOST:
        if initial is None:
            initial = 1.0
        if target > 0:
            # (1 - (R - target) / target), clamped to [0, 1]
            over = map(truediv, map(sub, amounts, repeat(target)), repeat(target))
            pcts = map(max, repeat(0.0), map(min, repeat(1.0), map(sub, repeat(1), over)))
        else:
            pcts = (0.0 if r > 0 else 1.0 for r in amounts)
    else:
        if initial is None:
            initial = 0.0
        if target > 0:
            pcts = map(min, repeat(1.0), map(truediv, amounts, repeat(target)))
        else:
            pcts = repeat(1.0, len(values) - first)
    return [0.0] * off + _smooth(map(mul, pcts, repeat(k)), values, m, first, initial)
