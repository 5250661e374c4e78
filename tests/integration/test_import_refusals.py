"""Bad input for every import: a clear one-line message naming the file, and the database exactly as it was."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from habitdesk.facade.errors import UserError
from habitdesk.facade.interchange import import_file
from habitdesk.facade.tracker import Tracker
from tests.conftest import TODAY
from tests.integration.loop_scenario import realistic
from tests.support.dbcheck import checksum
from tests.support.loop_csv import LoopCsv


@pytest.fixture
def filled(tracker: Tracker, tmp_path: Path) -> Tracker:
    """A tracker that already holds a realistic history, so that "unchanged" means something."""
    import_file(tracker, realistic(25).backup.write(tmp_path / "start.db"))
    return tracker


def _valid(tmp_path: Path) -> LoopCsv:
    export = LoopCsv()
    export.habit("Read", freq=(1, 1)).rows += [("2026-11-25", "YES_MANUAL"), ("2026-11-24", "NO")]
    export.habit("Swim", freq=(2, 7)).rows += [("2026-11-20", "YES_MANUAL")]
    return export


def truncated_zip(tmp_path: Path) -> Path:
    whole = _valid(tmp_path).write(tmp_path / "whole.zip").read_bytes()
    path = tmp_path / "truncated.zip"
    path.write_bytes(whole[: len(whole) // 2])
    return path


def missing_habit_columns(tmp_path: Path) -> Path:
    export = _valid(tmp_path)
    export.habits_csv = "Position,Name,Type\n001,Read,YES_NO\n002,Swim,YES_NO\n"
    return export.write(tmp_path / "columns.zip")


def missing_value_column(tmp_path: Path) -> Path:
    export = _valid(tmp_path)
    export.extra["002 Swim/Checkmarks.csv"] = b"Date,Notes\n2026-11-20,\n"
    return export.write(tmp_path / "value.zip")


def short_row(tmp_path: Path) -> Path:
    export = _valid(tmp_path)
    export.extra["002 Swim/Checkmarks.csv"] = b"Date,Value,Notes\n2026-11-20\n"
    return export.write(tmp_path / "short.zip")


def unknown_label(tmp_path: Path) -> Path:
    export = _valid(tmp_path)
    export.habits[1].rows.append(("2026-11-19", "MAYBE"))
    return export.write(tmp_path / "label.zip")


def bad_date(tmp_path: Path) -> Path:
    export = _valid(tmp_path)
    export.habits[1].rows.append(("2026-02-30", "YES_MANUAL"))
    return export.write(tmp_path / "date.zip")


def duplicate_names(tmp_path: Path) -> Path:
    export = _valid(tmp_path)
    export.habit("read", freq=(1, 1))
    return export.write(tmp_path / "duplicates.zip")


def newer_json(tmp_path: Path) -> Path:
    path = tmp_path / "future.json"
    path.write_text(json.dumps({"format": "habitdesk-backup", "version": 3, "habits": []}))
    return path


def truncated_json(tmp_path: Path) -> Path:
    path = tmp_path / "cut.json"
    path.write_text('{"format": "habitdesk-backup", "version": 1, "habits": [{"uuid": "')
    return path


def text_named_zip(tmp_path: Path) -> Path:
    path = tmp_path / "export.zip"
    path.write_text("Date,Value\n2026-11-20,YES_MANUAL\n")
    return path


def png_named_json(tmp_path: Path) -> Path:
    path = tmp_path / "backup.json"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    return path


def zip_without_habits(tmp_path: Path) -> Path:
    path = tmp_path / "photos.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("holiday.txt", "not a Loop export")
    return path


def kind_clash(tmp_path: Path) -> Path:
    """Valid, but its second habit is measurable where ours is yes/no with history: fails mid-import."""
    export = LoopCsv()
    export.habit("Brand new habit").rows.append(("2026-11-25", "YES_MANUAL"))
    export.habit("Meditate", kind="NUMERICAL", unit="min", target_value="10.0", target_type="AT_LEAST")
    export.habits[1].rows.append(("2026-11-25", "10000"))
    return export.write(tmp_path / "clash.zip")


CASES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "truncated zip": (truncated_zip, "damaged or truncated zip"),
    "missing Habits.csv columns": (missing_habit_columns, "Habits.csv: missing column(s) FrequencyNumerator, FrequencyDenominator"),
    "missing Value column": (missing_value_column, "002 Swim/Checkmarks.csv: missing column Value"),
    "short row": (short_row, "002 Swim/Checkmarks.csv, line 2: has 1 field(s), expected 3"),
    "unknown label": (unknown_label, "002 Swim/Checkmarks.csv, line 3: unknown value 'MAYBE'"),
    "date that is not a date": (bad_date, "line 3: '2026-02-30' is not a date"),
    "duplicate habit names": (duplicate_names, "two habits are named 'read' (lines 2 and 4)"),
    "JSON from a newer version": (newer_json, "written by a newer HabitDesk (backup format 3; this version reads format 2)"),
    "truncated JSON": (truncated_json, "damaged or truncated JSON"),
    "text file named .zip": (text_named_zip, "despite its .zip extension it is a text file"),
    "PNG named .json": (png_named_json, "despite its .json extension it is a PNG image"),
    "zip that is no Loop export": (zip_without_habits, "not a Loop CSV export (the zip holds no Habits.csv)"),
    "kind clash half way": (kind_clash, "'Meditate' is measurable in the file but yes/no here; nothing was imported"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_leaves_the_database_exactly_as_it_was(filled: Tracker, tmp_path: Path, case: str) -> None:
    make, words = CASES[case]
    bad = make(tmp_path)
    before = checksum(filled.db_path)
    with pytest.raises(UserError) as info:
        import_file(filled, bad)
    message = str(info.value)
    assert message.startswith(bad.name + ": "), message
    assert words in message, message
    assert "\n" not in message
    assert checksum(filled.db_path) == before


def _million_rows(tmp_path: Path, last_value: str) -> Path:
    """A 50 MB Checkmarks.csv of a million rows (200 habits of 5000 days), its very last row ``last_value``."""
    import datetime as dt

    days = [(dt.date(2026, 11, 26) - dt.timedelta(days=k)).isoformat() for k in range(5000)]
    note = "a note long enough to make the file weigh fifty megabytes"
    path = tmp_path / "million.zip"
    header = "Position,Name,Type,Question,Description,FrequencyNumerator,FrequencyDenominator,Color,Unit,Target Type,Target Value,Archived?\n"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("Habits.csv", header + "".join(f"{i:03d},Habit {i},YES_NO,,,1,1,#00897B,,,,false\n" for i in range(1, 201)))
        size = 0
        for i in range(1, 201):
            rows = [f"{day},YES_MANUAL,{note}\n" for day in days]
            if i == 200:
                rows[-1] = f"{days[-1]},{last_value},\n"
            body = "Date,Value,Notes\n" + "".join(rows)
            size += len(body)
            zf.writestr(f"{i:03d} Habit {i}/Checkmarks.csv", body)
    assert size > 50_000_000
    return path


@pytest.mark.slow
def test_a_million_rows_with_a_bad_last_row_changes_nothing(filled: Tracker, tmp_path: Path) -> None:
    bad = _million_rows(tmp_path, "NOPE")
    before = checksum(filled.db_path)
    with pytest.raises(UserError, match=r"million.zip: 200 Habit 200/Checkmarks.csv, line 5001: unknown value 'NOPE'"):
        import_file(filled, bad)
    assert checksum(filled.db_path) == before


@pytest.mark.slow
def test_a_million_rows_import(tmp_path: Path) -> None:
    fresh = Tracker(tmp_path / "fresh", today=TODAY)
    try:
        seen: list[float] = []
        report = import_file(fresh, _million_rows(tmp_path, "YES_MANUAL"), progress=seen.append)
        assert (report.habits_added, report.entries_added) == (200, 1_000_000)
        assert seen[-1] == 1.0 and len(seen) > 10 and seen == sorted(seen)
    finally:
        fresh.close()


def test_a_loop_backup_is_copied_by_sqlite_and_left_untouched(filled: Tracker, tmp_path: Path) -> None:
    """The backup's entries are merged straight from the attached file, which is opened read-only."""
    from tests.support.loop_backup import LoopBackup

    backup = LoopBackup(25)
    uuid = filled.find_habit("Meditate").uuid
    meditate = backup.habit("Meditate", type=1, unit="min", target_value=10.0, uuid=uuid)  # yes/no here, with history
    backup.amount(meditate, dt.date(2026, 11, 20), 12.0)
    path = backup.write(tmp_path / "clash.db")
    original = path.read_bytes()
    before = checksum(filled.db_path)
    with pytest.raises(UserError, match="'Meditate' is measurable in the file but yes/no here"):
        import_file(filled, path)
    assert checksum(filled.db_path) == before
    backup.habits.remove(meditate)  # without the clash the same file imports: it was detached
    backup.habit("Stretch").reps[dt.date(2026, 11, 21)] = (2, None)
    assert import_file(filled, backup.write(tmp_path / "next.db")).entries_added == 1
    assert path.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("clash")) == ["clash.db"]


def test_importing_a_habitdesk_database_copy_points_to_restore(filled: Tracker, tmp_path: Path) -> None:
    from habitdesk.facade import backups

    copy = backups.backup_now(filled)
    before = checksum(filled.db_path)
    with pytest.raises(UserError, match=r"a HabitDesk database \(a backup copy\?\), not a Loop backup; to go back to it, restore it"):
        import_file(filled, copy)
    assert checksum(filled.db_path) == before
