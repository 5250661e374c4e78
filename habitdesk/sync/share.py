"""One pass over an account's shared history: read what other computers wrote, write what changed here.

The collection holds one object per habit and one per habit and year
(sync.share_format). A pass asks for the collection's changes since its sync token
(one request when nothing changed), fetches the objects whose etag it has not
seen, merges them day by day (the later stamp wins), then writes each object this
computer changed since its last pass, with If-Match: when another computer wrote
it meanwhile (412), that version is read and merged first. Every object is the
whole state of its habit or year, so a pass that stops half-way loses nothing:
the next one finds what is left.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any, Protocol

from habitdesk.sync.remote import Precondition, Remote, TokenRefused, path_of
from habitdesk.sync.share_format import digest, parse, render, split_name

FETCH_BATCH = 100
RETRIES = 3


class ShareLocal(Protocol):
    """The data file as the shared history's pass sees it (facade.share)."""

    token: str

    def transaction(self) -> AbstractContextManager[object]: ...
    def save_token(self, token: str) -> None: ...
    def objects(self) -> dict[str, tuple[str, str, str]]: ...
    def listed(self, names: set[str]) -> None: ...
    def unparked(self, known: dict[str, tuple[str, str, str]]) -> list[str]: ...
    def save_object(self, name: str, href: str, etag: str, digest: str) -> None: ...
    def drop_object(self, name: str) -> None: ...
    def pending(self) -> tuple[int, set[str]]: ...
    def body(self, name: str) -> tuple[dict[str, Any], str] | None: ...
    def merge(self, name: str, body: dict[str, Any]) -> bool: ...
    def pushed(self, seq: int) -> None: ...


class ShareReport:
    """What a pass did: objects read and merged, objects written, unreadable ones, requests sent."""

    def __init__(self) -> None:
        self.pulled = 0
        self.pushed = 0
        self.unreadable = 0
        self.requests = 0
        self.habits = 0  # habits new here (the data file's side fills these in)
        self.days = 0
        self.merged: list[str] = []


def _habits_first(name: str) -> tuple[bool, str]:
    return (not name.startswith("habit-"), name)


def _name_of(href: str) -> str:
    base = path_of(href).rstrip("/").rsplit("/", 1)[-1]
    return base.removesuffix(".ics")


def survey(remote: Remote) -> dict[str, dict[str, Any]]:
    """Every readable object in the collection, name -> body (a joining computer's preview)."""
    _, listing = remote.listing()
    hrefs = sorted(listing)
    bodies: dict[str, dict[str, Any]] = {}
    for start in range(0, len(hrefs), FETCH_BATCH):
        for _etag, text in remote.fetch(hrefs[start:start + FETCH_BATCH]).values():
            parsed = parse(text)
            if parsed is not None:
                bodies[parsed[0]] = parsed[1]
    return bodies


class ShareEngine:
    def __init__(self, local: ShareLocal, remote: Remote) -> None:
        self.local, self.remote = local, remote
        self.report = ShareReport()

    def run(self, *, pull: bool = True) -> ShareReport:
        known = self.local.objects()
        if pull:
            self._pull(known)
        self._push(known)
        self.report.requests = self.remote.requests
        return self.report

    # -- reading ----------------------------------------------------------------------
    def _pull(self, known: dict[str, tuple[str, str, str]]) -> None:
        changed, gone, token = self._changes(known)
        seen = {href: etag for href, etag, _ in known.values()}
        self.local.listed({_name_of(href) for href in changed})
        wanted = sorted((h for h, etag in changed.items() if seen.get(h) != etag or not etag),
                        key=lambda h: _habits_first(_name_of(h)))
        self._fetch(wanted, known)
        gone |= self._fetch(self.local.unparked(known), known)  # habits back (perhaps just now): their days again
        with self.local.transaction():
            for name in [n for n, (href, _, _) in known.items() if href in gone]:
                self.local.drop_object(name)  # written again by the next push that changes it
                del known[name]
            self.local.save_token(token)

    def _fetch(self, hrefs: list[str], known: dict[str, tuple[str, str, str]]) -> set[str]:
        """Read these objects in batches and merge each; returns those the server no longer has."""
        missing: set[str] = set()
        for start in range(0, len(hrefs), FETCH_BATCH):
            batch = hrefs[start:start + FETCH_BATCH]
            fetched = self.remote.fetch(batch)
            missing.update(href for href in batch if href not in fetched)
            with self.local.transaction():
                for href in batch:
                    if href in fetched:
                        self._take(href, *fetched[href], known)
        return missing

    def _changes(self, known: dict[str, tuple[str, str, str]]) -> tuple[dict[str, str], set[str], str]:
        """(href -> etag changed, hrefs gone, the new token) since the last pass."""
        if self.local.token:
            try:
                token, changed, gone = self.remote.changes(self.local.token)
                return changed, gone, token
            except TokenRefused:
                pass
        token, listing = self.remote.listing()
        gone = {href for href, _, _ in known.values()} - set(listing)
        return listing, gone, token

    def _take(self, href: str, etag: str, text: str, known: dict[str, tuple[str, str, str]]) -> None:
        parsed = parse(text)
        if parsed is None:
            if split_name(_name_of(href)) is not None:
                self.report.unreadable += 1
            return
        name, body = parsed
        if self.local.merge(name, body):
            self.report.pulled += 1
            self._remember(name, href, etag, digest(body), known)

    def _remember(self, name: str, href: str, etag: str, written: str, known: dict[str, tuple[str, str, str]]) -> None:
        """What the collection now holds under ``name``, here and in the data file."""
        known[name] = (href, etag, written)
        self.local.save_object(name, href, etag, written)

    # -- writing ----------------------------------------------------------------------
    def _push(self, known: dict[str, tuple[str, str, str]]) -> None:
        seq, names = self.local.pending()
        for name in sorted(names, key=_habits_first):
            self._write(name, known)
        with self.local.transaction():
            self.local.pushed(seq)

    def _write(self, name: str, known: dict[str, tuple[str, str, str]]) -> None:
        href, etag, written = known.get(name, (self.remote.href_for(f"{name}.ics"), "", ""))
        for _ in range(RETRIES):
            made = self.local.body(name)
            if made is None:
                return
            body, title = made
            ours = digest(body)
            if ours == written:
                return
            try:
                new_etag = self.remote.put(href, render(name, body, title), etag=etag or None)
            except Precondition:  # another computer wrote it meanwhile: merge theirs first
                got = self.remote.get(href)
                if got is None:  # gone meanwhile: made again
                    etag, written = "", ""
                    continue
                with self.local.transaction():
                    self._take(href, *got, known)
                etag, written = got[0], known[name][2] if name in known else ""
            with self.local.transaction():
                self._remember(name, href, new_etag, ours, known)
            self.report.pushed += 1
            return
