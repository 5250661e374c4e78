"""Notices changes that other processes (the CLI, a second device's sync) made to the data file."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer

from habitdesk.facade.tracker import Tracker

POLL_MS = 10_000  # well within the minute the CLI's changes may take to show


class ChangeWatcher(QObject):
    """Polls SQLite's data_version; the Tracker emits an "external" change when it moved."""

    def __init__(self, tracker: Tracker, parent: QObject | None = None, *, interval_ms: int = POLL_MS) -> None:
        super().__init__(parent)
        self.tracker = tracker
        self.timer = QTimer(self, interval=interval_ms, timerType=Qt.TimerType.VeryCoarseTimer)
        self.timer.timeout.connect(self.tracker.poll_external_changes)

    def start(self) -> None:
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
