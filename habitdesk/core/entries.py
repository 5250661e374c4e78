"""Entry values and the toggle cycle (Loop Habit Tracker's integer codes).

Measurable amounts are stored as round(amount x 1000) and share the integer
space with these codes, exactly as in Loop.
"""

from __future__ import annotations

import math

UNKNOWN = -1
NO = 0
YES_AUTO = 1
YES_MANUAL = 2
SKIP = 3

LABELS = {UNKNOWN: "UNKNOWN", NO: "NO", YES_AUTO: "YES_AUTO", YES_MANUAL: "YES_MANUAL", SKIP: "SKIP"}
MAX_AMOUNT = 1e9  # the largest amount a measurable habit records
VALUES_BY_LABEL = {label: value for value, label in LABELS.items()}


def label(value: int) -> str:
    """Loop's label for a value; any other integer (an amount) is written as is."""
    return LABELS.get(value, str(value))


def next_toggle(value: int, *, skips_enabled: bool = False, unknown_enabled: bool = False) -> int:
    """The value a click on a yes/no cell moves to.

    YES_AUTO -> YES_MANUAL -> (SKIP if skips are enabled, else NO); SKIP -> NO;
    NO -> YES_MANUAL (or UNKNOWN when that option is on); UNKNOWN -> YES_MANUAL.
    """
    if value == YES_MANUAL:
        return SKIP if skips_enabled else NO
    if value == SKIP:
        return NO
    if value == NO:
        return UNKNOWN if unknown_enabled else YES_MANUAL
    return YES_MANUAL


def amount_to_raw(amount: float) -> int:
    """Stored integer for a measurable amount: thousandths, rounded as Java's Math.round."""
    return math.floor(amount * 1000 + 0.5)


def raw_to_amount(raw: int) -> float:
    return raw / 1000


def amount_text(amount: float) -> str:
    """An amount as people write it: 1234567, 2.5, 0.125 (no exponent, no trailing zeros)."""
    text = f"{amount:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def short_amount_text(amount: float) -> str:
    """An amount in a narrow cell: at most three significant decimals, "12k" for large values."""
    if abs(amount) >= 10_000:
        return f"{amount / 1000:.0f}k"
    if amount == int(amount):
        return str(int(amount))
    return f"{amount:.3f}".rstrip("0").rstrip(".") if abs(amount) < 10 else f"{amount:.1f}".rstrip("0").rstrip(".")
