"""A computer joining an account another computer already uses: the accounts dialog previews it first."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from habitdesk.core.habit import Habit
from tests.support.sync_helpers import other_computer
from tests.ui.test_sync_gui import live_tracker, service  # noqa: F401

pytestmark = pytest.mark.slow


def _desk_with_read_and_gym(folder: Path, server) -> None:  # noqa: ANN001
    other_computer(folder, "add", "Read")
    other_computer(folder, "add", "Gym")
    other_computer(folder, "check", "Gym")
    other_computer(folder, "account", "add", "home", "--url", server.url, "--username", "alice", "--password-stdin")
    other_computer(folder, "sync", "--password-stdin")


def _fill_in(dialog, server) -> None:  # noqa: ANN001
    dialog.name_edit.setText("Home")
    dialog.url_edit.setText(server.url)
    dialog.user_edit.setText("alice")
    dialog.password_edit.setText("wonderland")


def test_adding_a_used_account_previews_the_join_and_merges_same_names(qtbot, service, radicale, live_tracker, tmp_path) -> None:  # noqa: ANN001, F811
    from habitdesk.ui.accounts_dialog import AccountsDialog
    from habitdesk.ui.join_dialog import JoinDialog

    _desk_with_read_and_gym(tmp_path / "desk", radicale)
    live_tracker.add_habit(Habit("read"))
    live_tracker.add_habit(Habit("Walk"))
    dialog = AccountsDialog(service, 15)
    qtbot.add_widget(dialog)
    _fill_in(dialog, radicale)
    seen: dict[str, object] = {}

    def answer() -> None:
        join = QApplication.activeModalWidget()
        if not isinstance(join, JoinDialog):
            QTimer.singleShot(50, answer)
            return
        seen["text"], seen["merge"] = join.text.text(), join.merge_check.isVisibleTo(join)
        join.merge_check.setChecked(False)
        seen["apart"] = join.text.text()
        join.merge_check.setChecked(True)
        join.join_button.click()

    QTimer.singleShot(50, answer)
    with qtbot.wait_signal(service.pass_finished, timeout=30_000):
        dialog.save_button.click()
    assert "this computer gets 1 habit and 1 day of history from the account, and the account gets 1 habit and 0 days" in str(seen["text"])
    assert "made one habit with the days of both: read" in str(seen["text"]) and seen["merge"] is True
    assert "kept apart (two habits each): read" in str(seen["apart"])
    assert sorted(h.name for h in live_tracker.habits()) == ["Gym", "Read", "Walk"]


def test_not_joining_removes_the_account_again_and_changes_nothing(qtbot, service, radicale, live_tracker, tmp_path) -> None:  # noqa: ANN001, F811
    from habitdesk.ui.accounts_dialog import AccountsDialog
    from habitdesk.ui.join_dialog import JoinDialog

    _desk_with_read_and_gym(tmp_path / "desk", radicale)
    live_tracker.add_habit(Habit("Walk"))
    dialog = AccountsDialog(service, 15)
    qtbot.add_widget(dialog)
    _fill_in(dialog, radicale)

    def answer() -> None:
        join = QApplication.activeModalWidget()
        if not isinstance(join, JoinDialog):
            QTimer.singleShot(50, answer)
            return
        assert not join.merge_check.isVisibleTo(join)  # no same-named habits: no choice to make
        join.cancel_button.click()

    QTimer.singleShot(50, answer)
    dialog.save_button.click()
    qtbot.wait_until(lambda: dialog.test_label.text().startswith("Not joined"), timeout=30_000)
    qtbot.wait_until(lambda: dialog.list.count() == 0, timeout=10_000)
    assert not service.sync.accounts()
    assert [h.name for h in live_tracker.habits()] == ["Walk"]
