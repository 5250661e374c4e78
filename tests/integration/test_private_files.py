"""Personal data stays private: folders 0700 and files 0600 under the usual umask 022."""

from __future__ import annotations

import datetime as dt
import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from habitdesk.core.entries import YES_MANUAL
from habitdesk.core.habit import Habit
from tests.conftest import TODAY

NOON = dt.datetime(2026, 11, 26, 12, 0)


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    before = os.umask(0o022)
    yield
    os.umask(before)


def modes(folder: Path) -> dict[str, str]:
    """Relative path -> permission bits, for the folder and everything under it."""
    found = {".": oct(stat.S_IMODE(folder.stat().st_mode))}
    for path in folder.rglob("*"):
        found[str(path.relative_to(folder))] = oct(stat.S_IMODE(path.stat().st_mode))
    return found


def test_a_new_data_folder_and_everything_in_it_are_private(tmp_path: Path) -> None:
    from habitdesk.facade import backups, interchange
    from habitdesk.facade.tracker import Tracker

    data = tmp_path / "new" / "HabitDesk"
    tracker = Tracker(data, today=TODAY)
    try:
        habit = tracker.add_habit(Habit("Quit smoking", description="patches, 21 mg"))
        tracker.set_entry(habit, TODAY, YES_MANUAL, "no cravings")
        backups.backup_now(tracker, NOON)
        backups.safety_backup(tracker, NOON + dt.timedelta(seconds=1))
        interchange.export_json(tracker, tmp_path / "chosen.json")
        found = modes(data)
        assert "habitdesk.sqlite3-wal" in found and "backups" in found
        assert len([name for name in found if name.startswith("backups/")]) == 2
        assert found == {name: "0o700" if (data / name).is_dir() else "0o600" for name in found}
        assert oct(stat.S_IMODE((tmp_path / "chosen.json").stat().st_mode)) == "0o600"
    finally:
        tracker.close()
    assert oct(stat.S_IMODE((tmp_path / "new").stat().st_mode)) == "0o755"  # a parent is not ours to change


def test_an_older_installation_is_tightened_on_its_next_start(tmp_path: Path) -> None:
    from habitdesk.facade.tracker import Tracker

    data = tmp_path / "data"
    Tracker(data, today=TODAY).close()
    data.chmod(0o755)
    for path in data.iterdir():
        path.chmod(0o644)
    (data / "habitdesk.log").write_text("old log\n")
    (data / "habitdesk.log").chmod(0o644)
    Tracker(data, today=TODAY).close()
    assert set(modes(data).items()) == {(".", "0o700")} | {(p.name, "0o600") for p in data.iterdir()}


def test_the_log_file_is_private(tmp_path: Path) -> None:
    from habitdesk.app import _PrivateFileHandler

    path = tmp_path / "habitdesk.log"
    handler = _PrivateFileHandler(path, encoding="utf-8", delay=True)
    record = logging.LogRecord("habitdesk", logging.ERROR, __file__, 1, "a note about medication", None, None)
    handler.emit(record)
    handler.close()
    assert path.read_text(encoding="utf-8") == "a note about medication\n"
    assert oct(stat.S_IMODE(path.stat().st_mode)) == "0o600"


def test_window_settings_beside_the_data_are_private(data_dir: Path, qapp) -> None:  # noqa: ANN001
    """With --data-dir the window's settings live in the data folder, and stay 0600 after Qt rewrites them."""
    from habitdesk.app import ui_settings

    settings = ui_settings(True, data_dir)
    settings.setValue("window/geometry", "somewhere")
    settings.sync()
    settings.setValue("window/geometry", "elsewhere")  # a rewrite goes through a temporary copy
    settings.sync()
    assert oct(stat.S_IMODE((data_dir / "window.ini").stat().st_mode)) == "0o600"
