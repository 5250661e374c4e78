"""A habit occurrence <-> a CalDAV VTODO (DESIGN.md §5), built and read with icalendar.

HabitDesk owns a task's SUMMARY, DTSTART/DUE, CATEGORIES, X-HABITDESK-HABIT,
STATUS/COMPLETED/PERCENT-COMPLETE and VALARM; anything else a client adds (a
description, a priority) is kept when HabitDesk rewrites the task.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import zoneinfo
from pathlib import Path

from icalendar import Alarm, Calendar, Component, Todo

from habitdesk.core.days import from_date, to_date
from habitdesk.core.occurrences import ALL_DAY

OPEN, DONE, SKIPPED = 0, 1, 2
STATUS_TEXT = {OPEN: "NEEDS-ACTION", DONE: "COMPLETED", SKIPPED: "CANCELLED"}
CATEGORY = "HabitDesk"
HABIT_PROPERTY = "X-HABITDESK-HABIT"
# The render key (render_key) a task was written with: another HabitDesk sharing the
# calendar adopts the task without writing it again when its own key is the same.
RENDER_PROPERTY = "X-HABITDESK-RENDER"
PRODID = "-//HabitDesk//HabitDesk//EN"
_UID = re.compile(r"^habitdesk-([0-9a-f]{32})-(\d{8})@habitdesk$")
_OWNED = ("SUMMARY", "DTSTART", "DUE", "CATEGORIES", HABIT_PROPERTY, RENDER_PROPERTY, "STATUS", "COMPLETED", "PERCENT-COMPLETE", "DTSTAMP")


class MalformedItem(ValueError):
    """A calendar resource that is not valid iCalendar, or not a task HabitDesk can read."""


def uid(habit_uuid: str, day: int) -> str:
    return f"habitdesk-{habit_uuid}-{to_date(day):%Y%m%d}@habitdesk"


def resource_name(habit_uuid: str, day: int) -> str:
    """The file name of a task inside its collection (no '@', which servers escape differently)."""
    return f"habitdesk-{habit_uuid}-{to_date(day):%Y%m%d}.ics"


def parse_uid(text: str) -> tuple[str, int] | None:
    match = _UID.match(text)
    if not match:
        return None
    try:
        return match.group(1), from_date(dt.datetime.strptime(match.group(2), "%Y%m%d").date())
    except ValueError:
        return None


def local_zone() -> str:
    """The IANA name of the local time zone ($TZ, else /etc/localtime), UTC when unknown."""
    name = os.environ.get("TZ", "").lstrip(":")
    if not name:
        try:
            target = str(Path("/etc/localtime").resolve())
            name = target.split("zoneinfo/", 1)[1] if "zoneinfo/" in target else ""
        except OSError:
            name = ""
    try:
        zoneinfo.ZoneInfo(name)
    except (ValueError, zoneinfo.ZoneInfoNotFoundError):
        return "UTC"
    return name


# How tasks are written; a new format rewrites the window's tasks at the next sync.
# 2: an all-day task is DUE;VALUE=DATE on its own day with no DTSTART (format 1 had
# DTSTART D and DUE D+1, which task clients show as due the day after).
TASK_FORMAT = 2


def render_key(name: str, minute: int, alarms: bool, zone: str) -> str:
    """What HabitDesk writes into a task apart from its status; a change means a rewrite."""
    return f"{name}\x1f{minute}\x1f{int(alarms)}\x1f{zone}\x1f{TASK_FORMAT}"


def render_digest(key: str) -> str:
    """A render key as a task carries it (RENDER_PROPERTY): short, and plain text."""
    import hashlib

    return hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()[:16]


def same_render(key: str, written: str) -> bool:
    """Whether a task written with ``written`` (a key, or a task's digest of one) needs no rewrite for ``key``."""
    return written == key or written == render_digest(key)


def render_minute(key: str) -> int:
    """The minute a render_key was made with (ALL_DAY when it cannot be read)."""
    parts = key.split("\x1f")
    return int(parts[1]) if len(parts) > 1 and parts[1].lstrip("-").isdigit() else ALL_DAY


def task_format(key: str) -> int:
    """The TASK_FORMAT a render_key was made with (format 1 did not say)."""
    parts = key.split("\x1f")
    return int(parts[4]) if len(parts) > 4 and parts[4].isdigit() else 1


@functools.lru_cache(maxsize=8)
def _timezones(zone: str) -> str:
    """The VTIMEZONE text that a TZID of ``zone`` refers to (made once: it is slow to build)."""
    cal = Calendar()
    todo = Todo()
    todo.add("dtstart", dt.datetime(2026, 1, 1, tzinfo=zoneinfo.ZoneInfo(zone)))
    cal.add_component(todo)
    cal.add_missing_timezones()
    return "".join(c.to_ical().decode("utf-8") for c in cal.walk("VTIMEZONE"))


def build(habit_uuid: str, name: str, day: int, minute: int, state: int, *, alarms: bool, zone: str,
          base: str | None = None) -> str:
    """The iCalendar text of one occurrence; with ``base`` (a server copy), its other fields are kept."""
    todo = Todo()
    extra: list = []
    if base is not None:
        old = _first_todo(_parse(base))
        if old is not None:
            for key, value in old.property_items(recursive=False):
                if key not in _OWNED and key not in ("BEGIN", "END", "UID"):
                    todo.add(key, value, encode=False)
            extra = [c for c in old.subcomponents if c.name != "VALARM"]
    todo.add("uid", uid(habit_uuid, day))
    todo.add("dtstamp", dt.datetime.now(dt.UTC).replace(microsecond=0))
    todo.add("summary", name)
    date = to_date(day)
    if minute == ALL_DAY:
        todo.add("due", date)  # as tasks.org writes one: every client lists it on that day
    else:
        tz = zoneinfo.ZoneInfo(zone)
        start = dt.datetime.combine(date, dt.time(minute // 60, minute % 60), tzinfo=tz)
        todo.add("dtstart", start)
        todo.add("due", dt.datetime.combine(date, dt.time(23, 59), tzinfo=tz))
    todo.add("categories", [CATEGORY])
    todo.add(HABIT_PROPERTY, habit_uuid)
    todo.add(RENDER_PROPERTY, render_digest(render_key(name, minute, alarms, zone)))
    todo.add("status", STATUS_TEXT[state])
    if state == DONE:
        todo.add("completed", dt.datetime.now(dt.UTC).replace(microsecond=0))
        todo.add("percent-complete", 100)
    for component in extra:
        todo.add_component(component)
    if alarms and minute != ALL_DAY and state == OPEN:
        todo.add_component(_alarm(name))
    return _calendar_text(todo, "VTODO", timed=minute != ALL_DAY, zone=zone)


def _alarm(name: str) -> Alarm:
    """A display alarm at the start time."""
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", name)
    alarm.add("trigger", dt.timedelta(0))
    return alarm


def _calendar_text(component, kind: str, *, timed: bool, zone: str) -> str:  # noqa: ANN001 - an icalendar component
    """One component in a VCALENDAR, with its VTIMEZONE ahead of it when it is timed."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add_component(component)
    text = cal.to_ical().decode("utf-8")
    if timed:
        text = text.replace(f"BEGIN:{kind}", _timezones(zone) + f"BEGIN:{kind}", 1)
    return text


def event_uid(habit_uuid: str) -> str:
    return f"habitdesk-{habit_uuid}-event@habitdesk"


def build_event(habit_uuid: str, name: str, first_day: int, minute: int, rule: dict | None, *, alarms: bool,
                zone: str) -> str:
    """One recurring VEVENT for a habit (push only, for calendar views), with an alarm when timed."""
    from icalendar import Event

    event = Event()
    event.add("uid", event_uid(habit_uuid))
    event.add("dtstamp", dt.datetime.now(dt.UTC).replace(microsecond=0))
    event.add("summary", name)
    date = to_date(first_day)
    if minute == ALL_DAY:
        event.add("dtstart", date)
        event.add("dtend", date + dt.timedelta(days=1))
    else:
        start = dt.datetime.combine(date, dt.time(minute // 60, minute % 60), tzinfo=zoneinfo.ZoneInfo(zone))
        event.add("dtstart", start)
        event.add("duration", dt.timedelta(minutes=15))
    if rule:
        event.add("rrule", rule)
    event.add("categories", [CATEGORY])
    event.add(HABIT_PROPERTY, habit_uuid)
    event.add("transp", "TRANSPARENT")
    if alarms and minute != ALL_DAY:
        event.add_component(_alarm(name))
    return _calendar_text(event, "VEVENT", timed=minute != ALL_DAY, zone=zone)


class Observation:
    """What a server copy says about one occurrence: its habit, day and state."""

    __slots__ = ("habit_uuid", "day", "state", "uid", "rendered")

    def __init__(self, habit_uuid: str, day: int, state: int, uid_text: str, rendered: str = "") -> None:
        self.habit_uuid, self.day, self.state, self.uid = habit_uuid, day, state, uid_text
        self.rendered = rendered  # the render key HabitDesk wrote it with ("" if none)

    def __repr__(self) -> str:
        return f"Observation({self.uid}, state={self.state})"


def read(text: str) -> Observation | None:
    """The occurrence a server copy describes; None for a resource that is not HabitDesk's.

    A RECURRENCE-ID override marked COMPLETED (some clients write one when a
    task is ticked off) counts as the completion of that day's occurrence.
    Raises MalformedItem for text that is not iCalendar.
    """
    cal = _parse(text)
    todos = [c for c in cal.walk("VTODO")]
    master = next((t for t in todos if "RECURRENCE-ID" not in t), None)
    if master is None:
        return None
    uid_text = str(master.get("UID", ""))
    parsed = parse_uid(uid_text)
    habit_uuid = str(master.get(HABIT_PROPERTY, "")) or (parsed[0] if parsed else "")
    if parsed is None or habit_uuid != parsed[0]:
        return None
    day = parsed[1]
    state = _state(master)
    for override in todos:
        if override is master:
            continue
        try:
            when = override.decoded("RECURRENCE-ID")
        except (KeyError, ValueError) as exc:
            raise MalformedItem(f"a RECURRENCE-ID that cannot be read: {exc}") from None
        when_date = when.date() if isinstance(when, dt.datetime) else when
        if isinstance(when_date, dt.date) and from_date(when_date) == day and _state(override) == DONE:
            state = DONE
    return Observation(habit_uuid, day, state, uid_text, str(master.get(RENDER_PROPERTY, "")))


def _state(todo: Component) -> int:
    status = str(todo.get("STATUS", "NEEDS-ACTION")).upper()
    if status == "COMPLETED" or "COMPLETED" in todo:
        return DONE
    if status == "CANCELLED":
        return SKIPPED
    return OPEN


def _parse(text: str) -> Calendar:
    try:
        cal = Calendar.from_ical(text)
    except Exception as exc:  # noqa: BLE001 - icalendar raises many kinds on junk
        raise MalformedItem(f"not valid iCalendar: {exc}") from None
    if isinstance(cal, list) or cal.name != "VCALENDAR":
        raise MalformedItem("not a single VCALENDAR")
    return cal


def _first_todo(cal: Calendar) -> Component | None:
    return next((c for c in cal.walk("VTODO") if "RECURRENCE-ID" not in c), None)
