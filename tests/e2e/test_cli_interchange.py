"""habitdesk-cli import (any format), export json, restore, backup and backups, run as a user would."""

from __future__ import annotations

import re
from pathlib import Path

from tests.integration.loop_scenario import realistic
from tests.support.dbcheck import checksum
from tests.support.loop_csv import LoopCsv


def test_import_recognises_a_loop_csv_zip_by_content_whatever_its_name(cli, tmp_path: Path) -> None:
    export = LoopCsv()
    export.habit("Read").rows += [("2026-11-25", "YES_MANUAL", "a, b"), ("2026-11-24", "YES_AUTO")]
    path = export.write(tmp_path / "misnamed.db")
    result = cli("import", str(path))
    assert result.code == 0, result
    assert result.out == ("Imported misnamed.db: 1 habits added, 0 updated, 0 unchanged; "
                          "1 entries added, 0 updated, 0 unchanged\n")
    again = cli("import", str(path))
    assert "0 habits added, 0 updated, 1 unchanged; 0 entries added, 0 updated, 1 unchanged" in again.out


def test_bad_file_is_one_line_on_stderr_with_exit_code_1(cli, tmp_path: Path, data_dir: Path) -> None:
    cli("add", "Walk")
    before = checksum(data_dir / "habitdesk.sqlite3")
    bad = tmp_path / "notes.zip"
    bad.write_text("just text")
    result = cli("import", str(bad))
    assert result.code == 1
    assert result.out == ""
    assert result.err == ("habitdesk-cli: notes.zip: not a Loop Habit Tracker backup (.db), Loop CSV export (.zip) or "
                          "HabitDesk backup (.json); despite its .zip extension it is a text file\n")
    assert checksum(data_dir / "habitdesk.sqlite3") == before


def test_export_json_and_restore_it_elsewhere(cli, tmp_path: Path) -> None:
    loop = realistic(25).backup.write(tmp_path / "loop.db")
    assert cli("import", str(loop)).code == 0
    out = tmp_path / "all.json"
    result = cli("export", "json", str(out))
    assert result.out == f"Exported 9 habits to {out}\n"
    other = tmp_path / "other"
    restored = cli("restore", str(out), "--yes", env={"HABITDESK_DATA_DIR": str(other)})
    assert restored.code == 0, restored
    assert "Restoring all.json replaces everything in HabitDesk:" in restored.out
    assert re.search(r"Habits: 9 added \('.*', …\), 0 removed, 0 changed, 0 unchanged\.", restored.out)
    assert f"your previous data is in {other / 'backups'}" in restored.out
    mine = cli("status", "--json").out
    theirs = cli("status", "--json", env={"HABITDESK_DATA_DIR": str(other)}).out
    assert mine == theirs


def test_restore_without_a_terminal_needs_yes(cli, tmp_path: Path, data_dir: Path) -> None:
    cli("add", "Walk")
    assert cli("export", "json", str(tmp_path / "b.json")).code == 0
    before = checksum(data_dir / "habitdesk.sqlite3")
    result = cli("restore", str(tmp_path / "b.json"))
    assert result.code == 1
    assert result.err == "habitdesk-cli: not restoring b.json: confirm with --yes when not at a terminal\n"
    assert checksum(data_dir / "habitdesk.sqlite3") == before


def test_backup_and_backups(cli, data_dir: Path) -> None:
    assert cli("backups").out == f"No backups yet in {data_dir / 'backups'}. Take one with: habitdesk-cli backup\n"
    result = cli("backup")
    assert result.code == 0
    match = re.fullmatch(r"Backed up to (.*habitdesk-\d{4}-\d\d-\d\d-\d{6}\.sqlite3)\n", result.out)
    assert match and Path(match.group(1)).is_file()
    listing = cli("backups").out.splitlines()
    assert listing[0].split() == ["TAKEN", "SIZE", "KIND", "FILE"]
    assert listing[1].endswith(match.group(1)) and " daily " in listing[1]


def test_an_import_over_existing_habits_keeps_a_copy_of_the_data_first(cli, tmp_path: Path, data_dir: Path) -> None:  # noqa: ANN001
    import sqlite3

    loop = realistic(25).backup.write(tmp_path / "loop.db")
    first = cli("import", str(loop))
    assert first.code == 0 and "as it was before" not in first.out  # an empty data file has nothing to lose
    before = checksum(data_dir / "habitdesk.sqlite3")
    again = cli("import", str(loop))
    assert again.code == 0, again
    found = re.search(r"^  your data as it was before: (.+)$", again.out, re.M)
    assert found, again.out
    copy = Path(found.group(1))
    assert copy.parent == data_dir / "backups" and copy.stat().st_mode & 0o077 == 0  # the owner's only
    with sqlite3.connect(f"file:{copy}?mode=ro", uri=True) as con:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert checksum(copy) == before  # the data exactly as it was before the second import
