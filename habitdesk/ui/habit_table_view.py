"""The habit table's view: fixed rows, as many day columns as fit, click and keys to check."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QEvent, QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QBrush, QKeyEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QHeaderView, QTableView, QWidget

from habitdesk.core.habit import Habit
from habitdesk.ui.colors import mix
from habitdesk.ui.habit_delegate import DAY_WIDTH, NAME_MIN_WIDTH, ROW_HEIGHT, HabitDelegate, today_tint
from habitdesk.ui.habit_table import DayRole, HabitRole, HabitTableModel

_ACTIVATE_KEYS = (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter)


class HabitTableView(QTableView):
    """Emits what the user asked for; the main window turns it into undoable commands.

    Signals:
        cell_activated(object, int): habit, day: a click, Space or Enter on a day cell
        habit_activated(object): habit: a double click or Enter on the name
        menu_requested(object, object, QPoint): habit, day or None, global position
    """

    cell_activated = Signal(object, int)  # habit, day: a click, Space or Enter on a day cell
    habit_activated = Signal(object)  # habit: a double click or Enter on the name
    menu_requested = Signal(object, object, QPoint)  # habit, day or None, global position

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setItemDelegate(HabitDelegate(self))
        rows = self.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # never size rows to contents
        rows.setDefaultSectionSize(ROW_HEIGHT)
        header = self.horizontalHeader()
        header.setMinimumSectionSize(DAY_WIDTH)
        header.setDefaultSectionSize(DAY_WIDTH)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setStretchLastSection(False)
        header.setHighlightSections(False)
        header.setFixedHeight(46)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)
        # DragDrop rather than InternalMove: the model accepts only its own habit ids
        # and moves nothing itself (the window does, undoably), and other drops (files)
        # pass on to the window.
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDragDropOverwriteMode(False)
        self.setDropIndicatorShown(True)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._context_menu)
        self.clicked.connect(self._clicked)
        self.doubleClicked.connect(self._double_clicked)
        self._softening = False  # setModel() applies the palette

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and not self._softening:
            self._follow_palette()

    def _follow_palette(self) -> None:
        """A light selection tint that keeps the habit colours readable (the style fills it),
        and the model's tint for today's header."""
        self._softening = True
        palette = QPalette(QApplication.palette())
        base = palette.color(QPalette.ColorRole.Base)
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            mixed = mix(base, palette.color(group, QPalette.ColorRole.Highlight), 0.25 if group == QPalette.ColorGroup.Active else 0.15)
            palette.setColor(group, QPalette.ColorRole.Highlight, mixed)
            palette.setColor(group, QPalette.ColorRole.HighlightedText, palette.color(group, QPalette.ColorRole.Text))
        self.setPalette(palette)
        model = self.model()
        if isinstance(model, HabitTableModel):
            model.today_brush = QBrush(today_tint(QApplication.palette()))
        self._softening = False

    def setModel(self, model: QAbstractItemModel | None) -> None:  # noqa: N802 - Qt API
        assert isinstance(model, HabitTableModel), "the habit table shows a HabitTableModel"
        super().setModel(model)
        self._follow_palette()
        model.columnsInserted.connect(self._fix_columns)
        model.modelReset.connect(self._fix_columns)
        self._fix_columns()

    def table_model(self) -> HabitTableModel:
        model = self.model()
        assert isinstance(model, HabitTableModel)
        return model

    # -- layout: the name column stretches, day columns fill what is left --------
    def fitting_days(self, width: int) -> int:
        return max(1, (width - NAME_MIN_WIDTH) // DAY_WIDTH)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        model = self.model()
        if isinstance(model, HabitTableModel):
            model.set_day_count(self.fitting_days(self.viewport().width()))
            self._fix_columns()

    def _fix_columns(self) -> None:
        model = self.model()
        if not isinstance(model, HabitTableModel):
            return
        # day columns keep the header's default width; the habit column takes the rest
        width = max(NAME_MIN_WIDTH, self.viewport().width() - DAY_WIDTH * model.day_count)
        header = self.horizontalHeader()
        if header.sectionSize(0) != width:
            header.resizeSection(0, width)

    # -- input ----------------------------------------------------------------------
    def _clicked(self, index: QModelIndex) -> None:
        if index.isValid() and index.column() > 0:
            self.cell_activated.emit(index.data(HabitRole), index.data(DayRole))

    def _double_clicked(self, index: QModelIndex) -> None:
        if index.isValid() and index.column() == 0:
            self.habit_activated.emit(index.data(HabitRole))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        index = self.currentIndex()
        if event.key() in _ACTIVATE_KEYS and index.isValid() and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            if index.column() > 0:
                self.cell_activated.emit(index.data(HabitRole), index.data(DayRole))
            elif event.key() != Qt.Key.Key_Space:
                self.habit_activated.emit(index.data(HabitRole))
            event.accept()
            return
        if event.key() == Qt.Key.Key_Menu and index.isValid():
            rect = self.visualRect(index)
            self._open_menu(index, self.viewport().mapToGlobal(rect.center()))
            event.accept()
            return
        super().keyPressEvent(event)

    def _context_menu(self, pos: QPoint) -> None:
        index = self.indexAt(pos)
        if index.isValid():
            self.setCurrentIndex(index)
            self._open_menu(index, self.viewport().mapToGlobal(pos))

    def _open_menu(self, index: QModelIndex, where: QPoint) -> None:
        habit: Habit = index.data(HabitRole)
        day = index.data(DayRole) if index.column() > 0 else None
        self.menu_requested.emit(habit, day, where)

    def select_habit(self, habit_id: int, day_column: int = 0) -> None:
        row = self.table_model().row_of(habit_id)
        if row is not None:
            self.setCurrentIndex(self.table_model().index(row, day_column))
            self.scrollTo(self.currentIndex())

