"""File > Import / Export / Back up / Restore, the drop target and the backup settings, driven as a user would."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox, QProgressDialog

from habitdesk.core.days import to_date
from habitdesk.core.habit import Habit
from habitdesk.facade import backups, interchange
from habitdesk.facade.interchange import import_file
from habitdesk.facade.tracker import Tracker
from habitdesk.ui.interchange import ImportSummary, RestorePreview, run_in_background
from tests.conftest import TODAY
from tests.support.dbcheck import checksum
from tests.support.loop_backup import LoopBackup
from tests.support.loop_csv import LoopCsv
from tests.ui.test_main_window import make_window, message_box, ui_settings  # noqa: F401 - fixtures

YES_MANUAL = 2


def file_menu_action(window, text: str):  # noqa: ANN001, ANN201
    file_menu = window.menuBar().actions()[0].menu()
    for action in file_menu.actions():
        if action.text() == text:
            return action
        if action.menu() is not None:
            for sub in action.menu().actions():
                if sub.text() == text:
                    return sub
    raise AssertionError(f"no {text!r} in File: {[a.text() for a in file_menu.actions()]}")


def loop_backup(tmp_path: Path) -> Path:
    backup = LoopBackup(25)
    wake = backup.habit("Wake up early", freq=(3, 7))
    for k in (1, 3, 4):
        backup.rep(wake, to_date(TODAY - k), YES_MANUAL, notes="early" if k == 1 else None)
    return backup.write(tmp_path / "loop.db")


def test_file_import_of_a_loop_csv_zip_ends_with_a_summary(qtbot, tracker, make_window, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    export = LoopCsv()
    export.habit("Read").rows += [(to_date(TODAY - 1).isoformat(), "YES_MANUAL", "a chapter"),
                                  (to_date(TODAY - 2).isoformat(), "YES_AUTO")]
    export.habit("Swim", freq=(2, 7))
    path = export.write(tmp_path / "Loop Habits CSV.zip")
    window = make_window(tracker)
    seen = {}

    def pick(parent, caption, folder, filters):  # noqa: ANN001, ANN202
        seen["filters"] = filters
        return str(path), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", pick)
    action = file_menu_action(window, "&Import…")
    assert action.shortcut().toString() == "Ctrl+I"
    action.trigger()
    qtbot.waitUntil(lambda: window.findChild(ImportSummary) is not None, timeout=10_000)
    summary = window.findChild(ImportSummary)
    assert "*.db *.zip *.json" in seen["filters"]
    assert summary.title.text() == "<b>Imported Loop Habits CSV.zip</b>"
    counts = {key: cell.text() for key, cell in summary.cells.items()}
    assert counts == {("habits", "added"): "2", ("habits", "updated"): "0", ("habits", "skipped"): "0",
                      ("entries", "added"): "1", ("entries", "updated"): "0", ("entries", "skipped"): "0"}
    assert [window.model.index(r, 0).data() for r in range(window.model.rowCount())] == ["Read", "Swim"]
    assert window.statusBar().currentMessage() == "Imported Loop Habits CSV.zip"


def test_a_second_import_reports_everything_skipped(qtbot, tracker, make_window, tmp_path) -> None:  # noqa: ANN001
    path = loop_backup(tmp_path)
    import_file(tracker, path)
    window = make_window(tracker)
    window.import_file(path)
    qtbot.waitUntil(lambda: window.findChild(ImportSummary) is not None, timeout=10_000)
    summary = window.findChild(ImportSummary)
    assert summary.cells[("habits", "skipped")].text() == "1"
    assert summary.cells[("entries", "skipped")].text() == "3"


def test_a_bad_file_says_why_and_changes_nothing(qtbot, tracker, make_window, tmp_path) -> None:  # noqa: ANN001
    tracker.add_habit(Habit("Walk"))
    bad = tmp_path / "export.zip"
    bad.write_bytes(b"PK\x03\x04 but cut short")
    window = make_window(tracker)
    before = checksum(tracker.db_path)  # after the window has cached its figures
    window.import_file(bad)
    qtbot.waitUntil(lambda: any(b.isVisible() for b in window.findChildren(QMessageBox)), timeout=10_000)
    box = message_box(window)
    assert box.text() == "Could not import export.zip."
    assert box.informativeText().startswith("export.zip: damaged or truncated zip file")
    assert checksum(tracker.db_path) == before


def test_long_work_shows_progress_then_saving(qtbot, tracker, make_window) -> None:  # noqa: ANN001
    window = make_window(tracker)
    steps = [threading.Event() for _ in range(3)]

    def work(progress) -> str:  # noqa: ANN001
        progress(0.5)
        steps[0].wait(5)
        progress(1.0)  # read everything; now the database is written
        steps[1].wait(5)
        return "result"

    results = []
    dialog = run_in_background(window, "Importing big.zip…", work, results.append, results.append)
    qtbot.waitUntil(lambda: dialog.value() == 50)
    qtbot.waitUntil(dialog.isVisible, timeout=10_000)  # shown once the work takes more than half a second
    assert dialog.labelText() == "Importing big.zip…"
    steps[0].set()
    qtbot.waitUntil(lambda: dialog.labelText() == "Saving…")
    assert dialog.maximum() == 0  # busy
    steps[1].set()
    qtbot.waitUntil(lambda: results == ["result"], timeout=5000)
    assert not [d for d in window.findChildren(QProgressDialog) if d.isVisible()]


def test_dropping_a_loop_backup_asks_then_imports(qtbot, tracker, make_window, tmp_path) -> None:  # noqa: ANN001
    path = loop_backup(tmp_path)
    window = make_window(tracker)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    where = window.rect().center()
    enter = QDragEnterEvent(where, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(where.toPointF(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, drop)
    qtbot.waitUntil(lambda: any(b.isVisible() for b in window.findChildren(QMessageBox)))
    box = message_box(window)
    assert box.text() == "Import loop.db?"
    assert tracker.habits() == []  # nothing before the answer
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.findChild(ImportSummary) is not None, timeout=10_000)
    assert [h.name for h in tracker.habits()] == ["Wake up early"]


def test_a_dropped_text_or_several_files_are_not_taken(qtbot, tracker, make_window, tmp_path) -> None:  # noqa: ANN001
    window = make_window(tracker)
    for urls in ([], [QUrl.fromLocalFile(str(tmp_path / "a.db")), QUrl.fromLocalFile(str(tmp_path / "b.db"))]):
        mime = QMimeData()
        if urls:
            mime.setUrls(urls)
        else:
            mime.setText("hello")
        enter = QDragEnterEvent(QPoint(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                                Qt.KeyboardModifier.NoModifier)
        enter.ignore()
        QApplication.sendEvent(window, enter)
        assert not enter.isAccepted()


def test_restore_shows_the_changes_first_and_keeps_a_safety_copy(qtbot, tracker, make_window, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    walk = tracker.add_habit(Habit("Walk"))
    tracker.check(walk, TODAY)
    interchange.export_json(tracker, tmp_path / "backup.json")
    tracker.add_habit(Habit("Floss"))
    window = make_window(tracker)
    before = checksum(tracker.db_path)  # after the window has cached its figures
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a: (str(tmp_path / "backup.json"), ""))
    file_menu_action(window, "&Restore from backup…").trigger()
    qtbot.waitUntil(lambda: window.findChild(RestorePreview) is not None, timeout=10_000)
    preview = window.findChild(RestorePreview)
    assert "Habits: 0 added, 1 removed ('Floss'), 0 changed, 1 unchanged." in preview.changes.text()
    assert checksum(tracker.db_path) == before  # the preview changed nothing
    qtbot.mouseClick(preview.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(b.isVisible() for b in window.findChildren(QMessageBox)), timeout=10_000)
    box = message_box(window)
    assert box.text() == "Restored backup.json."
    assert "habitdesk-before-restore-" in box.informativeText()
    assert [h.name for h in tracker.habits()] == ["Walk"]
    qtbot.waitUntil(lambda: window.model.rowCount() == 1)
    assert len([b for b in backups.backups(tracker) if b.safety]) == 1


def test_cancelling_the_restore_preview_changes_nothing(qtbot, tracker, make_window, tmp_path) -> None:  # noqa: ANN001
    interchange.export_json(tracker, tmp_path / "empty.json")
    tracker.add_habit(Habit("Keep me"))
    window = make_window(tracker)
    before = checksum(tracker.db_path)  # after the window has cached its figures
    window.interchange.preview_restore(tmp_path / "empty.json")
    qtbot.waitUntil(lambda: window.findChild(RestorePreview) is not None, timeout=10_000)
    window.findChild(RestorePreview).reject()
    assert checksum(tracker.db_path) == before
    assert backups.backups(tracker) == []


def test_export_menu_writes_loop_csv_and_json(qtbot, tracker, make_window, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    tracker.check(tracker.add_habit(Habit("Walk")), TODAY)
    window = make_window(tracker)
    for text, name in (("Loop &CSV export (.zip)…", "out.zip"), ("HabitDesk &backup (.json)…", "out.json")):
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, n=name: (str(tmp_path / n), ""))
        file_menu_action(window, text).trigger()
        qtbot.waitUntil(lambda: any(b.isVisible() for b in window.findChildren(QMessageBox)), timeout=10_000)
        box = message_box(window)
        assert box.text() == f"Exported 1 habits to {name}."
        box.close()
        assert (tmp_path / name).is_file()
    fresh = Tracker(tmp_path / "fresh", today=TODAY)
    try:
        assert import_file(fresh, tmp_path / "out.zip").entries_added == 1
    finally:
        fresh.close()


def test_back_up_now_and_open_the_folder(qtbot, tracker, make_window, monkeypatch) -> None:  # noqa: ANN001
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    window = make_window(tracker)
    file_menu_action(window, "&Back up now").trigger()
    qtbot.waitUntil(lambda: any(b.isVisible() for b in window.findChildren(QMessageBox)), timeout=10_000)
    box = message_box(window)
    assert box.text().startswith("Saved a copy of your data as habitdesk-")
    [open_button] = [b for b in box.buttons() if b.text() == "Open folder"]
    qtbot.mouseClick(open_button, Qt.MouseButton.LeftButton)
    assert opened == [str(tracker.data_dir / "backups")]
    assert len(backups.backups(tracker)) == 1


def test_the_daily_backup_runs_off_the_gui_thread(qtbot, tracker, make_window, monkeypatch) -> None:  # noqa: ANN001
    threads = []
    real = backups.auto_backup

    def spy(t):  # noqa: ANN001, ANN202
        threads.append(threading.current_thread())
        return real(t)

    monkeypatch.setattr(backups, "auto_backup", spy)
    window = make_window(tracker)
    window.interchange.daily_backup()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Backed up to "), timeout=10_000)
    assert threads and threads[0] is not threading.main_thread()
    window.interchange.daily_backup()  # once a day: the second is a no-op
    window.background.wait()
    assert len(backups.backups(tracker)) == 1


def test_settings_dialog_sets_backup_folder_and_rotation(qtbot, tracker, make_window, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    from habitdesk.ui.settings_dialog import SettingsDialog

    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    window = make_window(tracker)
    window.settings_action.trigger()
    dialog = window.findChild(SettingsDialog)
    group = dialog.backups
    assert group.folder_edit.placeholderText() == str(tracker.data_dir / "backups")
    assert [s.value() for s in group.spins.values()] == [7, 4, 12]
    qtbot.mouseClick(group.open_button, Qt.MouseButton.LeftButton)
    assert opened == [str(tracker.data_dir / "backups")]
    group.folder_edit.setText(str(tmp_path / "copies"))
    group.spins["backup_weekly"].setValue(8)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert backups.settings(tracker) == {"backup_folder": str(tmp_path / "copies"), "backup_daily": 7,
                                         "backup_weekly": 8, "backup_monthly": 12}
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_daily_backups_are_checked_every_half_hour_once_started(qtbot, tracker, make_window) -> None:  # noqa: ANN001
    window = make_window(tracker)
    assert not window.interchange.backup_timer.isActive()  # tests and screenshots take none
    window.interchange.start_daily_backups()
    assert window.interchange.backup_timer.isActive()
    assert window.interchange.backup_timer.interval() == 30 * 60 * 1000
    window.interchange.backup_timer.stop()
