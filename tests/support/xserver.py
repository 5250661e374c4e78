"""A real X server (Xvfb) with a system tray (trayer), for what offscreen Qt cannot do.

Each test gets its own display. The tray is trayer, docked at the top-left
corner, so its first icon sits at a known place for xdotool clicks.
"""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

TRAY_HEIGHT = 32
NEEDED = ("Xvfb", "trayer", "xdotool")


def require_tools() -> None:
    missing = [tool for tool in NEEDED if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"the desktop tier needs {', '.join(missing)} (Debian: xvfb, trayer, xdotool; .ci/run installs them)")


@contextmanager
def xvfb() -> Iterator[str]:
    """Start Xvfb on a free display; yields ":N"."""
    read_end, write_end = os.pipe()
    proc = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1024x768x24", "-nolisten", "tcp", "-noreset"],
        pass_fds=(write_end,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    try:
        ready, _, _ = select.select([read_end], [], [], 15)
        number = os.read(read_end, 16).decode().strip() if ready else ""
        if not number:
            raise RuntimeError("Xvfb did not start within 15 s")
        yield f":{number}"
    finally:
        os.close(read_end)
        proc.terminate()
        proc.wait(10)


def x_env(display: str) -> dict[str, str]:
    """An environment for programs on the display: xcb Qt, and no D-Bus tray (XEmbed only)."""
    env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb", DBUS_SESSION_BUS_ADDRESS="disabled:")
    env.pop("WAYLAND_DISPLAY", None)
    return env


@contextmanager
def trayer(display: str) -> Iterator[subprocess.Popen]:
    proc = subprocess.Popen(
        ["trayer", "--edge", "top", "--align", "left", "--widthtype", "pixel", "--width", "200",
         "--heighttype", "pixel", "--height", str(TRAY_HEIGHT), "--transparent", "false", "--expand", "false"],
        env=x_env(display), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while not xdotool(display, "search", "--class", "trayer").strip():
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError("trayer did not start")
            time.sleep(0.1)
        yield proc
    finally:
        proc.terminate()
        proc.wait(10)


def xdotool(display: str, *args: str) -> str:
    return subprocess.run(["xdotool", *args], env=x_env(display), capture_output=True, text=True, timeout=10).stdout


@pytest.fixture
def tray_display() -> Iterator[str]:
    """A display with a running system tray."""
    require_tools()
    with xvfb() as display, trayer(display):
        yield display
