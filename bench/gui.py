"""GUI benchmarks on the heavy-user database (200 habits, 10 years of daily history).

Prints medians, each against a floor measured in the same run:

  first paint     process start to the main window's first paint with the table
                  filled, against a bare PySide6 process that shows a QMainWindow
                  with a QCalendarWidget and a QTableView (budget 1.6x)
  new day         the same, on the first start of a day: the statistics cache is
                  a day old and is brought up to today before the first paint
                  (same floor and budget)
  peak memory     max RSS at that first paint, against the same bare window (1.5x)
  toggle          a click on a cell until it and its row's score and streak are
                  repainted (budget 5 ms)
  switch          selecting another habit until the detail pane, its calendar
                  and its visible chart are updated and painted (budget 30 ms)

Run with `make bench` (or .venv/bin/python bench/gui.py [--quick]). Qt runs on
the offscreen platform, so no display is needed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import heavy_user  # noqa: E402 - the dataset builder beside this file

from habitdesk.core.days import from_date  # noqa: E402

BARE_WINDOW = """
import sys, time
started = time.perf_counter()
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QCalendarWidget, QMainWindow, QSplitter, QTableView
app = QApplication(sys.argv[:1])
window = QMainWindow()
splitter = QSplitter()
table = QTableView()
splitter.addWidget(table)
splitter.addWidget(QCalendarWidget())
window.setCentralWidget(splitter)
window.resize(1100, 680)

class FirstPaint(QObject):
    done = False
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and not self.done:
            self.done = True
            QTimer.singleShot(0, self.report)
        return False
    def report(self):
        rss = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM"))
        print(f"first-paint {(time.perf_counter() - started) * 1000:.1f} {rss}", flush=True)
        app.quit()

spy = FirstPaint()
table.viewport().installEventFilter(spy)
window.show()
app.exec()
"""


def first_paint(args: list[str], env: dict) -> tuple[float, int]:
    """(ms from spawning the process to its first-paint line, max RSS in KiB)."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("first-paint"):
            elapsed = (time.perf_counter() - start) * 1000
            rss = int(line.split()[2])  # the child's own high-water mark (VmHWM)
            break
    else:
        raise RuntimeError(f"{args} never painted")
    proc.wait(timeout=30)
    return elapsed, rss


def age_cache(folder: Path) -> None:
    """Make the statistics cache a day old, as the first start of a day finds it."""
    import sqlite3

    con = sqlite3.connect(folder / "habitdesk.sqlite3")
    with con:
        con.execute("UPDATE habit_stats SET through = through - 1")
    con.close()


def build(folder: Path, today: int) -> None:
    heavy_user.TODAY = today  # the app uses the real clock: the history must end today
    habits, histories = heavy_user.make_dataset()
    tracker = heavy_user.build_with_habitdesk(folder, habits, histories)
    tracker.summaries(tracker.habits(archived=None))  # the cache a running app keeps current
    tracker.close()


def interactive(folder: Path, repeat: int) -> tuple[float, float]:
    """Median toggle and habit-switch times (ms) in this process, on the real window."""
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtGui import QRegion
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from habitdesk.facade.tracker import Tracker
    from habitdesk.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    tracker = Tracker(folder)
    window = MainWindow(tracker, QSettings(str(folder / "bench.ini"), QSettings.Format.IniFormat))
    window.resize(1100, 680)
    window.show()
    deadline = time.perf_counter() + 30
    while not window.detail_ready and time.perf_counter() < deadline:
        app.processEvents()
    for _ in range(5):
        app.processEvents()
    model, table = window.model, window.table
    today_column = model.column_of(tracker.today())

    toggles = []
    for i in range(repeat * 3):
        row = (i * 7) % model.rowCount()
        if model.habit_at(row).is_measurable:
            continue
        index = model.index(row, today_column)
        table.scrollTo(index)
        app.processEvents()
        pos = table.visualRect(index).center()
        start = time.perf_counter()
        QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pos)
        # what dataChanged marked dirty: the habit column (ring, streak) and the day, painted now
        table.viewport().repaint(QRegion(table.visualRect(model.index(row, 0))).united(table.visualRect(index)))
        toggles.append((time.perf_counter() - start) * 1000)
        app.processEvents()  # the detail pane follows after the paint; not part of the figure
        window.undo_action.trigger()
        app.processEvents()

    switches = []
    table.scrollToTop()
    for i in range(repeat * 3):
        row = (i * 13 + 1) % min(model.rowCount(), 14)
        if row == table.currentIndex().row():
            continue
        habit = model.habit_at(row)
        start = time.perf_counter()
        table.setCurrentIndex(model.index(row, 0))
        while window.detail.habit is None or window.detail.habit.id != habit.id:
            app.processEvents()
        window.detail.repaint()
        switches.append((time.perf_counter() - start) * 1000)
    window.remember = False
    window.close()
    tracker.close()
    return statistics.median(toggles), statistics.median(switches)


def reminder_work(folder: Path, repeat: int) -> tuple[float, float]:
    """Median ms the GUI thread spends after each change on reminders: the scheduler's
    recompute and the tray's refresh, with two reminders on each of the 200 habits."""
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from habitdesk.core.reminders import Reminder
    from habitdesk.facade.tracker import Tracker
    from habitdesk.services.scheduler import ReminderScheduler
    from habitdesk.ui.tray import Tray

    QApplication.instance() or QApplication([])
    tracker = Tracker(folder)
    for i, habit in enumerate(tracker.habits()):
        tracker.set_reminders(habit, [Reminder((7 * 60 + i) % 1440), Reminder((19 * 60 + i) % 1440, 0b0011111)])
    scheduler = ReminderScheduler(tracker)
    scheduler.start()
    tray = Tray(tracker, QIcon())
    ticks, refreshes = [], []
    for _ in range(repeat * 3):
        start = time.perf_counter()
        scheduler.tick()
        ticks.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        tray.refresh()
        refreshes.append((time.perf_counter() - start) * 1000)
    scheduler.stop()
    tracker.close()
    return statistics.median(ticks), statistics.median(refreshes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    opts = parser.parse_args()
    repeat = 3 if opts.quick else 15  # first paint varies by +-10% run to run on 2 cores: more pairs, a steadier median
    today = from_date(dt.date.today())
    with tempfile.TemporaryDirectory(prefix="habitdesk-gui-bench-") as tmp:
        folder = Path(tmp) / "data"
        start = time.perf_counter()
        build(folder, today)
        print(f"heavy-user database built in {time.perf_counter() - start:.1f} s "
              f"({heavy_user.HABITS} habits x {heavy_user.DAYS} days)")
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=tmp)
        bare = [sys.executable, "-c", BARE_WINDOW]
        app = [sys.executable, "-m", "habitdesk.app", "--data-dir", str(folder), "--report-first-paint"]
        first_paint(bare, env), first_paint(app, env)  # warm the OS caches
        floors, apps, new_days = [], [], []
        for _ in range(repeat):  # interleaved, so that machine noise hits all alike
            floors.append(first_paint(bare, env))
            apps.append(first_paint(app, env))
            age_cache(folder)
            new_days.append(first_paint(app, env))
        floor_ms = statistics.median(t for t, _ in floors)
        app_ms = statistics.median(t for t, _ in apps)
        floor_rss = statistics.median(r for _, r in floors)
        app_rss = statistics.median(r for _, r in apps)
        new_day_ms = statistics.median(t for t, _ in new_days)
        toggle, switch = interactive(folder, repeat)
        tick, tray = reminder_work(folder, repeat)

    print(f"{'figure':<14}{'median':>12}{'floor':>12}{'ratio':>8}  budget")
    print(f"{'first paint':<14}{app_ms:>9.1f} ms{floor_ms:>9.1f} ms{app_ms / floor_ms:>7.2f}x  <= 1.6x a bare window")
    print(f"{'new day':<14}{new_day_ms:>9.1f} ms{floor_ms:>9.1f} ms{new_day_ms / floor_ms:>7.2f}x  <= 1.6x a bare window")
    print(f"{'peak memory':<14}{app_rss / 1024:>9.1f} MB{floor_rss / 1024:>9.1f} MB{app_rss / floor_rss:>7.2f}x  <= 1.5x a bare window")
    print(f"{'toggle':<14}{toggle:>9.2f} ms{'':>12}{'':>8}  <= 5 ms")
    print(f"{'switch':<14}{switch:>9.2f} ms{'':>12}{'':>8}  <= 30 ms")
    print(f"{'reminders':<14}{tick:>9.2f} ms{'':>12}{'':>8}  the scheduler's recompute after a change (400 reminders)")
    print(f"{'tray':<14}{tray:>9.2f} ms{'':>12}{'':>8}  the tray menu's refresh after a change")


if __name__ == "__main__":
    main()
