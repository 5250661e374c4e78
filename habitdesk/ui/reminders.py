"""Reminders as the user meets them: notifications with Done, Skip and Snooze, and the tray.

The scheduler says what is due; this turns occurrences into notices, and
answers (from a notification or the tray menu) into undoable commands on the
main window, so that Ctrl+Z undoes a "Done" pressed in a notification too.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QSettings, QTimer, Signal

from habitdesk.core.entries import SKIP, YES_MANUAL
from habitdesk.core.schedule import Occurrence, parse_key
from habitdesk.facade.changes import Affects, Change
from habitdesk.facade.errors import StorageError, UserError
from habitdesk.facade.tracker import Tracker
from habitdesk.services.notifier import DEFAULT_TEXT, CallableBackend, Notice, NotifierChain
from habitdesk.services.scheduler import ReminderScheduler
from habitdesk.services.tracker_events import tracker_events
from habitdesk.ui import preferences
from habitdesk.ui.preferences import PREFERENCES

TYPE_CHECKING = False
if TYPE_CHECKING:
    from habitdesk.ui.main_window import MainWindow
    from habitdesk.ui.tray import Tray

log = logging.getLogger(__name__)

DEFAULT_SNOOZE_MINUTES = PREFERENCES["snooze_minutes"].default


def snooze_label(minutes: int) -> str:
    """How a snooze length reads on the Snooze button."""
    return "Snooze 1 hour" if minutes == 60 else f"Snooze {minutes} min"


def notice_for(occurrence: Occurrence, name: str, question: str, measurable: bool, snooze_minutes: int) -> Notice:
    """A reminder's notification: the habit's name, its question, and what can be answered in place."""
    actions: tuple[tuple[str, str], ...]
    if measurable:
        actions = (("amount", "Enter amount…"), ("snooze", snooze_label(snooze_minutes)))
    else:
        actions = (("done", "Done"), ("skip", "Skip"), ("snooze", snooze_label(snooze_minutes)))
    return Notice(occurrence.key, name, question.strip() or DEFAULT_TEXT, actions)


def tray_backend(tray: Tray) -> CallableBackend:
    """The last resort: a tray balloon; clicking it opens the window."""
    shown: list[str] = []

    def show(notice: Notice) -> None:
        shown[:] = [notice.key]
        tray.show_message(notice.title, notice.text)

    backend = CallableBackend("tray message", show)
    def clicked() -> None:
        if shown:
            backend.report_action(shown[-1], "default")

    tray.icon.messageClicked.connect(clicked)
    return backend


class ReminderPresenter(QObject):
    """Wires the scheduler, the notifier chain, the tray and the window together.

    Signals:
        answered(str, str): (key, action), after it was handled (for tests and logs)
    """

    answered = Signal(str, str)  # (key, action), after it was handled (for tests and logs)

    def __init__(self, tracker: Tracker, window: MainWindow, scheduler: ReminderScheduler,
                 notifier: NotifierChain, settings: QSettings, tray: Tray | None = None) -> None:
        super().__init__(window)
        self.tracker = tracker
        self.window = window
        self.scheduler = scheduler
        self.notifier = notifier
        self.settings = settings
        self.tray = tray
        self.shown: dict[str, Occurrence] = {}
        self._quiet_timer = QTimer(self, singleShot=True)
        self._quiet_timer.timeout.connect(self._quiet_ended)
        scheduler.fire.connect(self.show)
        notifier.action_invoked.connect(self.answer)
        notifier.failed.connect(lambda key, why: log.warning("reminders: could not show %s: %s", key, why))
        if tray is not None:
            tray.check_requested.connect(lambda h, d: window.record_from_outside(h, d, YES_MANUAL))
            tray.amount_requested.connect(window.enter_amount_from_outside)
            tray.open_requested.connect(window.bring_forward)
            tray.quit_requested.connect(window.quit_app)
            tray.snooze_all_requested.connect(self.snooze_all)

    def start(self) -> None:
        tracker_events(self.tracker).listen(self._on_change)
        self.notifier.start()
        self.scheduler.start(preferences.read(self.settings, "reminders_shown"))

    def stop(self) -> None:
        tracker_events(self.tracker).stop_listening(self._on_change)
        self.scheduler.stop()
        self.notifier.close()

    def _quiet_ended(self) -> None:
        if self.tray is not None:
            self.tray.set_quiet_until(None)

    def snooze_minutes(self) -> int:
        """The snooze length chosen in Settings."""
        minutes: int = preferences.read(self.settings, "snooze_minutes")
        return minutes if minutes in (10, 30, 60) else DEFAULT_SNOOZE_MINUTES

    # -- showing ------------------------------------------------------------------
    def show(self, occurrences: list[Occurrence]) -> None:
        for occurrence in occurrences:
            try:
                habit = self.tracker.habit(occurrence.habit_id)
            except (UserError, StorageError):
                continue
            notice = notice_for(occurrence, habit.name, habit.question, habit.is_measurable, self.snooze_minutes())
            self.shown[occurrence.key] = occurrence
            self.notifier.notify(notice)
        # A restart later today must not show these again.
        preferences.write(self.settings, "reminders_shown", self.scheduler.fired_keys)

    # -- answering ------------------------------------------------------------------
    def answer(self, key: str, action: str) -> None:
        """Done and Skip record the reminder's own day (even answered the next morning)."""
        try:
            habit_id, day, _minute = parse_key(key)
        except ValueError:
            log.warning("reminders: an answer for an unknown notification %r", key)
            return
        self.shown.pop(key, None)
        if action == "done":
            self.window.record_from_outside(habit_id, day, YES_MANUAL)
        elif action == "skip":
            self.window.record_from_outside(habit_id, day, SKIP)
        elif action == "snooze":
            self.scheduler.snooze(key, self.snooze_minutes())
        elif action == "amount":
            self.window.enter_amount_from_outside(habit_id, day)
        elif action == "default":  # the notification itself was clicked
            self.window.bring_forward()
            self.window.table.select_habit(habit_id)
        self.answered.emit(key, action)

    def snooze_all(self, minutes: int) -> None:
        """Quiet for a while; what is still open then is shown again."""
        until = self.scheduler.snooze_all(minutes, list(self.shown))
        for key in list(self.shown):
            self.notifier.withdraw(key)
        self.shown.clear()
        if self.tray is not None:
            local = until.astimezone(self.scheduler.clock.tz)
            self.tray.set_quiet_until(local.strftime("%H:%M"))
            self._quiet_timer.start(max(0, int((until - self.scheduler.clock.now()).total_seconds() * 1000)))

    # -- answered elsewhere ------------------------------------------------------------
    def _on_change(self, change: Change) -> None:
        if Affects.REMINDERS in change.kind.affects:
            self._withdraw_answered()

    def _withdraw_answered(self) -> None:
        """A habit checked in the window (or by the CLI) no longer needs today's notification."""
        if not self.shown:
            return
        try:
            due = self.tracker.due_today()
            today = self.tracker.today()
        except StorageError:
            return
        for key, occurrence in list(self.shown.items()):
            if occurrence.day == today and occurrence.habit_id not in due:
                self.notifier.withdraw(key)
                del self.shown[key]
