"""Quit cleanly on SIGTERM, SIGINT and SIGHUP (a logout, `kill`, Ctrl+C in a terminal).

Python runs signal handlers only between bytecodes, and Qt's event loop waits
in C++, so a plain handler would run late or never. Instead the signal's number
is written to a socket (signal.set_wakeup_fd) that a QSocketNotifier watches:
the event loop wakes, and the quit runs like the tray's Quit. The window then
saves its state and a sync pass in progress is let finish its commit.
"""

from __future__ import annotations

import logging
import signal
import socket
from collections.abc import Callable

from PySide6.QtCore import QObject, QSocketNotifier

log = logging.getLogger(__name__)

SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGINT", "SIGHUP") if hasattr(signal, name))


class QuitOnSignals(QObject):
    """While started, the signals in SIGNALS call ``quit`` (once) on the GUI thread."""

    def __init__(self, quit: Callable[[], None], parent: QObject | None = None) -> None:  # noqa: A002
        super().__init__(parent)
        self.quit = quit
        self.received: list[int] = []
        self._reader, self._writer = socket.socketpair()
        for end in (self._reader, self._writer):
            end.setblocking(False)
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._wake)
        self._previous: dict[int, object] = {}
        self._previous_fd = -1

    def start(self) -> QuitOnSignals:
        self._previous_fd = signal.set_wakeup_fd(self._writer.fileno(), warn_on_full_buffer=False)
        for number in SIGNALS:
            self._previous[number] = signal.signal(number, _ignore)  # the wakeup socket does the work
        return self

    def stop(self) -> None:
        for number, handler in self._previous.items():
            signal.signal(number, handler)  # type: ignore[arg-type]
        self._previous.clear()
        signal.set_wakeup_fd(self._previous_fd)
        self._notifier.setEnabled(False)
        self._reader.close()
        self._writer.close()

    def _wake(self) -> None:
        try:
            numbers = list(self._reader.recv(64))
        except OSError:
            return
        fresh = [n for n in numbers if n in SIGNALS]
        if not fresh:
            return
        first = not self.received
        self.received += fresh
        if first:
            log.info("quitting on %s", signal.Signals(fresh[0]).name)
            self.quit()


def _ignore(_number: int, _frame: object) -> None:
    """A Python-level handler, so the default (die at once) does not apply; the wakeup socket carries it."""
