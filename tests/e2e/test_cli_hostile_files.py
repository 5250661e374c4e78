"""Imported records out of range are refused whole, in one line naming the record, and change nothing.

Before, a day 10^9 days away, a value outside the entry codes or a Loop timestamp at
2^63-1 imported "successfully", and `show` or `export json` then failed for good.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.e2e.test_cli import fails, ok
from tests.support.dbcheck import checksum
from tests.support.loop_backup import YES_MANUAL, LoopBackup


def json_backup(cli, tmp_path: Path, **entries: object) -> Path:  # noqa: ANN001
    """An exported backup of one habit, Read, with its entries columns changed."""
    ok(cli("add", "Read"))
    ok(cli("check", "Read"))
    path = tmp_path / "backup.json"
    ok(cli("export", "json", str(path)))
    doc = json.loads(path.read_text())
    doc["habits"][0]["entries"].update(entries)
    path.write_text(json.dumps(doc))
    return path


@pytest.mark.parametrize(("entries", "says"), [
    ({"days": [10**9]}, "a day outside 1900-01-01 to 9999-12-31"),
    ({"values": [99]}, "99 is not a yes/no state"),
    ({"notes": {}, "first": "1899-12-31"}, "a day outside 1900-01-01 to 9999-12-31"),
])
def test_a_json_entry_out_of_range_is_refused(cli, data_dir: Path, tmp_path: Path, entries: dict, says: str) -> None:  # noqa: ANN001
    path = json_backup(cli, tmp_path, **entries)
    before = checksum(data_dir / "habitdesk.sqlite3")
    message = fails(cli("import", str(path)), 1)
    assert "habit 1 ('Read'): entries:" in message and says in message, message
    assert checksum(data_dir / "habitdesk.sqlite3") == before
    ok(cli("show", "Read"))
    ok(cli("export", "json", str(tmp_path / "again.json")))  # the user can still back up


@pytest.mark.parametrize(("timestamp", "value", "says"), [
    (2**63 - 1, YES_MANUAL, "a day outside 1900-01-01 to 9999-12-31"),
    (-(2**62), YES_MANUAL, "a day outside 1900-01-01 to 9999-12-31"),
    (1764115200000, 42, "42 is not a yes/no state"),
])
def test_a_loop_repetition_out_of_range_is_refused(cli, data_dir: Path, tmp_path: Path, timestamp: int, value: int, says: str) -> None:  # noqa: ANN001
    backup = LoopBackup(25)
    backup.habit("Meditate")
    path = backup.write(tmp_path / "loop.db")
    con = sqlite3.connect(path)
    with con:
        con.execute("INSERT INTO Repetitions (habit, timestamp, value, notes) VALUES (1, ?, ?, NULL)", (timestamp, value))
    con.close()
    ok(cli("add", "Read"))
    before = checksum(data_dir / "habitdesk.sqlite3")
    message = fails(cli("import", str(path)), 1)
    assert "habit 'Meditate'" in message and says in message, message
    assert checksum(data_dir / "habitdesk.sqlite3") == before


def test_a_loop_csv_day_before_1900_is_refused(cli, data_dir: Path, tmp_path: Path) -> None:  # noqa: ANN001
    from tests.support.loop_csv import LoopCsv

    export = LoopCsv()
    walk = export.habit("Walk", freq=(1, 1))
    walk.rows += [("2026-11-26", "YES_MANUAL"), ("0001-01-01", "YES_MANUAL")]
    path = export.write(tmp_path / "Loop Habits CSV.zip")
    ok(cli("add", "Read"))
    before = checksum(data_dir / "habitdesk.sqlite3")
    message = fails(cli("import", str(path)), 1)
    assert "Checkmarks.csv: a day outside 1900-01-01 to 9999-12-31" in message, message
    assert checksum(data_dir / "habitdesk.sqlite3") == before


@pytest.mark.parametrize(("text", "says"), [
    ('{"format": "habitdesk-backup", "version": 2, "habits": [{"target_value": ' + "9" * 5000 + "}]}", "a number too long"),
    ('{"format": "habitdesk-backup", "version": 2, "habits": ' + "[" * 200_000 + "]" * 200_000 + "}", "nested too deeply"),
])
def test_json_that_breaks_the_parser_is_a_one_line_refusal(cli, tmp_path: Path, text: str, says: str) -> None:  # noqa: ANN001
    path = tmp_path / "hostile.json"
    path.write_text(text)
    assert says in fails(cli("import", str(path)), 1)


@pytest.mark.parametrize(("column", "value", "says"), [
    ("name", b"\xff\xfe\x00binary", "habit '1': the name is binary data, not text"),
    ("name", "n" * 10_000, "…: the name is longer than 200 characters"),
    ("reminder_hour", "x", "habit 'Meditate': the reminder hour 'x' is not a whole number from 0 to 23"),
    ("reminder_hour", 25, "habit 'Meditate': the reminder hour 25 is not a whole number from 0 to 23"),
    ("reminder_min", 3.5, "habit 'Meditate': the reminder minute 3.5 is not a whole number from 0 to 59"),
    ("target_value", "lots", "habit 'Meditate': the target 'lots' is not an amount from 0 to 1000000000"),
    ("uuid", "not-a-uuid", "habit 'Meditate' has an invalid uuid 'notauuid'"),
])
def test_a_loop_habit_column_of_the_wrong_kind_is_refused(cli, data_dir: Path, tmp_path: Path, column: str, value: object,
                                                         says: str) -> None:  # noqa: ANN001
    """SQLite stores whatever it is given: a hand-edited or foreign backup may hold a BLOB name or an hour 'x'."""
    backup = LoopBackup(25)
    backup.habit("Meditate")
    path = backup.write(tmp_path / "loop.db")
    con = sqlite3.connect(path)
    with con:
        con.execute("UPDATE Habits SET reminder_hour = 7, reminder_min = 0, reminder_days = 127")
        con.execute(f"UPDATE Habits SET {column} = ?", (value,))
    con.close()
    ok(cli("add", "Read"))
    before = checksum(data_dir / "habitdesk.sqlite3")
    message = fails(cli("import", str(path)), 1)
    assert says in message and "\n" not in message, message
    assert checksum(data_dir / "habitdesk.sqlite3") == before
