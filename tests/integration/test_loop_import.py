"""Importing Loop Habit Tracker backups (.db, schemas 22-25) through the Tracker and the CLI.

The specification is DESIGN.md §3 ("Loop backup file"). Every backup here is
built by tests/support/loop_backup.py; expectations come from loop_scenario.py.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from pathlib import Path

import pytest

from habitdesk.facade.errors import UserError
from habitdesk.facade.interchange import import_file
from tests.conftest import TODAY
from tests.integration.loop_scenario import (
    OUR_FRI,
    OUR_MON,
    OUR_SAT,
    OUR_SUN,
    OUR_THU,
    OUR_WED,
    TODAY_DATE,
    Scenario,
    ago,
    day_number,
    realistic,
)
from tests.support.loop_backup import EVERY_DAY, NO, SKIP, UNKNOWN, YES_MANUAL, LoopBackup

SCHEMAS = [22, 23, 24, 25]
DB_FILENAME = "habitdesk.sqlite3"
HEX32 = re.compile(r"^[0-9a-f]{32}$")


def test_today_matches_conftest() -> None:
    assert day_number(TODAY_DATE) == TODAY


# -- helpers ----------------------------------------------------------------------
def db_snapshot(data_dir: Path) -> tuple[str, str]:
    """(sha256 of the file after a WAL checkpoint, full SQL dump of every table)."""
    path = data_dir / DB_FILENAME
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        dump = "\n".join(con.iterdump())
    finally:
        con.close()
    return hashlib.sha256(path.read_bytes()).hexdigest(), dump


def table_dump(data_dir: Path) -> str:
    return db_snapshot(data_dir)[1]


def assert_imported(tracker, scenario: Scenario) -> None:  # noqa: ANN001
    """Every habit, reminder and entry of the scenario landed, in Loop's list order."""
    habits = tracker.habits(archived=None)
    expected = scenario.in_list_order()
    assert [h.name for h in habits] == [e.name for e in expected]
    uuids = set()
    for habit, exp in zip(habits, expected):
        where = f"habit {exp.name!r} (schema {scenario.schema})"
        assert habit.question == exp.question, where
        assert habit.description == exp.description, where
        assert int(habit.kind) == exp.kind, where
        assert (habit.frequency.num, habit.frequency.den, habit.frequency.weekdays) == (exp.num, exp.den, 0), where
        assert habit.color == exp.color, where
        assert habit.color_hex == exp.color_hex, where
        assert habit.archived is exp.archived, where
        if exp.measurable:
            assert habit.unit == exp.unit, where
            assert int(habit.target_type) == exp.target_type, where
            assert habit.target_value == exp.target_value, where
        if exp.uuid is None:
            assert HEX32.match(habit.uuid), where
        else:
            assert habit.uuid == exp.uuid, where
        uuids.add(habit.uuid)
        reminders = [(r.minute, r.weekdays, r.enabled) for r in tracker.reminders(habit)]
        assert reminders == exp.reminders, where
        assert tracker.repo.entries_with_notes(habit.id) == exp.entries, where
    assert len(uuids) == len(habits)


def total_entries(scenario: Scenario) -> int:
    return sum(len(e.entries) for e in scenario.expected)


# -- every field lands, for each schema --------------------------------------------
@pytest.mark.parametrize("schema", SCHEMAS)
def test_realistic_backup_imports_every_field(tracker, tmp_path: Path, schema: int) -> None:
    scenario = realistic(schema)
    path = scenario.backup.write(tmp_path / f"loop-{schema}.db")

    report = import_file(tracker, path)

    assert report.source == path.name
    assert report.habits_added == 9
    assert (report.habits_updated, report.habits_unchanged) == (0, 0)
    assert report.entries_added == total_entries(scenario)
    assert (report.entries_updated, report.entries_unchanged) == (0, 0)
    assert report.warnings == []
    assert_imported(tracker, scenario)


@pytest.mark.parametrize("schema", SCHEMAS)
def test_question_and_description_per_schema(tracker, tmp_path: Path, schema: int) -> None:
    backup = LoopBackup(schema)
    if schema < 23:
        backup.habit("Floss", question="Did you floss?")
    else:
        backup.habit("Floss", question="Did you floss?", description="Every tooth, top and bottom")
    import_file(tracker, backup.write(tmp_path / "q.db"))
    (habit,) = tracker.habits()
    assert habit.question == "Did you floss?"
    assert habit.description == ("" if schema < 23 else "Every tooth, top and bottom")


def test_schema_22_question_comes_from_description_column(tracker, tmp_path: Path) -> None:
    """Check the raw file too: at schema 22 the builder writes the question into description."""
    backup = LoopBackup(22)
    backup.habit("Work out", question="Did you work out?", reminder=(18, 0, 113))
    path = backup.write(tmp_path / "old.db")
    con = sqlite3.connect(path)
    cols = [r[1] for r in con.execute("PRAGMA table_info(Habits)")]
    row = con.execute("SELECT description FROM Habits").fetchone()
    con.close()
    assert "question" not in cols and "uuid" not in cols
    assert row == ("Did you work out?",)
    import_file(tracker, path)
    (habit,) = tracker.habits()
    assert (habit.question, habit.description) == ("Did you work out?", "")
    # 113 = 0b1110001: Saturday (bit 0), Wednesday, Thursday, Friday (bits 4-6).
    assert [(r.minute, r.weekdays) for r in tracker.reminders(habit)] == [
        (18 * 60, OUR_WED | OUR_THU | OUR_FRI | OUR_SAT)
    ]


@pytest.mark.parametrize(
    ("loop_days", "ours"),
    [
        (0b0000001, OUR_SAT),
        (0b0000010, OUR_SUN),
        (0b0000100, OUR_MON),
        (0b1000000, OUR_FRI),
        (0b0000011, OUR_SAT | OUR_SUN),  # a weekend
        (0b1111100, 0b0011111),  # Monday to Friday
        (127, 127),
    ],
)
def test_reminder_day_mask_is_saturday_first(tracker, tmp_path: Path, loop_days: int, ours: int) -> None:
    backup = LoopBackup(25)
    backup.habit("Yoga", reminder=(6, 45, loop_days))
    import_file(tracker, backup.write(tmp_path / "r.db"))
    (habit,) = tracker.habits()
    assert [(r.minute, r.weekdays, r.enabled) for r in tracker.reminders(habit)] == [(6 * 60 + 45, ours, True)]


def test_no_reminder_when_hour_is_null(tracker, tmp_path: Path) -> None:
    backup = LoopBackup(25)
    backup.habit("Test", reminder=None)
    import_file(tracker, backup.write(tmp_path / "r.db"))
    (habit,) = tracker.habits()
    assert tracker.reminders(habit) == []


def test_timestamps_are_truncated_to_the_day(tracker, tmp_path: Path) -> None:
    """A timestamp a few hours after 00:00 UTC still belongs to that day."""
    backup = LoopBackup(25)
    backup.habit("Odd clock")
    path = backup.write(tmp_path / "t.db")
    con = sqlite3.connect(path)
    base = day_number(ago(2)) * 86_400_000
    con.execute("INSERT INTO Repetitions (habit, timestamp, value, notes) VALUES (1, ?, 2, 'x')", (base + 5 * 3_600_000,))
    con.commit()
    con.close()
    import_file(tracker, path)
    (habit,) = tracker.habits()
    assert tracker.repo.entries_with_notes(habit.id) == {day_number(ago(2)): (YES_MANUAL, "x")}


def test_unknown_rows(tracker, tmp_path: Path) -> None:
    """UNKNOWN with empty notes is ignored; with notes it is kept; measurable NULL stays UNKNOWN."""
    backup = LoopBackup(25)
    yes_no = backup.habit("Journal")
    amount = backup.habit("Water", type=1, target_value=2, unit="l")
    backup.rep(yes_no, ago(5), YES_MANUAL)
    backup.rep(yes_no, ago(4), UNKNOWN, "")
    backup.rep(yes_no, ago(3), UNKNOWN, "wrote on paper, lost it")
    backup.rep(amount, ago(5), 1500)
    backup.rep(amount, ago(4), UNKNOWN, "")
    backup.rep(amount, ago(3), UNKNOWN, None)
    backup.rep(amount, ago(2), UNKNOWN, "meter broken")
    report = import_file(tracker, backup.write(tmp_path / "u.db"))
    journal, water = tracker.habits()
    assert tracker.repo.entries_with_notes(journal.id) == {
        day_number(ago(5)): (YES_MANUAL, ""),
        day_number(ago(3)): (UNKNOWN, "wrote on paper, lost it"),
    }
    assert tracker.repo.entries_with_notes(water.id) == {
        day_number(ago(5)): (1500, ""),
        day_number(ago(3)): (UNKNOWN, ""),
        day_number(ago(2)): (UNKNOWN, "meter broken"),
    }
    assert report.entries_added == 5


def test_unknown_rows_before_schema_25_upgrade_with_null_notes(tracker, tmp_path: Path) -> None:
    """Schemas 22-24 have no notes column; Loop's upgrade leaves NULL there, which
    keeps both habits' UNKNOWN rows: a known day of the measurable habit, and for the
    yes/no habit a stored day that only the root CSV range sees (the engine does not)."""
    backup = LoopBackup(24)
    yes_no = backup.habit("Journal")
    amount = backup.habit("Water", type=1, target_value=2, unit="l")
    backup.rep(yes_no, ago(4), UNKNOWN)
    backup.rep(amount, ago(4), UNKNOWN)
    import_file(tracker, backup.write(tmp_path / "old.db"))
    journal, water = tracker.habits()
    assert tracker.repo.entries_with_notes(journal.id) == {day_number(ago(4)): (UNKNOWN, "")}
    assert tracker.analysis(journal).known_days() == []
    assert tracker.repo.entries_with_notes(water.id) == {day_number(ago(4)): (UNKNOWN, "")}
    assert tracker.analysis(water).known_days() == [day_number(ago(4))]


def test_reimport_takes_the_reminder_changed_in_loop(tracker, tmp_path: Path) -> None:
    first = LoopBackup(25)
    first.habit("Stretch", uuid="a" * 32, reminder=(18, 0, EVERY_DAY))
    import_file(tracker, first.write(tmp_path / "one.db"))
    second = LoopBackup(25)
    second.habit("Stretch", uuid="a" * 32, reminder=(19, 30, EVERY_DAY))
    report = import_file(tracker, second.write(tmp_path / "two.db"))
    (habit,) = tracker.habits()
    assert [r.time_text for r in tracker.reminders(habit)] == ["19:30"]
    assert (report.habits_updated, report.habits_unchanged) == (1, 0)

    third = LoopBackup(25)
    third.habit("Stretch", uuid="a" * 32, reminder=None)
    import_file(tracker, third.write(tmp_path / "three.db"))
    assert tracker.reminders(habit) == []


def test_reimport_keeps_reminders_added_in_habitdesk(tracker, tmp_path: Path) -> None:
    from habitdesk.core.reminders import Reminder

    backup = LoopBackup(25)
    backup.habit("Stretch", uuid="b" * 32, reminder=(18, 0, EVERY_DAY))
    path = backup.write(tmp_path / "one.db")
    import_file(tracker, path)
    (habit,) = tracker.habits()
    tracker.repo.put_reminder(habit.id, Reminder(7 * 60))
    report = import_file(tracker, path)
    assert [r.time_text for r in tracker.reminders(habit)] == ["07:00", "18:00"]
    assert report.habits_unchanged == 1


def test_import_follows_loop_positions_after_existing_habits(tracker, tmp_path: Path) -> None:
    from habitdesk.core.habit import Habit

    tracker.add_habit(Habit("Already here"))
    backup = LoopBackup(25)
    backup.habit("Third", position=2)
    backup.habit("First", position=0)
    backup.habit("Second", position=1)
    import_file(tracker, backup.write(tmp_path / "p.db"))
    assert [h.name for h in tracker.habits()] == ["Already here", "First", "Second", "Third"]


def test_cli_import_reports_counts(cli, tmp_path: Path) -> None:
    scenario = realistic(25)
    path = scenario.backup.write(tmp_path / "phone backup.db")
    result = cli("import", str(path))
    assert result.code == 0, result
    assert result.err == ""
    assert result.out == (
        f"Imported phone backup.db: 9 habits added, 0 updated, 0 unchanged; "
        f"{total_entries(scenario)} entries added, 0 updated, 0 unchanged\n"
    )


# -- idempotence and uuid matching --------------------------------------------------
@pytest.mark.parametrize("schema", SCHEMAS)
def test_reimport_is_idempotent(tracker, data_dir: Path, tmp_path: Path, schema: int) -> None:
    scenario = realistic(schema)
    path = scenario.backup.write(tmp_path / f"loop-{schema}.db")
    import_file(tracker, path)
    # Let the statistics cache fill, as any status call or the window would.
    tracker.summaries(tracker.habits(archived=None))
    before = table_dump(data_dir)

    report = import_file(tracker, path)

    assert (report.habits_added, report.habits_updated, report.habits_unchanged) == (0, 0, 9)
    assert (report.entries_added, report.entries_updated) == (0, 0)
    assert report.entries_unchanged == total_entries(scenario)
    assert report.warnings == []
    assert table_dump(data_dir) == before
    assert_imported(tracker, scenario)


def test_reimport_through_cli_changes_nothing(cli, data_dir: Path, tmp_path: Path) -> None:
    scenario = realistic(24)
    path = scenario.backup.write(tmp_path / "b.db")
    assert cli("import", str(path)).code == 0
    assert cli("status").code == 0
    before = db_snapshot(data_dir)
    again = cli("import", str(path))
    assert again.code == 0, again
    assert again.out.startswith("Imported b.db: 0 habits added, 0 updated, 9 unchanged; 0 entries added, 0 updated, ")
    assert db_snapshot(data_dir)[1] == before[1]


@pytest.mark.parametrize("schema", [24, 25])
def test_uuid_matches_a_habit_across_an_edit(tracker, tmp_path: Path, schema: int) -> None:
    first = LoopBackup(schema)
    run = first.habit("Run", freq=(3, 7), color=11, question="Did you run?", uuid="0123456789abcdef0123456789abcdef")
    keep = first.habit("Read", color=4)
    first.rep(run, ago(6), YES_MANUAL)
    first.rep(run, ago(4), NO)
    first.rep(run, ago(2), YES_MANUAL)
    first.rep(keep, ago(1), YES_MANUAL)
    import_file(tracker, first.write(tmp_path / "first.db"))
    before = {h.name: h for h in tracker.habits(archived=None)}
    tracker.move_habit(before["Read"], 0)  # a local reordering survives

    # Later, on the phone: renamed, new frequency, colour and question, archived;
    # an entry changed, one added; and a new habit.
    second = LoopBackup(schema)
    run2 = second.habit(
        "Morning run", freq=(4, 7), color=6, question="Did you run before work?", archived=True,
        uuid="0123456789abcdef0123456789abcdef",
    )
    keep2 = second.habit("Read", color=4, uuid=keep.uuid)
    second.habit("Brand new")
    second.rep(run2, ago(6), YES_MANUAL)
    second.rep(run2, ago(4), SKIP)
    second.rep(run2, ago(2), YES_MANUAL)
    second.rep(run2, ago(0), YES_MANUAL)
    second.rep(keep2, ago(1), YES_MANUAL)
    report = import_file(tracker, second.write(tmp_path / "second.db"))

    assert (report.habits_added, report.habits_updated, report.habits_unchanged) == (1, 1, 1)
    assert (report.entries_added, report.entries_updated, report.entries_unchanged) == (1, 1, 3)
    assert report.warnings == []
    habits = tracker.habits(archived=None)
    assert [h.name for h in habits] == ["Read", "Morning run", "Brand new"]
    edited = habits[1]
    assert edited.id == before["Run"].id
    assert edited.uuid == "0123456789abcdef0123456789abcdef"
    assert (edited.frequency.num, edited.frequency.den) == (4, 7)
    assert (edited.color, edited.question, edited.archived) == (6, "Did you run before work?", True)
    assert tracker.repo.entries_with_notes(edited.id) == {
        day_number(ago(6)): (YES_MANUAL, ""),
        day_number(ago(4)): (SKIP, ""),
        day_number(ago(2)): (YES_MANUAL, ""),
        day_number(ago(0)): (YES_MANUAL, ""),
    }


def test_uuid_with_dashes_or_capitals_matches(tracker, tmp_path: Path) -> None:
    plain = "a1b2c3d4e5f60718293a4b5c6d7e8f90"
    first = LoopBackup(25)
    first.habit("Walk", uuid=plain)
    import_file(tracker, first.write(tmp_path / "a.db"))
    second = LoopBackup(25)
    second.habit("Walk", uuid="A1B2C3D4-E5F6-0718-293A-4B5C6D7E8F90")
    report = import_file(tracker, second.write(tmp_path / "b.db"))
    assert (report.habits_added, report.habits_unchanged) == (0, 1)
    assert [h.uuid for h in tracker.habits()] == [plain]


def test_same_name_other_uuid_is_added_with_a_warning(cli, tmp_path: Path) -> None:
    assert cli("add", "Run").code == 0
    backup = LoopBackup(25)
    backup.habit("Run")
    result = cli("import", str(backup.write(tmp_path / "dup.db")))
    assert result.code == 0, result
    assert "1 habits added" in result.out
    assert result.err.count("\n") == 1 and "'Run'" in result.err and result.err.startswith("warning:")


# -- refusals -----------------------------------------------------------------------
def _valid_backup(tmp_path: Path) -> Path:
    return realistic(25).backup.write(tmp_path / "valid-source.db")


def make_corrupt(tmp_path: Path) -> Path:
    """A real backup whose table pages are overwritten with garbage (the header survives)."""
    data = bytearray(_valid_backup(tmp_path).read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    assert len(data) > 4 * page_size
    for i in range(page_size, len(data)):
        data[i] = (i * 151 + 7) % 256
    path = tmp_path / "corrupt.db"
    path.write_bytes(bytes(data))
    return path


def make_truncated(tmp_path: Path) -> Path:
    data = _valid_backup(tmp_path).read_bytes()
    path = tmp_path / "truncated.db"
    path.write_bytes(data[: len(data) // 2])
    return path


def make_not_sqlite(tmp_path: Path) -> Path:
    path = tmp_path / "habits.csv.db"
    path.write_text("Position,Name,Type\n001,Run,YES_NO\n", encoding="utf-8")
    return path


def make_empty(tmp_path: Path) -> Path:
    path = tmp_path / "empty.db"
    path.write_bytes(b"")
    return path


def make_foreign_sqlite(tmp_path: Path) -> Path:
    path = tmp_path / "contacts.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE people (id integer primary key, name text)")
    con.execute("INSERT INTO people (name) VALUES ('Ada')")
    con.execute("PRAGMA user_version = 25")
    con.commit()
    con.close()
    return path


def make_schema(version: int):  # noqa: ANN201
    def build(tmp_path: Path) -> Path:
        backup = LoopBackup(version)
        habit = backup.habit("Run", question="Did you run?")
        backup.rep(habit, ago(1), YES_MANUAL)
        return backup.write(tmp_path / f"loop-schema-{version}.db")

    return build


BAD_FILES = {
    "corrupt": make_corrupt,
    "truncated": make_truncated,
    "not-sqlite": make_not_sqlite,
    "empty": make_empty,
    "sqlite-not-loop": make_foreign_sqlite,
    "schema-21": make_schema(21),
    "schema-26": make_schema(26),
}


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_bad_file_is_refused_and_leaves_the_database_untouched(cli, data_dir: Path, tmp_path: Path, kind: str) -> None:
    good = realistic(25).backup.write(tmp_path / "good.db")
    assert cli("import", str(good)).code == 0
    assert cli("status").code == 0  # fills the statistics cache
    bad = BAD_FILES[kind](tmp_path)
    before = db_snapshot(data_dir)

    result = cli("import", str(bad))

    assert result.code == 1, result
    assert result.out == ""
    lines = result.err.splitlines()
    assert len(lines) == 1 and result.err.endswith("\n"), result.err
    assert lines[0].startswith("habitdesk-cli: "), result.err
    assert bad.name in lines[0], result.err
    assert "Traceback" not in result.err
    after = db_snapshot(data_dir)
    assert after[1] == before[1]
    assert after[0] == before[0]


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("not-sqlite", "not a Loop Habit Tracker backup"),
        ("empty", "not a Loop Habit Tracker backup"),
        ("sqlite-not-loop", "not a Loop Habit Tracker backup"),
        ("schema-21", "schema 21 is not supported"),
        ("schema-26", "schema 26 is not supported"),
        ("corrupt", "damaged"),
        ("truncated", "damaged or truncated"),
    ],
)
def test_refusal_messages_are_clear(tracker, tmp_path: Path, kind: str, words: str) -> None:
    bad = BAD_FILES[kind](tmp_path)
    with pytest.raises(UserError) as info:
        import_file(tracker, bad)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(bad.name + ": "), message
    assert words in message, message
    assert tracker.habits(archived=None) == []


def test_missing_file_is_refused(cli, tmp_path: Path) -> None:
    result = cli("import", str(tmp_path / "nowhere.db"))
    assert result.code == 1
    assert len(result.err.splitlines()) == 1 and "nowhere.db" in result.err


def test_refused_file_is_not_modified(tracker, tmp_path: Path) -> None:
    """Reading a backup never writes to it (no journal, no WAL, same bytes)."""
    for build in (make_schema(26), make_truncated):
        bad = build(tmp_path)
        data = bad.read_bytes()
        with pytest.raises(UserError):
            import_file(tracker, bad)
        assert bad.read_bytes() == data
    good = realistic(23).backup.write(tmp_path / "fine.db")
    data = good.read_bytes()
    import_file(tracker, good)
    assert good.read_bytes() == data
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("fine")) == ["fine.db"]


def test_file_names_that_need_uri_escaping(tracker, tmp_path: Path) -> None:
    for name in ("my backup #1 100%.db", "q?x=1&y.db", "sauvegarde é 📚.db"):
        backup = LoopBackup(25)
        backup.habit(f"From {name}")
        report = import_file(tracker, backup.write(tmp_path / name))
        assert report.source == name and report.habits_added == 1
    assert len(tracker.habits()) == 3


def test_two_habits_with_one_uuid_are_refused(tracker, tmp_path: Path) -> None:
    backup = LoopBackup(25)
    backup.habit("One", uuid="11111111111111111111111111111111")
    backup.habit("Two", uuid="11111111111111111111111111111111")
    path = backup.write(tmp_path / "twins.db")
    with pytest.raises(UserError, match=r"^twins\.db: .*11111111111111111111111111111111"):
        import_file(tracker, path)
    assert tracker.habits(archived=None) == []


def test_a_habit_whose_kind_differs_from_the_file_stops_the_import(tracker, data_dir: Path, tmp_path: Path) -> None:
    first = LoopBackup(25)
    first.habit("Water", uuid="c" * 32)
    import_file(tracker, first.write(tmp_path / "one.db"))
    (habit,) = tracker.habits()
    tracker.check(habit, TODAY)
    before = table_dump(data_dir)
    second = LoopBackup(25)
    second.habit("Water", uuid="c" * 32, type=1, target_value=2, unit="l")
    second.habit("Other")
    with pytest.raises(UserError, match="'Water' is measurable in the file but yes/no here; nothing was imported"):
        import_file(tracker, second.write(tmp_path / "two.db"))
    assert table_dump(data_dir) == before
