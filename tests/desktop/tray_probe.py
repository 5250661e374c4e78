"""Run under a real X display: HabitDesk's tray for a data folder, reporting on stdout.

Prints one JSON line when the icon is in the tray ({"available", "geometry",
"menu", "tooltip"}), then one line per habit checked from the menu, and exits
after the given number of checks (or after 20 s).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QApplication

from habitdesk.facade.tracker import Tracker
from habitdesk.ui.tray import Tray


def main() -> None:
    data_dir, checks_wanted = Path(sys.argv[1]), int(sys.argv[2])
    app = QApplication([])
    app.setQuitOnLastWindowClosed(False)
    tracker = Tracker(data_dir)
    pixmap = QPixmap(32, 32)
    pixmap.fill(QColor("#2e7d32"))
    tray = Tray(tracker, QIcon(pixmap))
    checked = []

    def check(habit_id: int, day: int) -> None:
        habit = tracker.habit(habit_id)
        tracker.check(habit, day)
        checked.append(habit.name)
        print(json.dumps({"checked": habit.name, "day": day}), flush=True)
        if len(checked) >= checks_wanted:
            QTimer.singleShot(200, app.quit)

    tray.check_requested.connect(check)
    tray.menu.aboutToShow.connect(lambda: print(json.dumps({"menu": "shown"}), flush=True))
    tray.open_requested.connect(lambda: print(json.dumps({"open": "requested"}), flush=True))
    tray.start()

    def report() -> None:
        geometry = tray.icon.geometry()
        if geometry.width() <= 0:  # not embedded yet
            QTimer.singleShot(50, report)
            return
        print(json.dumps({
            "available": Tray.available(),
            "geometry": [geometry.x(), geometry.y(), geometry.width(), geometry.height()],
            "menu": [a.text() for a in tray.menu.actions() if not a.isSeparator()],
            "tooltip": tray.icon.toolTip(),
        }), flush=True)

    QTimer.singleShot(0, report)
    QTimer.singleShot(20_000, app.quit)
    app.exec()
    tracker.close()


if __name__ == "__main__":
    main()
