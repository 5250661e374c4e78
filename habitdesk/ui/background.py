"""Run disk-heavy work off the GUI thread and hand the result back to it.

One mechanism for every job: ``start`` runs ``work(progress)`` on Qt's global
thread pool; ``progress``, ``done`` and ``failed`` are called on the GUI thread.
``Background`` is the window's handle on it, and ``ui.interchange`` adds a
progress dialog on top.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

Result = TypeVar("Result")
Progress = Callable[[float], None]


class _Relay(QObject):
    """Lives on the GUI thread: what the worker emits arrives there, queued.

    Signals:
        progress(float): how far the work got (0 to 1).
        finished(object): the work's result.
        failed(object): the exception it raised.
    """

    progress = Signal(float)
    finished = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, work: Callable[[Progress], object], relay: _Relay) -> None:
        super().__init__()
        self.work, self.relay = work, relay

    def run(self) -> None:
        try:
            result = self.work(self.relay.progress.emit)
        except Exception as exc:  # noqa: BLE001 - handed to the GUI thread, which decides
            self.relay.failed.emit(exc)
        else:
            self.relay.finished.emit(result)


_RUNNING: set[_Relay] = set()  # each job's relay, until its result is handed over


def start(parent: QObject, work: Callable[[Progress], Result], done: Callable[[Result], None],
          failed: Callable[[Exception], None], progress: Progress | None = None) -> None:
    """Run ``work(progress)`` on the thread pool; the callbacks run on the GUI thread."""
    relay = _Relay(parent)
    _RUNNING.add(relay)

    def finish(callback: Callable[[Any], None], value: object) -> None:
        _RUNNING.discard(relay)
        relay.deleteLater()
        callback(value)

    if progress is not None:
        relay.progress.connect(progress)
    relay.finished.connect(lambda result: finish(done, result))
    relay.failed.connect(lambda exc: finish(failed, exc))
    QThreadPool.globalInstance().start(_Job(work, relay))


class Background(QObject):
    """The window's jobs: started on the global thread pool; callbacks run on the GUI thread."""

    def run(self, work: Callable[[], Result], done: Callable[[Result], None], failed: Callable[[Exception], None]) -> None:
        start(self, lambda _progress: work(), done, failed)

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until every job finished (for quitting and tests)."""
        return QThreadPool.globalInstance().waitForDone(msecs)
