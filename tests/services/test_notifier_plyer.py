"""The plyer backend: its silent failures become NotifyError, so the chain falls through.

The notify-send programs here are small scripts on PATH: a way to inject the failure
a desktop without a notification server produces.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from habitdesk.services.notifier import CallableBackend, Notice, NotifyError
from habitdesk.services.notify_plyer import PlyerBackend

NOTICE = Notice("1:20418:480", "Meditate", "Did you meditate today?", (("done", "Done"),))
NO_SERVER = "GDBus.Error:org.freedesktop.DBus.Error.ServiceUnknown: The name org.freedesktop.Notifications was not provided by any .service files"


@pytest.fixture
def bin_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A PATH of one empty folder, and no dbus-python: plyer falls back to notify-send or nothing."""
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", str(folder))
    monkeypatch.setitem(sys.modules, "dbus", None)
    return folder


def fake_notify_send(folder: Path, body: str) -> Path:
    script = folder / "notify-send"
    script.write_text("#!/bin/sh\n" + body)
    script.chmod(0o755)
    return script


def test_plyer_without_a_backend_raises_notify_error(bin_dir) -> None:  # noqa: ANN001
    backend = PlyerBackend()
    assert backend.probe() is False
    assert backend.status == (
        "plyer has no notification backend here (The Python dbus package is not installed; notify-send not found)"
    )
    with pytest.raises(NotifyError, match="plyer has no notification backend here"):
        backend.show(NOTICE)


def test_plyer_alone_would_miss_a_failing_notify_send(bin_dir) -> None:  # noqa: ANN001
    """Why the backend runs notify-send itself: plyer ignores its exit status."""
    fake_notify_send(bin_dir, f"echo '{NO_SERVER}' >&2\nexit 1\n")
    from plyer.platforms.linux.notification import NotifySendNotification

    assert NotifySendNotification().notify(title="t", message="m") is None  # no error at all


def test_a_failing_notify_send_raises_notify_error(bin_dir) -> None:  # noqa: ANN001
    fake_notify_send(bin_dir, f"echo '{NO_SERVER}' >&2\nexit 1\n")
    backend = PlyerBackend()
    assert backend.probe() is True
    assert backend.status == "notify-send"
    with pytest.raises(NotifyError, match=r"notify-send exited with status 1: GDBus.Error:org.freedesktop.DBus.Error.ServiceUnknown"):
        backend.show(NOTICE)


def test_a_hanging_notify_send_times_out(bin_dir) -> None:  # noqa: ANN001
    fake_notify_send(bin_dir, "/bin/sleep 30\n")  # a child that outlives a plain kill
    with pytest.raises(NotifyError, match="notify-send did not finish within 0.5 s"):
        PlyerBackend(timeout=0.5).show(NOTICE)


def test_notify_send_shows_title_and_text(bin_dir, tmp_path) -> None:  # noqa: ANN001
    seen = tmp_path / "args"
    fake_notify_send(bin_dir, f'for a in "$@"; do echo "$a"; done > {seen}\n')
    backend = PlyerBackend(seconds_shown=7)
    assert backend.probe() is True
    backend.show(NOTICE)
    assert seen.read_text().splitlines() == [
        "--app-name", "HabitDesk", "--icon", "io.github.habitdesk.HabitDesk", "--expire-time", "7000",
        "--", "Meditate", "Did you meditate today?",
    ]


def test_the_chain_falls_through_plyer_to_the_tray(bin_dir, make_chain, recorder, qtbot) -> None:  # noqa: ANN001
    fake_notify_send(bin_dir, f"echo '{NO_SERVER}' >&2\nexit 1\n")
    chain = make_chain([PlyerBackend(), CallableBackend("tray message", recorder)])
    assert chain.backend_name == "plyer"
    failures: list = []
    chain.failed.connect(lambda *args: failures.append(args))
    chain.notify(NOTICE)
    qtbot.waitUntil(lambda: recorder.titles == ["Meditate"], timeout=5000)
    assert failures == []
