"""The settings dialog shows the current values and reports only what the user changed."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialog

from habitdesk.facade.settings import DEFAULTS
from habitdesk.ui.settings_dialog import SettingsDialog

UI = {"day_order": "newest_first", "theme": "system"}


def open_dialog(qtbot, tracker, ui: dict = UI) -> SettingsDialog:  # noqa: ANN001
    dialog = SettingsDialog(tracker, dict(ui))
    qtbot.add_widget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    return dialog


def test_it_shows_the_current_values(qtbot, tracker) -> None:  # noqa: ANN001
    tracker.set_setting("first_weekday", 6)
    tracker.set_setting("day_start_hour", 4)
    tracker.set_setting("skips_enabled", True)
    dialog = open_dialog(qtbot, tracker, {"day_order": "newest_last", "theme": "dark"})
    assert dialog.first_weekday_combo.currentText() == "Sunday"
    assert dialog.day_start_combo.currentText() == "04:00"
    assert dialog.day_start_combo.count() == 24
    assert dialog.skips_check.isChecked()
    assert dialog.day_order_combo.currentText() == "Newest day last"
    assert dialog.theme_combo.currentText() == "Dark"


def test_nothing_changed_reports_nothing(qtbot, tracker) -> None:  # noqa: ANN001
    dialog = open_dialog(qtbot, tracker)
    qtbot.keyClick(dialog.first_weekday_combo, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.engine_changes() == {}
    assert dialog.ui_changes() == {}


def test_only_changed_values_are_reported(qtbot, tracker) -> None:  # noqa: ANN001
    dialog = open_dialog(qtbot, tracker)
    dialog.first_weekday_combo.setCurrentIndex(6)
    box = dialog.skips_check  # a check box only reacts on its indicator and text, not its whole width
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    dialog.theme_combo.setCurrentIndex(dialog.theme_combo.findData("dark"))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    changes = dialog.engine_changes()
    assert changes == {"first_weekday": 6, "skips_enabled": True}
    assert set(changes) <= set(DEFAULTS)
    assert dialog.ui_changes() == {"theme": "dark"}
    for name, value in changes.items():
        tracker.set_setting(name, value)  # the facade accepts what the dialog reports
    assert tracker.settings.first_weekday == 6


def test_day_start_and_day_order(qtbot, tracker) -> None:  # noqa: ANN001
    dialog = open_dialog(qtbot, tracker)
    dialog.day_start_combo.setCurrentIndex(dialog.day_start_combo.findText("05:00"))
    dialog.day_order_combo.setCurrentIndex(dialog.day_order_combo.findData("newest_last"))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.engine_changes() == {"day_start_hour": 5}
    assert dialog.ui_changes() == {"day_order": "newest_last"}


def test_an_unknown_theme_shows_as_follow_the_system(qtbot, tracker) -> None:  # noqa: ANN001
    dialog = open_dialog(qtbot, tracker, {"day_order": "newest_first", "theme": "purple"})
    assert dialog.theme_combo.currentText() == "Follow the system"
    dialog.accept()
    assert dialog.ui_changes() == {"theme": "system"}


def test_escape_cancels(qtbot, tracker) -> None:  # noqa: ANN001
    dialog = open_dialog(qtbot, tracker)
    with qtbot.waitSignal(dialog.rejected, timeout=1000):
        qtbot.keyClick(dialog.first_weekday_combo, Qt.Key.Key_Escape)
