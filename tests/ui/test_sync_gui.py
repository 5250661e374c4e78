"""Calendar sync in the GUI: the worker thread, the accounts dialog, the status line and the prompts."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog

from habitdesk.core.entries import YES_MANUAL
from habitdesk.core.habit import Habit

pytestmark = pytest.mark.slow


@pytest.fixture
def live_tracker(data_dir: Path):  # noqa: ANN201
    from habitdesk.facade.tracker import Tracker

    tracker = Tracker(data_dir)  # the real date: the sync window is the real one
    yield tracker
    tracker.close()


@pytest.fixture
def service(live_tracker, memory_keyring):  # noqa: ANN001, ANN201
    from habitdesk.facade.sync import CalendarSync
    from habitdesk.services.sync_service import SyncService

    svc = SyncService(CalendarSync(live_tracker, zone="UTC", timeout=(1, 1.5)))
    yield svc
    svc.stop()


def test_a_hanging_server_times_out_while_the_gui_keeps_processing_events(qtbot, service, radicale, live_tracker) -> None:  # noqa: ANN001
    from tests.support.sync_helpers import HangingServer

    live_tracker.add_habit(Habit("Run"))
    service.sync.add_account("home", radicale.url, "alice", "wonderland")
    hang = HangingServer()
    service.sync.update_account("home", url=hang.url, calendar_url=hang.url + "alice/cal/")
    ticks: list[float] = []
    heartbeat = QTimer()
    heartbeat.setInterval(20)
    heartbeat.timeout.connect(lambda: ticks.append(time.monotonic()))
    heartbeat.start()
    try:
        with qtbot.wait_signal(service.pass_finished, timeout=15_000) as blocker:
            started = time.monotonic()
            service.sync_now()
            assert service.busy
        waited = time.monotonic() - started
    finally:
        heartbeat.stop()
        hang.close()
    [outcome] = blocker.args[0]
    assert str(outcome.error) == "the server did not answer in time"
    assert waited >= 1.4
    during = [t for t in ticks if started <= t <= started + waited]
    assert len(during) >= waited / 0.02 * 0.5  # the event loop ran all along
    assert max(b - a for a, b in zip(during, during[1:])) < 0.5  # never frozen
    assert service.status == "Calendar: offline, will retry (changes are kept)"
    assert service.retry.isActive() and service.retry.interval() == 30_000  # backing off
    assert not service.busy


def test_a_persistent_failure_reaches_the_status_line_and_backs_off_further(qtbot, service, radicale, live_tracker) -> None:  # noqa: ANN001
    live_tracker.add_habit(Habit("Run"))
    service.sync.add_account("home", radicale.url, "alice", "wonderland")
    radicale.stop()
    delays = []
    for _ in range(3):
        with qtbot.wait_signal(service.pass_finished, timeout=15_000):
            service.sync_now()
        delays.append(service.retry.interval())
    assert delays == [30_000, 60_000, 120_000]
    assert service.status.startswith("Calendar sync: home: the server refused the connection")


def test_local_changes_sync_shortly_after_and_the_status_shows_it(qtbot, service, radicale, live_tracker) -> None:  # noqa: ANN001
    run = live_tracker.add_habit(Habit("Run"))
    account, _ = service.sync.add_account("home", radicale.url, "alice", "wonderland")
    service.debounce.setInterval(50)
    with qtbot.wait_signal(service.pass_finished, timeout=15_000):
        service.start()
    with qtbot.wait_signal(service.pass_finished, timeout=15_000) as blocker:
        live_tracker.check(run, live_tracker.today())
    [outcome] = blocker.args[0]
    assert outcome.ok and outcome.report.pushed == [f"checked Run {__import__('habitdesk.core.days', fromlist=['iso']).iso(live_tracker.today())}"]
    assert outcome.report.requests == 1  # a push-only pass: the one conditional PUT
    assert service.status.startswith("Calendar synced ")
    assert service.sync.outbox_size() == 0


def _window(qtbot, tracker, service, tmp_path):  # noqa: ANN001, ANN202
    from habitdesk.ui.main_window import MainWindow
    from habitdesk.ui.sync_ui import install_sync

    window = MainWindow(tracker, QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat))
    window.remember = False
    qtbot.add_widget(window)
    window.sync_ui = install_sync(window, service)
    return window


def test_the_menus_offer_accounts_and_ics_export(qtbot, service, live_tracker, tmp_path) -> None:  # noqa: ANN001
    live_tracker.add_habit(Habit("Run"))
    window = _window(qtbot, live_tracker, service, tmp_path)
    texts = [a.text() for a in window.edit_menu.actions()]
    assert "Calendar &accounts…" in texts
    assert "&Calendar (.ics)…" in [a.text() for a in window.interchange.export_menu.actions()]

    from habitdesk.facade.interchange import export_ics

    out = tmp_path / "out.ics"
    window.interchange.export(out, lambda _: export_ics(live_tracker, out))
    qtbot.wait_until(lambda: out.exists() and window.statusBar().currentMessage() != "", timeout=10_000)
    assert window.statusBar().currentMessage() == f"Exported {out}"
    assert "BEGIN:VEVENT" in out.read_text()


def test_without_a_keyring_the_app_asks_for_the_password_and_says_why(qtbot, live_tracker, radicale, tmp_path) -> None:  # noqa: ANN001
    import keyring
    from keyring.backends import fail

    from habitdesk.facade.sync import CalendarSync
    from habitdesk.services.sync_service import SyncService

    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        run = live_tracker.add_habit(Habit("Run"))
        CalendarSync(live_tracker).add_account("home", radicale.url, "alice", "wonderland")  # an earlier start
        service = SyncService(CalendarSync(live_tracker, zone="UTC"))  # this start: nothing remembered
        window = _window(qtbot, live_tracker, service, tmp_path)
        with qtbot.wait_signal(service.password_needed, timeout=15_000):
            service.sync_now()
        prompt = window.sync_ui.prompt
        assert isinstance(prompt, QInputDialog)
        assert prompt.labelText().startswith("No system keyring is available (no Secret Service on D-Bus), so HabitDesk cannot keep")
        assert "asks for it each time it starts. It is never written to disk." in prompt.labelText()
        prompt.setTextValue("wonderland")
        with qtbot.wait_signal(service.pass_finished, timeout=15_000) as blocker:
            prompt.accept()
        assert blocker.args[0][0].ok
        assert service.status.startswith("Calendar synced ")
        assert window.sync_ui.label.text() == service.status
        del run
        service.stop()
    finally:
        keyring.set_keyring(before)


def test_a_wrong_password_asks_again(qtbot, service, radicale, live_tracker, memory_keyring, tmp_path) -> None:  # noqa: ANN001
    live_tracker.add_habit(Habit("Run"))
    account, _ = service.sync.add_account("home", radicale.url, "alice", "wonderland")
    memory_keyring.set_password("HabitDesk", account.key, "changed-elsewhere")
    window = _window(qtbot, live_tracker, service, tmp_path)
    with qtbot.wait_signal(service.password_needed, timeout=15_000):
        service.sync_now()
    assert window.sync_ui.prompt.labelText().startswith("The server refused the password for 'home'.")
    window.sync_ui.prompt.setTextValue("wonderland")
    with qtbot.wait_signal(service.pass_finished, timeout=15_000):
        window.sync_ui.prompt.accept()
    assert memory_keyring.get_password("HabitDesk", account.key) == "wonderland"


def test_the_accounts_dialog_connects_adds_and_syncs(qtbot, service, radicale, live_tracker) -> None:  # noqa: ANN001
    from habitdesk.ui.accounts_dialog import AccountsDialog

    run = live_tracker.add_habit(Habit("Run"))
    radicale.phone().principal().make_calendar(name="Chores", supported_calendar_component_set=["VTODO"])
    dialog = AccountsDialog(service, 15)
    qtbot.add_widget(dialog)
    dialog.show()
    assert dialog.list.count() == 0
    assert dialog.calendar_combo.currentText() == "New calendar “HabitDesk”"
    dialog.name_edit.setText("Home")
    dialog.url_edit.setText(radicale.url)
    dialog.user_edit.setText("alice")
    dialog.password_edit.setText("wonderland")

    dialog.test_button.click()
    assert dialog.test_label.text() == "Connecting…"
    qtbot.wait_until(lambda: dialog.test_label.text().startswith("Connected"), timeout=15_000)
    assert [dialog.calendar_combo.itemText(i) for i in range(dialog.calendar_combo.count())] == ["New calendar “HabitDesk”", "Chores"]

    with qtbot.wait_signal(service.pass_finished, timeout=20_000):
        dialog.save_button.click()
    qtbot.wait_until(lambda: dialog.status_label.text().startswith("Last sync"), timeout=5_000)
    assert dialog.list.count() == 1 and dialog.list.currentItem().text() == "Home"
    assert dialog.status_label.text().endswith(": pushed 9, pulled 0")
    assert dialog.password_edit.placeholderText() == "Kept in the system keyring; type to change"
    assert dialog.save_button.text() == "&Save changes" and not dialog.save_button.isEnabled()  # nothing changed yet

    dialog.alarms_check.setChecked(False)
    assert service.sync.account("Home").alarms is False
    live_tracker.check(run, live_tracker.today())
    with qtbot.wait_signal(service.pass_finished, timeout=15_000):
        dialog.sync_button.click()
    assert live_tracker.entry(run, live_tracker.today())[0] == YES_MANUAL


def test_a_saved_account_can_move_to_a_new_server_and_refused_settings_are_not_saved(qtbot, service, radicale, live_tracker, tmp_path) -> None:  # noqa: ANN001
    from habitdesk.ui.accounts_dialog import AccountsDialog
    from tests.support.radicale import RadicaleServer

    live_tracker.add_habit(Habit("Run"))
    service.sync.add_account("Home", radicale.url, "alice", "wonderland")
    moved = RadicaleServer(tmp_path / "moved", users={"alice": "new-secret"})
    moved.start()
    try:
        dialog = AccountsDialog(service, 15)
        qtbot.add_widget(dialog)
        dialog.show()
        dialog.url_edit.setText(moved.url)
        assert dialog.save_button.isEnabled()
        dialog.save_button.click()  # the old password: the new server refuses it
        qtbot.wait_until(lambda: dialog.test_label.text().startswith("Not saved:"), timeout=15_000)
        assert "refused" in dialog.test_label.text()
        assert service.sync.account("Home").url == radicale.url  # nothing was changed

        dialog.password_edit.setText("new-secret")
        dialog.test_button.click()
        qtbot.wait_until(lambda: dialog.test_label.text().startswith("Connected"), timeout=15_000)
        assert dialog.calendar_combo.currentText() == "New calendar “HabitDesk”"  # not on the new server yet
        dialog.url_edit.setText(radicale.url)
        dialog.url_edit.setText(moved.url)  # edited again after the test: saving needs no second test
        with qtbot.wait_signal(service.pass_finished, timeout=20_000) as blocker:
            dialog.save_button.click()
        [outcome] = blocker.args[0]
        assert outcome.ok and len(outcome.report.pushed) == 9
        account = service.sync.account("Home")
        assert account.url == moved.url and account.calendar_url.startswith(moved.url)
        assert dialog.test_label.text() == "Saved." and not dialog.save_button.isEnabled()
        assert dialog.url_edit.text() == moved.url and dialog.password_edit.text() == ""
    finally:
        moved.stop()


def test_accounts_dialog_screenshot(qtbot, service, radicale, live_tracker, tmp_path) -> None:  # noqa: ANN001
    """Renders the dialog light and dark (docs/accounts-dialog.png is the light one, renamed)."""
    from habitdesk.ui.accounts_dialog import AccountsDialog
    from habitdesk.ui.theme import apply_theme

    live_tracker.add_habit(Habit("Run"))
    service.sync.add_account("Home", radicale.url, "alice", "wonderland")
    with qtbot.wait_signal(service.pass_finished, timeout=15_000):
        service.sync_now()
    app = QApplication.instance()
    shots = {}
    try:
        for theme in ("light", "dark"):
            apply_theme(app, theme)
            dialog = AccountsDialog(service, 15)
            qtbot.add_widget(dialog)
            dialog.resize(760, 520)
            dialog.show()
            qtbot.wait_exposed(dialog)
            shots[theme] = tmp_path / f"accounts-{theme}.png"
            assert dialog.grab().save(str(shots[theme]))
            dialog.close()
    finally:
        apply_theme(app, "light")
    import os

    target = os.environ.get("HABITDESK_SCREENSHOT_DIR")
    if target:
        import shutil

        for theme, path in shots.items():
            shutil.copy(path, Path(target) / f"accounts-dialog-{theme}.png")


def test_changes_made_with_the_cli_while_the_app_runs_are_synced(qtbot, service, radicale, live_tracker, cli) -> None:  # noqa: ANN001
    run = live_tracker.add_habit(Habit("Run"))
    service.sync.add_account("home", radicale.url, "alice", "wonderland")
    with qtbot.wait_signal(service.pass_finished, timeout=15_000):
        service.sync_now()
    service.debounce.setInterval(50)
    service.poll.setInterval(100)
    service.poll.start()
    with qtbot.wait_signal(service.pass_finished, timeout=20_000) as blocker:
        assert cli("check", "Run", today=None).code == 0  # another process writes the data file
    [outcome] = blocker.args[0]
    assert outcome.ok
    assert any(line.startswith("checked Run") for line in outcome.report.pushed), outcome.report.pushed
    assert live_tracker.entry(run, live_tracker.today())[0] == YES_MANUAL


def test_a_missing_calendar_offers_to_create_it_again(qtbot, service, radicale, live_tracker, tmp_path) -> None:  # noqa: ANN001
    from PySide6.QtWidgets import QMessageBox

    live_tracker.add_habit(Habit("Run"))
    account, _ = service.sync.add_account("home", radicale.url, "alice", "wonderland")
    window = _window(qtbot, live_tracker, service, tmp_path)
    radicale.phone().calendar(url=account.calendar_url).delete()
    with qtbot.wait_signal(service.collection_missing, timeout=15_000):
        service.sync_now()
    box = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible())
    assert box.text().startswith("The calendar /alice/")
    assert "Create the calendar 'HabitDesk' again and push your habits to it?" in box.text()
    with qtbot.wait_signal(service.pass_finished, timeout=20_000) as blocker:
        box.button(QMessageBox.StandardButton.Yes).click()
    [outcome] = blocker.args[0]
    assert outcome.ok and len(outcome.report.pushed) == 9
    assert service.sync.account("home").calendar_url != account.calendar_url
    del window
