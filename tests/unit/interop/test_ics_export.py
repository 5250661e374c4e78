"""The .ics export: habits as recurring events where an RRULE fits, and the history as tasks."""

from __future__ import annotations

from icalendar import Calendar

from habitdesk.core.entries import SKIP
from habitdesk.core.habit import Frequency, Habit, Kind
from habitdesk.core.reminders import Reminder
from tests.conftest import TODAY


def test_export_ics_writes_schedules_and_history(tracker, cli, data_dir, tmp_path) -> None:  # noqa: ANN001
    run = tracker.add_habit(Habit("Run"), [Reminder(7 * 60)])
    gym = tracker.add_habit(Habit("Gym", frequency=Frequency(weekdays=0b0010101)))
    tracker.add_habit(Habit("Swim", frequency=Frequency(3, 7)))
    water = tracker.add_habit(Habit("Water", kind=Kind.MEASURABLE, unit="glasses", target_value=8))
    tracker.check(run, TODAY - 1, notes="easy 5k")
    tracker.set_entry(gym, TODAY - 2, SKIP)
    tracker.check(water, TODAY, amount=6)
    tracker.close()

    out = tmp_path / "habits.ics"
    result = cli("export", "ics", str(out))
    assert result.code == 0, result.err
    assert result.out.strip() == f"Exported 4 habits to {out}"

    cal = Calendar.from_ical(out.read_bytes())
    events = {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}
    assert events["Run"]["RRULE"].to_ical() == b"FREQ=DAILY"
    assert events["Run"].decoded("DTSTART").strftime("%H:%M") == "07:00"
    assert events["Gym"]["RRULE"].to_ical() == b"FREQ=WEEKLY;BYDAY=MO,WE,FR"
    assert "RRULE" not in events["Swim"]  # 3 times a week: no RRULE says that
    assert "3 times per week" in str(events["Swim"]["DESCRIPTION"])
    todos = {str(t["SUMMARY"]): t for t in cal.walk("VTODO")}
    assert str(todos["Run"]["STATUS"]) == "COMPLETED"
    assert str(todos["Run"]["DESCRIPTION"]) == "easy 5k"
    assert str(todos["Gym (skipped)"]["STATUS"]) == "CANCELLED"
    assert str(todos["Water: 6 glasses"]["STATUS"]) == "COMPLETED"


def test_the_streamed_file_is_the_calendar_written_whole(tmp_path) -> None:  # noqa: ANN001
    """write_ics writes event by event; the bytes are exactly icalendar's own rendering of the whole calendar."""
    from habitdesk.interop.ics_export import build_calendar, write_ics

    read = Habit('Read, a "book"', uuid="a" * 32, frequency=Frequency(3, 7))
    walk = Habit("Walk", uuid="b" * 32)
    calendar = build_calendar([(read, [Reminder(7 * 60, 0b1111111)], {20000: (2, "a note; with, commas\nand lines")}),
                               (walk, [], {})], 20000)
    path = tmp_path / "habits.ics"
    write_ics(path, calendar)
    assert path.read_bytes() == calendar.to_ical()
    assert len(calendar.subcomponents) >= 2  # the calendar itself is left as it was
