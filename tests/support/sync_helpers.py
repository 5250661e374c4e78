"""Helpers for the sync tests: an in-memory keyring, a Tracker on the real date, a counting remote."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

from keyring.backend import KeyringBackend


def other_computer(folder: Path, *args: str) -> str:
    """Another computer: its own data folder, through the CLI in its own process (password on stdin)."""
    env = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring", TZ="Europe/Berlin")
    done = subprocess.run([sys.executable, "-m", "habitdesk.cli", "--data-dir", str(folder), *args],
                          input="wonderland\n", capture_output=True, text=True, env=env, timeout=180)
    assert done.returncode == 0, done.stderr
    return done.stdout


class MemoryKeyring(KeyringBackend):
    """Unit-test keyring (DESIGN.md §6: keyring.set_keyring); never shipped."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


class HangingServer:
    """Accepts TCP connections and never answers: a server that hangs."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def _serve(self) -> None:
        self.sock.settimeout(0.1)
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.accepted.append(conn)  # read nothing, answer nothing

    def close(self) -> None:
        self._stop.set()
        self.thread.join(2)
        for conn in self.accepted:
            conn.close()
        self.sock.close()
