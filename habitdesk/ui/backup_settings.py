"""The settings dialog's Backups group: where the daily copies go, how many are kept, and a way to see them."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from habitdesk.facade import backups


class BackupSettings(QGroupBox):
    """Backup folder and rotation; changes() says what the user changed. Saves nothing itself."""

    def __init__(self, tracker, parent: QWidget | None = None) -> None:  # noqa: ANN001
        super().__init__("Backups", parent)
        self.tracker = tracker
        self._initial = backups.settings(tracker)
        self.default_folder = tracker.data_dir / "backups"
        self.folder_edit = QLineEdit(str(self._initial["backup_folder"]))
        self.folder_edit.setPlaceholderText(str(self.default_folder))
        self.folder_edit.setAccessibleName("Backup folder")
        self.choose_button = QPushButton("Choose…")
        self.choose_button.clicked.connect(self.choose_folder)
        self.open_button = QPushButton("Open folder")
        self.open_button.clicked.connect(self.open_folder)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.folder_edit, 1)
        row.addWidget(self.choose_button)
        row.addWidget(self.open_button)
        self.spins: dict[str, QSpinBox] = {}
        keep = QHBoxLayout()
        keep.setContentsMargins(0, 0, 0, 0)
        for name, label in (("backup_daily", "daily"), ("backup_weekly", "weekly"), ("backup_monthly", "monthly")):
            spin = QSpinBox()
            spin.setRange(0, 1000)
            spin.setValue(int(str(self._initial[name])))
            spin.setAccessibleName(f"Keep {label} backups")
            self.spins[name] = spin
            keep.addWidget(spin)
            keep.addWidget(QLabel(label))
        keep.addStretch(1)
        hint = QLabel("A copy of your data is taken once a day while HabitDesk runs.")
        hint.setWordWrap(True)
        hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        form = QFormLayout(self)
        form.addRow("Folder:", row)
        form.addRow("Keep:", keep)
        form.addRow("", hint)

    def folder(self) -> Path:
        """The backup folder shown."""
        text = self.folder_edit.text().strip()
        return Path(text).expanduser() if text else self.default_folder

    def choose_folder(self) -> None:
        """Ask for a new backup folder."""
        chosen = QFileDialog.getExistingDirectory(self, "Backup folder", str(self.folder()))
        if chosen:
            self.folder_edit.setText(chosen)

    def open_folder(self) -> bool:
        """Open the backup folder in the file manager; False if none could."""
        from habitdesk.ui.widgets import open_folder

        return open_folder(self.folder())

    def values(self) -> dict[str, object]:
        """Every backup setting as the form shows it."""
        out: dict[str, object] = {"backup_folder": self.folder_edit.text().strip()}
        out.update({name: spin.value() for name, spin in self.spins.items()})
        return out

    def changes(self) -> dict[str, object]:
        """The settings that differ from the stored ones."""
        return {k: v for k, v in self.values().items() if v != self._initial[k]}
