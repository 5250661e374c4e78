"""The settings dialog: engine settings (kept in the database) and window settings (kept in QSettings)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from habitdesk.ui.backup_settings import BackupSettings
from habitdesk.ui.preferences import PREFERENCES, coerce
from habitdesk.ui.theme import THEMES
from habitdesk.ui.widgets import stacked

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DAY_ORDERS = {"newest_first": "Newest day first (right to left)", "newest_last": "Newest day last"}
THEME_NAMES = {"system": "Follow the system", "light": "Light", "dark": "Dark"}
SNOOZE_CHOICES = {10: "10 minutes", 30: "30 minutes", 60: "1 hour"}
# The window preferences (ui/preferences.py) this dialog shows; "autostart" lives with the
# desktop session instead (habitdesk/desktop.py).
WINDOW_SETTINGS = ("day_order", "theme", "snooze_minutes", "close_to_tray")


def _combo(items: Mapping[Any, str], current: object, accessible: str) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(accessible)
    for value, text in items.items():
        combo.addItem(text, value)
    combo.setCurrentIndex(max(combo.findData(current), 0))
    return combo


class SettingsDialog(QDialog):
    """Shows the current settings; after Accepted, engine_changes() and ui_changes() say what changed.

    It saves nothing: the caller sends engine settings to ``tracker.set_setting``
    and window settings to QSettings.
    """

    def __init__(self, tracker, ui_settings: dict, parent: QWidget | None = None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.setWindowTitle("Settings")
        settings = tracker.settings
        self._engine = {
            "first_weekday": settings.first_weekday,
            "day_start_hour": settings.day_start_hour,
            "skips_enabled": settings.skips_enabled,
        }
        self._ui = {name: coerce(ui_settings.get(name, PREFERENCES[name].default), PREFERENCES[name].default)
                    for name in WINDOW_SETTINGS}
        self._ui["autostart"] = bool(ui_settings.get("autostart", False))

        self.first_weekday_combo = _combo(dict(enumerate(WEEKDAY_NAMES)), settings.first_weekday, "First day of the week")
        hours = {hour: f"{hour:02d}:00" for hour in range(24)}
        self.day_start_combo = _combo(hours, settings.day_start_hour, "A new day starts at")
        self.skips_check = QCheckBox("Enable skips")
        self.skips_check.setChecked(bool(settings.skips_enabled))
        skips_hint = QLabel("Clicking a checked day again marks it as skipped, which keeps the streak going.")
        skips_hint.setWordWrap(True)
        skips_hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        day_start_hint = QLabel("Check-ins before this hour count for the previous day.")
        day_start_hint.setWordWrap(True)
        day_start_hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.day_order_combo = _combo(DAY_ORDERS, self._ui["day_order"], "Day order")
        theme = self._ui["theme"] if self._ui["theme"] in THEMES else "system"
        self.theme_combo = _combo(THEME_NAMES, theme, "Theme")
        self.snooze_combo = _combo(SNOOZE_CHOICES, self._ui["snooze_minutes"], "Snooze for")
        self.close_to_tray_check = QCheckBox("&Keep running in the tray when the window is closed")
        self.close_to_tray_check.setChecked(self._ui["close_to_tray"])
        self.close_to_tray_check.setToolTip("Reminders keep coming while the window is closed.")
        self.autostart_check = QCheckBox("Start HabitDesk in the tray when I &log in")
        self.autostart_check.setChecked(self._ui["autostart"])

        habits = QGroupBox("Habits")
        form = QFormLayout(habits)
        form.addRow("&First day of the week:", self.first_weekday_combo)
        form.addRow("A new &day starts at:", stacked(self.day_start_combo, day_start_hint, spacing=2))
        form.addRow("", stacked(self.skips_check, skips_hint, spacing=2))
        window = QGroupBox("Appearance")
        form = QFormLayout(window)
        form.addRow("Day &order in the table:", self.day_order_combo)
        form.addRow("&Theme:", self.theme_combo)
        reminders = QGroupBox("Reminders")
        form = QFormLayout(reminders)
        form.addRow("&Snooze for:", self.snooze_combo)
        form.addRow("", self.close_to_tray_check)
        form.addRow("", self.autostart_check)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.backups = BackupSettings(tracker)
        self.tabs = QTabWidget()
        self.tabs.addTab(_page(habits, window), "&General")
        self.tabs.addTab(_page(reminders), "&Reminders")
        self.tabs.addTab(_page(self.backups), "&Backups")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)
        self.first_weekday_combo.setFocus()
        self.setMinimumWidth(440)

    def engine_values(self) -> dict[str, object]:
        return {
            "first_weekday": self.first_weekday_combo.currentData(),
            "day_start_hour": self.day_start_combo.currentData(),
            "skips_enabled": self.skips_check.isChecked(),
        }

    def ui_values(self) -> dict[str, object]:
        return {
            "day_order": self.day_order_combo.currentData(),
            "theme": self.theme_combo.currentData(),
            "snooze_minutes": self.snooze_combo.currentData(),
            "close_to_tray": self.close_to_tray_check.isChecked(),
            "autostart": self.autostart_check.isChecked(),
        }

    def engine_changes(self) -> dict[str, object]:
        """Engine settings the user changed, by their names in facade.settings.DEFAULTS."""
        return {k: v for k, v in self.engine_values().items() if v != self._engine[k]}

    def backup_changes(self) -> dict[str, object]:
        """Backup settings the user changed, by their names in facade.backups.DEFAULTS."""
        return self.backups.changes()

    def ui_changes(self) -> dict[str, object]:
        """Window settings (WINDOW_SETTINGS and "autostart") the user changed."""
        return {k: v for k, v in self.ui_values().items() if v != self._ui[k]}


def _page(*groups: QWidget) -> QWidget:
    """A tab of group boxes, top-aligned."""
    page = QWidget()
    layout = QVBoxLayout(page)
    for group in groups:
        layout.addWidget(group)
    layout.addStretch(1)
    return page

