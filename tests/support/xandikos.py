"""A real Xandikos CalDAV server for tests, on a free loopback port: a second server besides Radicale.

Xandikos leaves authentication to a proxy in front of it, so it accepts any
user name and password; the tests that need a refusal run against Radicale.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from tests.support.radicale import free_port


class XandikosServer:
    """Xandikos serving a temporary folder, with a default calendar under /user/."""

    name = "Xandikos"

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.users = {"alice": "wonderland"}
        self.port = free_port()
        self.proc: subprocess.Popen | None = None
        self.log = folder / "xandikos.log"
        self.phones: list = []
        folder.mkdir(parents=True, exist_ok=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def calendar_home(self) -> str:
        """Where the user's calendars are (as discovery would find it)."""
        return f"{self.url}user/calendars/"

    def start(self) -> None:
        command = [sys.executable, "-m", "xandikos", "serve", "-d", str(self.folder / "root"), "--defaults",
                   "-l", "127.0.0.1", "-p", str(self.port), "--no-detect-systemd"]
        environment = dict(os.environ, XDG_DATA_HOME=str(self.folder / "state"))
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=environment)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"Xandikos exited: {self.log.read_text()[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("Xandikos did not start in 20 s")

    def stop(self) -> None:
        for client in self.phones:
            client.close()
        self.phones.clear()
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.proc = None

    def phone(self, user: str = "alice"):  # noqa: ANN201 - a caldav.DAVClient
        """A separate caldav client, playing another device (closed when the server stops)."""
        import caldav

        client = caldav.DAVClient(url=self.url, username=user, password=self.users[user], auth_type="basic")
        self.phones.append(client)
        return client

    def requests_logged(self, method: str) -> int:
        """How many ``method`` requests the server has logged so far."""
        return self.log.read_text(errors="replace").count(f'"{method} ')
