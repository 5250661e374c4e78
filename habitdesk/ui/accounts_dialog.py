"""Settings > Calendar accounts: connect CalDAV accounts, choose their calendar, see their last sync.

Every network call (test connection, add, sync, remove with its keyring entry)
runs on the sync service's worker thread; the dialog stays responsive.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from habitdesk.facade.share import JoinPreview
from habitdesk.facade.sync import DEFAULT_CALENDAR, AccountInfo
from habitdesk.services.sync_service import SyncService
from habitdesk.ui.join_dialog import JoinDialog

NEW_CALENDAR = "__new__"


class AccountsDialog(QDialog):
    """The account list on the left, the chosen (or new) account on the right."""

    def __init__(self, service: SyncService, interval_minutes: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.sync = service.sync
        self.setWindowTitle("Calendar accounts")
        self.busy = False
        self._shown = ""  # the key of the account the fields show

        self.list = QListWidget()
        self.list.setAccessibleName("Accounts")
        self.list.setMinimumWidth(170)
        self.list.currentItemChanged.connect(lambda *_: self._show_current())
        self.new_button = QPushButton("&New account")
        self.new_button.clicked.connect(self.new_account)
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        left.addWidget(self.new_button)

        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("Home, Work…")
        self.url_edit = QLineEdit()
        self.url_edit.setPlaceholderText("https://cloud.example.org/remote.php/dav")
        self.user_edit = QLineEdit()
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.ca_edit = QLineEdit()
        self.ca_edit.setPlaceholderText("Only for a self-signed server")
        self.browse_button = browse = QPushButton("Browse…")
        browse.clicked.connect(self._choose_ca)
        ca_row = QHBoxLayout()
        ca_row.setContentsMargins(0, 0, 0, 0)
        ca_row.addWidget(self.ca_edit, 1)
        ca_row.addWidget(browse)
        ca_box = QWidget()
        ca_box.setLayout(ca_row)
        self.test_button = QPushButton("&Test connection")
        self.test_button.clicked.connect(self.test_connection)
        self.test_label = QLabel("")
        self.test_label.setWordWrap(True)
        test_row = QHBoxLayout()
        test_row.setContentsMargins(0, 0, 0, 0)
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.test_label, 1)
        test_box = QWidget()
        test_box.setLayout(test_row)

        self.calendar_combo = QComboBox()
        self.calendar_combo.setAccessibleName("Calendar for HabitDesk")
        self.events_combo = QComboBox()
        self.events_combo.setAccessibleName("Recurring events calendar")
        self.enabled_check = QCheckBox("Sync this account")
        self.alarms_check = QCheckBox("Remind through the calendar too (VALARM)")
        for check in (self.enabled_check, self.alarms_check):
            check.toggled.connect(self._switches_changed)
        self.status_label = QLabel("")
        self.status_label.setWordWrap(True)
        self.status_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        server = QGroupBox("Server")
        form = QFormLayout(server)
        form.addRow("&Name:", self.name_edit)
        form.addRow("Server &URL:", self.url_edit)
        form.addRow("&User name:", self.user_edit)
        form.addRow("&Password:", self.password_edit)
        form.addRow("&CA certificate:", ca_box)
        form.addRow("", test_box)
        use = QGroupBox("Calendar")
        form = QFormLayout(use)
        form.addRow("&Tasks go to:", self.calendar_combo)
        form.addRow("Also as &events in:", self.events_combo)
        form.addRow("", self.enabled_check)
        form.addRow("", self.alarms_check)
        form.addRow("Status:", self.status_label)

        self.save_button = QPushButton("&Add account")
        self.save_button.clicked.connect(self._save)
        for edit in (self.url_edit, self.user_edit, self.password_edit, self.ca_edit):
            edit.textChanged.connect(self._update_save)
        self.calendar_combo.currentIndexChanged.connect(self._update_save)
        self.sync_button = QPushButton("&Sync now")
        self.sync_button.clicked.connect(lambda: self.service.sync_now())
        self.remove_button = QPushButton("&Remove…")
        self.remove_button.clicked.connect(self.remove_account)
        self.interval_spin = QSpinBox()
        self.interval_spin.setRange(1, 24 * 60)
        self.interval_spin.setValue(interval_minutes)
        self.interval_spin.setSuffix(" min")
        self.interval_spin.setAccessibleName("Sync every")
        actions = QHBoxLayout()
        actions.addWidget(self.save_button)
        actions.addWidget(self.sync_button)
        actions.addWidget(self.remove_button)
        actions.addStretch(1)
        actions.addWidget(QLabel("Sync every"))
        actions.addWidget(self.interval_spin)

        right = QVBoxLayout()
        right.addWidget(server)
        right.addWidget(use)
        right.addLayout(actions)
        body = QHBoxLayout()
        body.addLayout(left)
        body.addLayout(right, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(body)
        layout.addWidget(buttons)
        self.setMinimumWidth(720)

        service.pass_finished.connect(lambda _: self._refresh(keep=True))
        service.busy_changed.connect(lambda busy: self.sync_button.setEnabled(not busy and self._current() is not None))
        self._refresh(keep=False)

    # -- list -------------------------------------------------------------------------
    def _current(self) -> AccountInfo | None:
        item = self.list.currentItem()
        return None if item is None else item.data(Qt.ItemDataRole.UserRole)

    def _refresh(self, *, keep: bool) -> None:
        current = self._current()
        chosen = current.name if keep and current is not None else None
        self.list.blockSignals(True)
        self.list.clear()
        for account in self.sync.accounts():
            item = QListWidgetItem(account.name if account.enabled else f"{account.name} (off)")
            item.setData(Qt.ItemDataRole.UserRole, account)
            self.list.addItem(item)
            if account.name == chosen or chosen is None and self.list.count() == 1:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        self._show_current()

    def new_account(self) -> None:
        """Clear the form for a new account."""
        self.list.setCurrentRow(-1)
        self.list.clearSelection()
        self._show_current()
        self.name_edit.setFocus()

    def _show_current(self) -> None:
        account = self._current()
        existing = account is not None
        self.name_edit.setReadOnly(existing)
        shown, self._shown = self._shown, account.key if account else ""
        self.save_button.setText("&Save changes" if existing else "&Add account")
        self.remove_button.setEnabled(existing)
        self.sync_button.setEnabled(existing and not self.service.busy)
        self.enabled_check.blockSignals(True)
        self.alarms_check.blockSignals(True)
        self.calendar_combo.clear()
        self.events_combo.clear()
        self.events_combo.addItem("Don't", "")
        if account is not None:
            self.name_edit.setText(account.name)
            self.url_edit.setText(account.url)
            self.user_edit.setText(account.username)
            self.password_edit.clear()
            kept = "Asked for at each start (no keyring)" if self.sync.keyring_problem else "Kept in the system keyring"
            self.password_edit.setPlaceholderText(f"{kept}; type to change")
            self.ca_edit.setText(account.ca_file)
            self.calendar_combo.addItem(account.calendar_name, account.calendar_url)
            if account.events_url:
                self.events_combo.addItem(account.events_url, account.events_url)
                self.events_combo.setCurrentIndex(1)
            self.enabled_check.setChecked(account.enabled)
            self.alarms_check.setChecked(account.alarms)
            self.status_label.setText(account.status_text)
            if account.key != shown:
                self.test_label.clear()  # another account: the last test result was about the one before
        else:
            for edit in (self.name_edit, self.url_edit, self.user_edit, self.password_edit, self.ca_edit):
                edit.clear()
            self.password_edit.setPlaceholderText("")
            self.calendar_combo.addItem(f"New calendar “{DEFAULT_CALENDAR}”", NEW_CALENDAR)
            self.enabled_check.setChecked(True)
            self.alarms_check.setChecked(True)
            self.status_label.setText("Test the connection to choose a calendar.")
        self.calendar_combo.setEnabled(not existing)
        self.events_combo.setEnabled(not existing)
        self.enabled_check.blockSignals(False)
        self.alarms_check.blockSignals(False)
        self._update_save()

    def _changed(self) -> bool:
        """Whether the fields differ from the saved account (always True for a new one)."""
        account = self._current()
        if account is None:
            return True
        url, user, password, ca = self._server_fields()
        return ((url, user, ca) != (account.url, account.username, account.ca_file) or bool(password)
                or (self.calendar_combo.currentData() or account.calendar_url) != account.calendar_url)

    def _update_save(self) -> None:
        self.save_button.setEnabled(not self.busy and self._changed())

    def _save(self) -> None:
        if self._current() is None:
            self.add_account()
        else:
            self.save_changes()

    def _switches_changed(self) -> None:
        account = self._current()
        if account is not None:
            self.sync.update_account(account.name, enabled=self.enabled_check.isChecked(), alarms=self.alarms_check.isChecked())
            self._refresh(keep=True)

    def _choose_ca(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "CA certificate", "", "Certificates (*.pem *.crt *.cer);;All files (*)")
        if path:
            self.ca_edit.setText(path)

    # -- network, on the worker thread -------------------------------------------------------
    def _set_busy(self, busy: bool, text: str = "") -> None:
        self.busy = busy
        self.test_button.setEnabled(not busy)
        self._update_save()
        if text:
            self.test_label.setText(text)

    def test_connection(self) -> None:
        """Try the typed server and login off the GUI thread, then list its task calendars."""
        url, user, password, ca = self._server_fields()
        account = self._current()
        self._set_busy(True, "Connecting…")

        def work() -> list:
            stored = "" if password or account is None else self.sync.password(account)  # the keyring: not on the GUI thread
            return self.sync.test_connection(url, user, password or stored, ca)

        self.service.submit(work, self._tested, self._failed)

    def _tested(self, collections) -> None:  # noqa: ANN001 - a list of Collections
        self._set_busy(False)
        tasks = [c for c in collections if c.tasks]
        self.test_label.setText(f"Connected: {len(collections)} calendar{'s' if len(collections) != 1 else ''} found.")
        self.calendar_combo.clear()
        for collection in tasks:
            self.calendar_combo.addItem(collection.name, collection.url)
        if not any(c.name == DEFAULT_CALENDAR for c in tasks):
            self.calendar_combo.insertItem(0, f"New calendar “{DEFAULT_CALENDAR}”", NEW_CALENDAR)
        account = self._current()
        current = self.calendar_combo.findData(account.calendar_url) if account is not None else -1
        self.calendar_combo.setCurrentIndex(current if current >= 0 else max(0, self.calendar_combo.findText(DEFAULT_CALENDAR)))
        self.calendar_combo.setEnabled(True)
        self.events_combo.clear()
        self.events_combo.addItem("Don't", "")
        for collection in collections:
            if collection.events:
                self.events_combo.addItem(collection.name, collection.url)
        if account is None:
            self.events_combo.setEnabled(True)
            self.status_label.setText("Choose the calendar, then add the account.")
        else:  # an account's events calendar is kept as it is (Remove and add it again to change it)
            self.events_combo.setEnabled(False)
            self.status_label.setText("Save the changes to use them (another calendar is filled from scratch).")

    def _server_fields(self) -> tuple[str, str, str, str]:
        """(server URL, user name, password, CA file) as typed."""
        return self.url_edit.text().strip(), self.user_edit.text().strip(), self.password_edit.text(), self.ca_edit.text().strip()

    def _failed(self, exc: Exception) -> None:
        self._set_busy(False, f"Could not connect: {exc}")

    def add_account(self) -> None:
        """Add (or save changes to) the account in the form, off the GUI thread."""
        name = self.name_edit.text().strip()
        url, user, password, ca = self._server_fields()
        chosen = self.calendar_combo.currentData()
        calendar = DEFAULT_CALENDAR if chosen in (None, NEW_CALENDAR) else chosen
        events = self.events_combo.currentData() or ""
        alarms = self.alarms_check.isChecked()
        self._set_busy(True, "Adding…")
        self.service.submit(
            lambda: self.sync.add_account(name or user, url, user, password, calendar=calendar, ca_file=ca,
                                          alarms=alarms, events_calendar=events),
            self._added, self._failed,
        )

    def _added(self, result) -> None:  # noqa: ANN001 - (AccountInfo, warning)
        account, warning = result
        self._set_busy(True, "Looking at the account's shared history…")
        self._refresh(keep=False)
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole).name == account.name:
                self.list.setCurrentRow(row)
        # Another computer's habits on the account: preview the join. Unreadable now: the first sync joins all the same.
        self.service.submit(lambda: self.sync.join_choices(account.name),
                            lambda choices: self._join(account, warning, choices),
                            lambda _exc: self._join(account, warning, None))

    def _join(self, account: AccountInfo, warning: str, choices: dict[bool, JoinPreview] | None) -> None:
        """The account holds another computer's habits: show what joining does, then join or remove it again."""
        self._set_busy(False, "")
        if choices is None:
            self._sync_saved(account, warning)
            return
        dialog = JoinDialog(account.name, choices, parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            self._forget(account.name)
            self.test_label.setText(f"Not joined: {account.name!r} was removed again.")
            return
        merge = dialog.merge()
        self.service.submit(lambda: self.sync.update_account(account.name, share_join="merge" if merge else "apart"),
                            lambda _: self._sync_saved(account, warning), self._failed)

    def _sync_saved(self, account: AccountInfo, warning: str) -> None:
        """After an account was added or changed: say why its password was not kept, if so, and sync it."""
        if warning:
            QMessageBox.information(self, "Calendar accounts", warning)
        self.service.sync_now(account.name)

    def save_changes(self) -> None:
        """Try the changed server settings on the worker thread; they are saved only if the server accepts them."""
        account = self._current()
        if account is None:
            return
        url, user, password, ca = self._server_fields()
        chosen = self.calendar_combo.currentData()
        if chosen == account.calendar_url:
            chosen = ""  # the same calendar: found again by name if the server moved
        calendar = DEFAULT_CALENDAR if chosen == NEW_CALENDAR else chosen or ""
        self._set_busy(True, "Checking the new settings…")
        self.service.submit(
            lambda: self.sync.edit_connection(account.name, url=url, username=user, password=password, ca_file=ca,
                                              calendar=calendar),
            self._saved, lambda exc: self._set_busy(False, f"Not saved: {exc}"),
        )

    def _saved(self, result) -> None:  # noqa: ANN001 - (AccountInfo, warning)
        account, warning = result
        self._set_busy(False, "")
        self._refresh(keep=True)
        self.test_label.setText("Saved.")
        self._sync_saved(account, warning)

    def remove_account(self) -> None:
        """Forget the selected account and its password, after asking."""
        account = self._current()
        if account is None:
            return
        answer = QMessageBox.question(
            self, "Remove account",
            f"Remove {account.name!r}? HabitDesk forgets the account and its password; the calendar on the server stays as it is.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._forget(account.name)

    def _forget(self, name: str) -> None:
        """Remove the account and its password off the GUI thread, then list the accounts again."""
        self.service.submit(lambda: self.sync.remove_account(name), lambda _: self._refresh(keep=False), self._failed)

    def interval(self) -> int:
        """The sync interval chosen, in minutes."""
        return self.interval_spin.value()
