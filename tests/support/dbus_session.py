"""An isolated D-Bus session bus for tests, and a handle on the test notification server.

IsolatedSessionBus runs `dbus-run-session --config-file=<ours>` around a small
holder process that prints the bus address and waits on stdin. Our config lists no
service directories, so nothing installed (dunst, gnome-keyring, ...) can be
activated. Closing the holder's stdin ends the session and its dbus-daemon.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from jeepney import DBusAddress, new_method_call
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import open_dbus_connection
from jeepney.wrappers import unwrap_msg

SERVICE_SCRIPT = Path(__file__).with_name("notification_service.py")
REQUIRED_TOOLS = ("dbus-run-session", "dbus-daemon")

SESSION_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:dir={socket_dir}</listen>
  <auth>EXTERNAL</auth>
  <!-- No <servicedir> and no <standard_session_servicedirs/>: nothing is ever auto-started. -->
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""

HOLDER = "import os, sys; print(os.environ['DBUS_SESSION_BUS_ADDRESS'], flush=True); sys.stdin.read()"


def missing_tools() -> list[str]:
    return [tool for tool in REQUIRED_TOOLS if shutil.which(tool) is None]


def _read_line(proc: subprocess.Popen, timeout: float, what: str) -> str:
    assert proc.stdout is not None
    ready, _, _ = select.select([proc.stdout], [], [], timeout)
    if not ready:
        raise RuntimeError(f"{what} printed nothing within {timeout:g} s")
    line = proc.stdout.readline().strip()
    if not line:
        raise RuntimeError(f"{what} exited (status {proc.wait(5)}) before it was ready")
    return line


def _end(proc: subprocess.Popen, timeout: float = 5.0) -> None:
    """Wait for proc; then SIGTERM, then SIGKILL its process group (it has its own)."""
    for sig in (None, signal.SIGTERM, signal.SIGKILL):
        if sig is not None:
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:
                pass
        try:
            proc.wait(timeout)
            break
        except subprocess.TimeoutExpired:
            continue
    for stream in (proc.stdin, proc.stdout):
        if stream is not None:
            stream.close()


class NotificationService:
    """The test server running as a subprocess on the bus; calls its control interface."""

    def __init__(self, bus: IsolatedSessionBus, *args: str) -> None:
        self.bus = bus
        env = dict(os.environ, DBUS_SESSION_BUS_ADDRESS=bus.address)
        self.proc = subprocess.Popen(
            [sys.executable, str(SERVICE_SCRIPT), *args],
            stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True, env=env, start_new_session=True,
        )
        ready = json.loads(_read_line(self.proc, 20, "the notification service"))
        if "error" in ready:
            _end(self.proc)
            raise RuntimeError(ready["error"])
        self.unique_name: str = ready["unique_name"]
        self._control = DBusAddress("/org/habitdesk/Test", bus_name=self.unique_name, interface="org.habitdesk.Test")

    def _call(self, method: str, signature: str | None = None, body: tuple = ()) -> tuple:
        reply = self.bus.connection.send_and_get_reply(
            new_method_call(self._control, method, signature, body), timeout=10
        )
        return unwrap_msg(reply)

    def calls(self, method: str | None = None) -> list[dict]:
        """Every recorded call on org.freedesktop.Notifications (or those of one method)."""
        calls = json.loads(self._call("Calls")[0])
        return [c for c in calls if method is None or c["method"] == method]

    def wait_for_calls(self, method: str, count: int = 1, timeout: float = 10.0) -> list[dict]:
        """Poll until at least count calls of method were recorded; return them all."""
        deadline = time.monotonic() + timeout
        while True:
            calls = self.calls(method)
            if len(calls) >= count or time.monotonic() > deadline:
                return calls
            time.sleep(0.02)

    def invoke(self, notification_id: int, action: str) -> None:
        """Press a button: emit ActionInvoked(id, action)."""
        self._call("Invoke", "us", (notification_id, action))

    def close_notification(self, notification_id: int, reason: int = 2) -> None:
        """Emit NotificationClosed(id, reason); 2 means dismissed by the user."""
        self._call("Close", "uu", (notification_id, reason))

    def set_hang(self, hang: bool) -> None:
        self._call("SetHang", "b", (hang,))

    def stop(self) -> None:
        """End the server and wait until the bus has released its name."""
        if self.proc.poll() is None:
            self.proc.terminate()
        _end(self.proc)
        deadline = time.monotonic() + 10
        while self.bus.has_owner("org.freedesktop.Notifications") and time.monotonic() < deadline:
            time.sleep(0.02)


class IsolatedSessionBus:
    """A private session bus; address is what DBUS_SESSION_BUS_ADDRESS should be."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.address = ""
        self._socket_dir = ""  # short: a unix socket path is limited to 108 bytes
        self._holder: subprocess.Popen | None = None
        self._conn = None
        self.services: list[NotificationService] = []

    def start(self) -> IsolatedSessionBus:
        self._socket_dir = tempfile.mkdtemp(prefix="hd-bus-")
        config = self.workdir / "session-bus.conf"
        config.write_text(SESSION_CONFIG.format(socket_dir=self._socket_dir))
        env = {k: v for k, v in os.environ.items() if not k.startswith("DBUS_")}
        self._holder = subprocess.Popen(
            ["dbus-run-session", f"--config-file={config}", "--", sys.executable, "-c", HOLDER],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env, start_new_session=True,
        )
        try:
            self.address = _read_line(self._holder, 20, "dbus-run-session")
        except Exception:
            self.stop()
            raise
        return self

    @property
    def connection(self):  # noqa: ANN201 - a jeepney blocking DBusConnection
        if self._conn is None:
            self._conn = open_dbus_connection(bus=self.address)
        return self._conn

    def has_owner(self, name: str) -> bool:
        reply = self.connection.send_and_get_reply(message_bus.NameHasOwner(name), timeout=10)
        return bool(unwrap_msg(reply)[0])

    def start_service(self, *args: str) -> NotificationService:
        service = NotificationService(self, *args)
        self.services.append(service)
        return service

    def stop(self) -> None:
        for service in self.services:
            if service.proc.poll() is None:
                service.proc.terminate()
            _end(service.proc)
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self._holder is not None:
            if self._holder.stdin is not None:
                self._holder.stdin.close()  # the holder exits; dbus-run-session ends the daemon
                self._holder.stdin = None
            _end(self._holder)
            self._holder = None
        if self._socket_dir:
            shutil.rmtree(self._socket_dir, ignore_errors=True)
