"""SIGTERM, SIGINT and SIGHUP reach a running Qt event loop and quit once (services/quit_signals.py)."""

from __future__ import annotations

import os
import signal

import pytest

from habitdesk.services.quit_signals import QuitOnSignals


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP], ids=["TERM", "INT", "HUP"])
def test_a_signal_quits_through_the_event_loop_once(qtbot, number: int) -> None:  # noqa: ANN001
    calls: list[int] = []
    before = signal.getsignal(number)
    watcher = QuitOnSignals(lambda: calls.append(1)).start()
    try:
        os.kill(os.getpid(), number)
        os.kill(os.getpid(), number)  # a second signal while quitting does not quit twice
        qtbot.wait_until(lambda: len(watcher.received) == 2, timeout=5_000)
        assert calls == [1]
    finally:
        watcher.stop()
    assert signal.getsignal(number) == before  # restored


def test_stop_restores_the_previous_handlers(qtbot) -> None:  # noqa: ANN001
    before = signal.getsignal(signal.SIGTERM)
    QuitOnSignals(lambda: None).start().stop()
    assert signal.getsignal(signal.SIGTERM) is before
