"""The application icon, from the PNG sizes shipped in resources/."""

from __future__ import annotations

from PySide6.QtGui import QIcon

from habitdesk.resources import ICON_SIZES, icon_png


def app_icon() -> QIcon:
    icon = QIcon()
    for size in ICON_SIZES:
        path = icon_png(size)
        if path.is_file():
            icon.addFile(str(path))
    return icon
