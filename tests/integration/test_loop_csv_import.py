"""Importing Loop CSV exports (both formats): what is stored, idempotence, round trips, refusals.

Expected entries are worked out from DESIGN.md §3: only YES_MANUAL, SKIP and NO
(and notes) are stored for yes/no habits; YES_AUTO days are recomputed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from habitdesk.core.days import parse_iso
from habitdesk.facade.interchange import import_file
from habitdesk.facade.tracker import Tracker
from tests.conftest import TODAY
from tests.integration.loop_scenario import realistic
from tests.support.dbcheck import checksum
from tests.support.loop_csv import LoopCsv

UNKNOWN, NO, YES_MANUAL, SKIP = -1, 0, 2, 3


def d(text: str) -> int:
    return parse_iso(text)


def stored(tracker: Tracker, name: str) -> dict[int, tuple[int, str]]:
    habit = tracker.find_habit(name)
    return tracker.repo.entries_with_notes(habit.id)


def current_export(tmp_path: Path) -> Path:
    export = LoopCsv()
    walk = export.habit("Walk, then \"stretch\"", freq=(2, 3), question="Did you walk?", color="#D81B60")
    walk.rows += [
        ("2026-11-27", "YES_AUTO"),  # the future: computed, never stored
        ("2026-11-26", "YES_MANUAL", "with notes, \"quoted\""),
        ("2026-11-25", "YES_AUTO"),
        ("2026-11-24", "YES_MANUAL"),
        ("2026-11-23", "NO"),
        ("2026-11-22", "SKIP", "ill"),
        ("2026-11-21", "YES_AUTO", "auto day with a note"),
        ("2026-11-20", "UNKNOWN", "only a note"),
    ]
    water = export.habit("Water", kind="NUMERICAL", unit="l", target_type="AT_MOST", target_value="2.5",
                         freq=(1, 1), archived="true", description="less tea")
    water.rows += [("2026-11-26", "2500", "thirsty"), ("2026-11-25", "0"), ("2026-11-24", "SKIP"), ("2026-11-23", "UNKNOWN")]
    export.habit("Empty", freq=(1, 7))
    return export.write(tmp_path / "Loop Habits CSV 2026-11-26.zip")


def test_current_format_stores_what_the_user_entered(tracker, tmp_path: Path) -> None:
    report = import_file(tracker, current_export(tmp_path))
    assert (report.habits_added, report.entries_added) == (3, 10)
    walk = tracker.find_habit("walk, then \"stretch\"")
    assert (walk.frequency.num, walk.frequency.den, walk.question, walk.color_hex) == (2, 3, "Did you walk?", "#D81B60")
    assert stored(tracker, walk.name) == {
        d("2026-11-26"): (YES_MANUAL, "with notes, \"quoted\""),
        d("2026-11-24"): (YES_MANUAL, ""),
        d("2026-11-23"): (NO, ""),
        d("2026-11-22"): (SKIP, "ill"),
        d("2026-11-21"): (UNKNOWN, "auto day with a note"),
        d("2026-11-20"): (UNKNOWN, "only a note"),
    }
    water = tracker.find_habit("Water")
    assert water.is_measurable and water.archived and water.unit == "l" and water.target_value == 2.5
    assert water.target_type.key == "at_most" and water.description == "less tea"
    # Measurable habits store every row; labels stand for the raw values -1..3, as Loop writes them.
    assert stored(tracker, "Water") == {
        d("2026-11-26"): (2500, "thirsty"), d("2026-11-25"): (0, ""), d("2026-11-24"): (SKIP, ""),
        d("2026-11-23"): (UNKNOWN, ""),
    }
    assert stored(tracker, "Empty") == {}
    assert [h.name for h in tracker.habits(archived=None)] == ["Walk, then \"stretch\"", "Water", "Empty"]
    # The checks of the 24th and 26th (2 in 3 days) fill the 25th again.
    assert tracker.analysis(walk).value_on(d("2026-11-25")) == 1


def test_older_integer_format(tracker, tmp_path: Path) -> None:
    export = LoopCsv(old=True)
    read = export.habit("Read", freq=(3, 7), question="Did you read?", description="20 pages", color="#303F9F")
    read.rows += [("2015-01-25", "2"), ("2015-01-24", "1"), ("2015-01-23", "0"), ("2015-01-22", "3"), ("2015-01-21", "2")]
    report = import_file(tracker, export.write(tmp_path / "old.zip"))
    assert report.entries_added == 3
    habit = tracker.find_habit("Read")
    assert (habit.question, habit.description, habit.frequency.num, habit.frequency.den) == ("Did you read?", "20 pages", 3, 7)
    assert stored(tracker, "Read") == {d("2015-01-25"): (YES_MANUAL, ""), d("2015-01-22"): (SKIP, ""), d("2015-01-21"): (YES_MANUAL, "")}


def test_oldest_six_column_habits_csv_keeps_the_question_in_description(tracker, tmp_path: Path) -> None:
    export = LoopCsv(old=True)
    export.habit("Floss").rows.append(("2016-03-01", "2"))
    export.habits_csv = "Position,Name,Description,NumRepetitions,Interval,Color\n001,Floss,Did you floss?,1,1,#123456\n"
    import_file(tracker, export.write(tmp_path / "older.zip"))
    floss = tracker.find_habit("Floss")
    assert (floss.question, floss.description) == ("Did you floss?", "")
    assert stored(tracker, "Floss") == {d("2016-03-01"): (YES_MANUAL, "")}


def test_reimporting_the_same_zip_changes_nothing(tracker, tmp_path: Path) -> None:
    path = current_export(tmp_path)
    import_file(tracker, path)
    before = checksum(tracker.db_path)
    report = import_file(tracker, path)
    assert (report.habits_added, report.habits_updated, report.entries_added, report.entries_updated) == (0, 0, 0, 0)
    assert report.habits_unchanged == 3 and report.entries_unchanged == 10
    assert checksum(tracker.db_path) == before


def test_csv_import_updates_the_habit_of_the_same_name_and_keeps_its_reminders(tracker, tmp_path: Path) -> None:
    from habitdesk.core.habit import Habit
    from habitdesk.core.reminders import Reminder

    tracker.add_habit(Habit("walk, THEN \"stretch\""), [Reminder(7 * 60)])
    report = import_file(tracker, current_export(tmp_path))
    assert (report.habits_added, report.habits_updated) == (2, 1)
    walk = tracker.find_habit("Walk, then \"stretch\"")
    assert [r.time_text for r in tracker.reminders(walk)] == ["07:00"]


def analyses(tracker: Tracker) -> dict[str, tuple]:
    out = {}
    for habit in tracker.habits(archived=None):
        a = tracker.analysis(habit)
        known = a.known_days()
        days = range(min(known, default=TODAY) - 1, TODAY + 31)
        out[habit.name] = (
            [(day, a.value_on(day)) for day in known],
            tracker.notes(habit),
            [round(a.score_on(day), 12) for day in days],
            (habit.kind, habit.frequency, habit.question, habit.description, habit.color, habit.unit,
             habit.target_value, habit.target_type, habit.archived),
        )
    return out


@pytest.mark.parametrize("schema", [22, 25])
def test_round_trip_loop_db_to_csv_to_a_fresh_folder(tmp_path: Path, schema: int) -> None:
    scenario = realistic(schema)
    loop_db = scenario.backup.write(tmp_path / "loop.db")
    first = Tracker(tmp_path / "first", today=TODAY)
    import_file(first, loop_db)
    first.export_loop_csv(tmp_path / "export.zip")
    expected = analyses(first)
    expected_entries = {h.name: first.repo.entries_with_notes(h.id) for h in first.habits(archived=None)}
    first.close()

    second = Tracker(tmp_path / "second", today=TODAY)
    try:
        import_file(second, tmp_path / "export.zip")
        assert analyses(second) == expected
        assert {h.name: second.repo.entries_with_notes(h.id) for h in second.habits(archived=None)} == expected_entries
    finally:
        second.close()
