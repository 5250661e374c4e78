"""Sync failures, each handled on purpose: a wrong password, a server that stops or hangs."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from habitdesk.core.entries import YES_MANUAL
from habitdesk.core.habit import Habit

pytestmark = pytest.mark.slow


@pytest.fixture
def live(data_dir: Path, memory_keyring, radicale):  # noqa: ANN001, ANN201
    from habitdesk.facade.sync import CalendarSync
    from habitdesk.facade.tracker import Tracker

    tracker = Tracker(data_dir)
    sync = CalendarSync(tracker, zone="UTC", timeout=(1, 2))
    yield tracker, sync
    tracker.close()


def test_a_wrong_password_is_an_auth_failure_and_nothing_is_lost(live, radicale, memory_keyring) -> None:  # noqa: ANN001
    from habitdesk.facade.sync import AuthFailed

    tracker, sync = live
    run = tracker.add_habit(Habit("Run"))
    account, _ = sync.add_account("home", radicale.url, "alice", "wonderland")
    memory_keyring.set_password("HabitDesk", account.key, "not-the-password")
    tracker.check(run, tracker.today())

    [outcome] = sync.sync()
    assert isinstance(outcome.error, AuthFailed)
    assert "refused the user name or password" in str(outcome.error)
    assert sync.outbox_size() > 0  # the change waits

    sync.set_session_password(sync.account("home"), "wonderland")  # asked again
    [outcome] = sync.sync()
    assert outcome.ok, outcome.error
    assert memory_keyring.get_password("HabitDesk", account.key) == "wonderland"
    assert sync.outbox_size() == 0


def test_adding_an_account_with_a_wrong_password_is_refused(live, radicale) -> None:  # noqa: ANN001
    from habitdesk.facade.sync import AuthFailed

    _, sync = live
    with pytest.raises(AuthFailed):
        sync.add_account("home", radicale.url, "alice", "nope")
    assert sync.accounts() == []


def test_a_server_stopped_mid_sync_keeps_the_outbox_which_drains_after_restart(live, radicale) -> None:  # noqa: ANN001
    from habitdesk.facade.sync import Unreachable

    tracker, sync = live
    habits = [tracker.add_habit(Habit(f"Habit {i}")) for i in range(4)]
    sync.add_account("home", radicale.url, "alice", "wonderland")
    for habit in habits:
        tracker.check(habit, tracker.today())
    queued = sync.outbox_size()
    assert queued >= 4

    puts = []

    def stop_midway(remote) -> None:  # noqa: ANN001
        put = remote.put

        def counting_put(href: str, text: str, *, etag: str | None):  # noqa: ANN202
            puts.append(href)
            if len(puts) == 10:
                radicale.stop()  # the server goes away in the middle of the push
            return put(href, text, etag=etag)

        remote.put = counting_put

    [outcome] = sync.sync(client_hook=stop_midway)
    assert isinstance(outcome.error, Unreachable)
    assert outcome.error.retry_later
    assert sync.outbox_size() == queued  # nothing was dropped
    assert sync.account("home").last_ok is False

    radicale.start()
    [outcome] = sync.sync()
    assert outcome.ok, outcome.error
    assert sync.outbox_size() == 0
    phone = radicale.phone().calendar(url=sync.account("home").calendar_url)
    todos = phone.todos(include_completed=True)
    assert len(todos) == 4 * 9
    completed = [t for t in todos if str(t.icalendar_component["STATUS"]) == "COMPLETED"]
    assert len(completed) == 4


def test_a_server_that_is_down_is_unreachable(live, radicale) -> None:  # noqa: ANN001
    from habitdesk.facade.sync import Unreachable

    tracker, sync = live
    tracker.add_habit(Habit("Run"))
    sync.add_account("home", radicale.url, "alice", "wonderland")
    radicale.stop()
    [outcome] = sync.sync()
    assert isinstance(outcome.error, Unreachable)
    assert "refused the connection" in str(outcome.error) or "cannot be reached" in str(outcome.error)


def test_a_server_that_never_answers_times_out(live, radicale) -> None:  # noqa: ANN001
    from habitdesk.facade.sync import Unreachable
    from tests.support.sync_helpers import HangingServer

    tracker, sync = live
    tracker.add_habit(Habit("Run"))
    account, _ = sync.add_account("home", radicale.url, "alice", "wonderland")
    hang = HangingServer()
    try:
        sync.update_account("home", url=hang.url, calendar_url=hang.url + "alice/cal/")
        started = time.monotonic()
        [outcome] = sync.sync()
        elapsed = time.monotonic() - started
    finally:
        hang.close()
    assert isinstance(outcome.error, Unreachable)
    assert str(outcome.error) == "the server did not answer in time"
    assert 1.5 <= elapsed < 10  # the read timeout (2 s here), not forever


def test_local_changes_while_offline_reach_the_server_later(live, radicale) -> None:  # noqa: ANN001
    tracker, sync = live
    run = tracker.add_habit(Habit("Run"))
    sync.add_account("home", radicale.url, "alice", "wonderland")
    assert sync.sync()[0].ok
    radicale.stop()
    tracker.check(run, tracker.today())
    assert not sync.sync()[0].ok
    radicale.start()
    assert sync.sync()[0].ok
    from habitdesk.sync.mapping import uid

    obj = radicale.phone().calendar(url=sync.account("home").calendar_url).object_by_uid(uid(run.uuid, tracker.today()))
    assert str(obj.icalendar_component["STATUS"]) == "COMPLETED"
    assert tracker.entry(run, tracker.today())[0] == YES_MANUAL


def test_tls_is_verified_and_a_self_signed_server_needs_its_ca_file(data_dir, memory_keyring, tmp_path) -> None:  # noqa: ANN001
    from habitdesk.facade.sync import CalendarSync, Unreachable
    from habitdesk.facade.tracker import Tracker
    from tests.support.radicale import RadicaleServer
    from tests.support.tls import make_ca_and_server_cert

    ca, cert, key = make_ca_and_server_cert(tmp_path / "tls")
    server = RadicaleServer(tmp_path / "tls-radicale", tls=(cert, key))
    server.start()
    tracker = Tracker(data_dir)
    try:
        tracker.add_habit(Habit("Run"))
        sync = CalendarSync(tracker, zone="UTC", timeout=(2, 5))
        with pytest.raises(Unreachable, match="TLS certificate was not accepted"):
            sync.add_account("home", server.url, "alice", "wonderland")
        account, _ = sync.add_account("home", server.url, "alice", "wonderland", ca_file=str(ca))
        assert account.ca_file == str(ca)
        [outcome] = sync.sync()
        assert outcome.ok, outcome.error
        assert len(outcome.report.pushed) == 9
    finally:
        tracker.close()
        server.stop()


def test_the_kept_connection_is_reused_dropped_after_a_failure_and_opened_again(data_dir: Path, memory_keyring, radicale) -> None:  # noqa: ANN001
    from habitdesk.core.days import iso
    from habitdesk.facade.sync import CalendarSync, Unreachable
    from habitdesk.facade.tracker import Tracker

    tracker = Tracker(data_dir)
    sync = CalendarSync(tracker, zone="UTC", timeout=(1, 2), keep_connections=True)
    try:
        run = tracker.add_habit(Habit("Run"))
        sync.add_account("home", radicale.url, "alice", "wonderland")
        sync.sync()
        [(_, kept)] = sync._clients.values()  # noqa: SLF001
        tracker.check(run, tracker.today())
        [outcome] = sync.sync(pull=False)
        assert outcome.ok and [c for _, c in sync._clients.values()] == [kept]  # noqa: SLF001 - the same client, still open

        radicale.stop()
        tracker.skip(run, tracker.today() - 1)
        [failed] = sync.sync()
        assert isinstance(failed.error, Unreachable) and sync._clients == {}  # noqa: SLF001 - a broken one is not kept
        radicale.start()
        [again] = sync.sync()
        assert again.ok and again.report.pushed == [f"skipped Run {iso(tracker.today() - 1)}"]
        assert len(sync._clients) == 1  # noqa: SLF001
    finally:
        sync.close()
        tracker.close()
    assert sync._clients == {}  # noqa: SLF001


def test_a_pass_that_runs_past_its_deadline_stops_and_the_next_goes_on(live, radicale, monkeypatch) -> None:  # noqa: ANN001
    """A slow server cannot hold a sync for ever: after PASS_DEADLINE the pass stops sending, and nothing is lost."""
    from habitdesk.sync import remote

    tracker, sync = live
    run = tracker.add_habit(Habit("Run"))
    sync.add_account("home", radicale.url, "alice", "wonderland")
    tracker.check(run, tracker.today())
    real_request = remote.Remote._request
    sent = {"n": 0}

    def request_then_stall(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        sent["n"] += 1
        if sent["n"] == 3:
            self.deadline = time.monotonic() - 1  # as if the server had taken a quarter of an hour so far
        return real_request(self, *args, **kwargs)

    monkeypatch.setattr(remote.Remote, "_request", request_then_stall)
    [outcome] = sync.sync()
    assert outcome.error is not None
    assert str(outcome.error).endswith("is too slow: the sync stopped after 15 minutes and goes on at the next one")
    monkeypatch.setattr(remote.Remote, "_request", real_request)
    [outcome] = sync.sync()
    assert outcome.ok, outcome.error
    assert outcome.report.pushed  # what the stopped pass had not sent yet
    assert sync.outbox_size() == 0 and tracker.entry(run, tracker.today())[0] == YES_MANUAL
