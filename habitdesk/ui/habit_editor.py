"""The habit editor: a dialog that creates or edits a habit, validating as the user types."""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from habitdesk.core.habit import (
    DEFAULT_COLOR,
    PALETTE,
    PALETTE_NAMES,
    Frequency,
    Habit,
    Kind,
    TargetType,
)
from habitdesk.core.reminders import Reminder
from habitdesk.ui.reminder_editor import ReminderList
from habitdesk.ui.theme import is_dark
from habitdesk.ui.widgets import stacked

WEEKDAY_LABELS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# Frequency options, in the combo's order.
EVERY_DAY, EVERY_N_DAYS, PER_WEEK, PER_MONTH, TIMES_IN_DAYS, WEEKDAYS = range(6)
FREQUENCY_OPTIONS = (
    "Every day", "Every N days", "X times per week", "X times per month", "X times in Y days",
    "On chosen weekdays",
)
SWATCH_COLUMNS = 10
MAX_SPIN = 999  # past habit.MAX_PERIOD, so the form can explain the limit instead of clamping

# (severity, dark) -> text colour; each reads at 6:1 or better on its theme's window colour.
_MESSAGE_COLOURS = {
    ("error", False): "#b3261e",
    ("error", True): "#ff8a80",
    ("warning", False): "#8a5300",
    ("warning", True): "#f2c14e",
}


class FieldMessage(QLabel):
    """An error or warning shown under a field; hidden while it has no text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.severity = "error"
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.hide()

    def show_message(self, text: str, severity: str = "error") -> None:
        self.severity = severity
        self.setText(text)
        self._recolour()
        self.setVisible(bool(text))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._recolour()

    def _recolour(self) -> None:
        colour = QColor(_MESSAGE_COLOURS[(self.severity, is_dark(self.palette()))])
        if self.palette().color(QPalette.ColorRole.WindowText) != colour:
            palette = self.palette()
            palette.setColor(QPalette.ColorRole.WindowText, colour)
            self.setPalette(palette)


class ColorSwatch(QAbstractButton):
    """A round, checkable colour button; arrow keys move through its QButtonGroup."""

    SIZE = 28

    def __init__(self, index: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.colour = QColor(PALETTE[index])
        name = PALETTE_NAMES[index]
        self.setCheckable(True)
        self.setToolTip(name.capitalize())
        self.setAccessibleName(f"Colour: {name}")
        self.setFixedSize(self.SIZE, self.SIZE)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.toggled.connect(self._update_focus_policy)
        self._update_focus_policy(False)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(self.SIZE, self.SIZE)

    def _update_focus_policy(self, checked: bool) -> None:
        # Only the checked swatch is a tab stop; arrow keys reach the others.
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus if checked else Qt.FocusPolicy.ClickFocus)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        steps = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1, Qt.Key.Key_Up: -SWATCH_COLUMNS, Qt.Key.Key_Down: SWATCH_COLUMNS}
        step = steps.get(Qt.Key(event.key()))
        group = self.group()
        if step is None or group is None:
            super().keyPressEvent(event)
            return
        buttons = group.buttons()
        target = buttons[(buttons.index(self) + step) % len(buttons)]
        target.click()
        target.setFocus(Qt.FocusReason.TabFocusReason)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        outer = QRectF(self.rect()).adjusted(1.5, 1.5, -1.5, -1.5)
        if self.hasFocus() or self.isChecked():
            role = QPalette.ColorRole.Highlight if self.hasFocus() else QPalette.ColorRole.WindowText
            painter.setPen(QPen(palette.color(role), 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(outer)
        edge = QColor(palette.color(QPalette.ColorRole.WindowText))
        edge.setAlpha(80)  # keeps dark swatches visible on a dark window, light ones on a light one
        painter.setPen(QPen(edge, 1))
        painter.setBrush(self.colour)
        painter.drawEllipse(outer.adjusted(3.5, 3.5, -3.5, -3.5))
        if self.isChecked():
            mark = QColor("#000000" if self.colour.lightnessF() > 0.62 else "#ffffff")
            painter.setPen(QPen(mark, 2, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
            c = outer.center()
            painter.drawPolyline([c + QPointF(-4.5, 0.5), c + QPointF(-1.5, 3.5), c + QPointF(4.5, -3)])
        painter.end()


class CountSpin(QSpinBox):
    """A spin box whose suffix follows the number: "1 day", "2 days"."""

    def __init__(self, singular: str, plural: str, value: int, maximum: int = MAX_SPIN) -> None:
        super().__init__()
        self._words = (singular, plural)
        self.setRange(1, maximum)
        self.valueChanged.connect(self._update_suffix)
        self.setValue(value)
        self._update_suffix(value)

    def _update_suffix(self, value: int) -> None:
        self.setSuffix(" " + self._words[value != 1])


class TargetSpin(QDoubleSpinBox):
    """An amount with up to three decimals (entries keep thousandths), shown without trailing zeros."""

    def __init__(self) -> None:
        super().__init__()
        self.setDecimals(3)
        self.setRange(0, 1e9)
        self.setGroupSeparatorShown(False)

    def textFromValue(self, value: float) -> str:  # noqa: N802 - Qt API
        text = self.locale().toString(value, "f", 3)
        point = self.locale().decimalPoint()
        return text.rstrip("0").rstrip(point) if point in text else text


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:].rstrip(".") + "."


def _row(*items: QWidget | str) -> QWidget:
    box = QWidget()
    layout = QHBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    for item in items:
        layout.addWidget(QLabel(item) if isinstance(item, str) else item)
    layout.addStretch(1)
    return box


class HabitEditor(QDialog):
    """Create a habit (``habit`` None) or edit one; result_habit() after Accepted.

    The dialog saves nothing: the caller saves through the undo stack.
    """

    def __init__(self, tracker, habit: Habit | None = None, parent: QWidget | None = None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.tracker = tracker
        self.habit = habit
        self._other_names = {
            h.name.strip().casefold(): h.name
            for h in tracker.habits(archived=None)
            if habit is None or h.id != habit.id
        }
        self.has_history = bool(habit is not None and habit.id is not None and tracker.has_history(habit))
        self._name_touched = habit is not None  # a fresh form does not scold an empty name
        self._month_days = 30
        self.setWindowTitle("Edit habit" if habit else "New habit")
        self._build()
        self._load(habit or Habit(""))
        self._connect()
        self._validate()
        self.name_edit.setFocus()

    # -- construction -----------------------------------------------------------
    def _build(self) -> None:
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("e.g. Meditate")
        self.name_message = FieldMessage()
        self.question_edit = QLineEdit()
        self.question_edit.setPlaceholderText("e.g. Did you meditate today?")

        self.color_group = QButtonGroup(self)
        self.color_group.setExclusive(True)
        swatches = QWidget()
        grid = QGridLayout(swatches)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(2)
        for index in range(len(PALETTE)):
            swatch = ColorSwatch(index)
            self.color_group.addButton(swatch, index)
            grid.addWidget(swatch, index // SWATCH_COLUMNS, index % SWATCH_COLUMNS)
        grid.setColumnStretch(SWATCH_COLUMNS, 1)

        self.yes_no_radio = QRadioButton("Yes or no")
        self.measurable_radio = QRadioButton("Measurable (an amount)")
        self.kind_box = _row(self.yes_no_radio, self.measurable_radio)
        if self.has_history:
            why = "This habit already has history, so it cannot change between yes/no and measurable."
            for widget in (self.kind_box, self.yes_no_radio, self.measurable_radio):
                widget.setEnabled(False)
                widget.setToolTip(why)

        self.unit_edit = QLineEdit()
        self.unit_edit.setPlaceholderText("e.g. km, pages, glasses")
        self.target_type_combo = QComboBox()
        self.target_type_combo.addItem("At least", TargetType.AT_LEAST)
        self.target_type_combo.addItem("At most", TargetType.AT_MOST)
        self.target_type_combo.setAccessibleName("Target type")
        self.target_spin = TargetSpin()
        self.target_spin.setAccessibleName("Target")
        self.target_unit_label = QLabel()
        self.target_message = FieldMessage()

        self.frequency_combo = QComboBox()
        self.frequency_combo.addItems(FREQUENCY_OPTIONS)
        self.frequency_combo.setAccessibleName("Frequency")
        self.every_n_spin = CountSpin("day", "days", 2)
        self.per_week_spin = CountSpin("time", "times", 3, maximum=7)
        self.per_month_spin = CountSpin("time", "times", 10, maximum=31)
        self.times_spin = CountSpin("time", "times", 3)
        self.days_spin = CountSpin("day", "days", 10)
        first = self.tracker.settings.first_weekday
        self.weekday_order = [(first + i) % 7 for i in range(7)]
        self.weekday_boxes = [QCheckBox(label) for label in WEEKDAY_LABELS]  # indexed by weekday, 0 = Monday
        for box, name in zip(self.weekday_boxes, WEEKDAY_NAMES, strict=True):
            box.setAccessibleName(name)
        self.frequency_stack = QStackedWidget()
        for page in (
            _row(),
            _row("Every", self.every_n_spin),
            _row(self.per_week_spin, "per week"),
            _row(self.per_month_spin, "per month"),
            _row(self.times_spin, "in", self.days_spin),
            _row(*(self.weekday_boxes[day] for day in self.weekday_order)),
        ):
            self.frequency_stack.addWidget(page)
        self.frequency_message = FieldMessage()

        self.reminder_list = ReminderList(self.weekday_order)
        self.reminder_message = FieldMessage()

        self.description_edit = QPlainTextEdit()
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setPlaceholderText("Optional notes about this habit")
        line = self.description_edit.fontMetrics().lineSpacing()
        self.description_edit.setMinimumHeight(line * 3 + 12)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Save" if self.habit else "Create habit")
        self.ok_button.setDefault(True)

        self.form = form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.addRow("&Name:", stacked(self.name_edit, self.name_message))
        form.addRow("&Question:", self.question_edit)
        form.addRow("Colour:", swatches)
        form.addRow("Type:", self.kind_box)
        form.addRow("&Unit:", self.unit_edit)
        self.target_row = stacked(_row(self.target_type_combo, self.target_spin, self.target_unit_label), self.target_message)
        form.addRow("&Target:", self.target_row)
        form.addRow("&Frequency:", stacked(self.frequency_combo, self.frequency_stack, self.frequency_message))
        form.addRow("Reminders:", stacked(self.reminder_list, self.reminder_message))
        form.addRow("&Description:", self.description_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form, 1)
        layout.addWidget(self.buttons)

        chain = [
            self.name_edit, self.question_edit, *self.color_group.buttons(), self.yes_no_radio,
            self.measurable_radio, self.unit_edit, self.target_type_combo, self.target_spin,
            self.frequency_combo, self.every_n_spin, self.per_week_spin, self.per_month_spin,
            self.times_spin, self.days_spin, *(self.weekday_boxes[d] for d in self.weekday_order),
            self.reminder_list.add_button, self.description_edit, self.ok_button, self.buttons.button(QDialogButtonBox.StandardButton.Cancel),
        ]
        for before, after in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(before, after)
        self.setMinimumWidth(520)

    def _connect(self) -> None:
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.name_edit.textEdited.connect(self._touch_name)
        self.name_edit.textChanged.connect(self._validate)
        self.yes_no_radio.toggled.connect(self._kind_changed)
        self.unit_edit.textChanged.connect(self._unit_changed)
        self.target_spin.valueChanged.connect(self._validate)
        self.frequency_combo.currentIndexChanged.connect(self._frequency_option_changed)
        for spin in (self.every_n_spin, self.per_week_spin, self.per_month_spin, self.times_spin, self.days_spin):
            spin.valueChanged.connect(self._validate)
        for box in self.weekday_boxes:
            box.toggled.connect(self._validate)
        self.reminder_list.changed.connect(self._validate)

    # -- loading ----------------------------------------------------------------
    def _load(self, habit: Habit) -> None:
        self.name_edit.setText(habit.name)
        self.question_edit.setText(habit.question)
        self.description_edit.setPlainText(habit.description)
        color = habit.color if 0 <= habit.color < len(PALETTE) else DEFAULT_COLOR
        self.color_group.button(color).setChecked(True)
        (self.measurable_radio if habit.is_measurable else self.yes_no_radio).setChecked(True)
        self.unit_edit.setText(habit.unit)
        self.target_unit_label.setText(habit.unit)
        self.target_spin.setValue(habit.target_value)
        self.target_type_combo.setCurrentIndex(int(habit.target_type))
        self._load_frequency(habit.frequency)
        if habit.id is not None:
            self.reminder_list.set_reminders(self.tracker.reminders(habit))
        self._kind_changed()

    def _load_frequency(self, frequency: Frequency) -> None:
        num, den = frequency.num, frequency.den
        if frequency.weekdays:
            option = WEEKDAYS
            for day, box in enumerate(self.weekday_boxes):
                box.setChecked(bool(frequency.weekdays >> day & 1))
        elif num == den:
            option = EVERY_DAY
        elif num == 1:
            option = EVERY_N_DAYS
            self.every_n_spin.setValue(den)
        elif den == 7:
            option = PER_WEEK
            self.per_week_spin.setValue(num)
        elif den in (30, 31):
            option = PER_MONTH
            self._month_days = den
            self.per_month_spin.setValue(num)
        else:
            option = TIMES_IN_DAYS
            self.times_spin.setValue(num)
            self.days_spin.setValue(den)
        self.frequency_combo.setCurrentIndex(option)
        self._frequency_option_changed(option)

    # -- reading the form -------------------------------------------------------
    @property
    def kind(self) -> Kind:
        return Kind.MEASURABLE if self.measurable_radio.isChecked() else Kind.YES_NO

    @property
    def color_index(self) -> int:
        return max(self.color_group.checkedId(), 0)

    def frequency(self) -> Frequency:
        """The frequency the form describes (possibly an impossible one)."""
        option = self.frequency_combo.currentIndex()
        if option == EVERY_N_DAYS:
            return Frequency(1, self.every_n_spin.value())
        if option == PER_WEEK:
            return Frequency(self.per_week_spin.value(), 7)
        if option == PER_MONTH:
            return Frequency(self.per_month_spin.value(), self._month_days)
        if option == TIMES_IN_DAYS:
            return Frequency(self.times_spin.value(), self.days_spin.value())
        if option == WEEKDAYS:
            mask = sum(1 << day for day, box in enumerate(self.weekday_boxes) if box.isChecked())
            return Frequency(1, 1, mask)
        return Frequency()

    def result_habit(self) -> Habit:
        """A new Habit with the form's values; an edit keeps the habit's identity and bookkeeping."""
        base = self.habit
        measurable = self.kind is Kind.MEASURABLE
        result = Habit(
            self.name_edit.text().strip(),
            kind=self.kind,
            frequency=self.frequency(),
            question=self.question_edit.text().strip(),
            description=self.description_edit.toPlainText(),
            color=self.color_index,
        )
        if measurable:
            result.unit = self.unit_edit.text().strip()
            result.target_value = self.target_spin.value()
            result.target_type = TargetType(self.target_type_combo.currentData())
        elif base is not None:  # a yes/no habit keeps whatever it had
            result.unit, result.target_value, result.target_type = base.unit, base.target_value, base.target_type
        if base is not None:
            for name in ("id", "uuid", "position", "archived", "created_at", "updated_at"):
                setattr(result, name, getattr(base, name))
        return result

    def result_reminders(self) -> list[Reminder]:
        return self.reminder_list.reminders()

    # -- live validation --------------------------------------------------------
    def errors(self) -> dict[str, str]:
        """Field -> message for everything that keeps the form from being saved."""
        habit = self.result_habit()
        problems = habit.problems()
        found: dict[str, str] = {}
        if not habit.name:
            found["name"] = "Give the habit a name."
        elif "name" in problems:
            found["name"] = _sentence(problems["name"])
        if habit.is_measurable and "target" in problems:
            value = self.target_spin.value()
            ok = math.isfinite(value) and value > 0
            found["target"] = _sentence(problems["target"]) if ok else "The target must be greater than zero."
        if self.frequency_combo.currentIndex() == WEEKDAYS and not habit.frequency.weekdays:
            if not any(box.isChecked() for box in self.weekday_boxes):
                found["frequency"] = "Choose at least one day of the week."
        elif "frequency" in problems:
            found["frequency"] = _sentence(problems["frequency"])
        if self.reminder_list.errors():
            found["reminders"] = self.reminder_list.errors()
        return found

    def _validate(self) -> None:
        errors = self.errors()
        name = self.name_edit.text().strip()
        twin = self._other_names.get(name.casefold()) if name else None
        if "name" in errors:
            self.name_message.show_message(errors["name"] if self._name_touched or name else "")
        elif twin is not None:
            self.name_message.show_message(f"Another habit is already called “{twin}”.", "warning")
        else:
            self.name_message.show_message("")
        self.target_message.show_message(errors.get("target", ""))
        self.frequency_message.show_message(errors.get("frequency", ""))
        self.reminder_message.show_message(errors.get("reminders", ""))
        self.ok_button.setEnabled(not errors)

    def _touch_name(self) -> None:
        self._name_touched = True

    def _kind_changed(self) -> None:
        measurable = self.kind is Kind.MEASURABLE
        self.form.setRowVisible(self.unit_edit, measurable)
        self.form.setRowVisible(self.target_row, measurable)
        self._validate()

    def _unit_changed(self, text: str) -> None:
        self.target_unit_label.setText(text.strip())
        self._validate()

    def _frequency_option_changed(self, option: int) -> None:
        self.frequency_stack.setCurrentIndex(option)
        self.frequency_stack.setVisible(option != EVERY_DAY)
        self._validate()

    # -- accepting --------------------------------------------------------------
    def _refuse(self) -> bool:
        """Show every problem and focus the first; True when the form cannot be accepted."""
        errors = self.errors()
        if not errors:
            return False
        self._name_touched = True
        self._validate()
        first = {"name": self.name_edit, "target": self.target_spin, "frequency": self.frequency_combo,
                 "reminders": self.reminder_list}
        first[next(iter(errors))].setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._refuse():
            event.accept()
            return
        super().keyPressEvent(event)

    def accept(self) -> None:
        if not self._refuse():
            super().accept()
