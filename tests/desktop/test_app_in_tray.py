"""The real app under Xvfb with a tray: close keeps it in the tray, a second launch raises it,
the tray quits it, and a lock left by a killed process does not block the next start."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.xserver import x_env, xdotool

STARTUP_S = 30


def launch(display: str, data_dir: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "habitdesk.app", "--data-dir", str(data_dir), *args],
        env=x_env(display), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )


def app_windows(display: str) -> dict[str, tuple[int, int, int, int]]:
    """HabitDesk's mapped top-level windows: id -> (x, y, width, height)."""
    found = {}
    for wid in xdotool(display, "search", "--onlyvisible", "--class", "HabitDesk").split():
        fields = dict(
            line.strip().split(": ", 1) for line in xdotool(display, "getwindowgeometry", wid).splitlines()[1:]
        )
        x, y = (int(v) for v in fields["Position"].split()[0].split(","))
        w, h = (int(v) for v in fields["Geometry"].split("x"))
        found[wid] = (x, y, w, h)
    return found


def main_window(display: str) -> str | None:
    big = [wid for wid, (_x, _y, w, h) in app_windows(display).items() if w > 200 and h > 200]
    return big[0] if big else None


def tray_icon(display: str) -> tuple[int, int, int, int] | None:
    small = [g for g in app_windows(display).values() if g[2] <= 64 and g[3] <= 64]
    return small[0] if small else None


def close_with_keys(display: str, window: str) -> None:
    """Ctrl+W (File > Close window) typed for real: XTEST events, as a keyboard sends them."""
    xdotool(display, "windowfocus", "--sync", window)
    xdotool(display, "key", "ctrl+w")


def tray_menu(display: str) -> bool:
    """Whether the tray's menu is up: a mapped HabitDesk window that is neither the icon nor the main window."""
    return any(64 < w < 500 and 64 < h < 600 for _x, _y, w, h in app_windows(display).values())


def choose_last_tray_item(display: str, attempts: int = 3) -> None:
    """Open the tray icon's menu with a right click and choose its last item, by keys.

    A loaded machine may map the menu late or miss the keys: try again a few times.
    """
    x, y, w, h = tray_icon(display)
    for _ in range(attempts):
        xdotool(display, "mousemove", str(x + w // 2), str(y + h // 2))
        xdotool(display, "click", "3")
        try:
            wait_until(lambda: tray_menu(display), 5, "the tray menu")
        except AssertionError:
            continue
        time.sleep(0.3)  # the popup takes the keyboard once it is mapped
        xdotool(display, "key", "Up", "Return")
        try:
            wait_until(lambda: not tray_menu(display), 3, "the menu to close")
            return
        except AssertionError:
            xdotool(display, "key", "Escape")
    raise AssertionError("the tray menu never took the keys")


def wait_until(condition, timeout: float = STARTUP_S, what: str = "") -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


@pytest.fixture
def running(tray_display: str, data_dir: Path):  # noqa: ANN201
    procs: list[subprocess.Popen] = []

    def start(*args: str) -> subprocess.Popen:
        proc = launch(tray_display, data_dir, *args)
        procs.append(proc)
        return proc

    yield start
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()


def test_close_keeps_it_in_the_tray_a_second_launch_raises_it_and_the_tray_quits_it(
    tray_display: str, data_dir: Path, running  # noqa: ANN001
) -> None:
    app = running()
    wait_until(lambda: main_window(tray_display) and tray_icon(tray_display), what="the window and the tray icon")
    window = main_window(tray_display)
    xdotool(tray_display, "windowmove", window, "300", "200")  # clear of the tray (no window manager here)
    close_with_keys(tray_display, window)
    wait_until(lambda: main_window(tray_display) is None, 10, "the window to hide")
    time.sleep(0.5)
    assert app.poll() is None, "closing the window quit HabitDesk"
    assert tray_icon(tray_display) is not None
    assert "hint_shown=true" in (data_dir / "window.ini").read_text()  # the one-time hint was shown

    second = launch(tray_display, data_dir)
    assert second.wait(STARTUP_S) == 0
    second.communicate()
    wait_until(lambda: main_window(tray_display) is not None, 10, "the second launch to raise the window")
    assert app.poll() is None

    close_with_keys(tray_display, main_window(tray_display))
    wait_until(lambda: main_window(tray_display) is None, 10, "the window to hide again")
    choose_last_tray_item(tray_display)  # Quit
    assert app.wait(15) == 0


def test_a_lock_left_by_a_killed_app_does_not_block_the_next_start(
    tray_display: str, data_dir: Path, running  # noqa: ANN001
) -> None:
    first = running()
    wait_until(lambda: main_window(tray_display) is not None, what="the first window")
    assert (data_dir / "habitdesk.lock").exists()
    os.kill(first.pid, signal.SIGKILL)
    first.wait(10)
    wait_until(lambda: main_window(tray_display) is None, 10, "the killed window to go")
    again = running()
    wait_until(lambda: main_window(tray_display) is not None, what="the window after a crash")
    assert again.poll() is None


def test_tray_start_shows_only_the_tray_and_open_shows_the_window(tray_display: str, running) -> None:  # noqa: ANN001
    app = running("--tray")
    wait_until(lambda: tray_icon(tray_display) is not None, what="the tray icon")
    time.sleep(1)
    assert main_window(tray_display) is None
    x, y, w, h = tray_icon(tray_display)
    xdotool(tray_display, "mousemove", str(x + w // 2), str(y + h // 2))
    xdotool(tray_display, "click", "1")  # a left click opens HabitDesk
    wait_until(lambda: main_window(tray_display) is not None, 10, "the window to open")
    assert app.poll() is None


def test_sigterm_quits_cleanly_from_the_window_and_from_the_tray(tray_display: str, data_dir: Path, running) -> None:  # noqa: ANN001
    shown = running()
    wait_until(lambda: main_window(tray_display) and tray_icon(tray_display), what="the window and the tray icon")
    shown.send_signal(signal.SIGTERM)  # a logout, or `kill`
    assert shown.wait(15) == 0
    saved = (data_dir / "window.ini").read_text()
    assert "[window]" in saved and "geometry=" in saved  # the window saved its state on the way out
    assert main_window(tray_display) is None and tray_icon(tray_display) is None

    hidden = running("--tray")
    wait_until(lambda: tray_icon(tray_display) is not None, what="the tray icon")
    hidden.send_signal(signal.SIGTERM)
    assert hidden.wait(15) == 0
    again = running()  # the single-instance lock was released
    wait_until(lambda: main_window(tray_display) is not None, what="the next start's window")
    assert again.poll() is None
