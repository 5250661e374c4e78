"""Themes: Fusion with a readable light or dark palette."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from habitdesk.ui.theme import THEMES, apply_theme, dark_palette, follow_system, is_dark, light_palette

Role = QPalette.ColorRole
Group = QPalette.ColorGroup


@pytest.fixture
def app(qapp) -> Iterator[QApplication]:  # noqa: ANN001
    """The application, with its style and palette put back afterwards."""
    style, palette = qapp.style().name(), qapp.palette()
    yield qapp
    qapp.setProperty("habitdeskTheme", None)
    qapp.setStyle(style)
    qapp.setPalette(palette)


def contrast(a: QColor, b: QColor) -> float:
    def luminance(c: QColor) -> float:
        parts = [x / 255 for x in (c.red(), c.green(), c.blue())]
        r, g, b_ = (p / 12.92 if p <= 0.03928 else ((p + 0.055) / 1.055) ** 2.4 for p in parts)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b_

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_dark_gives_a_dark_fusion_palette(app) -> None:  # noqa: ANN001
    assert apply_theme(app, "dark") is True
    assert app.style().name().lower() == "fusion"
    assert is_dark(app.palette())


def test_light_gives_a_light_palette(app) -> None:  # noqa: ANN001
    assert apply_theme(app, "light") is False
    assert not is_dark(app.palette())


def test_system_follows_the_colour_scheme(app) -> None:  # noqa: ANN001
    expected = app.styleHints().colorScheme() == Qt.ColorScheme.Dark
    assert apply_theme(app, "system") is expected
    assert is_dark(app.palette()) is expected
    assert apply_theme(app, "no such theme") is expected  # treated as "system"


@pytest.mark.parametrize("palette", [dark_palette(), light_palette()], ids=["dark", "light"])
def test_palettes_are_readable(palette: QPalette) -> None:
    pairs = [
        (Role.WindowText, Role.Window), (Role.Text, Role.Base), (Role.Text, Role.AlternateBase),
        (Role.ButtonText, Role.Button), (Role.ToolTipText, Role.ToolTipBase),
        (Role.HighlightedText, Role.Highlight), (Role.Link, Role.Base),
    ]
    for text, background in pairs:
        assert contrast(palette.color(Group.Active, text), palette.color(Group.Active, background)) >= 4.5, text
    assert contrast(palette.color(Role.PlaceholderText), palette.color(Role.Base)) >= 3
    # disabled text is dimmer than enabled text but still there
    for role, background in ((Role.Text, Role.Base), (Role.WindowText, Role.Window), (Role.ButtonText, Role.Button)):
        enabled = contrast(palette.color(Group.Active, role), palette.color(Group.Active, background))
        disabled = contrast(palette.color(Group.Disabled, role), palette.color(Group.Disabled, background))
        assert 1.8 <= disabled < enabled, role


def test_themes_are_listed() -> None:
    assert THEMES == ("system", "light", "dark")


def test_follow_system_reapplies_only_for_system(app) -> None:  # noqa: ANN001
    seen: list[bool] = []
    hints = app.styleHints()
    slot = follow_system(app, seen.append)
    try:
        apply_theme(app, "light")
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
        assert seen == []
        assert not is_dark(app.palette())
        apply_theme(app, "system")
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
        assert seen == [hints.colorScheme() == Qt.ColorScheme.Dark]
    finally:
        hints.colorSchemeChanged.disconnect(slot)
