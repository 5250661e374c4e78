"""What the start-up path loads: heavy libraries wait until the window has painted."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from habitdesk.core.habit import Habit
from tests.conftest import TODAY

FIRST_PAINT = """
import sys
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from habitdesk.facade.tracker import Tracker
from habitdesk.ui.main_window import MainWindow
app = QApplication([])
tracker = Tracker(sys.argv[1], today=int(sys.argv[2]))
window = MainWindow(tracker, QSettings(sys.argv[1] + "/window.ini", QSettings.Format.IniFormat))
seen = {}
def painted():
    seen.update((name, name in sys.modules) for name in ("peewee", "pyqtgraph", "numpy", "caldav", "icalendar", "plyer"))
    app.quit()
window.first_painted.connect(painted)
window.show()
app.exec()
print(sorted(name for name, loaded in seen.items() if loaded), window.model.rowCount())
"""


@pytest.mark.parametrize("cached_for", [TODAY, TODAY - 1], ids=["same-day", "new-day"])
def test_first_paint_loads_no_heavy_library(data_dir, cached_for: int) -> None:  # noqa: ANN001
    """The first start of a new day refreshes the statistics cache before the first
    paint; that write goes through sqlite3 alone, so it too loads no peewee."""
    from habitdesk.facade.tracker import Tracker

    tracker = Tracker(data_dir, today=cached_for)
    tracker.add_habit(Habit("Meditate"))
    tracker.summaries(tracker.habits())
    tracker.close()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    # The window's "today" is given, never the real date.
    proc = subprocess.run(
        [sys.executable, "-c", FIRST_PAINT, str(data_dir), str(TODAY)], capture_output=True, text=True, env=env, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["[]", "1"]  # nothing heavy, and the table was filled
    reopened = Tracker(data_dir, today=TODAY)
    try:
        assert {row.through for row in reopened.repo.stats().values()} == {TODAY}  # the cache was refreshed
    finally:
        reopened.close()


def test_status_reads_without_the_model_layer(tracker, data_dir) -> None:  # noqa: ANN001
    tracker.add_habit(Habit("Meditate"))
    tracker.summaries(tracker.habits())
    tracker.close()
    script = (
        "import sys, io, contextlib\n"
        "from habitdesk.cli import main\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        "    code = main(['--data-dir', sys.argv[1], '--today', '2026-11-26', 'status', '--json'])\n"
        "print(code, 'peewee' in sys.modules, '\"Meditate\"' in out.getvalue())\n"
    )
    proc = subprocess.run([sys.executable, "-c", script, str(data_dir)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["0", "False", "True"]
