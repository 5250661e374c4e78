"""Run disk-heavy work off the GUI thread and hand the result back to it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Relay(QObject):
    finished = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], object], relay: _Relay) -> None:
        super().__init__()
        self.work, self.relay = work, relay

    def run(self) -> None:
        try:
            result = self.work()
        except Exception as exc:  # noqa: BLE001 - handed to the GUI thread, which decides
            self.relay.failed.emit(exc)
        else:
            self.relay.finished.emit(result)


class Background(QObject):
    """Starts jobs on the global thread pool; callbacks run on the GUI thread."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._relays: set[_Relay] = set()

    def run(self, work: Callable[[], object], done: Callable[[object], None], failed: Callable[[Exception], None]) -> None:
        relay = _Relay(self)  # lives in the GUI thread: its signals arrive queued there
        self._relays.add(relay)

        def finish(callback: Callable, value: object) -> None:
            self._relays.discard(relay)
            relay.deleteLater()
            callback(value)

        relay.finished.connect(lambda result: finish(done, result))
        relay.failed.connect(lambda exc: finish(failed, exc))
        QThreadPool.globalInstance().start(_Job(work, relay))

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until every job finished (for quitting and tests)."""
        return QThreadPool.globalInstance().waitForDone(msecs)
