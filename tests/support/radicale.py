"""A real Radicale CalDAV server for tests, on a free loopback port (DESIGN.md §6)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RadicaleServer:
    """Radicale with htpasswd auth (plain), delay = 0, storage in a temporary folder."""

    name = "Radicale"

    def __init__(self, folder: Path, users: dict[str, str] | None = None, *, tls: tuple[Path, Path] | None = None) -> None:
        self.folder = folder
        self.users = dict(users or {"alice": "wonderland"})
        self.port = free_port()
        self.proc: subprocess.Popen | None = None
        self.log = folder / "radicale.log"
        self.scheme = "https" if tls else "http"
        self.phones: list = []
        ssl = f"ssl = True\ncertificate = {tls[0]}\nkey = {tls[1]}\n" if tls else ""
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "users").write_text("".join(f"{u}:{p}\n" for u, p in self.users.items()))
        (folder / "config").write_text(
            f"[server]\nhosts = 127.0.0.1:{self.port}\ndelay_on_error = 0\n{ssl}"
            f"[auth]\ntype = htpasswd\nhtpasswd_filename = {folder / 'users'}\nhtpasswd_encryption = plain\ndelay = 0\n"
            f"[storage]\nfilesystem_folder = {folder / 'collections'}\n"
            "[rights]\ntype = owner_only\n[web]\ntype = none\n[logging]\nlevel = info\nmask_passwords = True\n"
        )

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}/"

    @property
    def calendar_home(self) -> str:
        """Where the user's calendars are (as discovery would find it)."""
        return f"{self.url}alice/"

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "radicale", "--config", str(self.folder / "config")],
                stdout=out, stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"Radicale exited: {self.log.read_text()[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("Radicale did not start in 15 s")

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
        return self.log.read_text(errors="replace").count(f"{method} request for")
