"""The habit editor's reminders: rows of (on/off, time, weekdays, remove) and an Add button."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QPushButton,
    QTimeEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from habitdesk.core.reminders import EVERY_DAY, Reminder

DAY_LETTERS = ("M", "T", "W", "T", "F", "S", "S")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DEFAULT_MINUTE = 9 * 60
MAX_REMINDERS = 12
# Chosen days read as filled chips in either theme; palette() follows the theme.
DAY_STYLE = """
QToolButton[weekday="true"] {
    min-width: 18px; padding: 2px 4px; border-radius: 4px;
    border: 1px solid palette(mid); background: palette(base); color: palette(text);
}
QToolButton[weekday="true"]:checked {
    background: palette(highlight); border-color: palette(highlight); color: palette(highlighted-text);
}
QToolButton[weekday="true"]:disabled { color: palette(mid); border-color: palette(midlight); }
QToolButton[weekday="true"]:checked:disabled { background: palette(midlight); color: palette(dark); }
"""


class ReminderRow(QWidget):
    """One reminder: a switch, a time and the weekdays it applies to.

    Signals:
        changed()
        remove_requested(QWidget)
    """

    changed = Signal()
    remove_requested = Signal(QWidget)

    def __init__(self, reminder: Reminder, weekday_order: list[int], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.enabled_box = QCheckBox()
        self.enabled_box.setChecked(reminder.enabled)
        self.enabled_box.setToolTip("Remind at this time")
        self.enabled_box.setAccessibleName("Reminder on")
        self.time_edit = QTimeEdit(QTime(reminder.minute // 60, reminder.minute % 60))
        self.time_edit.setDisplayFormat("HH:mm")
        self.time_edit.setAccessibleName("Reminder time")
        self.day_buttons: list[QToolButton] = []  # indexed by weekday, 0 = Monday
        for day in range(7):
            button = QToolButton()
            button.setText(DAY_LETTERS[day])
            button.setCheckable(True)
            button.setChecked(bool(reminder.weekdays >> day & 1))
            button.setAutoRaise(False)
            button.setToolTip(DAY_NAMES[day])
            button.setAccessibleName(DAY_NAMES[day])
            button.setProperty("weekday", True)
            self.day_buttons.append(button)
        self.remove_button = QToolButton()
        self.remove_button.setText("✕")
        self.remove_button.setToolTip("Remove this reminder")
        self.remove_button.setAccessibleName("Remove reminder")
        self.setStyleSheet(DAY_STYLE)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.enabled_box)
        layout.addWidget(self.time_edit)
        layout.addSpacing(6)
        for day in weekday_order:
            layout.addWidget(self.day_buttons[day])
        layout.addStretch(1)
        layout.addWidget(self.remove_button)
        self.enabled_box.toggled.connect(self._switched)
        self.time_edit.timeChanged.connect(self.changed)
        for button in self.day_buttons:
            button.toggled.connect(self.changed)
        self.remove_button.clicked.connect(lambda: self.remove_requested.emit(self))
        self._switched(reminder.enabled)

    def _switched(self, on: bool) -> None:
        self.time_edit.setEnabled(on)
        for button in self.day_buttons:
            button.setEnabled(on)
        self.changed.emit()

    def reminder(self) -> Reminder:
        time = self.time_edit.time()
        mask = sum(1 << day for day, button in enumerate(self.day_buttons) if button.isChecked())
        return Reminder(time.hour() * 60 + time.minute(), mask, self.enabled_box.isChecked())

    def focus_widgets(self) -> list[QWidget]:
        return [self.enabled_box, self.time_edit, *self.day_buttons, self.remove_button]


class ReminderList(QWidget):
    """Several reminders for one habit; errors() says what keeps them from being saved.

    Signals:
        changed()
    """

    changed = Signal()

    def __init__(self, weekday_order: list[int], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.weekday_order = weekday_order
        self.rows: list[ReminderRow] = []
        self.rows_box = QVBoxLayout()
        self.rows_box.setContentsMargins(0, 0, 0, 0)
        self.rows_box.setSpacing(4)
        self.add_button = QPushButton("Add reminder")
        self.add_button.setToolTip("Get a notification at a time of day")
        self.add_button.setAutoDefault(False)  # Enter in the form still saves
        self.add_button.clicked.connect(self.add_new)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(self.rows_box)
        layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)

    def set_reminders(self, reminders: list[Reminder]) -> None:
        for row in list(self.rows):
            self._remove(row, emit=False)
        for reminder in sorted(reminders, key=lambda r: r.minute):
            self._add(reminder)
        self.changed.emit()

    def reminders(self) -> list[Reminder]:
        return [row.reminder() for row in self.rows]

    def add_new(self) -> None:
        """A new row an hour after the last one (09:00 for the first), every day."""
        minute = (self.rows[-1].reminder().minute + 60) % (24 * 60) if self.rows else DEFAULT_MINUTE
        row = self._add(Reminder(minute, EVERY_DAY))
        row.time_edit.setFocus()
        self.changed.emit()

    def _add(self, reminder: Reminder) -> ReminderRow:
        row = ReminderRow(reminder, self.weekday_order)
        row.changed.connect(self.changed)
        row.remove_requested.connect(self._remove)
        self.rows.append(row)
        self.rows_box.addWidget(row)
        self.add_button.setEnabled(len(self.rows) < MAX_REMINDERS)
        return row

    def _remove(self, row: ReminderRow, emit: bool = True) -> None:
        self.rows.remove(row)
        self.rows_box.removeWidget(row)
        row.deleteLater()
        self.add_button.setEnabled(len(self.rows) < MAX_REMINDERS)
        if emit:
            self.changed.emit()
            self.add_button.setFocus()

    def errors(self) -> str:
        """The first problem, in words; empty when the reminders can be saved."""
        seen: set[int] = set()
        for reminder in self.reminders():
            if reminder.minute in seen:
                return f"Two reminders are set for {reminder.time_text}."
            seen.add(reminder.minute)
            if reminder.enabled and not reminder.weekdays:
                return f"Choose at least one day for the {reminder.time_text} reminder."
        return ""

    def focus_widgets(self) -> list[QWidget]:
        return [w for row in self.rows for w in row.focus_widgets()] + [self.add_button]
