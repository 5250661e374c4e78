"""The bundled app: first paint offscreen and on X11, a reminder, its libraries, its desktop entry."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from habitdesk import APP_ID
from habitdesk.core.days import iso
from tests.conftest import TODAY

# What the bundled xcb platform plugin may take from the system: what every X11
# desktop has (packaging/habitdesk.spec states the rule). libxcb-cursor0 and the
# other xcb helpers are not in it: they travel in the bundle.
SYSTEM = {
    "libc.so.6", "libm.so.6", "libstdc++.so.6", "libgcc_s.so.1", "libpthread.so.0", "libdl.so.2", "librt.so.1",
    "libX11.so.6", "libX11-xcb.so.1", "libxcb.so.1", "libXau.so.6", "libXdmcp.so.6", "libbsd.so.0", "libmd.so.0",
    "libxkbcommon.so.0", "libGL.so.1", "libEGL.so.1", "libOpenGL.so.0", "libGLX.so.0", "libGLdispatch.so.0",
    "libfontconfig.so.1", "libfreetype.so.6", "libpng16.so.16", "libbrotlidec.so.1", "libbrotlicommon.so.1",
    "libharfbuzz.so.0", "libgraphite2.so.3", "libglib-2.0.so.0", "libgthread-2.0.so.0", "libpcre2-8.so.0",
    "libdbus-1.so.3", "libsystemd.so.0", "libcap.so.2", "libgcrypt.so.20", "libgpg-error.so.0", "liblz4.so.1",
    "libzstd.so.1", "libexpat.so.1",
}
XCB_HELPERS = {"libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxcb-image.so.0", "libxcb-keysyms.so.1",
               "libxcb-render-util.so.0", "libxcb-util.so.1", "libxkbcommon-x11.so.0"}


def cli(bundle: Path, env: dict[str, str], *args: str) -> None:
    done = subprocess.run([str(bundle / "habitdesk-cli"), *args], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def screenshot(bundle: Path, env: dict[str, str], out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(bundle / "habitdesk"), "--screenshot", str(out), "--size", "1000x640"],
                          env=env, capture_output=True, text=True, timeout=90)


def assert_a_window_with_data(png: Path) -> None:
    from PySide6.QtGui import QImage

    image = QImage(str(png))
    assert (image.width(), image.height()) == (1000, 640)
    colours = {image.pixel(x, y) for x in range(0, 1000, 25) for y in range(0, 640, 25)}
    assert len(colours) > 5  # drawn, not a blank surface


@pytest.mark.parametrize("platform", ["offscreen", "xcb"])
def test_first_paint(bundle: Path, clean_env: dict[str, str], tmp_path: Path, platform: str, qapp) -> None:  # noqa: ANN001
    cli(bundle, clean_env, "--today", iso(TODAY), "add", "Read")
    out = tmp_path / f"{platform}.png"
    if platform == "offscreen":
        done = screenshot(bundle, dict(clean_env, QT_QPA_PLATFORM="offscreen"), out)
    else:
        from tests.support.xserver import require_tools, xvfb

        require_tools()
        with xvfb() as display:
            done = screenshot(bundle, dict(clean_env, QT_QPA_PLATFORM="xcb", DISPLAY=display), out)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "unexpected error" not in done.stderr, done.stderr
    assert_a_window_with_data(out)


def test_a_reminder_reaches_the_notification_service(bundle: Path, clean_env: dict[str, str], tmp_path: Path) -> None:
    """A reminder at 00:00 is today's latest missed one whenever the app starts: it shows at once."""
    from tests.support.dbus_session import IsolatedSessionBus, missing_tools

    if missing_tools():
        pytest.skip(f"the reminder needs a D-Bus session: {', '.join(missing_tools())} not found")
    cli(bundle, clean_env, "add", "Stretch", "--question", "Did you stretch?", "--reminder", "00:00")
    bus = IsolatedSessionBus(tmp_path).start()
    try:
        service = bus.start_service()
        env = dict(clean_env, QT_QPA_PLATFORM="offscreen", DBUS_SESSION_BUS_ADDRESS=bus.address)
        app = subprocess.Popen([str(bundle / "habitdesk"), "--quit-after", "20000"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            shown = service.wait_for_calls("Notify", timeout=30)
        finally:
            app.terminate()
            _, err = app.communicate(timeout=30)
        app_name, _, _, summary, body, actions = shown[0]["args"][:6]
        assert (app_name, summary, body) == ("HabitDesk", "Stretch", "Did you stretch?"), shown
        assert "done" in actions[::2], actions  # answered in place: Done, Skip, Snooze
        assert "Traceback" not in err, err
    finally:
        bus.stop()


def test_the_xcb_plugin_needs_only_what_every_desktop_has(bundle: Path) -> None:
    """Where libxcb-cursor0 and its kin are missing the bundle still starts: they resolve inside it."""
    if shutil.which("ldd") is None:
        pytest.skip("ldd is not installed")
    internal = bundle / "_internal"
    plugin = internal / "PySide6" / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    # As the bundle's loader sets it up: its own folders first (PyInstaller's LD_LIBRARY_PATH and the rpaths).
    env = dict(os.environ, LD_LIBRARY_PATH=f"{internal}:{internal / 'PySide6' / 'Qt' / 'lib'}")
    listing = subprocess.run(["ldd", str(plugin)], env=env, capture_output=True, text=True, check=True).stdout
    resolved = dict(re.findall(r"^\s*(\S+) => (\S+)", listing, re.MULTILINE))
    assert "not found" not in resolved.values(), listing
    outside = {name for name, path in resolved.items() if not Path(path).resolve().is_relative_to(bundle.resolve())}
    inside = set(resolved) - outside
    assert outside <= SYSTEM, sorted(outside - SYSTEM)
    assert XCB_HELPERS <= inside, sorted(XCB_HELPERS - inside)


def test_the_desktop_entry_points_at_the_bundle_and_follows_it(bundle: Path, clean_env: dict[str, str], tmp_path: Path) -> None:
    xdg = {"XDG_DATA_HOME": str(tmp_path / "share"), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    env = dict(clean_env, **xdg)
    entry = tmp_path / "share" / "applications" / f"{APP_ID}.desktop"
    autostart = tmp_path / "config" / "autostart" / f"{APP_ID}.desktop"

    def run(folder: Path, *args: str) -> str:
        done = subprocess.run([str(folder / "habitdesk"), *args], env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return done.stdout

    run(bundle, "--install-desktop-entry", "--autostart")
    assert f"Exec={bundle / 'habitdesk'}" in entry.read_text().splitlines()
    assert f"Exec={bundle / 'habitdesk'} --tray" in autostart.read_text().splitlines()
    if shutil.which("desktop-file-validate"):
        for path in (entry, autostart):
            checked = subprocess.run(["desktop-file-validate", str(path)], capture_output=True, text=True)
            assert checked.returncode == 0 and not checked.stdout.strip(), checked.stdout
    else:
        pytest.fail("desktop-file-validate is missing (Debian: desktop-file-utils)")

    moved = tmp_path / "elsewhere" / "HabitDesk"  # unpacked again somewhere else (hard links: instant)
    moved.parent.mkdir()
    subprocess.run(["cp", "-al", str(bundle), str(moved)], check=True)
    run(moved, "--install-desktop-entry")
    assert f"Exec={moved / 'habitdesk'}" in entry.read_text().splitlines()
    assert f"Exec={moved / 'habitdesk'} --tray" in autostart.read_text().splitlines()

    out = run(moved, "--uninstall-desktop-entry")
    assert f"removed {entry}" in out.splitlines()
    assert not entry.exists() and not autostart.exists()


def test_a_second_launch_wakes_the_first_and_exits(bundle: Path, clean_env: dict[str, str]) -> None:
    from habitdesk.services.single_instance import lock_path

    env = dict(clean_env, QT_QPA_PLATFORM="offscreen")
    first = subprocess.Popen([str(bundle / "habitdesk"), "--quit-after", "30000"], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        lock = lock_path(Path(clean_env["HOME"]) / ".local" / "share" / "HabitDesk")  # the default data folder
        deadline = time.monotonic() + 30
        while not lock.exists() and first.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert lock.exists(), "the first launch never took the data folder"
        second = subprocess.run([str(bundle / "habitdesk")], env=env, capture_output=True, text=True, timeout=60)
        assert second.returncode == 0, second.stderr  # it woke the first and left, instead of opening a second window
        assert first.poll() is None
    finally:
        first.terminate()
        first.communicate(timeout=30)
