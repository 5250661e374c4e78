"""Small editors for one day: a measurable habit's amount, and a day's note."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from habitdesk.core import days as d
from habitdesk.core.entries import MAX_AMOUNT
from habitdesk.core.habit import Habit


class AmountEditor(QDialog):
    """The amount of a measurable habit on one day; "Clear" removes it."""

    CLEAR = 2  # done() code for the Clear button

    def __init__(self, habit: Habit, day: int, amount: float | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{habit.name}: {d.to_date(day):%a %d %b %Y}")
        self.amount = QDoubleSpinBox()
        self.amount.setDecimals(3)
        self.amount.setRange(0, MAX_AMOUNT)
        self.amount.setSuffix(f" {habit.unit}" if habit.unit else "")
        self.amount.setValue(amount if amount is not None else 0.0)
        self.amount.setAccelerated(True)
        self.amount.selectAll()
        target = QLabel(f"Target: {habit.target_text()} {habit.frequency.label()}")
        target.setEnabled(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.clear_button = buttons.addButton("Clear", QDialogButtonBox.ButtonRole.DestructiveRole)
        self.clear_button.setEnabled(amount is not None)
        self.clear_button.clicked.connect(lambda: self.done(self.CLEAR))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(habit.question or "Amount:", self.amount)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(target)
        layout.addWidget(buttons)


class NoteEditor(QDialog):
    """A day's note; an empty note removes it."""

    def __init__(self, habit: Habit, day: int, note: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Note: {habit.name}, {d.to_date(day):%a %d %b %Y}")
        self.text = QPlainTextEdit(note)
        self.text.setPlaceholderText("How did it go?")
        self.text.setTabChangesFocus(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.resize(360, 200)

    def note(self) -> str:
        return self.text.toPlainText().strip()
