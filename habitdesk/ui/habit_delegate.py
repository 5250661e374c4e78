"""Painting of the habit table: the habit column (score ring, name, streak) and day marks."""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QApplication, QStyledItemDelegate, QStyleOptionViewItem

from habitdesk.core.habit import Habit
from habitdesk.core.status import AUTO, EMPTY, MANUAL, MET, MISSED_NO, SKIPPED, UNMET, Summary
from habitdesk.ui.colors import faded, standing_out

TYPE_CHECKING = False
if TYPE_CHECKING:
    from PySide6.QtWidgets import QTableView

    from habitdesk.ui.habit_table import HabitTableModel

ROW_HEIGHT = 40
RING = 26  # the score ring's box, in pixels
DAY_WIDTH = 42
NAME_MIN_WIDTH = 240
AUTO_SHARE = 0.42  # how much of the habit colour a dimmed (automatic) tick keeps


def today_tint(palette: QPalette) -> QColor:
    """The background that marks today's column, visible on light and dark palettes."""
    tint = QColor(palette.color(QPalette.ColorRole.Highlight))
    tint.setAlphaF(0.14)
    return tint


_ROLE_TEXT = QPalette.ColorRole.Text
_ROLE_BASE = QPalette.ColorRole.Base
_ROLE_HIGHLIGHT = QPalette.ColorRole.Highlight
_DISABLED = QPalette.ColorGroup.Disabled
_CENTER = Qt.AlignmentFlag.AlignCenter


def _tick_path() -> QPainterPath:
    path = QPainterPath(QPointF(-7, 0.5))
    path.lineTo(QPointF(-2.2, 5.2))
    path.lineTo(QPointF(7.5, -5.5))
    return path


_TICK = _tick_path()  # around (0, 0); painted translated to the cell's centre


class HabitDelegate(QStyledItemDelegate):
    """Draws Loop's states distinctly: tick, dimmed tick, hatch, cross, or nothing.

    Paints from one model call per cell (HabitTableModel.cell): the table
    repaints often, and every role lookup crosses into C++ and back.
    """

    def __init__(self, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self._inks: dict[tuple[str, int], _Ink] = {}
        self._rings: dict[tuple, QPixmap] = {}

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:  # noqa: N802
        return QSize(NAME_MIN_WIDTH if index.column() == 0 else DAY_WIDTH, ROW_HEIGHT)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:
        column = index.column()
        info = cast("HabitTableModel", index.model()).cell(index.row(), column)
        palette = option.palette
        view = cast("QTableView", self.parent())
        # (asking the view rather than option.state keeps QStyle's Python type, ~5 ms
        # to set up, out of the start-up)
        selected = view.selectionModel().isSelected(index)
        focused = view.hasFocus() and view.currentIndex() == index
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if column == 0:
            self._paint_habit(painter, option.rect, palette, info[0], info[1], option.font)
        else:
            habit, mark, noted, today, text = info
            if today and not selected:  # the style has filled a selected cell
                painter.fillRect(option.rect, today_tint(QApplication.palette()))
            self._paint_day(painter, option.rect, palette, habit, mark, noted, text)
            if focused:
                painter.setPen(QPen(QApplication.palette().color(_ROLE_HIGHLIGHT), 1.5))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRoundedRect(QRectF(option.rect).adjusted(2, 2, -2, -2), 4, 4)
        painter.restore()

    # -- the habit column ---------------------------------------------------------
    def _paint_habit(self, p: QPainter, rect: QRect, palette: QPalette, habit: Habit, summary: Summary, font: QFont) -> None:
        muted = palette.color(_DISABLED, _ROLE_TEXT)
        text_color = muted if habit.archived else palette.color(_ROLE_TEXT)
        ring = QRectF(rect.left() + 8, rect.top() + (rect.height() - RING) / 2, RING, RING)
        p.drawPixmap(ring.topLeft(), self._ring(habit.color_hex, summary.score, palette, p.device().devicePixelRatioF()))
        # the streak, right-aligned; the name takes what is left
        streak_width = 0
        if summary.streak:
            small = QFont(font)
            small.setPointSizeF(max(font.pointSizeF() * 0.85, 6))
            streak = f"{summary.streak} day streak"
            p.setFont(small)
            streak_width = p.fontMetrics().horizontalAdvance(streak)
            p.setPen(muted if habit.archived else palette.color(QPalette.ColorRole.PlaceholderText))
            p.drawText(QRect(rect.right() - streak_width - 10, rect.top(), streak_width, rect.height()),
                       Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, streak)
            p.setFont(font)
        p.setPen(text_color)
        left = int(ring.right()) + 8
        right = rect.right() - (streak_width + 18 if summary.streak else 8)
        name = p.fontMetrics().elidedText(habit.name, Qt.TextElideMode.ElideRight, max(right - left, 10))
        if habit.archived:
            name += "  (archived)"
        p.drawText(QRect(left, rect.top(), right - left, rect.height()), Qt.AlignmentFlag.AlignVCenter, name)

    # -- day cells ------------------------------------------------------------------
    def _paint_day(self, p: QPainter, rect: QRect, palette: QPalette, habit: Habit, state: str, noted: bool, text: str) -> None:
        ink = self._ink(habit.color_hex, palette)
        cx, cy = rect.center().x() + 0.5, rect.center().y() + 0.5
        if state == EMPTY:
            if not noted:
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(ink.dot)
                p.drawEllipse(QPointF(cx, cy), 1.6, 1.6)
        elif state in (MET, UNMET):
            p.setFont(ink.bold(p.font()) if state == MET else p.font())
            p.setPen(ink.met if state == MET else ink.muted)
            p.drawText(rect, _CENTER, text)
        elif state in (MANUAL, AUTO):
            p.setPen(ink.tick if state == MANUAL else ink.auto)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.translate(cx, cy)
            p.drawPath(_TICK)
            p.translate(-cx, -cy)
        elif state == SKIPPED:
            p.setPen(ink.skip)
            p.setBrush(ink.hatch)
            p.drawRoundedRect(QRectF(cx - 8, cy - 8, 16, 16), 3, 3)
        elif state == MISSED_NO:
            p.setPen(ink.cross)
            p.drawLine(QPointF(cx - 5, cy - 5), QPointF(cx + 5, cy + 5))
            p.drawLine(QPointF(cx - 5, cy + 5), QPointF(cx + 5, cy - 5))
        if noted:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(ink.note)
            p.drawEllipse(QPointF(rect.right() - 7, rect.top() + 7), 2.4, 2.4)

    def _ring(self, color_hex: str, score: float, palette: QPalette, ratio: float) -> QPixmap:
        """The score ring, drawn once per colour, whole percent and palette (thick
        antialiased arcs cost ~70 us each, far more than the rest of a row)."""
        percent = round(min(max(score, 0.0), 1.0) * 100)
        key = (color_hex, percent, palette.cacheKey(), ratio)
        ring = self._rings.get(key)
        if ring is None:
            if len(self._rings) > 2048:
                self._rings.clear()
            ring = self._rings[key] = _draw_ring(standing_out(QColor(color_hex), palette.color(_ROLE_BASE)), percent, palette, ratio)
        return ring

    def _ink(self, color_hex: str, palette: QPalette) -> _Ink:
        """Pens and brushes for one habit colour on one palette, made once."""
        key = (color_hex, palette.cacheKey())
        ink = self._inks.get(key)
        if ink is None:
            if len(self._inks) > 256:
                self._inks.clear()
            ink = self._inks[key] = _Ink(QColor(color_hex), palette)
        return ink


def _draw_ring(color: QColor, percent: int, palette: QPalette, ratio: float) -> QPixmap:
    pixmap = QPixmap(round(RING * ratio), round(RING * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    p = QPainter(pixmap)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    box = QRectF(2, 2, RING - 4, RING - 4)
    track = palette.color(_DISABLED, _ROLE_TEXT)
    track.setAlphaF(0.35)
    p.setPen(QPen(track, 3.5))
    p.drawEllipse(box)
    if percent:
        p.setPen(QPen(color, 3.5, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        p.drawArc(box, 90 * 16, -round(360 * 16 * percent / 100))
    p.end()
    return pixmap


class _Ink:
    """What the day cells of one habit are drawn with."""

    def __init__(self, habit_color: QColor, palette: QPalette) -> None:
        base = palette.color(_ROLE_BASE)
        color = standing_out(habit_color, base)
        muted = palette.color(_DISABLED, _ROLE_TEXT)
        round_pen = (Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
        self.tick = QPen(color, 2.8, *round_pen)
        self.auto = QPen(faded(color, base, AUTO_SHARE), 2.2, *round_pen)
        self.skip = QPen(color, 1.2)
        self.hatch = QBrush(color, Qt.BrushStyle.BDiagPattern)
        self.cross = QPen(muted, 2.0, *round_pen)
        self.met = QPen(color)
        self.muted = QPen(muted)
        dot = QColor(muted)
        dot.setAlphaF(0.45)
        self.dot = QBrush(dot)
        self.note = QBrush(palette.color(_ROLE_TEXT))
        self._bold: dict[str, QFont] = {}

    def bold(self, font: QFont) -> QFont:
        key = font.key()
        if key not in self._bold:
            bold = QFont(font)
            bold.setBold(True)
            self._bold[key] = bold
        return self._bold[key]
