"""A desktop without Qt's X11 libraries: one line that names them and how to install them, then exit 1."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from habitdesk.qt_libraries import install_hint, uses_xcb, xcb_plugin

CURSOR = b"libxcb-cursor.so.0\x00"
GONE = b"libxcb-cursoZ.so.0\x00"  # same length: the plugin's copy now needs a library no system has


@pytest.fixture
def broken_plugin(tmp_path: Path) -> Path:
    """A copy of PySide6's real xcb plugin whose libxcb-cursor dependency cannot be found."""
    real = xcb_plugin({})
    assert real is not None
    folder = tmp_path / "plugins" / "platforms"
    folder.mkdir(parents=True)
    data = real.read_bytes()
    assert CURSOR in data
    (folder / "libqxcb.so").write_bytes(data.replace(CURSOR, GONE))
    (tmp_path / "lib").symlink_to(real.parents[2] / "lib")  # the plugin's RUNPATH, $ORIGIN/../../lib
    return folder


def test_the_app_names_the_missing_library_instead_of_aborting(broken_plugin: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    env.update(QT_QPA_PLATFORM_PLUGIN_PATH=str(broken_plugin), DISPLAY=":97", HABITDESK_DATA_DIR=str(tmp_path / "data"))
    proc = subprocess.run(
        [sys.executable, "-c", "from habitdesk.app import main; raise SystemExit(main([]))"],
        capture_output=True, text=True, env=env, timeout=60,
    )
    assert proc.returncode == 1
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("habitdesk: HabitDesk cannot open its window: Qt's X11 platform needs libxcb-cursoZ.so.0")
    assert "Could not load the Qt platform plugin" not in proc.stderr
    assert not (tmp_path / "data").exists()  # nothing was started


@pytest.mark.parametrize(
    ("manager", "command"),
    [
        ("apt-get", "sudo apt install libxcb-cursor0 libxcb-icccm4"),
        ("dnf", "sudo dnf install xcb-util-cursor xcb-util-wm"),
        ("pacman", "sudo pacman -S xcb-util-cursor xcb-util-wm"),
        ("zypper", "sudo zypper install libxcb-cursor0 libxcb-icccm4"),
    ],
)
def test_the_install_command_for_each_package_manager(manager: str, command: str) -> None:
    hint = install_hint(["libxcb-cursor.so.0", "libxcb-icccm.so.4"], manager)
    assert hint == (
        "HabitDesk cannot open its window: Qt's X11 platform needs libxcb-cursor.so.0, libxcb-icccm.so.4, "
        f"which this system lacks. Install them with: {command}"
    )


def test_an_unknown_library_or_manager_is_still_named() -> None:
    assert install_hint(["libxcb-cursor.so.0", "libodd.so.2"], "apt-get").endswith(
        "Install them with: sudo apt install libxcb-cursor0 (and whatever provides libodd.so.2)"
    )
    assert install_hint(["libxcb-cursor.so.0"], None).endswith("needs libxcb-cursor.so.0, which this system lacks.")


def test_only_an_xcb_start_on_linux_is_checked() -> None:
    linux = sys.platform.startswith("linux")
    assert uses_xcb({}) is linux
    assert uses_xcb({"QT_QPA_PLATFORM": "xcb"}) is linux
    assert uses_xcb({"QT_QPA_PLATFORM": "offscreen"}) is False
    assert uses_xcb({"WAYLAND_DISPLAY": "wayland-0"}) is False
    assert uses_xcb({"WAYLAND_DISPLAY": "wayland-0", "QT_QPA_PLATFORM": "xcb"}) is linux
