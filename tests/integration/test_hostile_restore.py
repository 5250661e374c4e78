"""A restored backup cannot redirect a calendar account to another server with the stored password."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

from habitdesk.core.habit import Habit
from tests.support.hostile_dav import HostileServer

SERVICE = "HabitDesk"


@pytest.fixture
def evil() -> Iterator[HostileServer]:
    """A server that asks for a login and records what it is sent: where a leaked password would go."""
    server = HostileServer("unauthorized")
    yield server
    server.close()


def test_a_restore_that_moves_an_account_drops_its_password(tracker, memory_keyring, tmp_path: Path, evil) -> None:  # noqa: ANN001
    from habitdesk.facade.interchange import export_json, plan_restore, restore
    from habitdesk.facade.sync import CalendarSync, NoPassword

    tracker.add_habit(Habit("Read"))
    sync = CalendarSync(tracker, zone="UTC", timeout=(2, 5))
    sync.state.add_account({"key": "k" * 32, "name": "home", "url": "https://cloud.example.org/dav/", "username": "me",
                            "calendar_url": "https://cloud.example.org/dav/me/habits/"})
    keyring.set_password(SERVICE, "k" * 32, "the real password")
    backup = tmp_path / "backup.json"
    export_json(tracker, backup)
    doc = json.loads(backup.read_text())
    doc["accounts"][0]["url"] = evil.url
    doc["accounts"][0]["calendar_url"] = evil.url + "habits/"
    backup.write_text(json.dumps(doc))

    plan = plan_restore(tracker, backup)
    assert plan.changes_anything
    assert f"Calendar account 'home' would connect to {evil.url}: its stored password is dropped and asked for again." in plan.lines()
    assert "Nothing would change." not in plan.lines()

    _, warnings = restore(tracker, plan)
    assert any("'home' now connects to" in w and "password was dropped" in w for w in warnings), warnings
    account = sync.account("home")
    assert account.url == evil.url and account.key != "k" * 32
    assert memory_keyring.secrets == {}  # the old password is gone from the keyring too

    [outcome] = sync.sync()
    assert isinstance(outcome.error, NoPassword)
    assert evil.authorizations == []  # the server named by the file never saw a password


def test_a_restore_that_keeps_the_server_keeps_the_password(tracker, memory_keyring, tmp_path: Path) -> None:  # noqa: ANN001
    from habitdesk.facade.interchange import export_json, plan_restore, restore
    from habitdesk.facade.sync import CalendarSync

    sync = CalendarSync(tracker, zone="UTC", timeout=(2, 5))
    sync.state.add_account({"key": "k" * 32, "name": "home", "url": "https://cloud.example.org/dav/", "username": "me"})
    keyring.set_password(SERVICE, "k" * 32, "the real password")
    backup = tmp_path / "backup.json"
    export_json(tracker, backup)
    doc = json.loads(backup.read_text())
    doc["accounts"][0]["valarm"] = False  # a change that keeps the server
    backup.write_text(json.dumps(doc))

    plan = plan_restore(tracker, backup)
    assert "Calendar accounts changed ('home')." in plan.lines()
    restore(tracker, plan)
    assert sync.account("home").key == "k" * 32
    assert memory_keyring.secrets == {(SERVICE, "k" * 32): "the real password"}


def test_the_cli_preview_names_the_move(cli, data_dir: Path, tmp_path: Path) -> None:  # noqa: ANN001
    from habitdesk.facade.tracker import Tracker
    from habitdesk.storage.sync_state import SyncState

    tracker = Tracker(data_dir)
    SyncState(tracker.db).add_account({"key": "k" * 32, "name": "home", "url": "https://cloud.example.org/dav/", "username": "me"})
    tracker.close()
    assert cli("export", "json", str(tmp_path / "b.json")).code == 0
    doc = json.loads((tmp_path / "b.json").read_text())
    doc["accounts"][0]["url"] = "https://elsewhere.example/"
    (tmp_path / "b.json").write_text(json.dumps(doc))
    result = cli("restore", str(tmp_path / "b.json"), "--yes", env={"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"})
    assert result.code == 0, result.err
    assert "  Calendar account 'home' would connect to https://elsewhere.example/: its stored password is dropped" in result.out
    assert "Nothing would change" not in result.out


def test_without_a_keyring_the_move_still_drops_the_password_and_says_the_old_one_stayed(tracker, tmp_path: Path) -> None:  # noqa: ANN001
    from keyring.backends import fail

    from habitdesk.facade.interchange import export_json, plan_restore, restore
    from habitdesk.facade.sync import CalendarSync

    sync = CalendarSync(tracker, zone="UTC", timeout=(2, 5))
    sync.state.add_account({"key": "k" * 32, "name": "home", "url": "https://cloud.example.org/dav/", "username": "me"})
    backup = tmp_path / "backup.json"
    export_json(tracker, backup)
    doc = json.loads(backup.read_text())
    doc["accounts"][0]["url"] = "https://elsewhere.example/"
    backup.write_text(json.dumps(doc))
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        _, warnings = restore(tracker, plan_restore(tracker, backup))
    finally:
        keyring.set_keyring(before)
    assert any(w.startswith("an old calendar password could not be removed from the keyring: ") for w in warnings), warnings
    assert sync.account("home").key != "k" * 32  # the restore went through, with a new key all the same
