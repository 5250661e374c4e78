"""The real entry point in a subprocess: start-up, refusal of unusable data, scripted screenshots."""

from __future__ import annotations

import os
import subprocess
import sys

from PySide6.QtGui import QImage

from habitdesk.core.habit import Habit
from tests.conftest import TODAY


def run_app(tmp_path, *args: str, timeout: int = 60) -> subprocess.CompletedProcess:  # noqa: ANN001
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path))
    env.pop("HABITDESK_DATA_DIR", None)
    return subprocess.run([sys.executable, "-m", "habitdesk.app", *args], capture_output=True, text=True, env=env, timeout=timeout)


def test_app_starts_and_quits_from_a_fresh_data_folder(tmp_path) -> None:  # noqa: ANN001
    proc = run_app(tmp_path, "--data-dir", str(tmp_path / "data"), "--quit-after", "200")
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "data" / "habitdesk.sqlite3").exists()
    assert "geometry=" in (tmp_path / "data" / "window.ini").read_text()  # quitting saved the window state


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


def test_screenshot_renders_the_window_with_data_and_exits(tmp_path, tracker, data_dir) -> None:  # noqa: ANN001
    habit = tracker.add_habit(Habit("Meditate"))
    tracker.check(habit, TODAY)
    tracker.close()
    out = tmp_path / "shot.png"
    proc = run_app(tmp_path, "--data-dir", str(data_dir), "--screenshot", str(out), "--theme", "dark", "--size", "900x500")
    assert proc.returncode == 0, proc.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (900, 500)
    assert image.pixelColor(450, 250).lightness() < 100  # dark theme
    assert not (data_dir / "window.ini").exists() or "geometry" not in (data_dir / "window.ini").read_text()


def test_screenshot_of_an_unwritable_path_fails_with_a_message(tmp_path, data_dir) -> None:  # noqa: ANN001
    proc = run_app(tmp_path, "--data-dir", str(data_dir), "--screenshot", str(tmp_path / "missing" / "shot.png"))
    assert proc.returncode == 1
    assert "cannot write the screenshot" in proc.stderr


def test_a_bad_size_is_a_usage_error(tmp_path) -> None:  # noqa: ANN001
    proc = run_app(tmp_path, "--size", "huge")
    assert proc.returncode == 2
    assert "expected WIDTHxHEIGHT" in proc.stderr
