"""Small layout helpers shared by the dialogs."""

from __future__ import annotations

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
