"""Changing a saved account's server, user name, password or CA file, against real Radicale servers."""

from __future__ import annotations

from pathlib import Path

import pytest

from habitdesk.core.habit import Habit
from habitdesk.facade.sync import AuthFailed
from tests.integration.test_caldav_sync import add_account, live, only, phone_calendar  # noqa: F401

pytestmark = pytest.mark.slow


@pytest.fixture
def second_server(tmp_path: Path):  # noqa: ANN201
    from tests.support.radicale import RadicaleServer

    server = RadicaleServer(tmp_path / "moved", users={"alice": "new-password"})
    server.start()
    yield server
    server.stop()


def test_an_account_follows_its_server_to_a_new_address(live, radicale, second_server, memory_keyring) -> None:  # noqa: ANN001, F811
    tracker, sync = live
    tracker.add_habit(Habit("Run"))
    account = add_account(sync, radicale)
    only(sync.sync())

    moved, warning = sync.edit_connection("home", url=second_server.url, username="alice", password="new-password")

    assert warning == ""
    assert moved.url == second_server.url and moved.calendar_url.startswith(second_server.url)
    assert moved.calendar_name == "HabitDesk"
    assert memory_keyring.get_password("HabitDesk", account.key) == "new-password"
    report = only(sync.sync())
    assert len(report.pushed) == 9  # the new server's calendar is filled from scratch
    assert len(phone_calendar(second_server, moved).todos(include_completed=True)) == 9


def test_settings_the_server_refuses_are_not_saved(live, radicale) -> None:  # noqa: ANN001, F811
    tracker, sync = live
    account = add_account(sync, radicale)
    with pytest.raises(AuthFailed):
        sync.edit_connection("home", url=radicale.url, username="alice", password="nope")
    kept = sync.account("home")
    assert (kept.url, kept.username, kept.calendar_url) == (account.url, account.username, account.calendar_url)
    assert sync.password(kept) == "wonderland"


def test_an_empty_password_keeps_the_stored_one_and_the_same_calendar_keeps_its_tasks(live, radicale) -> None:  # noqa: ANN001, F811
    tracker, sync = live
    tracker.add_habit(Habit("Run"))
    account = add_account(sync, radicale)
    only(sync.sync())
    same, _ = sync.edit_connection("home", url=radicale.url.rstrip("/"), username="alice")
    assert same.calendar_url == account.calendar_url
    assert same.url == radicale.url.rstrip("/")
    assert only(sync.sync()).pushed == []  # nothing to push again


def test_a_calendar_address_the_server_does_not_have_is_refused_and_nothing_is_saved(live, radicale) -> None:  # noqa: ANN001, F811
    from habitdesk.facade.errors import UserError

    tracker, sync = live
    account = add_account(sync, radicale)
    missing = radicale.calendar_home + "nope/"
    with pytest.raises(UserError) as refused:
        sync.edit_connection("home", url=radicale.url, username="alice", calendar=missing)
    assert str(refused.value) == f"no calendar at {missing} on the server"
    assert sync.account("home").calendar_url == account.calendar_url
