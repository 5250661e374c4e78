"""File > Import, Export, Back up and Restore; dropping a file on the window; the daily backup.

Every file is read and written off the GUI thread. An import shows a progress
dialog (once it takes more than a moment) and ends with a summary of what was
added, updated and skipped. A restore shows what it will change and asks
before it replaces anything; the facade takes a safety backup first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QDropEvent, QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QProgressDialog,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from habitdesk.ui import background
from habitdesk.ui.widgets import open_folder

TYPE_CHECKING = False
if TYPE_CHECKING:
    from habitdesk.facade import interchange
    from habitdesk.facade.importing import ImportReport
    from habitdesk.ui.main_window import MainWindow

IMPORT_FILTER = ("Habit data (*.db *.zip *.json);;Loop Habit Tracker backups (*.db);;"
                 "Loop CSV exports (*.zip);;HabitDesk backups (*.json);;All files (*)")
DAILY_BACKUP_CHECK_MS = 30 * 60 * 1000  # the daily backup is taken at the first check of a new day
FIRST_BACKUP_DELAY_MS = 10_000  # after start-up, once the window is up and idle


# -- running work off the GUI thread, with progress ---------------------------------------
Result = TypeVar("Result")
Value = TypeVar("Value")


def run_in_background(parent: QWidget, label: str, work: Callable[[Callable[[float], None]], Result],
                      done: Callable[[Result], None], failed: Callable[[Exception], None]) -> QProgressDialog:
    """Run ``work(progress)`` on the thread pool behind a modal progress dialog that shows
    only when the work takes more than half a second; the callbacks run on the GUI thread.

    ``progress(fraction)`` may be called from the worker: below 1.0 it moves the bar;
    1.0 means the file is read and the dialog turns busy ("Saving…").
    """
    dialog = QProgressDialog(label, "", 0, 0, parent)  # busy until the work reports how far it got
    dialog.setWindowTitle("HabitDesk")
    dialog.setCancelButton(None)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setMinimumDuration(500)
    dialog.setMinimumWidth(360)
    dialog.setValue(0)
    def progress(fraction: float) -> None:
        """Report a fraction done to the progress dialog."""
        if fraction >= 1.0:
            dialog.setLabelText("Saving…")
            dialog.setRange(0, 0)  # busy: the last step has no measure
        else:
            dialog.setRange(0, 100)
            dialog.setValue(int(fraction * 100))

    def closed_then(callback: Callable[[Value], None]) -> Callable[[Value], None]:
        """Wrap a callback so it runs only after the progress dialog closed."""
        def call(value: Value) -> None:
            dialog.close()
            dialog.deleteLater()
            callback(value)

        return call

    background.start(parent, work, closed_then(done), closed_then(failed), progress)
    return dialog


# -- dialogs -----------------------------------------------------------------------------------
def _lay_out(dialog: QDialog, icon: QLabel, parts: tuple, buttons: QDialogButtonBox, width: int) -> None:
    """A message-box layout: the icon on the left, the parts (widgets or layouts) beside it, buttons below."""
    body = QVBoxLayout()
    body.setSpacing(10)
    for part in parts:
        if isinstance(part, QWidget):
            body.addWidget(part)
        else:
            body.addLayout(part)
    head = QHBoxLayout()
    head.setSpacing(16)
    head.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
    head.addLayout(body, 1)
    layout = QVBoxLayout(dialog)
    layout.addLayout(head)
    layout.addWidget(buttons)
    dialog.setMinimumWidth(width)


class ImportSummary(QDialog):
    """What an import added, updated and skipped, habits and entries, with any warnings."""

    def __init__(self, path: Path, report: ImportReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import finished")
        icon = QLabel()
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation).pixmap(40, 40))
        self.title = QLabel(f"<b>Imported {path.name}</b>")
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for col, heading in enumerate(("Added", "Updated", "Skipped"), start=1):
            grid.addWidget(QLabel(f"<b>{heading}</b>"), 0, col, right)
        rows = (("Habits", report.habits_added, report.habits_updated, report.habits_unchanged),
                ("Entries", report.entries_added, report.entries_updated, report.entries_unchanged))
        self.cells: dict[tuple[str, str], QLabel] = {}
        for row, (name, *counts) in enumerate(rows, start=1):
            grid.addWidget(QLabel(name), row, 0)
            for col, (heading, count) in enumerate(zip(("added", "updated", "skipped"), counts), start=1):
                cell = QLabel(f"{count:,}")
                grid.addWidget(cell, row, col, right)
                self.cells[(name.lower(), heading)] = cell
        hint = QLabel("Skipped: already here exactly as in the file, so left alone.")
        hint.setWordWrap(True)
        hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.warnings = QLabel("\n".join(f"• {w}" for w in report.warnings))
        self.warnings.setWordWrap(True)
        self.warnings.setVisible(bool(report.warnings))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        _lay_out(self, icon, (self.title, grid, hint, self.warnings), buttons, 440)


class RestorePreview(QDialog):
    """What restoring a backup would change; Restore replaces everything, after a safety backup."""

    def __init__(self, plan: interchange.RestorePlan, safety_folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Restore a backup")
        icon = QLabel()
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(40, 40))
        title = QLabel(f"<b>Replace all your habits and history with {plan.path.name}?</b>")
        title.setWordWrap(True)
        self.changes = QLabel("\n".join(plan.lines()))
        self.changes.setWordWrap(True)
        safety = QLabel(f"A copy of your current data is saved first, in {safety_folder}.")
        safety.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = buttons.addButton("&Restore", QDialogButtonBox.ButtonRole.DestructiveRole)
        self.restore_button.clicked.connect(self.accept)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setDefault(True)
        _lay_out(self, icon, (title, self.changes, safety), buttons, 480)


# -- the window's part -------------------------------------------------------------------------
class Interchange(QObject):
    """Import, export, backups and the drop target of one main window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.tracker = window.tracker
        act = window._action
        self.export_csv_action = act("Loop &CSV export (.zip)…", self.choose_export_csv)
        self.export_json_action = act("HabitDesk &backup (.json)…", self.choose_export_json)
        self.backup_action = act("&Back up now", self.back_up_now, tip="Copy your data into the backup folder")
        self.restore_action = act("&Restore from backup…", self.choose_restore)
        self.export_menu = QMenu("&Export", window)
        self.export_ics_action = act("&Calendar (.ics)…", self.choose_export_ics,
                                     tip="Save habits and their history as an iCalendar file")
        self.export_menu.addActions([self.export_csv_action, self.export_json_action, self.export_ics_action])
        self.backup_timer = QTimer(self)
        self.backup_timer.timeout.connect(self.daily_backup)
        window.setAcceptDrops(True)
        window.installEventFilter(self)
        window.table.viewport().installEventFilter(self)

    def fill_file_menu(self, menu: QMenu, before: QAction | None = None) -> None:
        """Add Export, Back up and Restore to the File menu (above ``before``, or at its end)."""
        if before is None:
            menu.addMenu(self.export_menu)
            menu.addSeparator()
            menu.addActions([self.backup_action, self.restore_action])
            return
        menu.insertMenu(before, self.export_menu)
        menu.insertSeparator(before)
        menu.insertActions(before, [self.backup_action, self.restore_action])

    # -- import ---------------------------------------------------------------------------------
    def choose_import(self) -> None:
        """Ask for a file to import, then import it in the background."""
        path, _ = QFileDialog.getOpenFileName(self.window, "Import habits", str(Path.home()), IMPORT_FILTER)
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> None:
        """Import off the GUI thread behind a progress dialog, then show the summary."""
        def done(report: ImportReport) -> None:  # its "import" change has reloaded the table
            summary = ImportSummary(path, report, self.window)
            summary.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            summary.open()
            self.window.statusBar().showMessage(f"Imported {path.name}", 8000)

        run_in_background(self.window, f"Importing {path.name}…",
                          lambda progress: _interchange().import_file(self.tracker, path, progress), done,
                          lambda exc: self.window.show_error(f"Could not import {path.name}", exc))

    def confirm_dropped(self, path: Path) -> None:
        """Ask before importing a file dropped on the window."""
        box = self.window._message(
            QMessageBox.Icon.Question, "Import a dropped file", f"Import {path.name}?",
            "Its habits and history are added to yours: habits you have already are updated, nothing is deleted.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        )
        box.button(QMessageBox.StandardButton.Yes).setText("&Import")
        box.accepted.connect(lambda: self.import_file(path))
        box.open()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Dropping one file from outside on the window offers to import it."""
        if event.type() in (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop):
            path = _dropped_file(event)  # type: ignore[arg-type]
            if path is None:
                return False
            event.acceptProposedAction()  # type: ignore[attr-defined]
            if event.type() == QEvent.Type.Drop:
                QTimer.singleShot(0, lambda: self.confirm_dropped(path))  # not inside the drag's own loop
            return True
        return False

    # -- export -----------------------------------------------------------------------------------
    def _save_path(self, title: str, name: str, kinds: str) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(self.window, title, str(Path.home() / name), kinds)
        return Path(path) if path else None

    def choose_export_csv(self) -> None:
        path = self._save_path("Export for Loop Habit Tracker", f"Loop Habits CSV {dt.date.today()}.zip", "Zip files (*.zip)")
        if path:
            self.export(path, lambda _: self.tracker.export_loop_csv(path))

    def choose_export_json(self) -> None:
        path = self._save_path("Save a HabitDesk backup", f"HabitDesk backup {dt.date.today()}.json", "HabitDesk backups (*.json)")
        if path:
            self.export(path, lambda _: _interchange().export_json(self.tracker, path))

    def choose_export_ics(self) -> None:
        path = self._save_path("Export calendar", "habits.ics", "iCalendar (*.ics)")
        if path:
            self.export(path, lambda _: _interchange().export_ics(self.tracker, path))

    def export(self, path: Path, work: Callable[[Callable[[float], None]], int]) -> None:
        """Run an export in the background and report where it went."""
        def done(count: int) -> None:
            self.window._message(QMessageBox.Icon.Information, "Export finished",
                                 f"Exported {count} habits to {path.name}.", str(path.parent)).open()
            self.window.statusBar().showMessage(f"Exported {path}", 8000)

        run_in_background(self.window, f"Writing {path.name}…", work, done,
                          lambda exc: self.window.show_error(f"Could not export {path.name}", exc))

    # -- backups and restore ----------------------------------------------------------------------
    def back_up_now(self) -> None:
        """Copy the database into the backup folder now."""
        def done(path: Path) -> None:
            box = self.window._message(QMessageBox.Icon.Information, "Backed up", f"Saved a copy of your data as {path.name}.",
                                       str(path.parent), QMessageBox.StandardButton.Ok)
            box.addButton("Open folder", QMessageBox.ButtonRole.ActionRole).clicked.connect(lambda: open_folder(path.parent))
            box.open()

        run_in_background(self.window, "Backing up…", lambda _: _backups().backup_now(self.tracker), done,
                          lambda exc: self.window.show_error("Could not back up", exc))

    def choose_restore(self) -> None:
        """Ask for a backup to restore and show what it would change."""
        folder = _backups().folder(self.tracker)
        path, _ = QFileDialog.getOpenFileName(
            self.window, "Restore a HabitDesk backup", str(folder if folder.is_dir() else Path.home()),
            "HabitDesk backups (*.json *.sqlite3);;All files (*)",
        )
        if path:
            self.preview_restore(Path(path))

    def preview_restore(self, path: Path) -> None:
        """Read the backup off the GUI thread, then show what restoring it would change."""
        def done(plan: interchange.RestorePlan) -> None:
            dialog = RestorePreview(plan, _backups().folder(self.tracker), self.window)
            dialog.accepted.connect(lambda: self.restore(plan))
            dialog.finished.connect(dialog.deleteLater)
            dialog.open()

        run_in_background(self.window, f"Reading {path.name}…", lambda _: _interchange().plan_restore(self.tracker, path),
                          done, lambda exc: self.window.show_error(f"Could not restore {path.name}", exc))

    def restore(self, plan: interchange.RestorePlan) -> None:
        """Replace everything with the backup, after a safety copy."""
        def done(result: tuple[Path, list[str]]) -> None:
            safety, warnings = result
            self.window.undo_stack.clear()  # the commands refer to data that is gone
            details = f"Your data as it was before is in {safety}." + "".join(f"\n• {w}" for w in warnings)
            self.window._message(QMessageBox.Icon.Information, "Restore finished",
                                 f"Restored {plan.path.name}.", details).open()

        run_in_background(self.window, f"Restoring {plan.path.name}…", lambda _: _interchange().restore(self.tracker, plan),
                          done, lambda exc: self.window.show_error(f"Could not restore {plan.path.name}", exc))

    def start_daily_backups(self) -> None:
        """Take the daily backup soon after start-up, then check every half hour for a new day."""
        QTimer.singleShot(FIRST_BACKUP_DELAY_MS, self, self.daily_backup)
        self.backup_timer.start(DAILY_BACKUP_CHECK_MS)

    def daily_backup(self) -> None:
        """The day's automatic backup, in the background."""
        def done(path: Path | None) -> None:
            if path is not None:
                self.window.statusBar().showMessage(f"Backed up to {path}", 8000)

        def failed(exc: Exception) -> None:
            self.window.statusBar().showMessage(f"The daily backup failed: {exc}", 15_000)

        background.start(self, lambda _progress: _backups().auto_backup(self.tracker), done, failed)


def _dropped_file(event: QDropEvent) -> Path | None:
    """The one local file a drag carries, or None (several files, text, a dragged habit…)."""
    mime = event.mimeData()
    if not mime.hasUrls():
        return None
    urls = mime.urls()
    if len(urls) != 1 or not urls[0].isLocalFile():
        return None
    path = Path(urls[0].toLocalFile())
    return path if path.is_file() else None


def _interchange():  # noqa: ANN202 - the file formats load when first used, not at start-up
    from habitdesk.facade import interchange

    return interchange


def _backups():  # noqa: ANN202
    from habitdesk.facade import backups

    return backups
