"""A plain .ics file of habits and their history, for people without a CalDAV server.

Each habit is one recurring VEVENT whose RRULE follows its schedule where an
RRULE can say it (every day, every N days, every week, chosen weekdays); a
schedule such as "3 times a week" has none and becomes a single event with the
schedule in its description. Each recorded day is a VTODO: COMPLETED for a
check-in or an amount, CANCELLED for a skip, with its notes.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from icalendar import Calendar, Event, Todo

from habitdesk.core.days import from_date, to_date
from habitdesk.core.entries import SKIP, YES_MANUAL, raw_to_amount
from habitdesk.core.habit import Habit
from habitdesk.core.occurrences import rrule
from habitdesk.core.reminders import Reminder

PRODID = "-//HabitDesk//HabitDesk export//EN"


def rrule_for(habit: Habit) -> dict | None:
    """The RRULE of a habit's schedule, or None when no RRULE fits (X times in Y days)."""
    return rrule(habit)


def build_calendar(items: list[tuple[Habit, list[Reminder], dict[int, tuple[int, str]]]], start_day: int) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "HabitDesk")
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    for habit, reminders, entries in items:
        first = min(entries, default=start_day)
        event = Event()
        event.add("uid", f"habitdesk-{habit.uuid}@habitdesk")
        event.add("dtstamp", stamp)
        event.add("summary", habit.name)
        enabled = sorted(r.minute for r in reminders if r.enabled)
        date = to_date(first)
        if enabled:
            begin = dt.datetime.combine(date, dt.time(enabled[0] // 60, enabled[0] % 60))  # floating local time
            event.add("dtstart", begin)
            event.add("duration", dt.timedelta(minutes=15))
        else:
            event.add("dtstart", date)
        rule = rrule_for(habit)
        if rule is not None:
            event.add("rrule", rule)
        text = [habit.question, f"Schedule: {habit.frequency.label()}"]
        event.add("description", "\n".join(t for t in text if t))
        event.add("categories", ["HabitDesk"])
        event.add("x-habitdesk-habit", habit.uuid)
        if habit.archived:
            event.add("status", "CANCELLED")
        cal.add_component(event)
        for day in sorted(entries):
            value, notes = entries[day]
            todo = _history_todo(habit, day, value, notes, stamp)
            if todo is not None:
                cal.add_component(todo)
    return cal


def _history_todo(habit: Habit, day: int, value: int, notes: str, stamp: dt.datetime) -> Todo | None:
    if value == SKIP:
        status, summary = "CANCELLED", f"{habit.name} (skipped)"
    elif habit.is_measurable and value >= 0:
        amount = f"{raw_to_amount(value):g}"
        status, summary = "COMPLETED", f"{habit.name}: {amount}{' ' + habit.unit if habit.unit else ''}"
    elif value == YES_MANUAL:
        status, summary = "COMPLETED", habit.name
    elif notes:
        status, summary = "NEEDS-ACTION", habit.name
    else:
        return None
    todo = Todo()
    todo.add("uid", f"habitdesk-{habit.uuid}-{to_date(day):%Y%m%d}@habitdesk")
    todo.add("dtstamp", stamp)
    todo.add("summary", summary)
    todo.add("dtstart", to_date(day))
    todo.add("due", to_date(day) + dt.timedelta(days=1))
    todo.add("status", status)
    if status == "COMPLETED":
        todo.add("completed", dt.datetime.combine(to_date(day), dt.time(12), tzinfo=dt.UTC))
    if notes:
        todo.add("description", notes)
    todo.add("categories", ["HabitDesk"])
    todo.add("x-habitdesk-habit", habit.uuid)
    return todo


def write_ics(path: Path, calendar: Calendar) -> None:
    """Write the calendar one event at a time, so that its text is never all in memory at once."""
    events, calendar.subcomponents = calendar.subcomponents, []
    try:
        head = calendar.to_ical()
    finally:
        calendar.subcomponents = events
    end = b"END:VCALENDAR\r\n"
    with Path(path).open("wb") as out:
        out.write(head.removesuffix(end))
        for event in events:
            out.write(event.to_ical())
        out.write(end)


def today_day() -> int:
    return from_date(dt.date.today())
