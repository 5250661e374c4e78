"""Changes made by the CLI reach a running window within the watcher's poll."""

from __future__ import annotations

from habitdesk.core.habit import Habit
from habitdesk.services.change_watcher import ChangeWatcher
from tests.ui.test_main_window import make_window, ui_settings  # noqa: F401 - fixtures


def test_a_habit_added_by_the_cli_appears_in_the_window(qtbot, tracker, cli, make_window) -> None:  # noqa: ANN001, F811
    tracker.add_habit(Habit("Read"))
    window = make_window(tracker)
    watcher = ChangeWatcher(tracker, window, interval_ms=100)
    watcher.start()
    assert cli("add", "Stretch").code == 0
    qtbot.waitUntil(lambda: window.model.rowCount() == 2, timeout=3000)
    assert [window.model.index(r, 0).data() for r in range(2)] == ["Read", "Stretch"]
    assert cli("check", "Stretch").code == 0
    qtbot.waitUntil(lambda: window.status.text() == "Today: 1 of 2 done", timeout=3000)
    watcher.stop()
