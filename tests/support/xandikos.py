"""A real Xandikos CalDAV server for tests, on a free loopback port: a second server besides Radicale.

Xandikos leaves authentication to a proxy in front of it, so it accepts any
user name and password; the tests that need a refusal run against Radicale.
"""

from __future__ import annotations

import sys

from tests.support.dav_server import DavServer


class XandikosServer(DavServer):
    """Xandikos serving a temporary folder, with a default calendar under /user/."""

    name = "Xandikos"
    start_timeout_s = 20.0
    log_marker = '"{method} '  # its access log: "PUT /path HTTP/1.1" 201

    @property
    def calendar_home(self) -> str:
        """Where the user's calendars are (as discovery would find it)."""
        return f"{self.url}user/calendars/"

    def command(self) -> list[str]:
        return [sys.executable, "-m", "xandikos", "serve", "-d", str(self.folder / "root"), "--defaults",
                "-l", "127.0.0.1", "-p", str(self.port), "--no-detect-systemd"]

    def environment(self) -> dict[str, str]:
        return dict(super().environment(), XDG_DATA_HOME=str(self.folder / "state"))
