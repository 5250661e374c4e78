"""Whatever the importers accept, the exports write and the importers read back unchanged (issue 18, §2).

Every value at the edge of what HabitDesk accepts: the first day it stores, the longest
name and note, the largest and smallest amounts, the rarest frequency, text that looks
like a spreadsheet formula, line breaks, quotes and commas, and scripts of several
languages. A JSON backup and Loop's CSV export each go out and come back in; the data
file afterwards holds the same habits and days.
"""

from __future__ import annotations

from pathlib import Path

from habitdesk.core.days import OLDEST_DAY
from habitdesk.core.entries import SKIP, YES_MANUAL
from habitdesk.core.habit import Frequency, Habit, Kind, TargetType
from habitdesk.facade.interchange import export_json, import_file
from habitdesk.facade.tracker import Tracker
from habitdesk.interop.bundle import MAX_NOTE
from tests.conftest import TODAY
from tests.support.computer import dump

NAME = ("=HYPERLINK(\"x\"), 読書 · قراءة \"quoted\" 🙂 " * 8)[:200]
NOTE = ("line one\nline two, with \"quotes\"; and =1+2 ") * (MAX_NOTE // 40)


def odd_data(tracker: Tracker) -> None:
    rare = tracker.add_habit(Habit(NAME, question="+Did you?\nreally", description="@mention, -minus",
                                   frequency=Frequency(1, 366), color=0))
    tracker.check(rare, OLDEST_DAY, notes=NOTE[:MAX_NOTE])
    tracker.skip(rare, TODAY, notes="-")
    amounts = tracker.add_habit(Habit("Amounts", kind=Kind.MEASURABLE, unit="km, or miles", target_value=1e9,
                                      target_type=TargetType.AT_MOST, frequency=Frequency(365, 366)))
    for offset, amount in enumerate((1e9, 0.001, 0.0, 123456.789)):
        tracker.check(amounts, TODAY - offset, amount=amount)
    tracker.check(amounts, TODAY - 10, amount=5, notes="")


def by_name(database: Path) -> tuple[dict, list]:
    """Habits by name (without uuid and creation time, which Loop's CSV does not carry) and days by habit name."""
    found = dump(database)
    names = {uuid: fields[0] for uuid, fields in found["habits"].items()}
    habits = {fields[0]: fields[:-1] for fields in found["habits"].values()}
    return habits, sorted([names[uuid], *rest] for uuid, *rest in found["days"])


def round_trip(tmp_path: Path, export, name: str) -> tuple[Path, Path]:  # noqa: ANN001
    """Odd data exported from one data folder, imported into a fresh one and exported again; both exports."""
    first = Tracker(tmp_path / "first", today=TODAY)
    odd_data(first)
    assert first.entry(first.find_habit(NAME), TODAY)[0] == SKIP
    assert first.entry(first.find_habit(NAME), OLDEST_DAY) == (YES_MANUAL, NOTE[:MAX_NOTE])
    path = tmp_path / name
    export(first, path)
    second = Tracker(tmp_path / "second", today=TODAY)
    import_file(second, path)
    again = tmp_path / f"again-{name}"
    export(second, again)
    first.close()
    second.close()
    assert by_name(tmp_path / "second" / "habitdesk.sqlite3") == by_name(tmp_path / "first" / "habitdesk.sqlite3")
    return path, again


def test_odd_values_survive_a_json_backup(tmp_path: Path) -> None:
    round_trip(tmp_path, export_json, "backup.json")
    first, second = dump(tmp_path / "first" / "habitdesk.sqlite3"), dump(tmp_path / "second" / "habitdesk.sqlite3")
    assert first == second  # uuids and creation times too


def test_odd_values_survive_loop_csv(tmp_path: Path) -> None:
    path, again = round_trip(tmp_path, lambda tracker, path: tracker.export_loop_csv(path), "loop.zip")
    import zipfile

    with zipfile.ZipFile(path) as one, zipfile.ZipFile(again) as other:
        assert sorted(one.namelist()) == sorted(other.namelist())
        for member in one.namelist():
            assert one.read(member) == other.read(member), member
