"""Where the launcher files and icons are, in a source checkout and in an installed wheel.

The canonical files live in the project's top-level ``resources/``. The package
reaches them through the ``habitdesk/_resources`` symlink: in a checkout (and an
editable install) that is the same folder; in a wheel, setuptools copies the
files behind it as package data. A checkout made without symlinks (Windows with
``core.symlinks=false``) falls back to ``resources/`` next to the package.
"""

from __future__ import annotations

from pathlib import Path

from habitdesk import APP_ID

ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)

_PACKAGE = Path(__file__).resolve().parent


def resources_dir() -> Path:
    """The folder holding ``<app id>.desktop``, the metainfo file and ``icons/``."""
    for folder in (_PACKAGE / "_resources", _PACKAGE.parent / "resources"):
        if (folder / f"{APP_ID}.desktop").is_file():
            return folder
    raise FileNotFoundError(f"HabitDesk's resources are missing (looked in {_PACKAGE / '_resources'})")


def resource_path(name: str) -> Path:
    """A file under the resources folder, such as ``icons/<app id>.svg``."""
    path = resources_dir() / name
    if not path.is_file():
        raise FileNotFoundError(f"HabitDesk resource not found: {path}")
    return path


def desktop_file() -> Path:
    return resource_path(f"{APP_ID}.desktop")


def metainfo_file() -> Path:
    return resource_path(f"{APP_ID}.metainfo.xml")


def icon_svg() -> Path:
    return resource_path(f"icons/{APP_ID}.svg")


def icon_png(size: int) -> Path:
    """The rendered PNG of one of ICON_SIZES."""
    if size not in ICON_SIZES:
        raise ValueError(f"no {size} px icon; sizes are {', '.join(map(str, ICON_SIZES))}")
    return resource_path(f"icons/hicolor/{size}x{size}/apps/{APP_ID}.png")
