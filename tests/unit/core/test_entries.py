"""Amounts as the CLI and the window write them: one formatting rule each, in core."""

from __future__ import annotations

import pytest

from habitdesk.core.entries import amount_text, amount_to_raw, raw_to_amount, short_amount_text


@pytest.mark.parametrize(("amount", "full", "short"), [
    (0.0, "0", "0"), (-0.0, "0", "0"), (2.5, "2.5", "2.5"), (0.125, "0.125", "0.125"), (12.25, "12.25", "12.2"),
    (1234567.0, "1234567", "1235k"), (9999.5, "9999.5", "9999.5"), (-3.0, "-3", "-3"),
])
def test_full_and_short_texts(amount: float, full: str, short: str) -> None:
    assert (amount_text(amount), short_amount_text(amount)) == (full, short)


def test_raw_round_trip() -> None:
    assert raw_to_amount(amount_to_raw(2.5)) == 2.5
    assert amount_to_raw(0.0005) == 1  # Java's Math.round: halves go up
