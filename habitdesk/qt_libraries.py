"""Before Qt starts on Linux: can its X11 (xcb) platform plugin load the system libraries it needs?

Without them Qt aborts with "Could not load the Qt platform plugin 'xcb'",
which names neither the library nor the package. Minimal Debian installs and
many Ubuntu desktops lack libxcb-cursor0 and its kin. Loading the plugin
ourselves tells whether anything is missing; ``ldd`` then names every missing
library, and the table below the package that brings it on each family of
distributions.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

# The package managers we name, in the order they are looked for, and the
# command that installs with each.
MANAGERS = (
    ("apt-get", "sudo apt install"),
    ("dnf", "sudo dnf install"),
    ("pacman", "sudo pacman -S"),
    ("zypper", "sudo zypper install"),
)

# Library (soname) -> its package for apt, dnf, pacman and zypper.
PACKAGES: dict[str, tuple[str, str, str, str]] = {
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor", "xcb-util-cursor", "libxcb-cursor0"),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm", "xcb-util-wm", "libxcb-icccm4"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms", "xcb-util-keysyms", "libxcb-keysyms1"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image", "xcb-util-image", "libxcb-image0"),
    "libxcb-render-util.so.0": ("libxcb-render-util0", "xcb-util-renderutil", "xcb-util-renderutil", "libxcb-render-util0"),
    "libxcb-util.so.1": ("libxcb-util1", "xcb-util", "xcb-util", "libxcb-util1"),
    "libxcb-randr.so.0": ("libxcb-randr0", "libxcb", "libxcb", "libxcb-randr0"),
    "libxcb-shape.so.0": ("libxcb-shape0", "libxcb", "libxcb", "libxcb-shape0"),
    "libxcb-shm.so.0": ("libxcb-shm0", "libxcb", "libxcb", "libxcb-shm0"),
    "libxcb-sync.so.1": ("libxcb-sync1", "libxcb", "libxcb", "libxcb-sync1"),
    "libxcb-xfixes.so.0": ("libxcb-xfixes0", "libxcb", "libxcb", "libxcb-xfixes0"),
    "libxcb-render.so.0": ("libxcb-render0", "libxcb", "libxcb", "libxcb-render0"),
    "libxcb-xkb.so.1": ("libxcb-xkb1", "libxcb", "libxcb", "libxcb-xkb1"),
    "libxcb.so.1": ("libxcb1", "libxcb", "libxcb", "libxcb1"),
    "libX11-xcb.so.1": ("libx11-xcb1", "libX11-xcb", "libx11", "libX11-xcb1"),
    "libX11.so.6": ("libx11-6", "libX11", "libx11", "libX11-6"),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11", "libxkbcommon-x11", "libxkbcommon-x11-0"),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon", "libxkbcommon", "libxkbcommon0"),
    "libGL.so.1": ("libgl1", "libglvnd-glx", "libglvnd", "libGL1"),
    "libEGL.so.1": ("libegl1", "libglvnd-egl", "libglvnd", "libEGL1"),
    "libfontconfig.so.1": ("libfontconfig1", "fontconfig", "fontconfig", "libfontconfig1"),
    "libdbus-1.so.3": ("libdbus-1-3", "dbus-libs", "dbus", "libdbus-1-3"),
    "libglib-2.0.so.0": ("libglib2.0-0", "glib2", "glib2", "libglib-2_0-0"),
    "libgthread-2.0.so.0": ("libglib2.0-0", "glib2", "glib2", "libgthread-2_0-0"),
}


def uses_xcb(environ: Mapping[str, str] = os.environ) -> bool:
    """Whether Qt will start on its xcb plugin here (Linux, no other platform chosen, not Wayland)."""
    if not sys.platform.startswith("linux"):
        return False
    chosen = environ.get("QT_QPA_PLATFORM", "")
    if chosen:
        return chosen.split(";")[0].split(":")[0] == "xcb"
    return not environ.get("WAYLAND_DISPLAY")  # on Wayland, Qt takes its wayland plugin first


def xcb_plugin(environ: Mapping[str, str] = os.environ) -> Path | None:
    """The xcb plugin Qt would load: from QT_QPA_PLATFORM_PLUGIN_PATH, else PySide6's own."""
    folder = environ.get("QT_QPA_PLATFORM_PLUGIN_PATH")
    if not folder:
        from importlib.util import find_spec

        spec = find_spec("PySide6")
        if spec is None or not spec.submodule_search_locations:
            return None
        folder = str(Path(list(spec.submodule_search_locations)[0]) / "Qt" / "plugins" / "platforms")
    plugin = Path(folder) / "libqxcb.so"
    return plugin if plugin.exists() else None


def missing_libraries(plugin: Path) -> list[str]:
    """The shared libraries the plugin cannot find (none when it loads)."""
    import ctypes
    import subprocess

    try:
        ctypes.CDLL(str(plugin))
        return []
    except OSError as exc:
        first = str(exc).split(":", 1)[0].strip()
    try:
        listing = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        listing = ""
    missing = [line.split()[0] for line in listing.splitlines() if "not found" in line]
    return sorted(dict.fromkeys(missing or [first]))


def install_hint(missing: list[str], manager: str | None) -> str:
    """One line: what is missing and, for a known package manager, the command that installs it."""
    names = ", ".join(missing)
    text = f"HabitDesk cannot open its window: Qt's X11 platform needs {names}, which this system lacks."
    managers = [name for name, _ in MANAGERS]
    if manager not in managers:
        return text
    index = managers.index(manager)
    packages = dict.fromkeys(PACKAGES[lib][index] for lib in missing if lib in PACKAGES)
    unknown = [lib for lib in missing if lib not in PACKAGES]
    if not packages:
        return text
    command = f"{MANAGERS[index][1]} {' '.join(packages)}"
    also = f" (and whatever provides {', '.join(unknown)})" if unknown else ""
    return f"{text} Install them with: {command}{also}"


def package_manager() -> str | None:
    import shutil

    return next((name for name, _ in MANAGERS if shutil.which(name)), None)


def check_before_qt() -> str | None:
    """The message to print and exit with when Qt's xcb plugin would fail to load; None when fine."""
    if not uses_xcb():
        return None
    plugin = xcb_plugin()
    if plugin is None:
        return None  # Qt says what it misses itself
    missing = missing_libraries(plugin)
    return install_hint(missing, package_manager()) if missing else None
