"""The heat-map calendar of one habit: each day's state in the habit's colour."""

from __future__ import annotations

import datetime as dt
from collections.abc import Container, Mapping

from PySide6.QtCore import QDate, QEvent, QObject, QPoint, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QHelpEvent, QKeyEvent, QPainter, QPalette, QPen, QTextCharFormat
from PySide6.QtWidgets import QCalendarWidget, QTableView, QToolTip, QWidget

from habitdesk.core import days as d
from habitdesk.core.entries import UNKNOWN
from habitdesk.core.habit import Habit
from habitdesk.core.status import cell_state
from habitdesk.ui.colors import faded, standing_out

OLDEST = dt.date(1900, 1, 1)  # the facade refuses older days
DIM_SHARE = 0.42  # of the habit colour kept by automatic days and missed amounts
FULL = ("manual", "met")
DIMMED = ("auto", "missed")
_QT_WEEKDAYS = (
    Qt.DayOfWeek.Monday, Qt.DayOfWeek.Tuesday, Qt.DayOfWeek.Wednesday, Qt.DayOfWeek.Thursday,
    Qt.DayOfWeek.Friday, Qt.DayOfWeek.Saturday, Qt.DayOfWeek.Sunday,
)


def to_qdate(day: int) -> QDate:
    """A day number as a QDate."""
    date = d.to_date(day)
    return QDate(date.year, date.month, date.day)


def from_qdate(date: QDate) -> int:
    """A QDate as a day number."""
    return d.from_date(dt.date(date.year(), date.month(), date.day()))


class HabitCalendar(QCalendarWidget):
    """A month calendar painting one habit's computed values.

    The widget never writes data: a click (or Enter) on a day up to today
    emits ``day_clicked`` with its day number.

    Signals:
        day_clicked(int)
    """

    day_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._habit: Habit | None = None
        self._values: dict[int, int] = {}
        self._notes: Container[int] = frozenset()
        self._today = d.from_date(dt.date.today())
        self._first_weekday = d.MONDAY
        self.set_first_weekday(d.MONDAY)  # not the locale's: first_visible_day() relies on it
        self.setGridVisible(False)
        self.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.setHorizontalHeaderFormat(QCalendarWidget.HorizontalHeaderFormat.ShortDayNames)
        self.setMinimumDate(QDate(OLDEST.year, OLDEST.month, OLDEST.day))
        self.setMaximumDate(to_qdate(self._today))
        self.clicked.connect(self._on_clicked)
        for weekend in (Qt.DayOfWeek.Saturday, Qt.DayOfWeek.Sunday):
            self.setWeekdayTextFormat(weekend, QTextCharFormat())  # Qt's red clashes with dark themes
        view = self.findChild(QTableView)
        assert view is not None, "QCalendarWidget draws its days in a QTableView"
        self.view: QTableView = view
        self.view.installEventFilter(self)
        self.view.viewport().installEventFilter(self)  # tooltips: a day's note
        # The view would paint a selection block under the cell; paintCell marks it instead.
        palette = self.view.palette()
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            palette.setColor(group, QPalette.ColorRole.Highlight, Qt.GlobalColor.transparent)
        self.view.setPalette(palette)

    # -- data -------------------------------------------------------------------
    def set_days(self, habit: Habit | None, values: dict[int, int], notes: Container[int], today: int) -> None:
        """Show ``values`` (day -> plain computed value) of ``habit``; ``notes``: days with notes."""
        self._habit = habit
        self._values = values
        self._notes = notes
        self.set_today(today)
        self.updateCells()

    def set_today(self, today: int) -> None:
        """The last day that can be clicked; later days are greyed."""
        if today != self._today:
            self._today = today
            self.setMaximumDate(to_qdate(today))

    def set_first_weekday(self, weekday: int) -> None:
        """0 = Monday ... 6 = Sunday."""
        self._first_weekday = weekday
        self.setFirstDayOfWeek(_QT_WEEKDAYS[weekday])

    def show_day(self, day: int) -> None:
        """Select a day and turn to its month."""
        self.setSelectedDate(to_qdate(day))

    def state_on(self, day: int) -> str:
        """The cell state drawn on a day (checked, skipped, ...)."""
        if self._habit is None:
            return "unknown"
        return cell_state(self._habit, self._values.get(day, UNKNOWN))

    def has_note(self, day: int) -> bool:
        """Whether a day has a note."""
        return day in self._notes

    def first_visible_day(self) -> int:
        """The day in the top-left cell: Qt always shows part of the previous month."""
        first = d.from_date(dt.date(self.yearShown(), self.monthShown(), 1))
        offset = (d.weekday(first) - self._first_weekday) % 7
        return first - (offset or 7)

    def page_range(self) -> tuple[int, int]:
        """The first and last day of the six weeks the page shows."""
        first = self.first_visible_day()
        return first, first + 6 * 7 - 1

    def day_at(self, pos: QPoint) -> int | None:
        """The day drawn at a point of the view's viewport, if any."""
        index = self.view.indexAt(pos)
        if not index.isValid() or index.row() < 1:
            return None
        return self.first_visible_day() + (index.row() - 1) * 7 + index.column()

    def note_on(self, day: int) -> str:
        """A day's note (empty when none)."""
        return self._notes.get(day, "") if isinstance(self._notes, Mapping) else ""

    def cell_rect(self, day: int) -> QRect | None:
        """Where a day of the current page is drawn, in the view's viewport coordinates."""
        first, last = self.page_range()
        if not first <= day <= last:
            return None
        row, column = divmod(day - first, 7)
        return self.view.visualRect(self.view.model().index(row + 1, column))  # row 0: day names

    # -- input ------------------------------------------------------------------
    def _on_clicked(self, date: QDate) -> None:
        day = from_qdate(date)
        if day <= self._today:
            self.day_clicked.emit(day)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.view.viewport() and event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            day = self.day_at(event.pos())
            note = self.note_on(day) if day is not None else ""
            if note:
                QToolTip.showText(event.globalPos(), note, self.view)
            else:
                QToolTip.hideText()
            return True
        if watched is self.view and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
                self._on_clicked(self.selectedDate())
                return True
        return super().eventFilter(watched, event)

    # -- painting ---------------------------------------------------------------
    def paintCell(self, painter: QPainter, rect: QRect, date: QDate) -> None:  # noqa: N802 - Qt's name
        day = from_qdate(date)
        palette = self.palette()
        state = self.state_on(day)
        future = day > self._today
        other_month = date.month() != self.monthShown()
        color = QColor(self._habit.color_hex if self._habit else palette.color(QPalette.ColorRole.Highlight))
        color = standing_out(color, palette.color(QPalette.ColorRole.Base), 1.6)

        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if future or other_month:
            painter.setOpacity(0.45)
        side = min(rect.width(), rect.height()) - 4
        cell = QRectF(0, 0, side, side)
        cell.moveCenter(QRectF(rect).center())
        radius = side / 5
        painter.setPen(Qt.PenStyle.NoPen)
        if state in FULL:
            painter.setBrush(color)
            painter.drawRoundedRect(cell, radius, radius)
        elif state in DIMMED:
            painter.setBrush(faded(color, palette.color(QPalette.ColorRole.Base), DIM_SHARE))
            painter.drawRoundedRect(cell, radius, radius)
        elif state == "skip":
            painter.setBrush(QBrush(color, Qt.BrushStyle.BDiagPattern))
            painter.setPen(QPen(color, 1))
            painter.drawRoundedRect(cell.adjusted(0.5, 0.5, -0.5, -0.5), radius, radius)
        elif state == "no":
            grey = QColor(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.setPen(QPen(grey, 1.2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(cell.adjusted(1, 1, -1, -1), radius, radius)
            s = side * 0.12
            corner = cell.bottomRight() - QPointF(side * 0.2, side * 0.2)
            painter.drawLine(corner - QPointF(s, s), corner + QPointF(s, s))
            painter.drawLine(corner + QPointF(-s, s), corner + QPointF(s, -s))

        if day in self._notes:
            dot = side * 0.14
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(palette.color(QPalette.ColorRole.Text) if state not in FULL else QColor("white"))
            painter.drawEllipse(QPointF(cell.right() - side * 0.2, cell.top() + side * 0.2), dot / 2, dot / 2)

        if day == self._today:
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Text), 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(cell.adjusted(-1, -1, 1, 1), radius + 1, radius + 1)
        if date == self.selectedDate() and self.view.hasFocus():
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), 2, Qt.PenStyle.DotLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(cell.adjusted(-1, -1, 1, 1), radius + 1, radius + 1)

        if state in FULL:
            painter.setPen(QColor("white"))
        elif future or other_month:
            painter.setPen(palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text))
        else:
            painter.setPen(palette.color(QPalette.ColorRole.Text))
        font = QFont(painter.font())
        font.setBold(day == self._today)
        painter.setFont(font)
        painter.drawText(cell, Qt.AlignmentFlag.AlignCenter, str(date.day()))
        painter.restore()
