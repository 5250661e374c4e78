"""The placeholder main window lists habits through the facade."""

from __future__ import annotations

import os
import subprocess
import sys

from habitdesk.core.habit import Frequency, Habit, Kind
from habitdesk.ui.main_window import MainWindow
from tests.conftest import TODAY


def test_window_lists_habits_with_todays_state(qtbot, tracker) -> None:  # noqa: ANN001
    meditate = tracker.add_habit(Habit("Meditate", question="Did you meditate?"))
    run = tracker.add_habit(Habit("Run", kind=Kind.MEASURABLE, target_value=5, unit="km"))
    tracker.add_habit(Habit("Gym", frequency=Frequency(3, 7)))
    tracker.check(meditate, TODAY)
    tracker.check(run, TODAY, amount=3.5)

    window = MainWindow(tracker)
    qtbot.add_widget(window)
    model = window.table.model()
    rows = [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]
    assert [r[0] for r in rows] == ["Meditate", "Run", "Gym"]
    assert rows[0][1:3] == ["every day", "Done"]
    assert rows[1][2] == "3.5 / 5 km"
    assert rows[2][1] == "3 times per week"
    assert window.statusBar().currentMessage() == "2026-11-26: 1 of 3 done"
    assert window.empty.isHidden()


def test_empty_window_says_how_to_start(qtbot, tracker) -> None:  # noqa: ANN001
    window = MainWindow(tracker)
    qtbot.add_widget(window)
    assert not window.empty.isHidden()
    assert "No habits yet" in window.empty.text()


def test_app_starts_and_quits_from_a_fresh_data_folder(tmp_path) -> None:  # noqa: ANN001
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path))
    proc = subprocess.run(
        [sys.executable, "-m", "habitdesk.app", "--data-dir", str(tmp_path / "data"), "--quit-after", "200"],
        capture_output=True, text=True, env=env, timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "data" / "habitdesk.sqlite3").exists()


def test_app_refuses_a_database_from_a_newer_version(tmp_path) -> None:  # noqa: ANN001
    import sqlite3

    folder = tmp_path / "data"
    folder.mkdir()
    db = folder / "habitdesk.sqlite3"
    con = sqlite3.connect(db)
    con.execute("PRAGMA application_id = 1212435249")
    con.execute("PRAGMA user_version = 99")
    con.execute("CREATE TABLE future (x)")
    con.commit()
    con.close()
    before = db.read_bytes()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path))
    # The error dialog is modal; the smoke flag does not reach it, so close it from a timer.
    script = (
        "import sys; from PySide6.QtCore import QTimer; from PySide6.QtWidgets import QApplication, QMessageBox;"
        "orig = QMessageBox.critical\n"
        "def critical(parent, title, text):\n"
        "    print('DIALOG:', text.replace(chr(10), ' ')); return QMessageBox.StandardButton.Ok\n"
        "QMessageBox.critical = critical\n"
        "from habitdesk.app import main; sys.exit(main(['--data-dir', sys.argv[1]]))"
    )
    proc = subprocess.run([sys.executable, "-c", script, str(folder)], capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 3
    assert "newer HabitDesk" in proc.stdout
    assert db.read_bytes() == before
