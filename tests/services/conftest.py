"""Fixtures for the notifier: an isolated D-Bus session with the test notification server."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.dbus_session import IsolatedSessionBus, NotificationService, missing_tools


@pytest.fixture
def session_bus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[IsolatedSessionBus]:
    """A private session bus (no service directories) that this test process talks to."""
    missing = missing_tools()
    if missing:
        pytest.skip(f"D-Bus notification tier: {', '.join(missing)} not found (Debian package dbus-daemon, or dbus)")
    bus = IsolatedSessionBus(tmp_path).start()
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", bus.address)
    try:
        yield bus
    finally:
        bus.stop()


@pytest.fixture
def notification_service(session_bus: IsolatedSessionBus) -> NotificationService:
    """The test server, owning org.freedesktop.Notifications, advertising actions and body."""
    return session_bus.start_service()


class Recorder:
    """A last-resort backend's show(): records what it was asked to show, and where."""

    def __init__(self) -> None:
        self.shown: list = []
        self.threads: list[bool] = []

    def __call__(self, notice) -> None:  # noqa: ANN001
        self.shown.append(notice)
        self.threads.append(threading.current_thread() is threading.main_thread())

    @property
    def titles(self) -> list[str]:
        return [n.title for n in self.shown]


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def make_chain(qtbot) -> Iterator:  # noqa: ANN001
    """make_chain(backends, **options) -> a NotifierChain, started and ready; closed after the test."""
    from habitdesk.services.notifier import NotifierChain

    chains: list[NotifierChain] = []

    def make(backends, start: bool = True, **options):  # noqa: ANN001, ANN202
        chain = NotifierChain(backends, **options)
        chains.append(chain)
        if start:
            with qtbot.waitSignal(chain.ready, timeout=15000):
                chain.start()
        return chain

    yield make
    for chain in chains:
        chain.close()
    leftover = [t.name for t in threading.enumerate() if t.name.startswith("habitdesk-notifier")]
    assert not leftover, f"threads left running: {leftover}"
