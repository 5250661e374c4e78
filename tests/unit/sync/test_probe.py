"""The last-modified probe's rules: when an unchanged date may stand for an unchanged collection."""

from __future__ import annotations

import pytest

from habitdesk.sync.probe import (
    CLEAN,
    LEARNING,
    NEVER,
    SETTLE_S,
    TRUSTED,
    VERIFY_EVERY_S,
    WROTE,
    WROTE_CHECKED,
    Baseline,
    age,
)

T0 = "Thu, 26 Nov 2026 07:00:00 GMT"
T1 = "Thu, 26 Nov 2026 07:00:01 GMT"
LATER = "Thu, 26 Nov 2026 07:05:00 GMT"  # the server's clock, well past SETTLE_S
SOON = "Thu, 26 Nov 2026 07:00:03 GMT"  # the server's clock, within SETTLE_S
NOW = 1_800_000_000.0


def settled(trust: int = TRUSTED, **kw) -> Baseline:  # noqa: ANN003
    return Baseline(T0, True, trust, NOW, **kw)


def test_age_reads_http_dates_and_is_negative_for_junk() -> None:
    assert age(T0, LATER) == 300
    assert age("", LATER) == -1
    assert age("yesterday", LATER) == -1
    assert age(T0, "Thu, 26 Nov 2026 07:05:00 -0000") == -1  # a naive date cannot be compared: no verdict


def test_only_a_trusted_settled_unchanged_fresh_date_vouches() -> None:
    assert settled().vouches(T0, NOW + 60)
    assert not settled().vouches(T1, NOW + 60)  # the date moved
    assert not settled(LEARNING).vouches(T0, NOW + 60)
    assert not Baseline(T0, False, TRUSTED, NOW).vouches(T0, NOW + 60)  # the ctag was read within the date's second
    assert not settled(wrote=WROTE_CHECKED).vouches(T0, NOW + 60)  # we wrote since: the date must have moved
    assert not settled().vouches(T0, NOW + VERIFY_EVERY_S)  # time to compare the ctag anyway
    assert not settled().vouches(T0, NOW - 5)  # the clock went back: no verdict
    assert not Baseline("", True, TRUSTED, NOW).vouches("", NOW + 1)


def test_the_probe_is_skipped_for_a_server_without_a_usable_date_and_right_after_our_write() -> None:
    assert settled().should_probe()
    assert not settled(NEVER).should_probe()
    assert not settled(wrote=WROTE).should_probe()
    assert settled(wrote=WROTE_CHECKED).should_probe()


def test_a_date_that_moved_with_the_ctag_earns_trust() -> None:
    after = settled(LEARNING).checked((T1, LATER), moved=True, now=NOW + 60)
    assert (after.modified, after.settled, after.trust, after.verified_at, after.wrote) == (T1, True, TRUSTED, NOW + 60, CLEAN)


def test_a_date_that_stayed_while_the_ctag_moved_is_dropped_for_good() -> None:
    after = settled(TRUSTED).checked((T0, LATER), moved=True, now=NOW + 60)
    assert after.trust == NEVER
    assert not after.should_probe()
    assert after.checked(None, moved=False, now=NOW + 120).trust == NEVER


def test_our_own_write_is_a_known_change_to_judge_by() -> None:
    written = settled(LEARNING).written()
    assert written.wrote == WROTE
    skipped = written.checked(None, moved=True, now=NOW + 1)  # the pass right after: no probe, baseline kept
    assert (skipped.modified, skipped.settled, skipped.wrote) == (T0, True, WROTE_CHECKED)
    assert skipped.checked((T1, LATER), moved=False, now=NOW + 2).trust == TRUSTED
    assert skipped.checked((T0, LATER), moved=False, now=NOW + 2).trust == NEVER


def test_an_unsettled_baseline_teaches_nothing() -> None:
    young = Baseline(T0, False, LEARNING, NOW)
    assert young.checked((T0, LATER), moved=True, now=NOW + 1).trust == LEARNING
    assert young.checked((T1, LATER), moved=True, now=NOW + 1).trust == LEARNING


def test_a_new_baseline_is_settled_only_when_the_date_is_old_by_the_servers_clock() -> None:
    assert not Baseline().checked((T0, SOON), moved=False, now=NOW).settled
    assert Baseline().checked((T0, LATER), moved=False, now=NOW).settled
    assert not Baseline().checked((T0, ""), moved=False, now=NOW).settled  # no Date header: never vouches
    assert age(T0, SOON) < SETTLE_S


@pytest.mark.parametrize("probed", [None, ("", LATER)])
def test_a_server_that_gives_no_date_is_not_asked_again(probed) -> None:  # noqa: ANN001
    after = Baseline().checked(probed, moved=False, now=NOW)
    assert after.trust == NEVER and not after.should_probe()
