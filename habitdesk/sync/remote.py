"""The CalDAV side of a sync: a few WebDAV requests on one collection, with clear errors.

A Remote is given the DAVClient it speaks through (caldav is not thread-safe:
the facade keeps one per account, used by one thread). Discovery goes through the principal; after that the collection's URL
(as the server gave it) is used directly, so a sync with no changes costs one
PROPFIND (a cheap getlastmodified) or two (and the ctag).
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from urllib.parse import unquote, urljoin, urlsplit
from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape

from habitdesk.sync.errors import AuthFailed, CollectionMissing, SyncError, Unreachable

TYPE_CHECKING = False
if TYPE_CHECKING:
    from caldav.davclient import DAVClient

log = logging.getLogger(__name__)

TIMEOUT = (5.0, 30.0)  # seconds to connect, to read
# A reply's body must arrive whole within this many seconds (the read timeout above
# is per read: a server sending a byte now and then would hold a sync for ever) ...
REPLY_DEADLINE = 60.0
# ... and be no larger than this: a calendar of thousands of tasks is a few MiB.
REPLY_LIMIT = 32 * 1024 * 1024
# A pass over one collection stops sending after this long; the next pass goes on
# where it stopped (every write is a whole object, so nothing is lost).
PASS_DEADLINE = 15 * 60.0
DAV, CALDAV, CS = "DAV:", "urn:ietf:params:xml:ns:caldav", "http://calendarserver.org/ns/"
_NS = f'xmlns:d="{DAV}" xmlns:c="{CALDAV}" xmlns:cs="{CS}"'


class TokenRefused(SyncError):
    """The server no longer accepts the stored sync token: list everything instead."""


class Precondition(SyncError):
    """412: the resource changed (If-Match) or exists already (If-None-Match)."""


class Connection:
    """Credentials and transport options of one account."""

    def __init__(self, url: str, username: str, password: str, *, ca_file: str = "",
                 timeout: tuple[float, float] = TIMEOUT) -> None:
        self.url, self.username, self.password = url, username, password
        self.ca_file, self.timeout = ca_file, timeout

    def client(self) -> DAVClient:
        from caldav.davclient import DAVClient

        client = DAVClient(
            url=self.url, username=self.username, password=self.password, auth_type="basic",
            timeout=self.timeout,  # type: ignore[arg-type]  # handed to requests: (connect, read)
            ssl_verify_cert=self.ca_file or True, rate_limit_handle=False,
            enable_rfc6764=False, require_tls=False,
        )
        client.session.hooks.setdefault("response", []).append(_bounded_reply)
        return client


def _bounded_reply(response, *args: object, **kwargs: object):  # noqa: ANN001, ANN202 - a niquests Response hook
    """Before a reply's body is read: it must come whole within REPLY_DEADLINE and stay under REPLY_LIMIT.

    A read blocks until it has the bytes it asked for, so a watchdog shuts the
    connection when the deadline passes during a read; the read then fails and
    the sync says the server is too slow.
    """
    host = urlsplit(str(response.url or "")).netloc or "the server"
    length = str(response.headers.get("Content-Length") or "")
    if length.isdigit() and int(length) > REPLY_LIMIT:
        raise SyncError(f"{host} sent a reply of {int(length) // 2**20} MiB; more than {REPLY_LIMIT // 2**20} MiB is refused")
    raw = getattr(response, "raw", None)
    sock = getattr(getattr(raw, "_connection", None), "sock", None)
    if raw is None or not hasattr(raw, "read"):
        return response
    state = {"received": 0, "reading": False, "late": False}
    started, read = time.monotonic(), raw.read
    too_slow_text = f"{host} is too slow: its reply did not arrive within {REPLY_DEADLINE:.0f} s"

    def too_slow() -> None:
        if state["reading"] and sock is not None:  # only a read still waiting: never a connection reused since
            state["late"] = True
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    watchdog = threading.Timer(REPLY_DEADLINE, too_slow)
    watchdog.daemon = True
    watchdog.start()

    def check(chunk: bytes) -> bytes:
        state["received"] += len(chunk or b"")
        if state["received"] > REPLY_LIMIT:
            raise SyncError(f"{host} sent a reply of more than {REPLY_LIMIT // 2**20} MiB; it is refused")
        if time.monotonic() - started > REPLY_DEADLINE:
            raise Unreachable(too_slow_text)
        return chunk

    def bounded_read(amt: int | None = None, *args: object, **kwargs: object) -> bytes:
        state["reading"] = True
        try:
            if amt is not None:
                chunk = check(read(amt, *args, **kwargs))
                if not chunk:
                    watchdog.cancel()
                return chunk
            parts = []
            while chunk := check(read(1 << 20, *args, **kwargs)):
                parts.append(chunk)
            watchdog.cancel()
            return b"".join(parts)
        except Exception:
            watchdog.cancel()
            if state["late"]:
                raise Unreachable(too_slow_text) from None
            raise
        finally:
            state["reading"] = False

    raw.read = bounded_read
    return response


def close_client(client) -> None:  # noqa: ANN001 - a caldav.DAVClient
    try:
        client.close()
    except Exception:  # noqa: BLE001 - closing a broken session must not hide the real error
        pass


def _tag(ns: str, name: str) -> str:
    return f"{{{ns}}}{name}"


def path_of(href: str) -> str:
    """The path of an href (servers answer with absolute paths or full URLs), unquoted."""
    return unquote(urlsplit(href).path)


class Remote:
    """One collection on one server."""

    def __init__(self, client, collection_url: str) -> None:  # noqa: ANN001 - a caldav.DAVClient (Connection.client())
        self.client = client
        self.url = collection_url if collection_url.endswith("/") else collection_url + "/"
        self.requests = 0
        self.deadline = time.monotonic() + PASS_DEADLINE

    # -- transport ----------------------------------------------------------------
    def _request(self, url: str, method: str, body: str = "", headers: dict | None = None):  # noqa: ANN202
        if time.monotonic() > self.deadline:
            host = urlsplit(self.url).netloc or "the server"
            raise Unreachable(f"{host} is too slow: the sync stopped after {PASS_DEADLINE / 60:.0f} minutes "
                              "and goes on at the next one")
        self.requests += 1
        return guarded(lambda: self.client.request(url, method, body, headers or {}), method)

    def _send_xml(self, url: str, method: str, body: str, depth: str | None, refused: tuple[int, ...] = ()):  # noqa: ANN202
        """Send an XML request and check its status; ``refused`` are the statuses that mean the sync token was not accepted."""
        headers = {"Content-Type": 'application/xml; charset="utf-8"'}
        if depth is not None:
            headers["Depth"] = depth
        response = self._request(url, method, body, headers)
        if response.status == 404 and path_of(url) == path_of(self.url):
            raise CollectionMissing(f"the calendar {path_of(self.url)} no longer exists on the server")
        if response.status in refused:
            raise TokenRefused(f"the server did not accept the sync token ({response.status})")
        _check_status(response.status, method)
        return response

    def _xml(self, url: str, method: str, body: str, depth: str | None,
             refused: tuple[int, ...] = ()) -> tuple[int, ET.Element | None]:
        """Send an XML request; its status and parsed reply (None when empty)."""
        response = self._send_xml(url, method, body, depth, refused)
        raw = response._raw or b""  # noqa: SLF001 - the body as received
        if not raw:
            return response.status, None
        try:
            return response.status, ET.fromstring(raw if isinstance(raw, bytes) else raw.encode())
        except ET.ParseError as exc:
            raise SyncError(f"the server sent a reply to {method} that is not XML ({exc})") from None

    # -- collection state -----------------------------------------------------------
    def modified(self) -> tuple[str, str]:
        """(DAV:getlastmodified of the collection, the server's Date header); "" where the server gave none.

        The cheapest question a server answers about a collection: Radicale, for
        one, reads every member to compute a ctag or sync token, but only stats
        them for this.
        """
        body = f'<?xml version="1.0" encoding="utf-8"?><d:propfind {_NS}><d:prop><d:getlastmodified/></d:prop></d:propfind>'
        response = self._send_xml(self.url, "PROPFIND", body, "0")
        raw = response._raw or b""  # noqa: SLF001 - the body as received
        server_date = (response.headers.get("Date") or "").strip()
        try:
            tree = ET.fromstring(raw if isinstance(raw, bytes) else raw.encode()) if raw else None
        except ET.ParseError:
            return "", server_date  # no verdict: the full check follows
        for propstat in [] if tree is None else tree.iter(_tag(DAV, "propstat")):
            if " 200" in (propstat.findtext(_tag(DAV, "status")) or ""):
                found = (propstat.findtext(f".//{_tag(DAV, 'getlastmodified')}") or "").strip()
                if found:
                    return found, server_date
        return "", server_date

    def state(self, *, with_token: bool = True) -> tuple[str, str]:
        """(sync token, ctag) of the collection; either may be empty (the token always is without ``with_token``).

        Once a server is known to keep a ctag, only the ctag is asked for: when it
        moved, the sync REPORT hands back the new token anyway, and Radicale
        computes each of the two by reading every member.
        """
        token_prop = "<d:sync-token/>" if with_token else ""
        body = f'<?xml version="1.0" encoding="utf-8"?><d:propfind {_NS}><d:prop>{token_prop}<cs:getctag/></d:prop></d:propfind>'
        _, tree = self._xml(self.url, "PROPFIND", body, "0")
        if tree is None:
            return "", ""
        token = tree.findtext(f".//{_tag(DAV, 'sync-token')}") or ""
        ctag = tree.findtext(f".//{_tag(CS, 'getctag')}") or ""
        return token.strip(), ctag.strip()

    def changes(self, token: str) -> tuple[str, dict[str, str], set[str]]:
        """(new token, href -> etag of changed resources, hrefs deleted) since ``token``."""
        body = (f'<?xml version="1.0" encoding="utf-8"?><d:sync-collection {_NS}><d:sync-token>{escape(token)}</d:sync-token>'
                "<d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>")
        # RFC 6578 says 403 (Radicale; caldav raises it as an authorisation error,
        # though the login was just accepted); others answer 409, 412 (Xandikos) or 400.
        try:
            _, tree = self._xml(self.url, "REPORT", body, "0", refused=(400, 403, 409, 412))
        except AuthFailed as exc:
            raise TokenRefused(str(exc)) from None
        if tree is None:
            raise TokenRefused("empty sync report")
        changed, deleted = {}, set()
        for response in tree.iter(_tag(DAV, "response")):
            href = path_of(response.findtext(_tag(DAV, "href")) or "")
            if not href or href == path_of(self.url):
                continue
            status = response.findtext(_tag(DAV, "status")) or ""
            etag = response.findtext(f".//{_tag(DAV, 'getetag')}")
            if " 404" in status or (etag is None and " 200" not in status):
                deleted.add(href)
            elif etag is not None:
                changed[href] = etag.strip()
        new_token = (tree.findtext(_tag(DAV, "sync-token")) or "").strip()
        return new_token, changed, deleted

    def listing(self) -> tuple[str, dict[str, str]]:
        """(the collection's sync token or "", href -> etag of every resource in it), in one PROPFIND."""
        body = f'<?xml version="1.0" encoding="utf-8"?><d:propfind {_NS}><d:prop><d:getetag/><d:sync-token/></d:prop></d:propfind>'
        _, tree = self._xml(self.url, "PROPFIND", body, "1")
        found, token = {}, ""
        for response in [] if tree is None else tree.iter(_tag(DAV, "response")):
            href = path_of(response.findtext(_tag(DAV, "href")) or "")
            if href.rstrip("/") == path_of(self.url).rstrip("/"):
                token = (response.findtext(f".//{_tag(DAV, 'sync-token')}") or "").strip()
                continue
            etag = response.findtext(f".//{_tag(DAV, 'getetag')}")
            if href and etag:
                found[href] = etag.strip()
        return token, found

    def fetch(self, hrefs: list[str]) -> dict[str, tuple[str, str]]:
        """href -> (etag, iCalendar text), in one calendar-multiget."""
        if not hrefs:
            return {}
        wanted = "".join(f"<d:href>{escape(h)}</d:href>" for h in hrefs)
        body = (f'<?xml version="1.0" encoding="utf-8"?><c:calendar-multiget {_NS}><d:prop><d:getetag/><c:calendar-data/></d:prop>'
                f"{wanted}</c:calendar-multiget>")
        _, tree = self._xml(self.url, "REPORT", body, "1")
        found = {}
        for response in [] if tree is None else tree.iter(_tag(DAV, "response")):
            href = path_of(response.findtext(_tag(DAV, "href")) or "")
            data = response.findtext(f".//{_tag(CALDAV, 'calendar-data')}")
            etag = response.findtext(f".//{_tag(DAV, 'getetag')}") or ""
            if href and data is not None:
                found[href] = (etag.strip(), data)
        return found

    def get(self, href: str) -> tuple[str, str] | None:
        """(etag, text) of one resource; None when it is gone."""
        response = self._request(self._absolute(href), "GET")
        if response.status in (404, 410):
            return None
        _check_status(response.status, "GET")
        raw = response._raw or b""  # noqa: SLF001
        text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
        return (response.headers.get("ETag") or "").strip(), text

    # -- writing ----------------------------------------------------------------------
    def href_for(self, name: str) -> str:
        return path_of(self.url) + name

    def put(self, href: str, text: str, *, etag: str | None, unconditional: bool = False) -> str:
        """Create (etag None: If-None-Match: *) or update (If-Match) a resource; returns its new etag.

        Raises Precondition on 412. ``unconditional`` writes whatever is there (resources only HabitDesk writes).
        """
        headers = {"Content-Type": "text/calendar; charset=utf-8"}
        if not unconditional:
            headers["If-Match" if etag else "If-None-Match"] = etag or "*"
        response = self._request(self._absolute(href), "PUT", text, headers)
        if response.status == 412:
            raise Precondition(f"{href} changed on the server")
        if response.status == 404:
            raise CollectionMissing(f"the calendar {path_of(self.url)} no longer exists on the server")
        _check_status(response.status, "PUT")
        return (response.headers.get("ETag") or "").strip()

    def delete(self, href: str) -> None:
        response = self._request(self._absolute(href), "DELETE")
        if response.status not in (404, 410, 412):
            _check_status(response.status, "DELETE")

    def _absolute(self, href: str) -> str:
        return urljoin(self.url, href)


def guarded(call, what: str):  # noqa: ANN001, ANN201
    """Run a caldav call, turning its exceptions into SyncError kinds."""
    from caldav.lib import error

    try:
        return call()
    except error.AuthorizationError as exc:
        reason = getattr(exc, "reason", "") or ""
        raise AuthFailed(f"the server refused the user name or password ({reason or 'unauthorized'})") from None
    except error.RateLimitError:
        raise Unreachable("the server asks to slow down (rate limited)") from None
    except error.NotFoundError as exc:
        raise CollectionMissing(f"not found on the server: {exc.url if hasattr(exc, 'url') else exc}") from None
    except OSError as exc:
        raise Unreachable(_network_reason(exc)) from None
    except error.DAVError as exc:
        raise SyncError(f"{what} failed: {exc}") from None
    except (SyntaxError, ValueError) as exc:  # lxml's XMLSyntaxError is a SyntaxError: a reply that is not XML
        raise SyncError(f"the server's reply to {what} could not be read ({_short(str(exc))})") from None


def _network_reason(exc: OSError) -> str:
    name = type(exc).__name__
    text = str(exc)
    if "Timeout" in name or "timed out" in text.lower():
        return "the server did not answer in time"
    if "SSL" in name or "certificate" in text.lower():
        return f"the server's TLS certificate was not accepted ({_short(text)})"
    if "Name or service not known" in text or "resolve" in text.lower() or "getaddrinfo" in text:
        return "the server's name could not be found (DNS)"
    if "refused" in text.lower():
        return "the server refused the connection (is it running?)"
    return f"the server cannot be reached ({_short(text) or name})"


def _short(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= 160 else line[:157] + "..."


def _check_status(status: int, method: str) -> None:
    if status in (401, 403):
        raise AuthFailed(f"the server refused access ({status})")
    if status >= 500:
        raise Unreachable(f"the server failed with {status} on {method}")
    if status >= 400:
        raise SyncError(f"the server answered {status} to {method}")
