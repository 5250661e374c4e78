"""The read-only habit list: one row per habit with today's state, streak and score."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from habitdesk.core.habit import Habit
from habitdesk.core.status import Summary

_STATE_TEXT = {"YES_MANUAL": "Done", "YES_AUTO": "Done (auto)", "NO": "Not done", "SKIP": "Skipped", "UNKNOWN": ""}
Index = QModelIndex | QPersistentModelIndex


class HabitListModel(QAbstractTableModel):
    """Habits with their cached summaries; fed by the facade, never by storage."""

    COLUMNS = ("Habit", "Frequency", "Today", "Streak", "Best", "Score")

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[tuple[Habit, Summary]] = []

    def set_rows(self, rows: list[tuple[Habit, Summary]]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: ANN201, N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: ANN201
        if not index.isValid():
            return None
        habit, summary = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            status = summary.status(habit)
            if column == 0:
                return habit.name
            if column == 1:
                return habit.frequency.label()
            if column == 2:
                if habit.is_measurable:
                    amount = "–" if status.amount is None else f"{status.amount:g}"
                    return f"{amount} / {habit.target_value:g} {habit.unit}".strip()
                return _STATE_TEXT.get(status.label, "")
            if column == 3:
                return summary.streak
            if column == 4:
                return summary.best_streak
            return f"{summary.score:.0%}"
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return QColor(habit.color_hex)
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column == 0 and habit.question:
            return habit.question
        return None
