"""The main window (placeholder until the full habit table lands): a read-only list."""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QLabel, QMainWindow, QTableView, QVBoxLayout, QWidget

from habitdesk import APP_NAME
from habitdesk.core.days import iso
from habitdesk.ui.habit_list import HabitListModel


class MainWindow(QMainWindow):
    def __init__(self, tracker) -> None:  # noqa: ANN001 - the facade's Tracker
        super().__init__()
        self.tracker = tracker
        self.setWindowTitle(APP_NAME)
        self.model = HabitListModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.empty = QLabel("No habits yet. Add one from the terminal: habitdesk-cli add \"Meditate\"")
        self.empty.setWordWrap(True)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(self.empty)
        layout.addWidget(self.table)
        self.setCentralWidget(central)
        self.resize(720, 480)
        self.reload()

    def reload(self) -> None:
        habits = self.tracker.habits()
        summaries = self.tracker.summaries(habits)
        self.model.set_rows([(h, summaries[h.id]) for h in habits])
        self.empty.setVisible(not habits)
        self.table.setVisible(bool(habits))
        today = self.tracker.today()
        done = sum(summaries[h.id].status(h).done for h in habits)
        self.statusBar().showMessage(f"{iso(today)}: {done} of {len(habits)} done")
