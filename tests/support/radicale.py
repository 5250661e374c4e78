"""A real Radicale CalDAV server for tests, on a free loopback port (DESIGN.md §6)."""

from __future__ import annotations

import sys
from pathlib import Path

from tests.support.dav_server import DavServer


class RadicaleServer(DavServer):
    """Radicale with htpasswd auth (plain), delay = 0, storage in a temporary folder."""

    name = "Radicale"
    log_marker = "{method} request for"

    def __init__(self, folder: Path, users: dict[str, str] | None = None, *, tls: tuple[Path, Path] | None = None) -> None:
        super().__init__(folder, users)
        self.scheme = "https" if tls else "http"
        ssl = f"ssl = True\ncertificate = {tls[0]}\nkey = {tls[1]}\n" if tls else ""
        (folder / "users").write_text("".join(f"{u}:{p}\n" for u, p in self.users.items()))
        (folder / "config").write_text(
            f"[server]\nhosts = 127.0.0.1:{self.port}\ndelay_on_error = 0\n{ssl}"
            f"[auth]\ntype = htpasswd\nhtpasswd_filename = {folder / 'users'}\nhtpasswd_encryption = plain\ndelay = 0\n"
            f"[storage]\nfilesystem_folder = {folder / 'collections'}\n"
            "[rights]\ntype = owner_only\n[web]\ntype = none\n[logging]\nlevel = info\nmask_passwords = True\n"
        )

    @property
    def calendar_home(self) -> str:
        """Where the user's calendars are (as discovery would find it)."""
        return f"{self.url}alice/"

    def command(self) -> list[str]:
        return [sys.executable, "-m", "radicale", "--config", str(self.folder / "config")]
