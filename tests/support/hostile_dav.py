"""A tiny CalDAV server that answers badly on purpose, for the hostile-server tests."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

REPLIES = {
    # XML with control characters, which no XML parser accepts.
    "control-characters": (207, "application/xml; charset=utf-8",
                           b'<?xml version="1.0"?><d:multistatus xmlns:d="DAV:"><d:response>\x01\x02\x1b</d:response></d:multistatus>'),
    # Not XML at all.
    "not-xml": (207, "application/xml", b"<html><body>Welcome to my blog</body></html"),
    # Asks for a login, and keeps every Authorization header it is sent: where a leaked password would go.
    "unauthorized": (401, "text/plain", b""),
    # Announces a small reply, then sends it one byte at a time, slowly: a server that hangs a sync.
    "trickle": (207, "application/xml", b'<?xml version="1.0"?>' + b" " * 4000),
    # A reply far bigger than any calendar's (40 MiB), sent as fast as the socket takes it, with no length announced.
    "huge": (207, "application/xml", b""),
}
TRICKLE_PAUSE = 0.2  # seconds between the bytes of a trickle
HUGE_MIB = 40


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
                if mode == "huge":
                    self.send_header("Connection", "close")
                    self.end_headers()
                    block = b"<x>" + b"a" * (1024 * 1024 - 7) + b"</x>"
                    try:
                        for _ in range(HUGE_MIB):
                            self.wfile.write(block)
                    except OSError:
                        pass  # the client gave up, as it should
                    return
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if mode != "trickle":
                    self.wfile.write(body)
                    return
                try:
                    for byte in body:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        time.sleep(TRICKLE_PAUSE)
                except OSError:
                    pass

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
