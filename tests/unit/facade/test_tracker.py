"""The Tracker's commands: habits, entries, validation and change events."""

from __future__ import annotations

import pytest

from habitdesk.core.entries import NO, SKIP, UNKNOWN, YES_MANUAL
from habitdesk.core.habit import Frequency, Habit, Kind, TargetType
from habitdesk.core.reminders import Reminder
from habitdesk.facade.changes import Change, ChangeKind
from habitdesk.facade.errors import UserError
from habitdesk.facade.tracker import Tracker
from tests.conftest import TODAY


def yes_no(name: str = "Run", **kw) -> Habit:
    return Habit(name, **kw)


def measurable(name: str = "Water", target: float = 8.0, target_type: TargetType = TargetType.AT_LEAST, **kw) -> Habit:
    return Habit(name, kind=Kind.MEASURABLE, unit="glasses", target_value=target, target_type=target_type, **kw)


@pytest.fixture
def events(tracker: Tracker) -> list[Change]:
    seen: list[Change] = []
    tracker.subscribe(seen.append)
    return seen


def names(tracker: Tracker, archived: bool | None = False) -> list[str]:
    return [h.name for h in tracker.habits(archived=archived)]


# -- habits ------------------------------------------------------------------------


def test_add_habit_stores_every_field(tracker, events):
    habit = Habit(
        "  Run  ", question="Did you run?", description="outside", frequency=Frequency(3, 7), color=3,
    )
    added = tracker.add_habit(habit, [Reminder(450), Reminder(1200, weekdays=0b0010101, enabled=False)])
    assert added.id is not None and added.name == "Run"  # trimmed
    assert added.created_at and added.updated_at
    stored = tracker.habit(added.id)
    assert stored == added
    assert stored.frequency == Frequency(3, 7)
    assert [(r.minute, r.weekdays, r.enabled) for r in tracker.reminders(stored)] == [
        (450, 127, True), (1200, 0b0010101, False),
    ]
    assert events == [Change(ChangeKind.HABIT_ADDED, added.id)]


def test_add_measurable_habit(tracker):
    h = tracker.add_habit(measurable(target=2.5, target_type=TargetType.AT_MOST))
    got = tracker.habit(h.id)
    assert got.kind is Kind.MEASURABLE and got.target_type is TargetType.AT_MOST
    assert got.target_value == 2.5 and got.unit == "glasses"


def test_habits_are_listed_in_position_order(tracker):
    for name in ("a", "b", "c"):
        tracker.add_habit(yes_no(name))
    assert names(tracker) == ["a", "b", "c"]
    assert [h.position for h in tracker.habits()] == [0, 1, 2]


def test_edit_habit(tracker, events):
    h = tracker.add_habit(yes_no())
    h.name = "Running"
    h.frequency = Frequency(1, 7)
    h.question = "Ran?"
    tracker.edit_habit(h)
    got = tracker.habit(h.id)
    assert (got.name, got.frequency, got.question) == ("Running", Frequency(1, 7), "Ran?")
    assert events[-1] == Change(ChangeKind.HABIT_EDITED, h.id)


def test_edit_may_keep_its_own_name_in_another_case(tracker):
    h = tracker.add_habit(yes_no("Run"))
    h.name = "RUN"
    tracker.edit_habit(h)
    assert tracker.habit(h.id).name == "RUN"


def test_archive_and_unarchive(tracker, events):
    a = tracker.add_habit(yes_no("a"))
    tracker.add_habit(yes_no("b"))
    tracker.set_archived(a, True)
    assert names(tracker) == ["b"]
    assert names(tracker, archived=True) == ["a"]
    assert names(tracker, archived=None) == ["a", "b"]
    assert events[-1] == Change(ChangeKind.HABIT_EDITED, a.id)
    tracker.set_archived(a, False)
    assert names(tracker) == ["a", "b"]


def test_archived_habits_are_still_found_by_name(tracker):
    a = tracker.add_habit(yes_no("Run"))
    tracker.set_archived(a, True)
    assert tracker.find_habit("run").id == a.id


def test_delete_habit_removes_its_history(tracker, events):
    h = tracker.add_habit(yes_no(), [Reminder(450)])
    tracker.check(h, TODAY, notes="n")
    tracker.summaries([h])
    tracker.delete_habit(h)
    assert tracker.habits(archived=None) == []
    assert events[-1] == Change(ChangeKind.HABIT_DELETED, h.id)
    for table in ("entry", "reminder", "habit_stats"):
        assert tracker.db.execute_sql(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table
    with pytest.raises(UserError, match="no habit"):
        tracker.habit(h.id)


def test_a_deleted_habit_comes_back_whole_where_it_was(tracker, events):
    a, b, c = (tracker.add_habit(yes_no(n)) for n in "abc")
    tracker.check(b, TODAY, notes="felt good")
    tracker.skip(b, TODAY - 1)
    before = tracker.summaries([b])[b.id]
    record = tracker.delete_habit(b)
    assert names(tracker) == ["a", "c"]
    restored = tracker.restore_habit(record)
    assert events[-1] == Change(ChangeKind.HABIT_ADDED, b.id)
    assert names(tracker) == ["a", "b", "c"]
    assert restored.id == b.id and tracker.habit(b.id) == restored
    assert tracker.entry(b, TODAY) == (YES_MANUAL, "felt good")
    assert tracker.entry(b, TODAY - 1) == (SKIP, "")
    assert tracker.summaries([b])[b.id] == before
    with pytest.raises(UserError, match="exists already"):
        tracker.restore_habit(record)


def test_restoring_keeps_reminders_and_refuses_a_gone_habit(tracker):
    h = tracker.add_habit(yes_no(), [Reminder(450), Reminder(1200, 0b11111)])
    record = tracker.delete_habit(h)
    with pytest.raises(UserError, match="no longer exists"):
        tracker.delete_habit(h)
    tracker.restore_habit(record)
    assert [(r.minute, r.weekdays) for r in tracker.reminders(h)] == [(450, 127), (1200, 0b11111)]


def test_entry_reads_what_is_stored(tracker):
    h = tracker.add_habit(yes_no())
    assert tracker.entry(h, TODAY) == (UNKNOWN, "")
    tracker.set_entry(h, TODAY, NO, "rain")
    assert tracker.entry(h, TODAY) == (NO, "rain")


def test_move_habit(tracker, events):
    a, b, c, d = (tracker.add_habit(yes_no(n)) for n in "abcd")
    tracker.move_habit(d, 0)
    assert names(tracker) == ["d", "a", "b", "c"]
    assert events[-1] == Change(ChangeKind.ORDER, d.id)
    tracker.move_habit(d, 99)  # clamped to the end
    assert names(tracker) == ["a", "b", "c", "d"]
    tracker.move_habit(a, 2)
    assert names(tracker) == ["b", "c", "a", "d"]
    tracker.move_habit(a, -5)
    assert names(tracker) == ["a", "b", "c", "d"]
    assert [h.position for h in tracker.habits()] == [0, 1, 2, 3]


def test_move_counts_archived_habits(tracker):
    a, b, c = (tracker.add_habit(yes_no(n)) for n in "abc")
    tracker.set_archived(b, True)
    tracker.move_habit(c, 1)  # index 1 of the full list: before the archived b
    assert names(tracker, archived=None) == ["a", "c", "b"]
    assert names(tracker) == ["a", "c"]


def test_new_habits_go_to_the_end(tracker):
    tracker.add_habit(yes_no("a"))
    b = tracker.add_habit(yes_no("b"))
    tracker.move_habit(b, 0)
    tracker.add_habit(yes_no("c"))
    assert names(tracker) == ["b", "a", "c"]


# -- finding habits -------------------------------------------------------------------


def test_find_habit(tracker):
    run = tracker.add_habit(yes_no("Running"))
    read = tracker.add_habit(yes_no("Reading"))
    assert tracker.find_habit("running").id == run.id
    assert tracker.find_habit("  RUNNING ").id == run.id
    assert tracker.find_habit("Run").id == run.id  # unique prefix
    assert tracker.find_habit(read.uuid).id == read.id
    assert tracker.find_habit(read.uuid[:8]).id == read.id
    with pytest.raises(UserError, match="matches several habits") as info:
        tracker.find_habit("R")
    assert "'Running'" in str(info.value) and "'Reading'" in str(info.value)
    with pytest.raises(UserError, match="no habit named 'Swim'"):
        tracker.find_habit("Swim")
    with pytest.raises(UserError, match="no habit"):
        tracker.find_habit("")


def test_exact_name_beats_a_prefix(tracker):
    tracker.add_habit(yes_no("Read"))
    longer = tracker.add_habit(yes_no("Read books"))
    assert tracker.find_habit("read").name == "Read"
    assert tracker.find_habit("read b").id == longer.id


# -- validation -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("habit", "message"),
    [
        (Habit(""), "name"),
        (Habit("   "), "name"),
        (Habit("x" * 201), "longer than 200"),
        (Habit("m", kind=Kind.MEASURABLE, target_value=0), "target"),
        (Habit("m", kind=Kind.MEASURABLE, target_value=-1), "target"),
        (Habit("m", kind=Kind.MEASURABLE, target_value=float("nan")), "target"),
        (Habit("f", frequency=Frequency(5, 3)), "5 times in 3 days is impossible"),
        (Habit("f", frequency=Frequency(0, 7)), "at least 1"),
        (Habit("f", frequency=Frequency(1, 0)), "at least one day"),
        (Habit("c", color=20), "colour"),
    ],
    ids=["empty", "blank", "too-long", "target-0", "target-negative", "target-nan", "5-in-3", "0-times", "0-days", "colour"],
)
def test_impossible_habits_are_refused(tracker, events, habit, message):
    with pytest.raises(UserError, match=message) as info:
        tracker.add_habit(habit)
    assert "\n" not in str(info.value)
    assert tracker.habits(archived=None) == []
    assert events == []


def test_edit_validates_too(tracker):
    h = tracker.add_habit(measurable())
    h.target_value = 0
    with pytest.raises(UserError, match="target"):
        tracker.edit_habit(h)
    assert tracker.habit(h.id).target_value == 8.0


@pytest.mark.parametrize("other", ["Run", "run", "RUN", "  rUn  "])
def test_duplicate_names_are_refused_in_any_case(tracker, other):
    tracker.add_habit(yes_no("Run"))
    with pytest.raises(UserError, match="a habit named 'Run' already exists"):
        tracker.add_habit(yes_no(other))
    assert names(tracker) == ["Run"]


def test_duplicate_of_an_archived_habit_is_refused(tracker):
    h = tracker.add_habit(yes_no("Run"))
    tracker.set_archived(h, True)
    with pytest.raises(UserError, match="already exists"):
        tracker.add_habit(yes_no("run"))


def test_rename_onto_another_habit_is_refused(tracker):
    tracker.add_habit(yes_no("Run"))
    read = tracker.add_habit(yes_no("Read"))
    read.name = "RUN"
    with pytest.raises(UserError, match="already exists"):
        tracker.edit_habit(read)
    assert names(tracker) == ["Run", "Read"]


def test_allow_duplicate(tracker):
    tracker.add_habit(yes_no("Run"))
    tracker.add_habit(yes_no("run"), allow_duplicate=True)
    assert names(tracker) == ["Run", "run"]
    with pytest.raises(UserError, match="2 habits are named"):
        tracker.find_habit("RUN")


def test_future_days_are_refused(tracker, events):
    h = tracker.add_habit(yes_no())
    events.clear()
    for command in (
        lambda: tracker.check(h, TODAY + 1),
        lambda: tracker.skip(h, TODAY + 1),
        lambda: tracker.clear(h, TODAY + 1),
        lambda: tracker.set_entry(h, TODAY + 30, YES_MANUAL),
    ):
        with pytest.raises(UserError, match="2026-11-2[7]|in the future"):
            command()
    assert tracker.repo.entries_with_notes(h.id) == {}
    assert events == []


def test_today_and_the_past_are_accepted(tracker):
    h = tracker.add_habit(yes_no())
    tracker.check(h, TODAY)
    tracker.check(h, TODAY - 3650)
    assert set(tracker.repo.entries_with_notes(h.id)) == {TODAY, TODAY - 3650}


def test_very_old_days_are_refused(tracker):
    h = tracker.add_habit(yes_no())
    with pytest.raises(UserError, match="too long ago"):
        tracker.check(h, -30000)


@pytest.mark.parametrize("amount", [-1, -0.001, float("nan"), float("inf"), 2e9])
def test_bad_amounts_are_refused(tracker, amount):
    h = tracker.add_habit(measurable())
    with pytest.raises(UserError, match="amount"):
        tracker.check(h, TODAY, amount=amount)
    assert tracker.repo.entry(h.id, TODAY) is None


def test_value_on_a_yes_no_habit_is_refused(tracker):
    h = tracker.add_habit(yes_no())
    with pytest.raises(UserError, match="yes/no habit.*--value"):
        tracker.check(h, TODAY, amount=3)
    assert tracker.repo.entry(h.id, TODAY) is None


def test_measurable_check_needs_an_amount(tracker):
    h = tracker.add_habit(measurable())
    with pytest.raises(UserError, match="measurable.*--value"):
        tracker.check(h, TODAY)


# -- entries -------------------------------------------------------------------------


def test_check_skip_and_clear(tracker, events):
    h = tracker.add_habit(yes_no())
    events.clear()
    tracker.check(h, TODAY)
    assert tracker.repo.entry(h.id, TODAY) == (YES_MANUAL, "")
    tracker.skip(h, TODAY - 1)
    assert tracker.repo.entry(h.id, TODAY - 1) == (SKIP, "")
    tracker.clear(h, TODAY)
    assert tracker.repo.entry(h.id, TODAY) is None  # nothing left: the row goes
    assert events == [Change(ChangeKind.ENTRY, h.id, TODAY), Change(ChangeKind.ENTRY, h.id, TODAY - 1), Change(ChangeKind.ENTRY, h.id, TODAY)]


def test_measurable_amounts_are_stored_in_thousandths(tracker):
    h = tracker.add_habit(measurable())
    tracker.check(h, TODAY, amount=2.5)
    assert tracker.repo.entry(h.id, TODAY) == (2500, "")
    tracker.check(h, TODAY, amount=0)
    assert tracker.repo.entry(h.id, TODAY) == (0, "")
    tracker.check(h, TODAY, amount=0.0005)  # Java's Math.round: half up
    assert tracker.repo.entry(h.id, TODAY) == (1, "")


def test_set_entry_keeps_notes_when_none(tracker):
    h = tracker.add_habit(yes_no())
    tracker.set_entry(h, TODAY, YES_MANUAL, "morning run")
    tracker.set_entry(h, TODAY, NO)
    assert tracker.repo.entry(h.id, TODAY) == (NO, "morning run")
    tracker.check(h, TODAY)
    assert tracker.repo.entry(h.id, TODAY) == (YES_MANUAL, "morning run")
    tracker.skip(h, TODAY)
    assert tracker.repo.entry(h.id, TODAY) == (SKIP, "morning run")
    tracker.set_entry(h, TODAY, YES_MANUAL, "")  # an explicit empty note replaces it
    assert tracker.repo.entry(h.id, TODAY) == (YES_MANUAL, "")


def test_notes_replace_old_notes(tracker):
    h = tracker.add_habit(yes_no())
    tracker.check(h, TODAY, notes="one")
    tracker.check(h, TODAY, notes="two")
    assert tracker.notes(h) == {TODAY: "two"}


def test_clear_keeps_the_note(tracker):
    h = tracker.add_habit(yes_no())
    tracker.check(h, TODAY, notes="knee hurt")
    summary = tracker.clear(h, TODAY)
    assert tracker.repo.entry(h.id, TODAY) == (UNKNOWN, "knee hurt")
    assert tracker.notes(h) == {TODAY: "knee hurt"}
    assert summary.today_value == UNKNOWN
    assert summary.total == 0


def test_clear_keeps_the_note_of_a_measurable_habit(tracker):
    h = tracker.add_habit(measurable())
    tracker.check(h, TODAY, amount=3, notes="tea counts")
    tracker.clear(h, TODAY)
    assert tracker.repo.entry(h.id, TODAY) == (UNKNOWN, "tea counts")


def test_clear_of_an_empty_day_is_harmless(tracker):
    h = tracker.add_habit(yes_no())
    tracker.clear(h, TODAY - 5)
    assert tracker.repo.entry(h.id, TODAY - 5) is None


def test_set_entry_returns_the_new_summary(tracker):
    h = tracker.add_habit(yes_no())
    s1 = tracker.check(h, TODAY - 1)
    s2 = tracker.check(h, TODAY)
    assert (s1.streak, s2.streak) == (1, 2)
    assert s2.total == 2 and s2.through == TODAY and s2.today_value == YES_MANUAL
    assert s2.score > s1.score > 0


def test_toggle_follows_loops_cycle(tracker):
    from habitdesk.core.entries import YES_AUTO

    h = tracker.add_habit(yes_no())
    tracker.toggle(h, TODAY, UNKNOWN)
    assert tracker.repo.entry(h.id, TODAY)[0] == YES_MANUAL
    tracker.toggle(h, TODAY, YES_MANUAL)
    assert tracker.repo.entry(h.id, TODAY)[0] == NO
    tracker.set_setting("skips_enabled", True)
    tracker.toggle(h, TODAY, YES_MANUAL)
    assert tracker.repo.entry(h.id, TODAY)[0] == SKIP
    tracker.toggle(h, TODAY, YES_AUTO)
    assert tracker.repo.entry(h.id, TODAY)[0] == YES_MANUAL


# -- settings -------------------------------------------------------------------------


def test_settings_defaults_and_changes(tracker, events):
    assert tracker.settings.as_dict() == {
        "first_weekday": 0, "day_start_hour": 0, "skips_enabled": False, "unknown_enabled": False,
    }
    tracker.set_setting("first_weekday", 6)
    assert tracker.settings.first_weekday == 6
    assert events == [Change(ChangeKind.SETTINGS)]
    with pytest.raises(AttributeError):
        tracker.settings.first_weekday = 1  # type: ignore[misc]


@pytest.mark.parametrize(
    ("name", "value"),
    [("first_weekday", 7), ("first_weekday", -1), ("first_weekday", True), ("day_start_hour", 24),
     ("day_start_hour", "3"), ("skips_enabled", 1), ("nonsense", 1)],
)
def test_invalid_settings_are_refused(tracker, name, value):
    with pytest.raises(UserError):
        tracker.set_setting(name, value)


def test_invalid_stored_settings_fall_back_to_defaults(tracker, data_dir):
    tracker.repo.put_setting("first_weekday", 42)
    tracker.repo.put_setting("skips_enabled", "yes")
    tracker.close()
    again = Tracker(data_dir, today=TODAY)
    try:
        assert again.settings.first_weekday == 0 and again.settings.skips_enabled is False
    finally:
        again.close()


def test_settings_persist(tracker, data_dir):
    tracker.set_setting("day_start_hour", 4)
    tracker.close()
    again = Tracker(data_dir, today=TODAY)
    try:
        assert again.settings.day_start_hour == 4
    finally:
        again.close()


def test_today_follows_the_day_start_hour(data_dir):
    import datetime as dt

    from habitdesk.core.days import logical_today

    t = Tracker(data_dir)
    try:
        t.set_setting("day_start_hour", 5)
        assert t.today() in {logical_today(dt.datetime.now(), 5), logical_today(dt.datetime.now(), 5) - 1}
    finally:
        t.close()


# -- events ---------------------------------------------------------------------------


def test_failed_commands_emit_nothing(tracker, events):
    tracker.add_habit(yes_no("Run"))
    events.clear()
    with pytest.raises(UserError):
        tracker.add_habit(yes_no("run"))
    with pytest.raises(UserError):
        tracker.check(tracker.find_habit("Run"), TODAY + 1)
    assert events == []


# -- the data file ----------------------------------------------------------------------


def test_a_newer_data_file_is_refused_by_the_tracker(data_dir):
    import sqlite3

    from habitdesk.storage.database import APPLICATION_ID, DB_FILENAME
    from habitdesk.storage.errors import NewerDatabaseError
    from habitdesk.storage.migrations import LATEST

    path = data_dir / DB_FILENAME
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE habit (x)")
    con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    con.execute(f"PRAGMA user_version = {LATEST + 5}")
    con.commit()
    con.close()
    before = path.read_bytes()
    with pytest.raises(NewerDatabaseError):
        Tracker(data_dir, today=TODAY)
    assert path.read_bytes() == before
