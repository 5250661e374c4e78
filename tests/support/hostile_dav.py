"""A tiny CalDAV server that answers badly on purpose, for the hostile-server tests."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

REPLIES = {
    # XML with control characters, which no XML parser accepts.
    "control-characters": (207, "application/xml; charset=utf-8",
                           b'<?xml version="1.0"?><d:multistatus xmlns:d="DAV:"><d:response>\x01\x02\x1b</d:response></d:multistatus>'),
    # Not XML at all.
    "not-xml": (207, "application/xml", b"<html><body>Welcome to my blog</body></html"),
    # Asks for a login, and keeps every Authorization header it is sent: where a leaked password would go.
    "unauthorized": (401, "text/plain", b""),
}


class HostileServer:
    """Answers every request with one of REPLIES; ``authorizations`` are the Authorization headers it was sent."""

    def __init__(self, mode: str) -> None:
        status, content_type, body = REPLIES[mode]
        seen: list[str] = []
        self.authorizations = seen

        class Handler(BaseHTTPRequestHandler):
            def do_PROPFIND(self) -> None:  # noqa: N802
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                seen.append(self.headers.get("Authorization", ""))
                self.send_response(status)
                if status == 401:
                    self.send_header("WWW-Authenticate", 'Basic realm="elsewhere"')
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_PUT = do_REPORT = do_OPTIONS = do_PROPFIND  # noqa: N815

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
