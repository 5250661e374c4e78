"""The system tray icon: today's due habits to check in place, open, snooze all, quit.

Its tooltip and badge say how many habits are still due today. It refreshes
after every change the Tracker reports, coalesced into one update.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QObject, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from habitdesk.core.habit import Habit
from habitdesk.facade.changes import Affects, Change
from habitdesk.facade.tracker import Tracker
from habitdesk.services.tracker_events import tracker_events

MAX_LISTED = 15  # habits listed in the menu; the rest are behind "Open HabitDesk"
SNOOZE_ALL_MINUTES = 60
REFRESH_DELAY_MS = 250
BADGE_SIZES = (16, 22, 24, 32, 48, 64)


def due_text(count: int) -> str:
    """The tray's tooltip for the habits still due today."""
    if count == 0:
        return "All done for today"
    return f"{count} habit{'s' if count != 1 else ''} due today"


def badged(base: QIcon, count: int) -> QIcon:
    """The icon with a round count badge in its corner (none when nothing is due)."""
    if count <= 0:
        return base
    icon = QIcon()
    text = str(count) if count < 100 else "99+"
    for size in BADGE_SIZES:
        pixmap = base.pixmap(size, size)
        if pixmap.isNull():
            pixmap = QPixmap(size, size)
            pixmap.fill(Qt.GlobalColor.transparent)
        elif pixmap.width() != size:  # an icon never grows past its largest picture
            pixmap = pixmap.scaled(size, size, Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        d = size * (0.62 if len(text) > 1 else 0.55)
        rect = QRectF(size - d, 0, d, d)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#d32f2f"))
        painter.drawEllipse(rect)
        font = QFont()
        font.setBold(True)
        font.setPixelSize(max(6, int(d * (0.5 if len(text) > 2 else 0.62))))
        painter.setFont(font)
        painter.setPen(QColor("white"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        painter.end()
        icon.addPixmap(pixmap)
    return icon


class Tray(QObject):
    """HabitDesk in the system tray.

    Signals:
        open_requested()
        quit_requested()
        snooze_all_requested(int): minutes
        check_requested(int, int): habit id, day: a yes/no habit done
        amount_requested(int, int): habit id, day: a measurable habit's amount to enter
    """

    open_requested = Signal()
    quit_requested = Signal()
    snooze_all_requested = Signal(int)  # minutes
    check_requested = Signal(int, int)  # habit id, day: a yes/no habit done
    amount_requested = Signal(int, int)  # habit id, day: a measurable habit's amount to enter

    def __init__(self, tracker: Tracker, icon: QIcon, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tracker = tracker
        self.base_icon = icon
        self.due: list[Habit] = []
        self.icon = QSystemTrayIcon(icon, self)
        self.menu = QMenu()
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)
        # A burst of changes (an import, fast clicking) refreshes the menu once.
        self._refresh_soon = QTimer(self, singleShot=True, interval=REFRESH_DELAY_MS)
        self._refresh_soon.timeout.connect(self.refresh)
        self.menu.aboutToHide.connect(self._menu_hidden)
        self._stale_menu = False
        self.header = QAction("", self, enabled=False)
        self.open_action = QAction("&Open HabitDesk", self)
        self.open_action.triggered.connect(self.open_requested)
        font = self.open_action.font()
        font.setBold(True)
        self.open_action.setFont(font)
        self.snooze_action = QAction(f"&Snooze all for {SNOOZE_ALL_MINUTES // 60} hour", self)
        self.snooze_action.triggered.connect(lambda: self.snooze_all_requested.emit(SNOOZE_ALL_MINUTES))
        self.quit_action = QAction("&Quit", self)
        self.quit_action.triggered.connect(self.quit_requested)
        self.habit_actions: list[QAction] = []

    @staticmethod
    def available() -> bool:
        """Whether the desktop has a system tray."""
        return QSystemTrayIcon.isSystemTrayAvailable()

    def start(self) -> None:
        tracker_events(self.tracker).listen(self._on_change)
        self.refresh()
        if self.available():
            self.icon.show()

    def stop(self) -> None:
        tracker_events(self.tracker).stop_listening(self._on_change)
        self.icon.hide()

    def _on_change(self, change: Change) -> None:
        if Affects.TRAY in change.kind.affects:
            self._refresh_soon.start()

    def _check_toggled(self, habit_id: int, day: int, on: bool) -> None:
        if on:
            self.check_requested.emit(habit_id, day)

    def refresh(self) -> None:
        """Rebuild the menu, the tooltip and the badge from today's due habits."""
        try:
            habits = self.tracker.habits()
            due_ids = self.tracker.due_today(habits)
            self.due = [h for h in habits if h.id in due_ids]
        except Exception:  # the data file went away: keep showing the last state
            return
        self.today = self.tracker.today()
        count = len(self.due)
        self.icon.setToolTip(f"HabitDesk: {due_text(count)}")
        self.icon.setIcon(badged(self.base_icon, count))
        self._build_menu()

    def _menu_hidden(self) -> None:
        if self._stale_menu:
            QTimer.singleShot(0, self._build_menu)  # after the chosen action has run

    def _build_menu(self) -> None:
        if self.menu.isVisible():  # never pull items from under the user's pointer
            self._stale_menu = True
            return
        self._stale_menu = False
        self.menu.clear()  # our actions belong to the tray, so clear() only detaches them
        for old in self.habit_actions:
            old.deleteLater()
        self.header.setText(due_text(len(self.due)))
        self.menu.addAction(self.header)
        self.habit_actions = []
        for habit in self.due[:MAX_LISTED]:
            if habit.is_measurable:
                action = QAction(f"{habit.name}…", self)
                action.setToolTip(f"Enter today's amount ({habit.target_text()})")
                action.triggered.connect(lambda _=False, h=habit.id, d=self.today: self.amount_requested.emit(h, d))
            else:
                action = QAction(habit.name, self, checkable=True)
                action.toggled.connect(partial(self._check_toggled, habit.key, self.today))
            self.habit_actions.append(action)
            self.menu.addAction(action)
        if len(self.due) > MAX_LISTED:
            more = QAction(f"…and {len(self.due) - MAX_LISTED} more", self)
            more.triggered.connect(self.open_requested)
            self.habit_actions.append(more)
            self.menu.addAction(more)
        self.menu.addSeparator()
        self.menu.addActions([self.open_action, self.snooze_action])
        self.menu.addSeparator()
        self.menu.addAction(self.quit_action)

    def set_quiet_until(self, text: str | None) -> None:
        """Show that reminders are paused ("until 14:05"), or not."""
        self.snooze_action.setText(
            f"Reminders paused until {text}" if text else f"&Snooze all for {SNOOZE_ALL_MINUTES // 60} hour"
        )
        self.snooze_action.setEnabled(not text)

    def show_message(self, title: str, text: str) -> None:
        self.icon.showMessage(title, text, self.base_icon, 10_000)

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger, QSystemTrayIcon.ActivationReason.DoubleClick):
            self.open_requested.emit()
