"""The cheap last-modified probe against a real Radicale: one request when nothing changed, and nothing missed.

SETTLE_S is lowered to 2 s so the tests need not wait 10 s for a date to settle;
Radicale's clock and its files' clock are the same, so 2 s is still safe here.
"""

from __future__ import annotations

import time

import pytest

from habitdesk.core.entries import YES_MANUAL
from habitdesk.core.habit import Habit
from habitdesk.sync import probe
from tests.integration.test_caldav_sync import add_account, live, only, phone_set, phone_todo  # noqa: F401

pytestmark = pytest.mark.slow
FROZEN = "Thu, 01 Jan 2026 00:00:00 GMT"


@pytest.fixture(autouse=True)
def quick_settle(monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(probe, "SETTLE_S", 2.0)


def settle() -> None:
    time.sleep(2.2)


def trust_of(sync) -> int:  # noqa: ANN001
    return sync.account("home").row["modified_trust"]


def check_in_and_read_back(tracker, sync, habit: Habit, day: int) -> None:  # noqa: ANN001
    """What the app does: a push-only pass after the check-in, then the next full passes."""
    tracker.check(habit, day)
    pushed = only(sync.sync(pull=False))
    assert pushed.requests == 1 and pushed.pushed == [f"checked {habit.name} {_iso(day)}"]
    only(sync.sync())  # our own write: the ctag and its delta, without probing first
    settle()
    only(sync.sync())  # the probe, judged against the date from before our write


def trusted(tracker, sync, radicale):  # noqa: ANN001, ANN201
    """Habits Run and Read, synced, and two check-ins later a trusted date; returns (account, Read)."""
    today = tracker.today()
    run, read = tracker.add_habit(Habit("Run")), tracker.add_habit(Habit("Read"))
    account = add_account(sync, radicale)
    only(sync.sync())
    only(sync.sync())
    check_in_and_read_back(tracker, sync, run, today)
    assert trust_of(sync) == probe.LEARNING  # the first baseline was taken within seconds of a write
    check_in_and_read_back(tracker, sync, run, today - 1)
    assert trust_of(sync) == probe.TRUSTED  # the date moved with our write
    return account, read


def _iso(day: int) -> str:
    from habitdesk.core.days import iso

    return iso(day)


class Freezer:
    """A client hook that makes the collection's last-modified date stand still from ``frozen_after`` calls on."""

    def __init__(self, frozen_after: int = 0) -> None:
        self.calls, self.frozen_after, self.frozen = 0, frozen_after, FROZEN

    def __call__(self, remote) -> None:  # noqa: ANN001
        real = remote.modified

        def modified() -> tuple[str, str]:
            self.calls += 1
            found, server_date = real()
            if self.calls <= self.frozen_after:
                self.frozen = found
                return found, server_date
            return self.frozen, server_date

        remote.modified = modified


def test_once_trusted_an_unchanged_date_alone_answers_and_a_phone_change_still_comes_through(live, radicale) -> None:  # noqa: ANN001, F811
    tracker, sync = live
    today = tracker.today()
    account, read = trusted(tracker, sync, radicale)

    assert [only(sync.sync()).requests for _ in range(3)] == [1, 1, 1]

    phone_set(phone_todo(radicale, account, read, today - 1), status="COMPLETED")
    report = only(sync.sync())
    assert report.pulled == [f"Read {_iso(today - 1)}: checked"]
    assert tracker.entry(read, today - 1)[0] == YES_MANUAL
    assert trust_of(sync) == probe.TRUSTED


def test_a_date_that_does_not_move_with_our_write_is_never_asked_again(live, radicale) -> None:  # noqa: ANN001, F811
    tracker, sync = live
    today = tracker.today()
    read = tracker.add_habit(Habit("Read"))
    account = add_account(sync, radicale)
    frozen = Freezer()
    for _ in range(3):
        only(sync.sync(client_hook=frozen))  # push; read back; probe: the date stood still after our write
    assert trust_of(sync) == probe.NEVER
    probes = frozen.calls
    assert only(sync.sync(client_hook=frozen)).requests == 1  # the ctag alone
    assert frozen.calls == probes

    phone_set(phone_todo(radicale, account, read, today), status="COMPLETED")
    assert only(sync.sync(client_hook=frozen)).pulled == [f"Read {_iso(today)}: checked"]


def test_a_phone_change_is_never_missed_while_the_date_is_still_being_learnt(live, radicale) -> None:  # noqa: ANN001, F811
    tracker, sync = live
    today = tracker.today()
    read = tracker.add_habit(Habit("Read"))
    account = add_account(sync, radicale)
    only(sync.sync())
    only(sync.sync())
    settle()
    only(sync.sync())  # a settled baseline, trust still learning
    frozen = Freezer(frozen_after=0)
    frozen.frozen = sync.account("home").row["modified"]  # a server that will not move it
    phone_set(phone_todo(radicale, account, read, today), status="COMPLETED")
    report = only(sync.sync(client_hook=frozen))
    assert report.pulled == [f"Read {_iso(today)}: checked"]
    assert trust_of(sync) == probe.NEVER


def test_a_trusted_date_that_stops_moving_costs_at_most_the_verify_interval(live, radicale) -> None:  # noqa: ANN001, F811
    tracker, sync = live
    today = tracker.today()
    account, read = trusted(tracker, sync, radicale)
    frozen = Freezer(frozen_after=0)
    frozen.frozen = sync.account("home").row["modified"]

    phone_set(phone_todo(radicale, account, read, today), status="COMPLETED")
    assert only(sync.sync(client_hook=frozen)).pulled == []  # the bounded risk: the date vouched wrongly
    sync.state.update_account(sync.account("home").id, verified_at=time.time() - probe.VERIFY_EVERY_S)
    report = only(sync.sync(client_hook=frozen))
    assert report.pulled == [f"Read {_iso(today)}: checked"]
    assert trust_of(sync) == probe.NEVER
