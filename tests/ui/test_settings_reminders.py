"""Settings > Reminders: the snooze time, staying in the tray, and starting at log-in."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from habitdesk import APP_ID
from habitdesk.ui.settings_dialog import SettingsDialog
from tests.ui.test_main_window import make_window, ui_settings  # noqa: F401 - fixtures
from tests.ui.test_settings_dialog import open_dialog


def autostart_file() -> Path:
    return Path(os.environ["XDG_CONFIG_HOME"]) / "autostart" / f"{APP_ID}.desktop"


def test_defaults_and_what_changed(qtbot, tracker) -> None:  # noqa: ANN001
    dialog = open_dialog(qtbot, tracker)
    assert dialog.snooze_combo.currentText() == "10 minutes"
    assert [dialog.snooze_combo.itemText(i) for i in range(3)] == ["10 minutes", "30 minutes", "1 hour"]
    assert dialog.close_to_tray_check.isChecked()
    assert not dialog.autostart_check.isChecked()
    dialog.snooze_combo.setCurrentIndex(2)
    dialog.close_to_tray_check.setChecked(False)
    assert dialog.ui_changes() == {"snooze_minutes": 60, "close_to_tray": False}


def test_stored_text_values_read_back_as_they_were(qtbot, tracker) -> None:  # noqa: ANN001
    # QSettings in an INI file hands values back as text.
    dialog = open_dialog(qtbot, tracker, {"snooze_minutes": "30", "close_to_tray": "false", "autostart": False})
    assert dialog.snooze_combo.currentText() == "30 minutes"
    assert not dialog.close_to_tray_check.isChecked()
    assert dialog.ui_changes() == {}


def test_the_window_saves_them_and_switches_autostart(qtbot, tracker, make_window, ui_settings) -> None:  # noqa: ANN001, F811
    window = make_window(tracker)
    window.settings_action.trigger()
    dialog = window.findChild(SettingsDialog)
    dialog.snooze_combo.setCurrentIndex(1)
    dialog.close_to_tray_check.setChecked(False)
    dialog.autostart_check.setChecked(True)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert ui_settings.value("reminders/snooze_minutes") in (30, "30")
    assert ui_settings.value("tray/close_to_tray") in (False, "false")
    assert autostart_file().is_file()
    assert "--tray" in autostart_file().read_text()

    window.settings_action.trigger()
    dialog = window.findChildren(SettingsDialog)[-1]
    assert dialog.autostart_check.isChecked() and dialog.snooze_combo.currentText() == "30 minutes"
    dialog.autostart_check.setChecked(False)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not autostart_file().exists()
