"""A CalDAV server run as a child process on a free loopback port, for tests (Radicale, Xandikos)."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class DavServer:
    """Start, stop and "phone" clients; a subclass gives its command line, URLs and log format."""

    name = ""
    scheme = "http"
    start_timeout_s = 15.0
    log_marker = "{method} "  # how the server's log shows one request

    def __init__(self, folder: Path, users: dict[str, str] | None = None) -> None:
        self.folder = folder
        self.users = dict(users or {"alice": "wonderland"})
        self.port = free_port()
        self.proc: subprocess.Popen | None = None
        self.log = folder / f"{self.name.lower()}.log"
        self.phones: list = []
        folder.mkdir(parents=True, exist_ok=True)

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}/"

    def command(self) -> list[str]:
        raise NotImplementedError

    def environment(self) -> dict[str, str]:
        """The server is another machine: under `make test-clocks` it keeps the real clock,
        as its files do (their mtimes come from the kernel, which no test moves)."""
        return {key: value for key, value in os.environ.items() if key != "HABITDESK_MOVED_CLOCK"}

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(self.command(), stdout=out, stderr=subprocess.STDOUT, env=self.environment())
        deadline = time.monotonic() + self.start_timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited: {self.log.read_text()[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"{self.name} did not start in {self.start_timeout_s:.0f} s")

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

    def requests_logged(self, method: str, *, at_least: int = 0, timeout: float = 5.0) -> int:
        """How many ``method`` requests the server has logged so far; with ``at_least``, waits
        (up to ``timeout``) for that many, since a server logs a request after answering it."""
        deadline = time.monotonic() + timeout
        while True:
            count = self.log.read_text(errors="replace").count(self.log_marker.format(method=method))
            if count >= at_least or time.monotonic() > deadline:
                return count
            time.sleep(0.05)
