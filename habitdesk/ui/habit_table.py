"""The habit table's model: one row per habit, one column per recent day.

Column 0 is the habit (name, score and streak); the others are days, newest
first or newest last. Every cell reads from rows prepared once from the
statistics cache (the summary's recent days), so painting never queries.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence

from PySide6.QtCore import QAbstractTableModel, QByteArray, QMimeData, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QFont

from habitdesk.core import days as d
from habitdesk.core.entries import UNKNOWN, raw_to_amount, short_amount_text
from habitdesk.core.habit import Habit
from habitdesk.core.status import MET, RECENT_DAYS, UNMET, Summary, cell_state

Index = QModelIndex | QPersistentModelIndex
MIME_TYPE = "application/x-habitdesk-habit-id"

# Custom roles, so that the delegate and tests read states, not pixels.
HabitRole = Qt.ItemDataRole.UserRole + 1
DayRole = Qt.ItemDataRole.UserRole + 2
ValueRole = Qt.ItemDataRole.UserRole + 3
StateRole = Qt.ItemDataRole.UserRole + 4
NoteRole = Qt.ItemDataRole.UserRole + 5
SummaryRole = Qt.ItemDataRole.UserRole + 6
TodayRole = Qt.ItemDataRole.UserRole + 7

_CELL_WORDS = {
    "manual": "done", "auto": "done (automatic)", "skip": "skipped", "no": "not done",
    "unknown": "no entry", "met": "target met", "missed": "target missed",
}


# Item flags, combined once: the view asks for them for every cell it paints.
_NONE = Qt.ItemFlag.NoItemFlags
_DROP = Qt.ItemFlag.ItemIsDropEnabled
_CELL = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_CELL_DROP = _CELL | _DROP
_HABIT_MOVABLE = _CELL_DROP | Qt.ItemFlag.ItemIsDragEnabled


_HEADER_ALIGN = {
    False: Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,  # "Habit"
    True: Qt.AlignmentFlag.AlignCenter,  # the days
}


class SortOrder(enum.Enum):
    MANUAL = "manual"
    NAME = "name"
    SCORE = "score"
    STATUS = "status"


class Row:
    """A habit with what its row shows: the summary, recent values and noted days."""

    __slots__ = ("habit", "summary", "values", "noted")

    def __init__(self, habit: Habit, summary: Summary, noted: set[int]) -> None:
        self.habit = habit
        self.summary = summary
        self.values = summary.recent_values()  # oldest first, ending on summary.through
        self.noted = noted

    def value_on(self, day: int) -> int:
        """The stored value of a day (UNKNOWN when none)."""
        i = len(self.values) - 1 - (self.summary.through - day)
        return self.values[i] if 0 <= i < len(self.values) else UNKNOWN


class HabitTableModel(QAbstractTableModel):
    """Habits × recent days; changed through row-level updates, never a reset on a toggle.

    Signals:
        move_requested(int, int): habit id, target row (a drop in manual order)
    """

    move_requested = Signal(int, int)  # habit id, target row (a drop in manual order)

    def __init__(self, today: int, *, newest_first: bool = True, day_count: int = 7) -> None:
        super().__init__()
        self._rows: list[Row] = []
        self.today = today
        self.newest_first = newest_first
        self.day_count = max(1, min(day_count, RECENT_DAYS))
        self.sort_order = SortOrder.MANUAL
        self.today_brush: QBrush | None = None  # the view sets it from its palette
        self.today_font = QFont()
        self.today_font.setBold(True)

    # -- shape ------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else 1 + self.day_count

    def day_of(self, column: int) -> int | None:
        """The day a day column shows; None for other columns."""
        if column < 1 or column > self.day_count:
            return None
        back = column - 1 if self.newest_first else self.day_count - column
        return self.today - back

    def column_of(self, day: int) -> int | None:
        """The column that shows a day; None when it is off screen."""
        back = self.today - day
        if not 0 <= back < self.day_count:
            return None
        return back + 1 if self.newest_first else self.day_count - back

    def set_day_count(self, count: int) -> None:
        """Show ``count`` days; columns are inserted or removed at the old end."""
        count = max(1, min(count, RECENT_DAYS))
        if count == self.day_count:
            return
        old = self.day_count
        # Newest first: older days sit at the right end; newest last: at column 1.
        if count > old:
            first, last = (old + 1, count) if self.newest_first else (1, count - old)
            self.beginInsertColumns(QModelIndex(), first, last)
            self.day_count = count
            self.endInsertColumns()
        else:
            first, last = (count + 1, old) if self.newest_first else (1, old - count)
            self.beginRemoveColumns(QModelIndex(), first, last)
            self.day_count = count
            self.endRemoveColumns()

    # -- rows -------------------------------------------------------------------
    def set_rows(self, rows: list[Row], today: int, *, newest_first: bool | None = None) -> None:
        """Replace everything: for start-up, a new day, settings and imports only."""
        self.beginResetModel()
        self._rows = rows
        self.today = today
        if newest_first is not None:
            self.newest_first = newest_first
        self._sort_rows()
        self.endResetModel()

    def rows(self) -> list[Row]:
        return list(self._rows)

    def row_of(self, habit_id: int) -> int | None:
        """The row of a habit; None when it is not listed."""
        for i, row in enumerate(self._rows):
            if row.habit.id == habit_id:
                return i
        return None

    def habit_at(self, row: int) -> Habit:
        """The habit on a row."""
        return self._rows[row].habit

    def insert_row(self, row: Row) -> None:
        """Add a habit where the sort order puts it (at the end in manual order)."""
        at = len(self._rows)
        if self.sort_order is not SortOrder.MANUAL:
            keys = [self._sort_key(r) for r in self._rows]
            key = self._sort_key(row)
            at = next((i for i, k in enumerate(keys) if key < k), len(keys))
        else:
            at = next((i for i, r in enumerate(self._rows) if r.habit.position > row.habit.position), at)
        self.beginInsertRows(QModelIndex(), at, at)
        self._rows.insert(at, row)
        self.endInsertRows()

    def remove_row(self, habit_id: int) -> None:
        """Take a habit's row out of the list."""
        i = self.row_of(habit_id)
        if i is None:
            return
        self.beginRemoveRows(QModelIndex(), i, i)
        del self._rows[i]
        self.endRemoveRows()

    def update_row(self, row: Row) -> None:
        """Replace a habit's row, signalling only the cells whose contents changed."""
        i = self.row_of(row.habit.key)
        if i is None:
            return
        old = self._rows[i]
        self._rows[i] = row
        self.dataChanged.emit(self.index(i, 0), self.index(i, 0))
        changed = [c for c in range(1, self.day_count + 1) if self._cell_differs(old, row, self.day_of(c))]
        if old.habit.color != row.habit.color or old.habit.kind != row.habit.kind or old.habit.target_value != row.habit.target_value:
            changed = list(range(1, self.day_count + 1))
        if changed:
            self.dataChanged.emit(self.index(i, min(changed)), self.index(i, max(changed)))

    @staticmethod
    def _cell_differs(old: Row, new: Row, day: int | None) -> bool:
        assert day is not None
        return old.value_on(day) != new.value_on(day) or (day in old.noted) != (day in new.noted)

    def reorder(self, habit_ids: list[int]) -> None:
        """Put rows in the given order (manual order after a move), keeping selections."""
        place = {habit_id: i for i, habit_id in enumerate(habit_ids)}
        for row in self._rows:
            if row.habit.id in place:
                row.habit.position = place[row.habit.id]
        self._relayout()

    # -- sorting ----------------------------------------------------------------
    def set_sort_order(self, order: SortOrder) -> None:
        self.sort_order = order
        self._relayout()

    def _sort_key(self, row: Row) -> tuple:
        habit, summary = row.habit, row.summary
        if self.sort_order is SortOrder.NAME:
            return (habit.name.casefold(), habit.position)
        if self.sort_order is SortOrder.SCORE:
            return (-summary.score, habit.position)
        if self.sort_order is SortOrder.STATUS:
            status = summary.status(habit)
            return (not status.due, status.done, habit.position)
        return (habit.position, habit.id or 0)

    def _sort_rows(self) -> None:
        self._rows.sort(key=self._sort_key)

    def _relayout(self) -> None:
        self.layoutAboutToBeChanged.emit()
        before = list(self._rows)
        self._sort_rows()
        new_place = {id(row): i for i, row in enumerate(self._rows)}
        old_indexes = self.persistentIndexList()
        new_indexes = [
            self.index(new_place[id(before[ix.row()])], ix.column()) if ix.isValid() else QModelIndex()
            for ix in old_indexes
        ]
        self.changePersistentIndexList(old_indexes, new_indexes)
        self.layoutChanged.emit()

    # -- data -------------------------------------------------------------------
    def cell(self, row: int, column: int) -> tuple:
        """What the delegate paints, in one call: (habit, summary) for the habit column,
        (habit, state, has note, is today, amount text) for a day."""
        r = self._rows[row]
        if column == 0:
            return r.habit, r.summary
        day = self.day_of(column)
        assert day is not None, f"column {column} shows no day"
        value = r.value_on(day)
        state = cell_state(r.habit, value)
        text = short_amount_text(raw_to_amount(value)) if state in (MET, UNMET) else ""
        return r.habit, state, day in r.noted, day == self.today, text

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: ANN201, C901, PLR0911
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        habit = row.habit
        if role == HabitRole:
            return habit
        if role == SummaryRole:
            return row.summary
        column = index.column()
        if column == 0:
            if role == Qt.ItemDataRole.DisplayRole:
                return habit.name
            if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
                s = row.summary
                lines = [habit.name, habit.question, f"{habit.frequency.label()}; score {s.score:.0%}; "
                         f"streak {s.streak} (best {s.best_streak}); {s.total} completions"]
                return "\n".join(line for line in lines if line)
            return None
        day = self.day_of(column)
        if day is None:
            return None
        value = row.value_on(day)
        if role == ValueRole:
            return value
        if role == DayRole:
            return day
        _, state, noted, today, amount = self.cell(index.row(), column)
        if role == StateRole:
            return state
        if role == NoteRole:
            return noted
        if role == TodayRole:
            return today
        if role == Qt.ItemDataRole.DisplayRole:
            return amount or None
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            words = _CELL_WORDS[state]
            if amount:
                words = f"{amount} {habit.unit}".strip() + f" ({words})"
            return f"{habit.name}, {d.to_date(day):%a %d %b}: {words}" + ("; has a note" if noted else "")
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: ANN201, N802
        if orientation != Qt.Orientation.Horizontal:
            return None
        day = self.day_of(section)
        if role == Qt.ItemDataRole.DisplayRole:
            if day is None:
                return "  Habit"
            date = d.to_date(day)
            return f"{date:%a}\n{date.day}"
        if role == Qt.ItemDataRole.ToolTipRole and day is not None:
            return f"{d.to_date(day):%A %d %B %Y}" + (" (today)" if day == self.today else "")
        if role == TodayRole:
            return day == self.today
        if role == DayRole:
            return day
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _HEADER_ALIGN[day is not None]
        if day == self.today:
            if role == Qt.ItemDataRole.FontRole:
                return self.today_font
            if role == Qt.ItemDataRole.BackgroundRole:
                return self.today_brush
        return None

    # -- drag to reorder --------------------------------------------------------
    def flags(self, index: Index) -> Qt.ItemFlag:
        manual = self.sort_order is SortOrder.MANUAL
        if not index.isValid():
            return _DROP if manual else _NONE
        if not manual:
            return _CELL
        return _HABIT_MOVABLE if index.column() == 0 else _CELL_DROP

    def supportedDropActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [MIME_TYPE]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:  # noqa: N802
        mime = QMimeData()
        if indexes:
            mime.setData(MIME_TYPE, QByteArray(str(self._rows[indexes[0].row()].habit.id).encode()))
        return mime

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index) -> bool:  # noqa: N802
        """Ask for the move; the caller makes it (undoably) and reorders the rows."""
        if not data.hasFormat(MIME_TYPE) or self.sort_order is not SortOrder.MANUAL:
            return False
        habit_id = int(bytes(data.data(MIME_TYPE).data()).decode())
        target = row if row >= 0 else (parent.row() if parent.isValid() else len(self._rows))
        source = self.row_of(habit_id)
        if source is None:
            return False
        if target > source:
            target -= 1  # the row leaves its old place first
        if target != source:
            self.move_requested.emit(habit_id, target)
        return False  # the view must not remove anything itself

