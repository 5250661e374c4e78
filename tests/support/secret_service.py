"""A real Secret Service for tests: gnome-keyring on a private D-Bus (DESIGN.md §6).

The bus's configuration lists no service directories, so nothing else installed
on the machine starts on it; XDG_DATA_HOME points into the test's folder, so the
keyring file is the test's own.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

from tests.support import dbus_session


def missing_tools() -> list[str]:
    return dbus_session.missing_tools() + [t for t in ("gnome-keyring-daemon",) if shutil.which(t) is None]


class SecretService:
    """gnome-keyring, unlocked, on the notification tier's isolated session bus."""

    def __init__(self, folder: Path, password: str = "keyring-unlock") -> None:
        self.folder = folder
        self.password = password
        self.bus: dbus_session.IsolatedSessionBus | None = None
        self.daemon: subprocess.Popen | None = None
        self.env: dict[str, str] = {}

    def start(self) -> dict[str, str]:
        """Start the bus and an unlocked gnome-keyring; returns the environment variables to use it."""
        self.folder.mkdir(parents=True, exist_ok=True)
        for sub in ("data", "runtime", "home"):
            (self.folder / sub).mkdir(exist_ok=True)
        os.chmod(self.folder / "runtime", 0o700)
        self.bus = dbus_session.IsolatedSessionBus(self.folder).start()
        self.env = {
            "DBUS_SESSION_BUS_ADDRESS": self.bus.address,
            "XDG_DATA_HOME": str(self.folder / "data"),
            "XDG_RUNTIME_DIR": str(self.folder / "runtime"),
        }
        env = dict(os.environ, **self.env, HOME=str(self.folder / "home"))
        self.daemon = subprocess.Popen(["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
                                       stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        self.daemon.stdin.write(self.password.encode())
        self.daemon.stdin.close()
        deadline = time.monotonic() + 10
        while not self.bus.has_owner("org.freedesktop.secrets"):
            if time.monotonic() > deadline:
                raise RuntimeError("gnome-keyring did not take org.freedesktop.secrets in 10 s")
            time.sleep(0.05)
        return self.env

    def stop(self) -> None:
        if self.daemon is not None and self.daemon.poll() is None:
            self.daemon.terminate()
            try:
                self.daemon.wait(5)
            except subprocess.TimeoutExpired:
                self.daemon.kill()
                self.daemon.wait(5)
        self.daemon = None
        if self.bus is not None:
            self.bus.stop()
            self.bus = None
