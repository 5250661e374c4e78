"""`habitdesk --install-desktop-entry`: the launcher, icons and autostart for this user (Linux)."""

from __future__ import annotations

import configparser
import os
import subprocess
import sys
from pathlib import Path

from habitdesk import APP_ID


def run_app(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "habitdesk.app", *args], capture_output=True, text=True,
                          timeout=60, env=dict(os.environ))


def test_install_writes_the_launcher_icons_and_autostart() -> None:
    result = run_app("--install-desktop-entry", "--autostart")
    assert result.returncode == 0, result.stderr
    data, config = Path(os.environ["XDG_DATA_HOME"]), Path(os.environ["XDG_CONFIG_HOME"])
    written = {Path(line) for line in result.stdout.splitlines()}
    launcher = data / "applications" / f"{APP_ID}.desktop"
    autostart = config / "autostart" / f"{APP_ID}.desktop"
    assert {launcher, autostart, data / "icons/hicolor/48x48/apps" / f"{APP_ID}.png"} <= written
    entry = configparser.ConfigParser(interpolation=None)
    entry.read(autostart)
    assert entry["Desktop Entry"]["Exec"].endswith("--tray")
    assert entry["Desktop Entry"]["Icon"] == APP_ID

    assert run_app("--install-desktop-entry", "--no-autostart").returncode == 0
    assert not autostart.exists()
    assert launcher.exists()


def test_autostart_alone_is_a_usage_error() -> None:
    result = run_app("--autostart")
    assert result.returncode == 2
    assert result.stderr.strip() == "habitdesk: --autostart goes with --install-desktop-entry"
