"""Before a computer joins an account that already holds another computer's habits: what comes and goes."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from habitdesk.facade.share import JoinPreview


class JoinDialog(QDialog):
    """The join's preview, a choice for same-named habits, and Join or Don't join."""

    def __init__(self, account: str, choices: dict[bool, JoinPreview], merge: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choices = choices
        self.setWindowTitle(f"Join {account}")
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setMinimumWidth(420)
        self.merge_check = QCheckBox("Make habits with the same &name one habit")
        self.merge_check.setChecked(merge)
        self.merge_check.setVisible(bool(choices[True].same_names))
        self.merge_check.toggled.connect(self._show)
        buttons = QDialogButtonBox()
        self.join_button = buttons.addButton("&Join", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = buttons.addButton("&Don't join", QDialogButtonBox.ButtonRole.RejectRole)
        self.cancel_button.setToolTip("Remove the account again; nothing here or on the server changes")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.join_button.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(self.merge_check)
        layout.addWidget(buttons)
        self._show()

    def merge(self) -> bool:
        """Whether same-named habits become one."""
        return self.merge_check.isChecked()

    def _show(self) -> None:
        self.text.setText("\n\n".join(self.choices[self.merge()].lines()))
