"""Render resources/icons/<app id>.svg to the hicolor PNG sizes.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/render_icons.py

At 24 px and below the streak ring is left out: there it is a blur that makes
the check mark harder to read, and the check mark is what the icon says.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QByteArray, QRectF, Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from habitdesk import APP_ID  # noqa: E402

SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
SMALL = 24
ICONS = ROOT / "resources" / "icons"


def small_variant(svg: str) -> str:
    """The icon without its ring, and with a bolder check mark."""
    svg = re.sub(r'<g id="ring".*?</g>', "", svg, flags=re.DOTALL)
    return svg.replace('stroke-width="15"', 'stroke-width="19"')


def render(svg: str, size: int) -> QImage:
    renderer = QSvgRenderer(QByteArray(svg.encode()))
    if not renderer.isValid():
        raise SystemExit("render_icons: the SVG does not parse")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image


def main() -> int:
    app = QGuiApplication(sys.argv[:1])  # noqa: F841 - QPainter wants one
    svg = (ICONS / f"{APP_ID}.svg").read_text(encoding="utf-8")
    for size in SIZES:
        out = ICONS / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        out.parent.mkdir(parents=True, exist_ok=True)
        if not render(small_variant(svg) if size <= SMALL else svg, size).save(str(out)):
            print(f"render_icons: cannot write {out}", file=sys.stderr)
            return 1
        print(out.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
