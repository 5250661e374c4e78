"""Passwords live in the OS keyring: a real gnome-keyring on a private D-Bus (DESIGN.md §6)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from habitdesk.core.habit import Habit

pytestmark = pytest.mark.slow
PASSWORD = "Kestrel-s3cret-4471"


@pytest.fixture
def secret_service(tmp_path: Path, monkeypatch):  # noqa: ANN001, ANN201
    """gnome-keyring, unlocked, on a private bus; this process's keyring uses it."""
    import keyring
    from keyring.backends import SecretService as secret_backend

    from tests.support.secret_service import SecretService, missing_tools

    missing = missing_tools()
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (Debian: gnome-keyring, dbus)")
    service = SecretService(tmp_path / "secrets")
    env = service.start()
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    before = keyring.get_keyring()
    keyring.set_keyring(secret_backend.Keyring())
    yield env
    keyring.set_keyring(before)
    service.stop()


@pytest.fixture
def server(tmp_path: Path):  # noqa: ANN201
    from tests.support.radicale import RadicaleServer

    radicale = RadicaleServer(tmp_path / "radicale", {"alice": PASSWORD})
    radicale.start()
    yield radicale
    radicale.stop()


def _files_containing(folder: Path, needle: bytes) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and needle in p.read_bytes()]


def test_the_password_round_trips_through_gnome_keyring_and_is_nowhere_on_disk(secret_service, server, data_dir, tmp_path) -> None:  # noqa: ANN001
    import keyring
    from PySide6.QtCore import QSettings

    from habitdesk.facade.sync import CalendarSync
    from habitdesk.facade.tracker import Tracker

    tracker = Tracker(data_dir)
    tracker.add_habit(Habit("Run"))
    sync = CalendarSync(tracker, zone="UTC")
    account, warning = sync.add_account("home", server.url, "alice", PASSWORD)
    assert warning == ""
    assert keyring.get_password("HabitDesk", account.key) == PASSWORD
    assert "SecretService" in type(keyring.get_keyring()).__module__ + type(keyring.get_keyring()).__name__
    settings = QSettings(str(data_dir / "window.ini"), QSettings.Format.IniFormat)  # the GUI's settings file
    settings.setValue("theme", "dark")
    settings.sync()
    tracker.close()

    # Another process (the CLI) reads it back from the keyring: no password given.
    env = dict(os.environ, HABITDESK_DATA_DIR=str(data_dir), **secret_service)
    proc = subprocess.run([sys.executable, "-m", "habitdesk.cli", "sync"], capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("home: pushed 9, pulled 0")

    assert (data_dir / "window.ini").exists()
    assert _files_containing(data_dir, PASSWORD.encode()) == []  # not in the database, its WAL or QSettings
    assert _files_containing(data_dir, PASSWORD.encode("utf-16-le")) == []
    keyrings = Path(secret_service["XDG_DATA_HOME"]) / "keyrings"
    assert any(keyrings.iterdir())  # gnome-keyring's own (encrypted) file holds it
    assert _files_containing(keyrings, PASSWORD.encode()) == []


def test_removing_an_account_removes_its_password(secret_service, server, data_dir) -> None:  # noqa: ANN001
    import keyring

    from habitdesk.facade.sync import CalendarSync
    from habitdesk.facade.tracker import Tracker

    tracker = Tracker(data_dir)
    sync = CalendarSync(tracker)
    account, _ = sync.add_account("home", server.url, "alice", PASSWORD)
    sync.remove_account("home")
    assert keyring.get_password("HabitDesk", account.key) is None
    tracker.close()


def test_without_a_keyring_the_password_is_asked_for_each_start(server, data_dir, monkeypatch) -> None:  # noqa: ANN001
    import keyring
    from keyring.backends import fail

    from habitdesk.facade.sync import CalendarSync, NoPassword
    from habitdesk.facade.tracker import Tracker

    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        tracker = Tracker(data_dir)
        sync = CalendarSync(tracker, zone="UTC")
        account, warning = sync.add_account("home", server.url, "alice", PASSWORD)
        assert warning.startswith("The password was not saved: no system keyring is available")
        assert "asks for this one each time it starts" in warning
        assert sync.sync()[0].ok  # this session remembers it, in memory
        assert _files_containing(data_dir, PASSWORD.encode()) == []

        restarted = CalendarSync(tracker, zone="UTC")  # the next start
        with pytest.raises(NoPassword, match="no system keyring is available"):
            restarted.password(account)
        [outcome] = restarted.sync()
        assert isinstance(outcome.error, NoPassword)
        assert restarted.keyring_problem == "no system keyring is available (no Secret Service on D-Bus)"
        tracker.close()
    finally:
        keyring.set_keyring(before)


def test_a_plain_text_keyring_counts_as_none(monkeypatch) -> None:  # noqa: ANN001
    import keyring
    from keyring.backend import KeyringBackend

    from habitdesk.sync.secrets import KeyringUnavailable, save_password

    class PlaintextKeyring(KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def set_password(self, service: str, username: str, password: str) -> None:
            raise AssertionError("must not be used")

        def get_password(self, service: str, username: str) -> None:
            return None

        def delete_password(self, service: str, username: str) -> None:
            pass

    before = keyring.get_keyring()
    keyring.set_keyring(PlaintextKeyring())
    try:
        with pytest.raises(KeyringUnavailable, match="plain text"):
            save_password("k", "pw")
    finally:
        keyring.set_keyring(before)
