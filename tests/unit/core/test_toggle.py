"""Entry codes, the toggle cycle and measurable amounts (DESIGN.md §3)."""

from __future__ import annotations

import pytest

from habitdesk.core import entries
from habitdesk.core.entries import NO, SKIP, UNKNOWN, YES_AUTO, YES_MANUAL, amount_to_raw, next_toggle


def test_entry_codes_match_loop():
    assert (UNKNOWN, NO, YES_AUTO, YES_MANUAL, SKIP) == (-1, 0, 1, 2, 3)


@pytest.mark.parametrize(
    ("value", "skips", "unknown", "expected"),
    [
        # YES_AUTO -> YES_MANUAL whatever the options
        (YES_AUTO, False, False, YES_MANUAL),
        (YES_AUTO, True, True, YES_MANUAL),
        # YES_MANUAL -> SKIP if skips are enabled, else NO
        (YES_MANUAL, False, False, NO),
        (YES_MANUAL, False, True, NO),
        (YES_MANUAL, True, False, SKIP),
        (YES_MANUAL, True, True, SKIP),
        # SKIP -> NO
        (SKIP, True, False, NO),
        (SKIP, True, True, NO),
        (SKIP, False, False, NO),
        # NO -> YES_MANUAL, or UNKNOWN when that option is on
        (NO, False, False, YES_MANUAL),
        (NO, True, False, YES_MANUAL),
        (NO, False, True, UNKNOWN),
        (NO, True, True, UNKNOWN),
        # UNKNOWN -> YES_MANUAL
        (UNKNOWN, False, False, YES_MANUAL),
        (UNKNOWN, True, True, YES_MANUAL),
    ],
)
def test_next_toggle(value, skips, unknown, expected):
    assert next_toggle(value, skips_enabled=skips, unknown_enabled=unknown) == expected


def test_default_options_are_off():
    assert next_toggle(YES_MANUAL) == NO
    assert next_toggle(NO) == YES_MANUAL


def _cycle(start, **options):
    seen = [start]
    value = start
    for _ in range(6):
        value = next_toggle(value, **options)
        seen.append(value)
    return seen


def test_full_cycles():
    assert _cycle(UNKNOWN) == [UNKNOWN, YES_MANUAL, NO, YES_MANUAL, NO, YES_MANUAL, NO]
    assert _cycle(YES_AUTO, skips_enabled=True) == [YES_AUTO, YES_MANUAL, SKIP, NO, YES_MANUAL, SKIP, NO]
    assert _cycle(UNKNOWN, skips_enabled=True, unknown_enabled=True) == [
        UNKNOWN, YES_MANUAL, SKIP, NO, UNKNOWN, YES_MANUAL, SKIP,
    ]
    assert _cycle(NO, unknown_enabled=True) == [NO, UNKNOWN, YES_MANUAL, NO, UNKNOWN, YES_MANUAL, NO]


def test_toggle_never_yields_yes_auto():
    for value in (UNKNOWN, NO, YES_AUTO, YES_MANUAL, SKIP):
        for skips in (False, True):
            for unknown in (False, True):
                assert next_toggle(value, skips_enabled=skips, unknown_enabled=unknown) != YES_AUTO


@pytest.mark.parametrize(
    ("amount", "raw"),
    [
        (0, 0),
        (1, 1000),
        (1.5, 1500),
        (2.675, 2675),
        (0.1, 100),
        (0.3, 300),
        (12.3456, 12346),  # rounds to the nearest thousandth
        (0.0004, 0),
        (0.0005, 1),  # half up
        (0.0015, 2),
        (1.0005, 1001),
        (-0.0005, 0),  # Java's Math.round: half towards positive infinity
        (-0.0025, -2),
        (-1.2345, -1234),
        (-2.5, -2500),
    ],
)
def test_amount_to_raw(amount, raw):
    result = amount_to_raw(amount)
    assert result == raw
    assert isinstance(result, int)


def test_raw_to_amount_round_trip():
    for amount in (0.0, 0.001, 1.5, 42.125, 1000.0):
        assert entries.raw_to_amount(amount_to_raw(amount)) == amount


def test_labels():
    assert entries.label(YES_MANUAL) == "YES_MANUAL"
    assert entries.label(YES_AUTO) == "YES_AUTO"
    assert entries.label(NO) == "NO"
    assert entries.label(SKIP) == "SKIP"
    assert entries.label(UNKNOWN) == "UNKNOWN"
    assert entries.label(2500) == "2500"
    assert entries.label(-7) == "-7"
    for value, name in entries.LABELS.items():
        assert entries.VALUES_BY_LABEL[name] == value
