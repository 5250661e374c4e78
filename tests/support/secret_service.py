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

BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={folder}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


def missing_tools() -> list[str]:
    return [tool for tool in ("dbus-daemon", "gnome-keyring-daemon") if shutil.which(tool) is None]


class SecretService:
    def __init__(self, folder: Path, password: str = "keyring-unlock") -> None:
        self.folder = folder
        self.password = password
        self.procs: list[subprocess.Popen] = []
        self.env: dict[str, str] = {}

    def start(self) -> dict[str, str]:
        """Start the bus and an unlocked gnome-keyring; returns the environment variables to use it."""
        self.folder.mkdir(parents=True, exist_ok=True)
        for sub in ("bus", "data", "runtime", "home"):
            (self.folder / sub).mkdir(exist_ok=True)
        os.chmod(self.folder / "runtime", 0o700)
        config = self.folder / "bus.conf"
        config.write_text(BUS_CONFIG.format(folder=self.folder / "bus"))
        bus = subprocess.Popen(["dbus-daemon", f"--config-file={config}", "--nofork", "--print-address=1"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.procs.append(bus)
        address = bus.stdout.readline().strip()
        if not address:
            raise RuntimeError("dbus-daemon did not print its address")
        self.env = {
            "DBUS_SESSION_BUS_ADDRESS": address,
            "XDG_DATA_HOME": str(self.folder / "data"),
            "XDG_RUNTIME_DIR": str(self.folder / "runtime"),
        }
        env = dict(os.environ, **self.env, HOME=str(self.folder / "home"))
        daemon = subprocess.Popen(["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
                                  stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        daemon.stdin.write(self.password.encode())
        daemon.stdin.close()
        self.procs.append(daemon)
        self._wait_for_secrets()
        return self.env

    def _wait_for_secrets(self) -> None:
        from jeepney import DBusAddress, new_method_call
        from jeepney.io.blocking import open_dbus_connection

        bus = DBusAddress("/org/freedesktop/DBus", bus_name="org.freedesktop.DBus", interface="org.freedesktop.DBus")
        deadline = time.monotonic() + 10
        with open_dbus_connection(self.env["DBUS_SESSION_BUS_ADDRESS"]) as conn:
            while time.monotonic() < deadline:
                reply = conn.send_and_get_reply(new_method_call(bus, "NameHasOwner", "s", ("org.freedesktop.secrets",)))
                if reply.body[0]:
                    return
                time.sleep(0.05)
        raise RuntimeError("gnome-keyring did not take org.freedesktop.secrets in 10 s")

    def stop(self) -> None:
        for proc in reversed(self.procs):
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(5)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(5)
            if proc.stdout:
                proc.stdout.close()
        self.procs.clear()
