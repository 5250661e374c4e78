"""Colour arithmetic shared by the table, the calendar and the detail pane."""

from __future__ import annotations

from PySide6.QtGui import QColor


def luminance(color: QColor) -> float:
    """Relative luminance (WCAG 2)."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF()) + 0.0722 * channel(color.blueF())


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio, 1 to 21."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def mix(a: QColor, b: QColor, share: float) -> QColor:
    """``share`` of b over a, as an opaque colour."""
    return QColor(
        round(a.red() + (b.red() - a.red()) * share),
        round(a.green() + (b.green() - a.green()) * share),
        round(a.blue() + (b.blue() - a.blue()) * share),
    )


def standing_out(color: QColor, background: QColor, minimum: float = 2.5) -> QColor:
    """``color``, moved towards white (dark backgrounds) or black until it reaches ``minimum`` contrast.

    Loop's palette has dark browns and greys that vanish on a dark theme.
    """
    target = QColor("white") if luminance(background) < 0.2 else QColor("black")
    result = QColor(color)
    share = 0.0
    while contrast(result, background) < minimum and share < 1.0:
        share += 0.1
        result = mix(color, target, share)
    return result


def faded(color: QColor, background: QColor, share: float = 0.45) -> QColor:
    """A dimmed version of ``color`` on ``background`` that stays visible in light and dark themes."""
    return mix(background, color, share)
