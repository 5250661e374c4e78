"""Small helpers shared by the dialogs: layouts, and showing a folder in the file manager."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QVBoxLayout, QWidget


def stacked(*widgets: QWidget, spacing: int = 3) -> QWidget:
    """Widgets stacked tightly in one column: a field and its message, a control and its hint."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(spacing)
    for widget in widgets:
        layout.addWidget(widget)
    return box


def open_folder(folder: Path) -> bool:
    """Show a folder in the desktop's file manager (created first if missing)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
