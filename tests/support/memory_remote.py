"""A CalDAV collection in memory that keeps the protocol's rules, for fast tests of the sync pass.

Every write gives a new ETag; a PUT with If-Match answers 412 (Precondition) when
the resource changed, and with If-None-Match when it exists; each change moves the
sync token and the ctag; a delta names changed resources with their ETags and
deleted ones by href; an unknown token is refused. The real-server tests
(tests/integration/test_caldav_*.py, Radicale and Xandikos) stay the judge: this
only lets the engine's own decisions run in milliseconds.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

from icalendar import Calendar

from habitdesk.sync.remote import Precondition, TokenRefused, path_of


class MemoryRemote:
    """Quacks like sync.remote.Remote."""

    def __init__(self, url: str = "http://memory.invalid/alice/habits/") -> None:
        self.url = url
        self.requests = 0
        self.resources: dict[str, tuple[str, str]] = {}  # href -> (etag, iCalendar text)
        self._changes: list[tuple[int, str]] = []  # (revision, href)
        self._revision = 0
        self._etags = itertools.count(1)

    @property
    def token(self) -> str:
        return f"memory-token-{self._revision}"

    def _changed(self, href: str) -> None:
        self._revision += 1
        self._changes.append((self._revision, href))

    def _write(self, href: str, text: str) -> str:
        etag = f'"{next(self._etags)}"'
        self.resources[href] = (etag, text)
        self._changed(href)
        return etag

    # -- what the engine asks -----------------------------------------------------
    def modified(self) -> tuple[str, str]:
        self.requests += 1
        return "", ""  # no last-modified date: the ctag decides, as with Xandikos

    def state(self, *, with_token: bool = True) -> tuple[str, str]:
        self.requests += 1
        return (self.token if with_token else ""), f"memory-ctag-{self._revision}"

    def changes(self, token: str) -> tuple[str, dict[str, str], set[str]]:
        self.requests += 1
        since = int(token.rpartition("-")[2]) if token.startswith("memory-token-") else -1
        if not 0 <= since <= self._revision:
            raise TokenRefused(f"unknown sync token {token!r}")
        touched = {href for revision, href in self._changes if revision > since}
        changed = {href: self.resources[href][0] for href in touched if href in self.resources}
        return self.token, changed, touched - set(changed)

    def listing(self) -> tuple[str, dict[str, str]]:
        self.requests += 1
        return self.token, {href: etag for href, (etag, _) in self.resources.items()}

    def fetch(self, hrefs: list[str]) -> dict[str, tuple[str, str]]:
        if not hrefs:
            return {}
        self.requests += 1
        return {href: self.resources[href] for href in hrefs if href in self.resources}

    def get(self, href: str) -> tuple[str, str] | None:
        self.requests += 1
        return self.resources.get(href)

    def href_for(self, name: str) -> str:
        return path_of(self.url) + name

    def put(self, href: str, text: str, *, etag: str | None, unconditional: bool = False) -> str:
        self.requests += 1
        current = self.resources.get(href)
        if not unconditional:
            if etag is None and current is not None:
                raise Precondition(f"{href} exists already")
            if etag is not None and (current is None or current[0] != etag):
                raise Precondition(f"{href} changed on the server")
        return self._write(href, text)

    def delete(self, href: str) -> None:
        self.requests += 1
        if self.resources.pop(href, None) is not None:
            self._changed(href)

    # -- another device -----------------------------------------------------------
    def href_of(self, uid: str) -> str:
        for href, (_, text) in self.resources.items():
            if f"UID:{uid}" in text:
                return href
        raise KeyError(uid)

    def phone_edit(self, uid: str, **props: str) -> None:
        """Another device sets properties (STATUS="COMPLETED", DESCRIPTION=...) of a task."""
        self.phone_change(uid, lambda todo: [todo.__setitem__(key.upper(), value) for key, value in props.items()])

    def phone_change(self, uid: str, change: Callable[[object], object]) -> None:
        href = self.href_of(uid)
        calendar = Calendar.from_ical(self.resources[href][1])
        change(next(iter(calendar.walk("VTODO"))))
        self._write(href, calendar.to_ical().decode())

    def phone_delete(self, uid: str) -> None:
        href = self.href_of(uid)
        del self.resources[href]
        self._changed(href)
