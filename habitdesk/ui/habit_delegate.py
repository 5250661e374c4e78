"""Painting of the habit table: the habit column (score ring, name, streak) and day marks."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from habitdesk.core.habit import Habit
from habitdesk.core.status import AUTO, EMPTY, MANUAL, MET, MISSED_NO, SKIPPED, UNMET, Summary
from habitdesk.ui.colors import faded, standing_out

ROW_HEIGHT = 40
DAY_WIDTH = 42
NAME_MIN_WIDTH = 240
AUTO_SHARE = 0.42  # how much of the habit colour a dimmed (automatic) tick keeps


def today_tint(palette: QPalette) -> QColor:
    """The background that marks today's column, visible on light and dark palettes."""
    tint = QColor(palette.color(QPalette.ColorRole.Highlight))
    tint.setAlphaF(0.14)
    return tint


_SELECTED = QStyle.StateFlag.State_Selected
_FOCUSED = QStyle.StateFlag.State_HasFocus
_ROLE_TEXT = QPalette.ColorRole.Text
_ROLE_BASE = QPalette.ColorRole.Base
_ROLE_HIGHLIGHT = QPalette.ColorRole.Highlight
_DISABLED = QPalette.ColorGroup.Disabled
_CENTER = Qt.AlignmentFlag.AlignCenter


class HabitDelegate(QStyledItemDelegate):
    """Draws Loop's states distinctly: tick, dimmed tick, hatch, cross, or nothing.

    Paints from one model call per cell (HabitTableModel.cell): the table
    repaints often, and every role lookup crosses into C++ and back.
    """

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802
        return QSize(NAME_MIN_WIDTH if index.column() == 0 else DAY_WIDTH, ROW_HEIGHT)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        column = index.column()
        info = index.model().cell(index.row(), column)
        palette = option.palette
        state = option.state
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if column == 0:
            self._paint_habit(painter, option.rect, palette, info[0], info[1], option.font)
        else:
            habit, mark, noted, today, text = info
            if today and not state & _SELECTED:  # the style has filled a selected cell
                painter.fillRect(option.rect, today_tint(QApplication.palette()))
            self._paint_day(painter, option.rect, palette, habit, mark, noted, text)
            if state & _FOCUSED:
                painter.setPen(QPen(QApplication.palette().color(_ROLE_HIGHLIGHT), 1.5))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRoundedRect(QRectF(option.rect).adjusted(2, 2, -2, -2), 4, 4)
        painter.restore()

    # -- the habit column ---------------------------------------------------------
    def _paint_habit(self, p: QPainter, rect: QRect, palette: QPalette, habit: Habit, summary: Summary, font: QFont) -> None:
        color = standing_out(QColor(habit.color_hex), palette.color(_ROLE_BASE))
        muted = palette.color(_DISABLED, _ROLE_TEXT)
        text_color = muted if habit.archived else palette.color(_ROLE_TEXT)
        ring = QRectF(rect.left() + 10, rect.center().y() - 11, 22, 22)
        track = QColor(muted)
        track.setAlphaF(0.35)
        p.setPen(QPen(track, 3.5))
        p.drawEllipse(ring)
        if summary.score > 0:
            p.setPen(QPen(color, 3.5, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
            p.drawArc(ring, 90 * 16, -round(360 * 16 * min(summary.score, 1.0)))
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
        left = int(ring.right()) + 10
        right = rect.right() - (streak_width + 18 if summary.streak else 8)
        name = p.fontMetrics().elidedText(habit.name, Qt.TextElideMode.ElideRight, max(right - left, 10))
        if habit.archived:
            name += "  (archived)"
        p.drawText(QRect(left, rect.top(), right - left, rect.height()), Qt.AlignmentFlag.AlignVCenter, name)

    # -- day cells ------------------------------------------------------------------
    def _paint_day(self, p: QPainter, rect: QRect, palette: QPalette, habit: Habit, state: str, noted: bool, text: str) -> None:
        if state == EMPTY and not noted:
            dot = palette.color(_DISABLED, _ROLE_TEXT)
            dot.setAlphaF(0.45)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(dot)
            p.drawEllipse(QPointF(rect.center()) + QPointF(0.5, 0.5), 1.6, 1.6)
            return
        base = palette.color(_ROLE_BASE)
        color = standing_out(QColor(habit.color_hex), base)
        center = QPointF(rect.center()) + QPointF(0.5, 0.5)
        if state in (MET, UNMET):
            font = QFont(p.font())
            font.setBold(state == MET)
            p.setFont(font)
            p.setPen(color if state == MET else palette.color(_DISABLED, _ROLE_TEXT))
            p.drawText(rect, _CENTER, text)
        elif state in (MANUAL, AUTO):
            tick = color if state == MANUAL else faded(color, base, AUTO_SHARE)
            _draw_tick(p, center, tick, 2.8 if state == MANUAL else 2.2)
        elif state == SKIPPED:
            box = QRectF(center.x() - 8, center.y() - 8, 16, 16)
            p.setPen(QPen(color, 1.2))
            p.setBrush(QBrush(color, Qt.BrushStyle.BDiagPattern))
            p.drawRoundedRect(box, 3, 3)
        elif state == MISSED_NO:
            p.setPen(QPen(palette.color(_DISABLED, _ROLE_TEXT), 2.0, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
            r = 5.0
            p.drawLine(center + QPointF(-r, -r), center + QPointF(r, r))
            p.drawLine(center + QPointF(-r, r), center + QPointF(r, -r))
        if noted:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(palette.color(_ROLE_TEXT))
            p.drawEllipse(QPointF(rect.right() - 7, rect.top() + 7), 2.4, 2.4)


def _draw_tick(p: QPainter, center: QPointF, color: QColor, width: float) -> None:
    path = QPainterPath(center + QPointF(-7, 0.5))
    path.lineTo(center + QPointF(-2.2, 5.2))
    path.lineTo(center + QPointF(7.5, -5.5))
    p.setPen(QPen(color, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawPath(path)


