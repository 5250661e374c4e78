"""The shared history on the server: what each object holds, and how two versions of a day merge.

An account's second collection ("HabitDesk data") holds VJOURNAL objects that no
task list shows: one per habit ("habit-<uuid>": its definition and reminders) and
one per habit and year ("days-<uuid>-<year>": that year's days). Each carries its
content as JSON in DESCRIPTION, the one text property every CalDAV server stores
as it is. Each day and each definition has a stamp (storage.share_state): the
later stamp wins, and a note two computers changed without seeing each other's
keeps both texts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any, NamedTuple

FORMAT = 1
COLLECTION_NAME = "HabitDesk data"
PRODID = "-//HabitDesk//shared history//EN"
STAMPED_AT = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)  # every object's DTSTAMP: an unchanged object renders the same
NOTE_JOIN = "\n\n"


class Cell(NamedTuple):
    """One day of one habit as both sides keep it."""

    value: int
    notes: str
    stamp: str
    prev: str


def habit_name(uuid: str) -> str:
    return f"habit-{uuid}"


def days_name(uuid: str, year: int) -> str:
    return f"days-{uuid}-{year}"


def computer_name(node: str) -> str:
    return f"computer-{node}"


def split_name(name: str) -> tuple[str, str, int] | None:
    """("habit", uuid, 0), ("days", uuid, year) or ("computer", its id, 0); None for a name HabitDesk does not write."""
    kind, _, rest = name.partition("-")
    if kind == "habit" and len(rest) == 32:
        return kind, rest, 0
    if kind == "computer" and 0 < len(rest) <= 32 and rest.isalnum():
        return kind, rest, 0
    if kind == "days":
        uuid, _, year = rest.partition("-")
        if len(uuid) == 32 and year.isdigit() and 1900 <= int(year) <= 9999:
            return kind, uuid, int(year)
    return None


# -- merging --------------------------------------------------------------------------
def merged_notes(older: str, newer: str) -> str:
    """Both texts of a note changed on two computers, older first; one when it holds the other."""
    if not older or older in newer:
        return newer
    if not newer or newer in older:
        return older
    return older + NOTE_JOIN + newer


def merge_cell(local: Cell | None, remote: Cell) -> tuple[str, Cell]:
    """How a day from the server meets the same day here.

    Returns ("keep", local), ("take", remote) or ("merge", cell): a merge is a new
    local change (its stamp is made by the caller), the winner's value with both notes.
    """
    if local is None:
        return "take", remote
    if remote.stamp == local.stamp:
        return "keep", local
    newer, older = (remote, local) if remote.stamp > local.stamp else (local, remote)
    notes = newer.notes
    if newer.prev != older.stamp:  # made without seeing the other: keep both notes
        notes = merged_notes(older.notes, newer.notes)
    if notes != newer.notes:
        return "merge", Cell(newer.value, notes, "", max(local.stamp, remote.stamp))
    return ("take", remote) if newer is remote else ("keep", local)


# -- objects ----------------------------------------------------------------------------
def digest(body: dict[str, Any]) -> str:
    return hashlib.sha1(json.dumps(body, sort_keys=True, ensure_ascii=False).encode(), usedforsecurity=False).hexdigest()


def render(name: str, body: dict[str, Any], title: str) -> str:
    """The iCalendar text of one object."""
    from icalendar import Calendar, Journal

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    journal = Journal()
    journal.add("uid", f"habitdesk-{name}")
    journal.add("dtstamp", STAMPED_AT)
    journal.add("summary", title)
    journal.add("class", "PRIVATE")
    journal.add("description", json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")))
    calendar.add_component(journal)
    return calendar.to_ical().decode()


def parse(text: str) -> tuple[str, dict[str, Any]] | None:
    """(name, body) of an object HabitDesk wrote; None for anything else or anything unreadable."""
    from icalendar import Calendar

    try:
        calendar = Calendar.from_ical(text)
        journals = [c for c in calendar.walk("VJOURNAL")]
        if len(journals) != 1:
            return None
        uid = str(journals[0].get("UID", ""))
        body = json.loads(str(journals[0].get("DESCRIPTION", "")))
    except (ValueError, TypeError, KeyError, IndexError, RecursionError):
        return None
    if not uid.startswith("habitdesk-") or not isinstance(body, dict) or body.get("format") != FORMAT:
        return None
    name = uid.removeprefix("habitdesk-")
    return (name, body) if split_name(name) else None


def cells_of(body: dict[str, Any]) -> dict[int, Cell] | None:
    """The days of a days-object body; None when a day is malformed."""
    days = body.get("days")
    if not isinstance(days, dict):
        return None
    out: dict[int, Cell] = {}
    for key, cell in days.items():
        if not (isinstance(key, str) and key.lstrip("-").isdigit() and isinstance(cell, list) and len(cell) == 4):
            return None
        value, notes, stamp, prev = cell
        if isinstance(value, bool) or not isinstance(value, int) or not all(isinstance(t, str) for t in (notes, stamp, prev)):
            return None
        out[int(key)] = Cell(value, notes, stamp, prev)
    return out


def days_body(uuid: str, year: int, cells: dict[int, Cell]) -> dict[str, Any]:
    return {"format": FORMAT, "uuid": uuid, "year": year,
            "days": {str(day): list(cell) for day, cell in sorted(cells.items())}}


def computer_body(node: str, name: str, day: str) -> dict[str, Any]:
    """One computer on the account: its name and the day of its last sync (a day, so that
    a pass with nothing new writes nothing)."""
    return {"format": FORMAT, "uuid": node, "name": name, "day": day}


def habit_body(uuid: str, stamp: str, prev: str, habit: dict[str, Any] | None) -> dict[str, Any]:
    """A habit's definition (None: deleted) with its stamp."""
    return {"format": FORMAT, "uuid": uuid, "stamp": stamp, "prev": prev, "habit": habit}

