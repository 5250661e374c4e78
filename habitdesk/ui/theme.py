"""Light and dark themes: the Fusion style with a palette chosen by the user or the system."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

THEMES = ("system", "light", "dark")
_CHOICE_PROPERTY = "habitdeskTheme"
_FUSION_PROPERTY = "habitdeskFusion"
# For QApplication's arguments: start with Fusion, so that apply_theme need not
# replace the style (asking Qt for the style costs ~5 ms of start-up in Python).
FUSION_ARGUMENTS = ["-style", "fusion"]


def started_with_fusion(app: QApplication) -> None:
    """Tell apply_theme that the application was created with FUSION_ARGUMENTS."""
    app.setProperty(_FUSION_PROPERTY, True)

Role = QPalette.ColorRole
Group = QPalette.ColorGroup

# role -> (normal, disabled); every role a widget paints with, so nothing falls back to the platform.
# Dark: fields (Base) are lighter than the window, as in Adwaita, so Fusion's outlines
# (the window colour darkened) stay visible around check boxes and radio buttons.
_DARK = {
    Role.Window: ("#262629", "#262629"),
    Role.WindowText: ("#e8e8ea", "#7c7c82"),
    Role.Base: ("#323236", "#2b2b2f"),
    Role.AlternateBase: ("#38383d", "#2f2f33"),
    Role.ToolTipBase: ("#3b3b40", "#3b3b40"),
    Role.ToolTipText: ("#f0f0f2", "#9a9aa0"),
    Role.PlaceholderText: ("#8c8c93", "#5f5f65"),
    Role.Text: ("#e8e8ea", "#7c7c82"),
    Role.Button: ("#3b3b40", "#2f2f33"),
    Role.ButtonText: ("#e8e8ea", "#7c7c82"),
    Role.BrightText: ("#ff7b72", "#ff7b72"),
    Role.Light: ("#5a5a60", "#48484d"),
    Role.Midlight: ("#4a4a50", "#3c3c41"),
    Role.Mid: ("#2c2c30", "#2c2c30"),
    Role.Dark: ("#19191b", "#19191b"),
    Role.Shadow: ("#000000", "#000000"),
    Role.Highlight: ("#2f6bc0", "#46464b"),
    Role.HighlightedText: ("#ffffff", "#a0a0a6"),
    Role.Link: ("#7ab4ff", "#5c7fa8"),
    Role.LinkVisited: ("#c29bff", "#8c78aa"),
}
_LIGHT = {
    Role.Window: ("#efeff1", "#efeff1"),
    Role.WindowText: ("#1d1d20", "#9a9aa0"),
    Role.Base: ("#ffffff", "#f4f4f6"),
    Role.AlternateBase: ("#f5f5f7", "#f5f5f7"),
    Role.ToolTipBase: ("#ffffe6", "#ffffe6"),
    Role.ToolTipText: ("#1d1d20", "#9a9aa0"),
    Role.PlaceholderText: ("#7a7a80", "#b0b0b5"),
    Role.Text: ("#1d1d20", "#9a9aa0"),
    Role.Button: ("#f4f4f6", "#ebebed"),
    Role.ButtonText: ("#1d1d20", "#9a9aa0"),
    Role.BrightText: ("#ffffff", "#ffffff"),
    Role.Light: ("#ffffff", "#ffffff"),
    Role.Midlight: ("#e4e4e7", "#e4e4e7"),
    Role.Mid: ("#b9b9bf", "#c8c8cc"),
    Role.Dark: ("#9d9da3", "#b0b0b5"),
    Role.Shadow: ("#6e6e73", "#9a9aa0"),
    Role.Highlight: ("#2f74c8", "#d0d0d4"),
    Role.HighlightedText: ("#ffffff", "#7a7a80"),
    Role.Link: ("#0b5cc0", "#7a9ac4"),
    Role.LinkVisited: ("#7338b8", "#a08cbc"),
}


def _palette(colours: dict[QPalette.ColorRole, tuple[str, str]]) -> QPalette:
    palette = QPalette()
    for role, (normal, disabled) in colours.items():
        for group in (Group.Active, Group.Inactive):
            palette.setColor(group, role, QColor(normal))
        palette.setColor(Group.Disabled, role, QColor(disabled))
    accent = getattr(Role, "Accent", None)  # Qt 6.6+
    if accent is not None:
        for group in (Group.Active, Group.Inactive, Group.Disabled):
            palette.setColor(group, accent, palette.color(group, Role.Highlight))
    return palette


def dark_palette() -> QPalette:
    """The dark palette."""
    return _palette(_DARK)


def light_palette() -> QPalette:
    """The light palette."""
    return _palette(_LIGHT)


def is_dark(palette: QPalette) -> bool:
    """Whether a palette reads as dark: its window colour is darker than mid-grey."""
    return palette.color(Role.Window).lightness() < 128


def system_prefers_dark(app: QApplication) -> bool:
    """Whether the desktop asks for a dark theme."""
    return app.styleHints().colorScheme() == Qt.ColorScheme.Dark


def apply_theme(app: QApplication, choice: str) -> bool:
    """Fusion with the chosen palette ("system", "light" or "dark"); True when the result is dark."""
    if choice not in THEMES:
        choice = "system"
    app.setProperty(_CHOICE_PROPERTY, choice)
    if app.property(_FUSION_PROPERTY) is not True:
        app.setStyle(QStyleFactory.create("Fusion"))
        app.setProperty(_FUSION_PROPERTY, True)
    dark = choice == "dark" or (choice == "system" and system_prefers_dark(app))
    app.setPalette(dark_palette() if dark else light_palette())
    return dark


def follow_system(app: QApplication, callback: Callable[[bool], object] | None = None) -> Callable[[Qt.ColorScheme], None]:
    """Re-apply "system" when the OS switches between light and dark, then call callback(dark).

    Returns the connected slot, for disconnecting.
    """

    def changed(_scheme: Qt.ColorScheme) -> None:
        if app.property(_CHOICE_PROPERTY) == "system":
            dark = apply_theme(app, "system")
            if callback is not None:
                callback(dark)

    app.styleHints().colorSchemeChanged.connect(changed)
    return changed
