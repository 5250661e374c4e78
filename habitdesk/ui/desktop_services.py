"""What runs beside the window: reminders, notifications, the tray, and the watch for outside changes.

Started once the window has painted (or at once when HabitDesk starts in the
tray), so none of it slows the first paint.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from habitdesk.facade.tracker import Tracker
from habitdesk.services.change_watcher import ChangeWatcher
from habitdesk.services.notifier import NotifierChain, default_backends
from habitdesk.services.scheduler import ReminderScheduler
from habitdesk.ui.icons import app_icon
from habitdesk.ui.reminders import ReminderPresenter, tray_backend
from habitdesk.ui.tray import Tray

TYPE_CHECKING = False
if TYPE_CHECKING:
    from habitdesk.ui.main_window import MainWindow

log = logging.getLogger(__name__)


class DesktopServices:
    """Owns the long-running services of one window; start() once, stop() before quitting."""

    def __init__(self, app: QApplication, window: MainWindow, tracker: Tracker, settings: QSettings) -> None:
        self.app = app
        self.tray: Tray | None = None
        if Tray.available():
            self.tray = Tray(tracker, app_icon(), window)
            window.tray = self.tray
        else:
            log.info("tray: no system tray here; closing the window quits HabitDesk")
        backends = default_backends(tray_backend(self.tray) if self.tray is not None else None)
        self.notifier = NotifierChain(backends, window)
        self.notifier.ready.connect(lambda name: log.info("notifications: using %s", name or "nothing (none works)"))
        self.scheduler = ReminderScheduler(tracker, parent=window)
        self.presenter = ReminderPresenter(tracker, window, self.scheduler, self.notifier, settings, self.tray)
        if self.tray is not None:
            self.scheduler.day_started.connect(lambda _day: self.tray.refresh())  # a new day, a new list
        self.watcher = ChangeWatcher(tracker, window)

    def start(self) -> None:
        if self.tray is not None:
            self.tray.start()
            self.app.setQuitOnLastWindowClosed(False)  # the tray keeps HabitDesk running
        self.presenter.start()
        self.watcher.start()

    def stop(self) -> None:
        self.watcher.stop()
        self.presenter.stop()
        if self.tray is not None:
            self.tray.stop()
