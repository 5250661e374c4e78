"""Finding and creating calendar collections, through the principal (never guessing URLs)."""

from __future__ import annotations

from habitdesk.sync.errors import SyncError
from habitdesk.sync.remote import Connection, guarded

DEFAULT_NAME = "HabitDesk"


class Collection:
    __slots__ = ("name", "url", "tasks", "events", "journals")

    def __init__(self, name: str, url: str, tasks: bool, events: bool, journals: bool = False) -> None:
        self.name, self.url, self.tasks, self.events, self.journals = name, url, tasks, events, journals

    def __repr__(self) -> str:
        return f"Collection({self.name!r}, {self.url!r}, tasks={self.tasks}, events={self.events}, journals={self.journals})"


def collections(connection: Connection) -> list[Collection]:
    """Every calendar of the user; also proves that the URL, user name and password work."""
    client = connection.client()
    try:
        principal = guarded(client.principal, "finding your calendars")
        found = []
        for cal in guarded(principal.calendars, "listing calendars"):
            name = guarded(cal.get_display_name, "reading a calendar's name") or str(cal.url).rstrip("/").rsplit("/", 1)[-1]
            try:
                components = set(guarded(cal.get_supported_components, "reading a calendar's kinds"))
            except SyncError:
                components = {"VEVENT", "VTODO"}
            found.append(Collection(str(name), str(cal.url), "VTODO" in components, "VEVENT" in components,
                                    "VJOURNAL" in components))
        return found
    finally:
        client.close()


def create_collection(connection: Connection, name: str = DEFAULT_NAME, *, kind: str = "VTODO") -> Collection:
    """Make a new calendar named ``name`` for ``kind``: VTODO (tasks), VEVENT or VJOURNAL (the shared history)."""
    client = connection.client()
    try:
        principal = guarded(client.principal, "finding your calendars")
        cal = guarded(lambda: principal.make_calendar(name=name, supported_calendar_component_set=[kind]),
                      f"creating the calendar {name!r}")
        return Collection(name, str(cal.url), kind == "VTODO", kind == "VEVENT", kind == "VJOURNAL")
    finally:
        client.close()
