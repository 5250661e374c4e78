"""The main window: the habit table, the detail pane, menus, undo and settings.

It reads and changes data only through the facade's Tracker. Every change goes
through the undo stack as a command; the window refreshes what a change
touched when the Tracker reports it.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPoint, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from habitdesk import APP_NAME, __version__
from habitdesk.core.entries import SKIP, UNKNOWN, YES_MANUAL, next_toggle, raw_to_amount
from habitdesk.core.habit import Habit
from habitdesk.core.status import RECENT_DAYS
from habitdesk.facade.changes import Affects, Change, ChangeKind
from habitdesk.facade.errors import StorageError, UserError
from habitdesk.facade.tracker import Tracker
from habitdesk.services.tracker_events import tracker_events
from habitdesk.ui import preferences
from habitdesk.ui.background import Background
from habitdesk.ui.commands import Archive, Delete, Move, SaveHabit, SetEntry, TrackerCommand, UndoRunner, quoted
from habitdesk.ui.habit_table import HabitRole, HabitTableModel, Row, SortOrder
from habitdesk.ui.habit_table_view import HabitTableView

log = logging.getLogger(__name__)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from habitdesk.ui.detail_pane import DetailPane
    from habitdesk.ui.interchange import Interchange
    from habitdesk.ui.tray import Tray

DETAIL_MIN_WIDTH = 340
SORT_LABELS = {
    SortOrder.MANUAL: "Manual order", SortOrder.NAME: "Name", SortOrder.SCORE: "Score", SortOrder.STATUS: "Status",
}


class MainWindow(QMainWindow):
    """Habits × days on the left, the selected habit's history on the right.

    Signals:
        first_painted()
    """

    first_painted = Signal()

    def __init__(self, tracker: Tracker, settings: QSettings) -> None:
        super().__init__()
        self.tracker = tracker
        self.settings = settings
        self.detail_ready = False
        self.remember = True  # save window state on close (not for scripted screenshots)
        self.tray: Tray | None = None  # a ui.tray.Tray once the app has one: closing then keeps HabitDesk running
        self._quitting = False
        self._reported_bug = False
        self._painted = False
        self.setWindowTitle(APP_NAME)
        self.background = Background(self)
        self.undo_stack = QUndoStack(self)
        self.runner = UndoRunner(self.undo_stack, self.show_error)

        self.model = HabitTableModel(tracker.today(), newest_first=self._newest_first())
        self.model.set_sort_order(_sort_order(preferences.read(settings, "sort")))
        self.model.move_requested.connect(self._move_to_row)
        self.table = HabitTableView()
        self.table.setModel(self.model)
        self.table.cell_activated.connect(self.activate_cell)
        self.table.habit_activated.connect(self.edit_habit)
        self.table.menu_requested.connect(self._open_menu)
        self.table.selectionModel().currentChanged.connect(self._current_changed)
        self.table.viewport().installEventFilter(self)

        # The detail pane (calendar, charts) is built right after the first paint;
        # until then an empty panel of the same place holds the splitter's side.
        self.detail: DetailPane | None = None
        self._detail_placeholder = QWidget()
        self._detail_placeholder.setMinimumWidth(DETAIL_MIN_WIDTH)
        self._detail_switch = True
        self._detail_timer = QTimer(self)
        self._detail_timer.setSingleShot(True)
        self._detail_timer.setInterval(0)
        self._detail_timer.timeout.connect(self._apply_detail)
        self.empty = self._empty_state()
        self.pages = QStackedWidget()
        self.pages.addWidget(self.table)
        self.pages.addWidget(self.empty)
        self.empty.installEventFilter(self)  # the first paint is of one page or the other
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.pages)
        self.splitter.addWidget(self._detail_placeholder)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)
        self.status = QLabel()
        self.statusBar().addPermanentWidget(self.status)

        self._build_actions()
        self._interchange: Interchange | None = None  # built after the first paint: see interchange
        self._build_menus()
        self._build_toolbar()

        tracker_events(tracker).changed.connect(self._on_change)
        self.day_timer = QTimer(self)
        self.day_timer.setSingleShot(True)
        self.day_timer.timeout.connect(self.reload)

        self.resize(1100, 680)
        geometry = preferences.read(settings, "geometry")
        if not geometry.isEmpty():
            self.restoreGeometry(geometry)
        splitter = preferences.read(settings, "splitter")
        if splitter.isEmpty() or not self.splitter.restoreState(splitter):
            self.splitter.setSizes([int(self.width() * 0.6), int(self.width() * 0.4)])
        self.reload(stale_ok=True)  # the first paint: a new day is brought up to date right after it
        self._restore_selection()

    # -- building -----------------------------------------------------------------
    def _action(self, text: str, slot, shortcut=None, tip: str = "") -> QAction:  # noqa: ANN001
        action = QAction(text, self)
        if shortcut is not None:
            if isinstance(shortcut, list):
                action.setShortcuts(shortcut)
            else:
                action.setShortcut(shortcut)
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        key = QKeySequence
        self.new_action = self._action("&New habit…", self.new_habit, key(key.StandardKey.New), "Create a habit")
        self.edit_action = self._action("&Edit habit…", lambda: self.edit_habit(self.current_habit()), key("Ctrl+E"))
        self.archive_action = self._action("&Archive", self.toggle_archived, key("Ctrl+Shift+A"))
        self.delete_action = self._action("&Delete habit…", self.delete_habit, key(key.StandardKey.Delete))
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.table.addAction(self.delete_action)
        self.move_up_action = self._action("Move &up", lambda: self.move_current(-1), key("Ctrl+Shift+Up"))
        self.move_down_action = self._action("Move do&wn", lambda: self.move_current(1), key("Ctrl+Shift+Down"))
        self.import_action = self._action("&Import…", self.choose_import, key("Ctrl+I"), "Import a Loop backup, Loop CSV export or HabitDesk backup")
        self.settings_action = self._action("&Settings…", self.open_settings, key(key.StandardKey.Preferences))
        if not self.settings_action.shortcut():
            self.settings_action.setShortcut(key("Ctrl+,"))
        self.close_action = self._action("&Close window", self.close, key(key.StandardKey.Close),
                                         "Close the window; HabitDesk keeps reminding from the tray")
        self.quit_action = self._action("&Quit", self.quit_app, key(key.StandardKey.Quit))
        if not self.quit_action.shortcut():
            self.quit_action.setShortcut(key("Ctrl+Q"))
        self.about_action = self._action(f"&About {APP_NAME}", self.about)
        self.undo_action = self.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(key(key.StandardKey.Undo))
        self.redo_action = self.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([key("Ctrl+Shift+Z"), key("Ctrl+Y")])
        self.show_archived_action = self._action("Show &archived habits", self._show_archived_toggled, key("Ctrl+Shift+H"))
        self.show_archived_action.setCheckable(True)
        self.show_archived_action.setChecked(preferences.read(self.settings, "show_archived"))
        self.sort_actions = QActionGroup(self)
        for order, label in SORT_LABELS.items():
            action = QAction(label, self.sort_actions)
            action.setCheckable(True)
            action.setData(order.value)
            action.setChecked(order is self.model.sort_order)
        self.sort_actions.triggered.connect(lambda action: self.set_sort_order(SortOrder(action.data())))

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = file_menu = bar.addMenu("&File")  # ui/sync_ui.py adds its items to these two
        file_menu.addActions([self.new_action, self.import_action])
        self._file_menu_tail = file_menu.addSeparator()  # Export, Back up and Restore go above it
        file_menu.addActions([self.close_action, self.quit_action])
        self.edit_menu = edit_menu = bar.addMenu("&Edit")
        edit_menu.addActions([self.undo_action, self.redo_action])
        edit_menu.addSeparator()
        edit_menu.addActions([self.edit_action, self.archive_action, self.delete_action])
        edit_menu.addActions([self.move_up_action, self.move_down_action])
        edit_menu.addSeparator()
        edit_menu.addAction(self.settings_action)
        view_menu = bar.addMenu("&View")
        view_menu.addAction(self.show_archived_action)
        sort_menu = view_menu.addMenu("&Sort by")
        sort_menu.addActions(self.sort_actions.actions())
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.about_action)
        self._update_habit_actions()

    def _build_toolbar(self) -> None:
        toolbar = QToolBar("Habits")
        toolbar.setObjectName("habits-toolbar")
        toolbar.setMovable(False)
        toolbar.addAction(self.new_action)
        toolbar.addSeparator()
        toolbar.addWidget(QLabel(" Sort: "))
        self.sort_box = QComboBox()
        for order, label in SORT_LABELS.items():
            self.sort_box.addItem(label, order.value)
        self.sort_box.setCurrentIndex(list(SORT_LABELS).index(self.model.sort_order))
        self.sort_box.activated.connect(lambda i: self.set_sort_order(SortOrder(self.sort_box.itemData(i))))
        toolbar.addWidget(self.sort_box)
        toolbar.addAction(self.show_archived_action)
        self.addToolBar(toolbar)

    def _empty_state(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addStretch(2)
        title = QLabel("<h2>Start your first habit</h2>")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text = QLabel(
            "Track anything you want to do more, or less, often: a daily walk, reading,\n"
            "three gym sessions a week, or at most two coffees a day.\n\n"
            "Coming from Loop Habit Tracker? Import its backup file and keep your whole history."
        )
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text.setWordWrap(True)
        self.empty_new = QPushButton("Create a habit…")
        self.empty_new.setDefault(True)
        self.empty_new.clicked.connect(self.new_habit)
        self.empty_import = QPushButton("Import a Loop backup…")
        self.empty_import.clicked.connect(self.choose_import)
        self.empty_text = text
        for widget in (title, text):
            layout.addWidget(widget)
        for button in (self.empty_new, self.empty_import):
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(3)
        return page

    # -- loading ------------------------------------------------------------------
    def _newest_first(self) -> bool:
        return preferences.read(self.settings, "day_order") != "newest_last"

    def _visible_habits(self) -> list[Habit]:
        return self.tracker.habits(archived=None if self.show_archived_action.isChecked() else False)

    def reload(self, *, stale_ok: bool = False) -> None:
        """Read every row again: at start-up, on a new day, after settings and imports.

        ``stale_ok`` (the first paint) shows yesterday's cached figures as they are, today's
        cells empty, rather than bring 200 habits up to date before anything shows.
        """
        current = self.current_habit()
        habits = self._visible_habits()
        today = self.tracker.today()
        summaries = self.tracker.summaries(habits, stale_ok=stale_ok)
        self._shows_stale = any(s.through != today for s in summaries.values())
        noted = self.tracker.noted_days(today - RECENT_DAYS + 1)
        rows = [Row(h, summaries[h.key], noted.get(h.key, set())) for h in habits]
        self.model.set_rows(rows, today, newest_first=self._newest_first())
        self.pages.setCurrentWidget(self.table if rows else self.empty)
        if current is not None:
            self.table.select_habit(current.key)
        self._update_status()
        self._aim_day_timer()
        self._update_detail(switch=True)

    def _row(self, habit: Habit) -> Row:
        today = self.model.today
        summary = self.tracker.summaries([habit])[habit.key]
        noted = self.tracker.noted_days(today - RECENT_DAYS + 1, habit).get(habit.key, set())
        return Row(habit, summary, noted)

    def _on_change(self, change: Change) -> None:
        kind = change.kind
        if Affects.TABLE not in kind.affects:
            return
        habit_id = change.habit_id
        if self.tracker.today() != self.model.today or kind in (ChangeKind.SETTINGS, ChangeKind.IMPORT, ChangeKind.EXTERNAL):
            self.reload()
            return
        if kind is ChangeKind.ORDER:
            self.model.reorder([h.key for h in self.tracker.habits(archived=None)])
        elif habit_id is not None:  # every other kind that reaches here names its habit
            self._follow_habit_change(kind, habit_id)
        self.pages.setCurrentWidget(self.table if self.model.rowCount() else self.empty)
        self._update_status()
        self._update_habit_actions()
        if self.detail_habit_id() == habit_id:
            self._update_detail(switch=kind is not ChangeKind.ENTRY)

    def _follow_habit_change(self, kind: ChangeKind, habit_id: int) -> None:
        """Update, add or remove the habit's row after an entry or a habit changed."""
        if kind is ChangeKind.ENTRY:
            habit = self._habit_in_model(habit_id)
            if habit is not None:  # a hidden (archived) habit has no row to refresh
                self.model.update_row(self._row(habit))
        elif kind is ChangeKind.HABIT_DELETED:
            self.model.remove_row(habit_id)
        elif kind in (ChangeKind.HABIT_ADDED, ChangeKind.HABIT_EDITED):
            habit = self.tracker.habit(habit_id)
            visible = self.show_archived_action.isChecked() or not habit.archived
            present = self.model.row_of(habit_id) is not None
            if visible and present:
                self.model.update_row(self._row(habit))
            elif visible:
                self.model.insert_row(self._row(habit))
            elif present:
                self.model.remove_row(habit_id)

    def _habit_in_model(self, habit_id: int | None) -> Habit | None:
        row = None if habit_id is None else self.model.row_of(habit_id)
        return None if row is None else self.model.habit_at(row)

    def _update_status(self) -> None:
        rows = [r for r in self.model.rows() if not r.habit.archived]
        done = sum(r.summary.status(r.habit).done for r in rows)
        self.status.setText(f"Today: {done} of {len(rows)} done" if rows else "")

    def _aim_day_timer(self) -> None:
        """Reload when the next day starts (at the configured hour)."""
        hour = self.tracker.settings.day_start_hour
        now = dt.datetime.now()
        boundary = now.replace(hour=hour, minute=0, second=0, microsecond=0)
        if boundary <= now:
            boundary += dt.timedelta(days=1)
        self.day_timer.start(int((boundary - now).total_seconds() * 1000) + 1000)

    # -- selection -----------------------------------------------------------------
    def current_habit(self) -> Habit | None:
        index = self.table.currentIndex()
        return index.data(HabitRole) if index.isValid() else None

    def detail_habit_id(self) -> int | None:
        habit = None if self.detail is None else self.detail.habit
        return None if habit is None else habit.id

    def _current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        self._update_habit_actions()
        if current.isValid() and previous.isValid() and current.row() == previous.row():
            return
        self._update_detail(switch=True)

    def _update_detail(self, *, switch: bool) -> None:
        """Bring the detail pane up to date once the table has repainted (a zero-delay timer)."""
        self._detail_switch = self._detail_switch or switch
        if self.detail_ready:
            self._detail_timer.start()

    def _apply_detail(self) -> None:
        assert self.detail is not None
        if self._detail_switch or self.detail.habit is None:
            self._detail_switch = False
            self.detail.show_habit(self.current_habit())
        else:
            self.detail.refresh()

    def _restore_selection(self) -> None:
        uuid = preferences.read(self.settings, "selected")
        for row in self.model.rows():
            if row.habit.uuid == uuid:
                self.table.select_habit(row.habit.key)
                return
        if self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(0, 0))

    def _update_habit_actions(self) -> None:
        habit = self.current_habit()
        for action in (self.edit_action, self.archive_action, self.delete_action, self.move_up_action, self.move_down_action):
            action.setEnabled(habit is not None)
        self.archive_action.setText("Un&archive" if habit is not None and habit.archived else "&Archive")

    # -- first paint, then the rest --------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint and not self._painted:
            self._painted = True
            QTimer.singleShot(0, self._after_first_paint)
        return super().eventFilter(watched, event)

    def _after_first_paint(self) -> None:
        self.first_painted.emit()
        if self._shows_stale:  # the first start of a day: today's figures now
            self.reload()
        self.tracker.prepare_writes()
        from habitdesk.ui.detail_pane import DetailPane

        self.detail = DetailPane(self.tracker)
        self.detail.setMinimumWidth(DETAIL_MIN_WIDTH)
        self.detail.day_clicked.connect(self._calendar_day_clicked)
        sizes = self.splitter.sizes()
        self.splitter.replaceWidget(1, self.detail)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes(sizes)
        self._detail_placeholder.deleteLater()
        self.detail_ready = True
        self._apply_detail()
        self.interchange  # noqa: B018 - the File menu's export and backup items, and the drop target

    @property
    def interchange(self) -> Interchange:
        """Import, export, backups and the drop target (ui/interchange.py), built on first use.

        Its module costs 10 ms of start-up, so the window builds it once it has painted.
        """
        if self._interchange is None:
            from habitdesk.ui.interchange import Interchange

            self._interchange = Interchange(self)
            self._interchange.fill_file_menu(self.file_menu, before=self._file_menu_tail)
        return self._interchange

    # -- entries ----------------------------------------------------------------------
    def activate_cell(self, habit: Habit, day: int) -> None:
        """A click, Space or Enter on a day: cycle a yes/no state, or edit an amount."""
        if habit.is_measurable:
            self.edit_amount(habit, day)
            return
        s = self.tracker.settings
        value = next_toggle(self._shown_value(habit, day), skips_enabled=s.skips_enabled, unknown_enabled=s.unknown_enabled)
        self.set_entry(habit, day, value)

    def set_entry(self, habit: Habit, day: int, value: int, notes: str | None = None) -> bool:
        """Record a day's value (and note) through the undo stack; False when refused."""
        return self.runner.run(SetEntry(self.tracker, habit, day, value, notes))

    def _shown_value(self, habit: Habit, day: int) -> int:
        row = self.model.row_of(habit.key)
        if row is not None and self.tracker.today() - day < RECENT_DAYS:
            return self.model.rows()[row].value_on(day)
        analysis = None if self.detail is None else self.detail.analysis
        if analysis is not None and analysis.habit.id == habit.id:
            return analysis.value_on(day)
        return self.tracker.analysis(habit).value_on(day)

    def edit_amount(self, habit: Habit, day: int) -> None:
        """Ask for a measurable habit's amount on a day."""
        from habitdesk.ui.entry_dialogs import AmountEditor

        value = self._shown_value(habit, day)
        amount = None if value in (UNKNOWN, SKIP) else raw_to_amount(value)
        editor = AmountEditor(habit, day, amount, self)
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def finished(code: int) -> None:
            if code == AmountEditor.CLEAR:
                self.set_entry(habit, day, UNKNOWN)
            elif code == AmountEditor.DialogCode.Accepted:
                try:
                    raw = self.tracker.amount_value(editor.amount.value())
                except UserError as exc:
                    self.show_error("Could not record the amount", exc)
                    return
                self.set_entry(habit, day, raw)

        editor.finished.connect(finished)
        editor.open()

    # -- answers from a reminder or the tray -------------------------------------------------
    def record_from_outside(self, habit_id: int, day: int, value: int) -> bool:
        """Record a day from a notification or the tray, undoably; False when it could not be."""
        try:
            habit = self.tracker.habit(habit_id)
        except (UserError, StorageError) as exc:
            log.info("a reminder's habit is gone: %s", exc)
            return False
        return self.set_entry(habit, day, value)

    def enter_amount_from_outside(self, habit_id: int, day: int) -> None:
        """Bring the window forward with the amount editor for a day."""
        try:
            habit = self.tracker.habit(habit_id)
        except (UserError, StorageError) as exc:
            log.info("a reminder's habit is gone: %s", exc)
            return
        self.bring_forward()
        self.table.select_habit(habit.key)
        self.edit_amount(habit, day)

    def bring_forward(self) -> None:
        """Show the window (from the tray, or behind others) and give it the focus."""
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    def edit_note(self, habit: Habit, day: int) -> None:
        """Edit a day's note in a dialog."""
        from habitdesk.ui.entry_dialogs import NoteEditor

        value, note = self.tracker.entry(habit, day)
        editor = NoteEditor(habit, day, note, self)
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def accepted() -> None:
            if editor.note() != note:
                self.runner.run(SetEntry(self.tracker, habit, day, value, editor.note()))

        editor.accepted.connect(accepted)
        editor.open()

    def _calendar_day_clicked(self, day: int) -> None:
        habit = None if self.detail is None else self.detail.habit
        if habit is not None:
            self.activate_cell(habit, day)

    def _open_menu(self, habit: Habit, day: int | None, where: QPoint) -> None:
        menu = QMenu(self)
        if day is not None:
            if habit.is_measurable:
                menu.addAction("Enter amount…", lambda: self.edit_amount(habit, day))
            else:
                menu.addAction("Mark as done", lambda: self.set_entry(habit, day, YES_MANUAL))
                menu.addAction("Skip this day", lambda: self.set_entry(habit, day, SKIP))
            menu.addAction("Clear", lambda: self.set_entry(habit, day, UNKNOWN))
            has_note = bool(self.tracker.entry(habit, day)[1])
            menu.addAction("Edit note…" if has_note else "Add note…", lambda: self.edit_note(habit, day))
            menu.addSeparator()
        menu.addActions([self.edit_action, self.archive_action, self.delete_action])
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(where)

    # -- habits ----------------------------------------------------------------------
    def new_habit(self) -> None:
        self._open_editor(None)

    def edit_habit(self, habit: Habit | None) -> None:
        if habit is not None:
            self._open_editor(habit)

    def _open_editor(self, habit: Habit | None) -> None:
        from habitdesk.ui.habit_editor import HabitEditor

        editor = HabitEditor(self.tracker, habit, self)
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def accepted() -> None:
            command = SaveHabit(self.tracker, habit, editor.result_habit(), editor.result_reminders())
            if self.runner.run(command):
                self.table.select_habit(command.after.key)

        editor.accepted.connect(accepted)
        editor.open()

    def toggle_archived(self) -> None:
        """Archive the selected habit, or bring it back."""
        habit = self.current_habit()
        if habit is not None:
            self._run_with_undo_hint(Archive(self.tracker, habit, not habit.archived))

    def delete_habit(self) -> None:
        """Delete the selected habit after a confirmation that offers archiving instead."""
        habit = self.current_habit()
        row = None if habit is None else self.model.row_of(habit.key)
        if habit is None or row is None:
            return
        total = self.model.rows()[row].summary.total
        box = self._message(
            QMessageBox.Icon.Warning, "Delete habit", f"Delete {quoted(habit.name)} and its whole history?",
            f"It has {total:,} completion{'s' if total != 1 else ''}. You can undo this with "
            f"{self._undo_keys()}, or archive the habit to hide it and keep its history.",
            QMessageBox.StandardButton.Cancel,
        )
        delete = box.addButton("Delete", QMessageBox.ButtonRole.DestructiveRole)
        archive = box.addButton("Archive instead", QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)

        def clicked(button: QPushButton) -> None:
            if button is delete:
                self._run_with_undo_hint(Delete(self.tracker, habit))
            elif button is archive and not habit.archived:
                self._run_with_undo_hint(Archive(self.tracker, habit, True))

        box.buttonClicked.connect(clicked)
        box.open()

    def _run_with_undo_hint(self, command: TrackerCommand) -> None:
        """Run a command that makes a habit disappear, and say how to get it back."""
        if self.runner.run(command):
            self.statusBar().showMessage(f"{command.text()}: done. Undo with {self._undo_keys()}.", 10_000)

    def _undo_keys(self) -> str:
        return self.undo_action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)

    def _move_to_row(self, habit_id: int, target_row: int) -> None:
        """A drop in the table: move the habit before the habit now at ``target_row``."""
        visible = [r.habit.id for r in self.model.rows() if r.habit.id != habit_id]
        everything = [h.id for h in self.tracker.habits(archived=None) if h.id != habit_id]
        if target_row < len(visible):
            index = everything.index(visible[target_row])
        else:
            index = everything.index(visible[-1]) + 1 if visible else 0
        habit = self._habit_in_model(habit_id)
        if habit is not None:
            self.runner.run(Move(self.tracker, habit, index))
            self.table.select_habit(habit_id)

    def move_current(self, step: int) -> None:
        """Move the selected habit up (-1) or down (+1) among the visible rows."""
        habit = self.current_habit()
        row = None if habit is None else self.model.row_of(habit.key)
        if habit is None or row is None or self.model.sort_order is not SortOrder.MANUAL:
            return
        target = row + step
        if 0 <= target < self.model.rowCount():
            self._move_to_row(habit.key, target)

    # -- view options --------------------------------------------------------------
    def set_sort_order(self, order: SortOrder) -> None:
        self.model.set_sort_order(order)
        preferences.write(self.settings, "sort", order.value)
        self.sort_box.setCurrentIndex(list(SORT_LABELS).index(order))
        for action in self.sort_actions.actions():
            action.setChecked(action.data() == order.value)
        if self.table.currentIndex().isValid():
            self.table.scrollTo(self.table.currentIndex())

    def _show_archived_toggled(self) -> None:
        preferences.write(self.settings, "show_archived", self.show_archived_action.isChecked())
        self.reload()

    def open_settings(self) -> None:
        from habitdesk.desktop import autostart_enabled
        from habitdesk.facade import backups as backup_settings
        from habitdesk.ui.settings_dialog import WINDOW_SETTINGS, SettingsDialog

        current: dict[str, object] = {name: preferences.read(self.settings, name) for name in WINDOW_SETTINGS}
        current["autostart"] = autostart_enabled()
        dialog = SettingsDialog(self.tracker, current, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def accepted() -> None:
            for name, value in dialog.ui_changes().items():
                if name == "autostart":
                    self._set_autostart(bool(value))
                    continue
                preferences.write(self.settings, name, value)
                if name == "theme":
                    from habitdesk.ui.theme import apply_theme

                    app = QApplication.instance()
                    assert isinstance(app, QApplication)
                    apply_theme(app, str(value))
            for name, value in dialog.engine_changes().items():
                try:
                    self.tracker.set_setting(name, value)  # its "settings" change reloads the table
                except (UserError, StorageError) as exc:
                    self.show_error("Could not save the settings", exc)
            for name, value in dialog.backup_changes().items():
                try:
                    backup_settings.set_setting(self.tracker, name, value)
                except (UserError, StorageError) as exc:
                    self.show_error("Could not save the backup settings", exc)
            if "day_order" in dialog.ui_changes():
                self.reload()

        dialog.accepted.connect(accepted)
        dialog.open()

    def _set_autostart(self, enabled: bool) -> None:
        from habitdesk.desktop import DesktopIntegrationError, set_autostart

        try:
            set_autostart(enabled)
        except (DesktopIntegrationError, OSError) as exc:
            self.show_error("Could not change starting at log-in", exc)

    # -- import ------------------------------------------------------------------------
    def choose_import(self) -> None:
        """File > Import: ask for a file and import it."""
        self.interchange.choose_import()

    def import_file(self, path: Path) -> None:
        """Import off the GUI thread, with a progress dialog, then say what changed (ui/interchange.py)."""
        self.interchange.import_file(path)

    # -- messages -------------------------------------------------------------------------
    def _message(self, icon: QMessageBox.Icon, title: str, text: str, details: str = "",
                 buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.Ok) -> QMessageBox:
        """A message box that does not block the caller, gone once closed; shown by the caller."""
        box = QMessageBox(icon, title, text, buttons, self)
        box.setInformativeText(details)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        return box

    def show_error(self, context: str, exc: Exception) -> None:
        """A refused change: say what and why."""
        self._message(QMessageBox.Icon.Warning, APP_NAME, f"{context}.", _sentence(str(exc))).open()
        self.statusBar().showMessage(f"{context}: {exc}", 10_000)

    def about(self) -> None:
        self._message(
            QMessageBox.Icon.Information, f"About {APP_NAME}", f"<h3>{APP_NAME} {__version__}</h3>",
            "A desktop habit tracker that follows Loop Habit Tracker's rules for streaks and scores.\n\n"
            f"Your data: {self.tracker.db_path}",
        ).open()

    def report_unexpected(self, log_file: Path | None) -> None:
        """A bug (not something the user did): say so once, calmly, and where the details are."""
        if self._reported_bug:
            return
        self._reported_bug = True
        where = f" The details are in {log_file}." if log_file else ""
        self._message(
            QMessageBox.Icon.Warning, APP_NAME, "Something went wrong inside HabitDesk.",
            "Every change you made before this was saved. If it happens again, please report it." + where,
        ).open()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        """Coming back to the window (after sleep, say) on a new day shows the new day."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow() and self.tracker.today() != self.model.today:
            self.reload()

    # -- closing ----------------------------------------------------------------------------
    def quit_app(self) -> None:
        """Quit HabitDesk (closing the window only hides it while it lives in the tray)."""
        self._quitting = True
        QApplication.quit()

    def keeps_running_in_tray(self) -> bool:
        """Whether closing the window leaves the app running in the tray."""
        return (
            not self._quitting and self.tray is not None and self.tray.icon.isVisible()
            and preferences.read(self.settings, "close_to_tray")
        )

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self.remember:
            self.save_state()
        if self.keeps_running_in_tray():
            event.ignore()
            self.hide()
            if not preferences.read(self.settings, "tray_hint_shown"):
                preferences.write(self.settings, "tray_hint_shown", True)
                assert self.tray is not None  # keeps_running_in_tray() said there is one
                self.tray.show_message(
                    "HabitDesk is still running",
                    "It stays in the tray to remind you. Quit from the tray menu, or with "
                    f"{self.quit_action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)}.",
                )
            return
        super().closeEvent(event)

    def save_state(self) -> None:
        """Remember the window's layout and selection for the next start."""
        preferences.write(self.settings, "geometry", self.saveGeometry())
        preferences.write(self.settings, "splitter", self.splitter.saveState())
        habit = self.current_habit()
        if habit is not None:
            preferences.write(self.settings, "selected", habit.uuid)
        self.settings.sync()


def _sort_order(value: object) -> SortOrder:
    try:
        return SortOrder(value)
    except ValueError:
        return SortOrder.MANUAL


def _sentence(text: str) -> str:
    text = text.strip()  # not capitalised: messages may start with a file name
    return text + ("" if not text or text.endswith((".", "!", "?")) else ".")
