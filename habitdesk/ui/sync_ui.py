"""The main window's calendar parts: menu items, the status-bar label, password and 404 prompts.

Kept out of main_window.py: install_sync() adds them to a window when the app
has a sync service (app.py wires it); export works without one.
"""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QInputDialog, QLabel, QLineEdit, QMessageBox

from habitdesk.services.sync_service import SyncService
from habitdesk.ui import preferences

TYPE_CHECKING = False
if TYPE_CHECKING:
    from habitdesk.ui.accounts_dialog import AccountsDialog

class SyncUi:
    """Connects a SyncService to a main window."""

    def __init__(self, window, service: SyncService) -> None:  # noqa: ANN001
        self.window, self.service = window, service
        self.label = QLabel()
        self.label.setObjectName("syncStatus")
        window.statusBar().addWidget(self.label)
        service.status_changed.connect(self.label.setText)
        service.password_needed.connect(self.ask_password)
        service.collection_missing.connect(self.offer_recreate)
        self.accounts_action = QAction("Calendar &accounts…", window)
        self.accounts_action.setStatusTip("Sync habits with a CalDAV calendar")
        self.accounts_action.triggered.connect(self.open_accounts)
        self.dialog: AccountsDialog | None = None
        self.prompt: QInputDialog | None = None

    def interval(self) -> int:
        """The sync interval from the preferences, in minutes."""
        minutes: int = preferences.read(self.window.settings, "sync_interval_minutes")
        return max(1, minutes)

    def open_accounts(self) -> None:
        """Open the Calendar accounts dialog."""
        from habitdesk.ui.accounts_dialog import AccountsDialog

        dialog = AccountsDialog(self.service, self.interval(), self.window)
        self.dialog = dialog

        def closed() -> None:
            preferences.write(self.window.settings, "sync_interval_minutes", dialog.interval())
            self.service.set_interval(dialog.interval())
            self.dialog = None

        dialog.finished.connect(lambda _: closed())
        dialog.open()

    def ask_password(self, account, reason: str) -> None:  # noqa: ANN001 - an AccountInfo
        """Wrong password, or no keyring: ask (once per start unless the server refused it)."""
        if self.prompt is not None:
            return
        why = self.service.sync.keyring_problem
        text = f"Password for {account.username} at {account.url}:"
        if "refused" in reason:
            text = f"The server refused the password for {account.name!r}.\n\n" + text
        elif why:
            text = (f"{why[0].upper()}{why[1:]}, so HabitDesk cannot keep the password for {account.name!r} "
                    "and asks for it each time it starts. It is never written to disk.\n\n" + text)
        prompt = QInputDialog(self.window)
        prompt.setWindowTitle("Calendar password")
        prompt.setLabelText(text)
        prompt.setTextEchoMode(QLineEdit.EchoMode.Password)
        self.prompt = prompt

        def answered(code: int) -> None:
            self.prompt = None
            if code and prompt.textValue():
                self.service.give_password(account, prompt.textValue())
            prompt.deleteLater()

        prompt.finished.connect(answered)
        prompt.open()

    def offer_recreate(self, account, message: str) -> None:  # noqa: ANN001
        """Offer to make a deleted calendar again."""
        box = QMessageBox(QMessageBox.Icon.Question, "Calendar missing",
                          f"{message[0].upper()}{message[1:]}.\n\nCreate the calendar {account.calendar_name!r} again and push your habits to it?",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self.window)

        def answered(button: int) -> None:
            if button == QMessageBox.StandardButton.Yes:
                self.service.submit(lambda: self.service.sync.recreate_collection(account.name),
                                    lambda _: self.service.sync_now(), lambda exc: self.window.show_error("Could not create the calendar", exc))

        box.finished.connect(answered)
        box.open()


def install_sync(window, service: SyncService | None) -> SyncUi | None:  # noqa: ANN001
    """Add the calendar accounts and the sync status to the window (File > Export has the .ics export)."""
    if service is None:
        return None
    ui = SyncUi(window, service)
    window.edit_menu.addAction(ui.accounts_action)
    return ui


