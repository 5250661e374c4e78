"""The VTODO mapping and which days get a task (DESIGN.md §5)."""

from __future__ import annotations

import datetime as dt

import pytest

from habitdesk.core.days import from_date
from habitdesk.core.habit import Frequency, Habit
from habitdesk.core.occurrences import ALL_DAY, occurrences, window
from habitdesk.core.reminders import Reminder
from habitdesk.sync import mapping
from habitdesk.sync.reconcile import resolve

DAY = from_date(dt.date(2026, 11, 26))  # a Thursday
UUID = "0123456789abcdef0123456789abcdef"


def test_the_window_runs_from_yesterday_to_a_week_ahead() -> None:
    assert list(window(DAY)) == list(range(DAY - 1, DAY + 8))


def test_weekday_habits_have_tasks_on_their_days_timed_at_the_first_reminder() -> None:
    gym = Habit("Gym", frequency=Frequency(weekdays=0b0001000))  # Thursdays
    reminders = [Reminder(18 * 60, weekdays=0b0001000), Reminder(7 * 60, weekdays=0b0000001)]
    assert occurrences(gym, reminders, window(DAY)) == {DAY: 18 * 60, DAY + 7: 18 * 60}
    swim = Habit("Swim", frequency=Frequency(3, 7))
    assert occurrences(swim, reminders, range(DAY, DAY + 5)) == {DAY: 18 * 60, DAY + 1: ALL_DAY, DAY + 2: ALL_DAY,
                                                                  DAY + 3: ALL_DAY, DAY + 4: 7 * 60}
    swim.archived = True
    assert occurrences(swim, reminders, window(DAY)) == {}


def test_uids_are_deterministic_and_read_back() -> None:
    assert mapping.uid(UUID, DAY) == f"habitdesk-{UUID}-20261126@habitdesk"
    assert mapping.parse_uid(mapping.uid(UUID, DAY)) == (UUID, DAY)
    assert mapping.parse_uid("habitdesk-xyz-20261126@habitdesk") is None


@pytest.mark.parametrize("state", [mapping.OPEN, mapping.DONE, mapping.SKIPPED])
def test_a_built_task_reads_back_as_its_state(state: int) -> None:
    text = mapping.build(UUID, "Run", DAY, 450, state, alarms=True, zone="Europe/Berlin")
    seen = mapping.read(text)
    assert (seen.habit_uuid, seen.day, seen.state) == (UUID, DAY, state)
    assert "TZID=Europe/Berlin" in text and "BEGIN:VTIMEZONE" in text
    assert ("BEGIN:VALARM" in text) == (state == mapping.OPEN)


def test_an_all_day_task_is_due_on_its_own_day() -> None:
    """DUE on the day and no DTSTART, as tasks.org writes one: a DTSTART D with DUE D+1
    made task clients list it on the day after."""
    text = mapping.build(UUID, "Run", DAY, ALL_DAY, mapping.OPEN, alarms=True, zone="UTC")
    assert "DUE;VALUE=DATE:20261126" in text and "DTSTART" not in text
    assert "VALARM" not in text


def test_rewriting_keeps_fields_habitdesk_does_not_own() -> None:
    theirs = mapping.build(UUID, "Run", DAY, 450, mapping.OPEN, alarms=False, zone="UTC").replace(
        "SUMMARY:Run", "SUMMARY:Run\r\nDESCRIPTION:with Sam\r\nPRIORITY:1")
    ours = mapping.build(UUID, "Run 5k", DAY, 450, mapping.DONE, alarms=False, zone="UTC", base=theirs)
    assert "DESCRIPTION:with Sam" in ours and "PRIORITY:1" in ours and "SUMMARY:Run 5k" in ours
    assert ours.count("SUMMARY") == 1 and "STATUS:COMPLETED" in ours


@pytest.mark.parametrize("text", ["not at all", "BEGIN:VCALENDAR\r\nBEGIN:VTODO\r\nPERCENT-COMPLETE:lots\r\nEND:VTODO\r\nEND:VCALENDAR\r\n"])
def test_junk_is_malformed(text: str) -> None:
    with pytest.raises(mapping.MalformedItem):
        mapping.read(text)


def test_other_clients_tasks_are_not_ours() -> None:
    text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VTODO\r\nUID:shopping\r\nSUMMARY:Milk\r\nEND:VTODO\r\nEND:VCALENDAR\r\n"
    assert mapping.read(text) is None


def test_conflicts_never_lose_a_check_in() -> None:
    assert resolve(mapping.SKIPPED, mapping.DONE) == mapping.DONE
    assert resolve(mapping.DONE, mapping.OPEN) == mapping.DONE
    assert resolve(mapping.SKIPPED, mapping.OPEN) == mapping.SKIPPED


def test_a_render_key_says_its_task_format() -> None:
    assert mapping.task_format(mapping.render_key("Run", ALL_DAY, True, "UTC")) == mapping.TASK_FORMAT == 2
    assert mapping.task_format("Run\x1f-1\x1f1\x1fUTC") == 1  # written before formats were numbered
