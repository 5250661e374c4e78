"""HabitDesk's JSON backup: the round trip, merging it as an import, and restoring it with a preview."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest

from habitdesk.core.habit import Frequency, Habit, Kind, TargetType
from habitdesk.core.reminders import Reminder
from habitdesk.facade import backups, interchange
from habitdesk.facade.errors import UserError
from habitdesk.facade.interchange import import_file
from habitdesk.facade.tracker import Tracker
from tests.conftest import TODAY
from tests.integration.loop_scenario import realistic
from tests.support.dbcheck import checksum


def everything(tracker: Tracker) -> dict:
    """What a user could tell apart: habits with every field, reminders, stored entries, settings."""
    out = {}
    for habit in tracker.habits(archived=None):
        fields = {f: getattr(habit, f) for f in ("uuid", "name", "question", "description", "kind", "unit",
                                                 "target_value", "target_type", "frequency", "color", "position",
                                                 "archived", "created_at", "updated_at")}
        reminders = [(r.minute, r.weekdays, r.enabled) for r in tracker.reminders(habit)]
        out[habit.uuid] = (fields, reminders, tracker.repo.entries_with_notes(habit.id))
    settings = {k: v for k, v in tracker.repo.settings().items() if k != "engine_version"}
    return {"habits": out, "settings": settings}


@pytest.fixture
def rich(tracker: Tracker, tmp_path: Path) -> Tracker:
    """Loop history plus what only HabitDesk has: weekday schedules, several reminders, settings."""
    import_file(tracker, realistic(25).backup.write(tmp_path / "loop.db"))
    gym = tracker.add_habit(Habit("Gym ☺", frequency=Frequency(1, 1, 0b0010101), color=3, question="Gym?"),
                            [Reminder(7 * 60), Reminder(18 * 60 + 30, 0b0011111, enabled=False)])
    tracker.check(gym, TODAY - 1, notes="legs, \"heavy\"\nand a new line")
    water = tracker.add_habit(Habit("Water", kind=Kind.MEASURABLE, unit="l", target_value=2.5,
                                    target_type=TargetType.AT_MOST))
    tracker.check(water, TODAY, amount=1.25)
    tracker.set_archived(water, True)
    tracker.set_setting("first_weekday", 6)
    tracker.set_setting("skips_enabled", True)
    backups.set_setting(tracker, "backup_daily", 3)
    return tracker


def test_json_round_trip_into_a_fresh_folder_is_identical(rich: Tracker, tmp_path: Path) -> None:
    assert interchange.export_json(rich, tmp_path / "all.json") == 11
    doc = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))
    assert (doc["format"], doc["version"], doc["accounts"]) == ("habitdesk-backup", 2, [])
    assert doc["settings"] == {"backup_daily": 3, "first_weekday": 6, "skips_enabled": True}
    fresh = Tracker(tmp_path / "fresh", today=TODAY)
    try:
        plan = interchange.plan_restore(fresh, tmp_path / "all.json")
        assert len(plan.added) == 11 and plan.changes_anything
        interchange.restore(fresh, plan)
        assert everything(fresh) == everything(rich)
        assert fresh.settings.first_weekday == 6
        # And a second export of the restored data says the same (bar its creation time).
        interchange.export_json(fresh, tmp_path / "again.json")
        again = json.loads((tmp_path / "again.json").read_text(encoding="utf-8"))
        assert {k: v for k, v in again.items() if k != "created"} == {k: v for k, v in doc.items() if k != "created"}
    finally:
        fresh.close()


def test_importing_a_json_backup_merges_and_is_idempotent(rich: Tracker, tmp_path: Path) -> None:
    interchange.export_json(rich, tmp_path / "all.json")
    fresh = Tracker(tmp_path / "fresh", today=TODAY)
    try:
        report = import_file(fresh, tmp_path / "all.json")
        assert report.habits_added == 11
        assert everything(fresh)["habits"].keys() == everything(rich)["habits"].keys()
        before = checksum(fresh.db_path)
        again = import_file(fresh, tmp_path / "all.json")
        assert (again.habits_added, again.habits_updated, again.entries_added, again.entries_updated) == (0, 0, 0, 0)
        assert checksum(fresh.db_path) == before
    finally:
        fresh.close()


def test_restore_preview_says_what_changes_and_a_safety_backup_comes_first(rich: Tracker, tmp_path: Path) -> None:
    interchange.export_json(rich, tmp_path / "all.json")
    kept = everything(rich)
    floss = rich.add_habit(Habit("Floss"))
    rich.check(floss, TODAY)
    gym = rich.find_habit("Gym ☺")
    rich.clear(gym, TODAY - 1)
    rich.set_setting("first_weekday", 0)
    before = checksum(rich.db_path)

    plan = interchange.plan_restore(rich, tmp_path / "all.json")
    assert checksum(rich.db_path) == before  # the preview changes nothing
    assert plan.removed == ["Floss"] and plan.changed == ["Gym ☺"] and plan.added == []
    assert (plan.entries_added, plan.entries_removed, plan.entries_changed) == (0, 1, 1)
    text = "\n".join(plan.lines())
    assert "1 removed ('Floss')" in text and "1 changed ('Gym ☺')" in text
    assert "Settings changed: first weekday." in text

    safety, warnings = interchange.restore(rich, plan, now=dt.datetime(2026, 11, 26, 9, 0, 0))
    assert warnings == []
    assert safety.name == "habitdesk-before-restore-2026-11-26-090000.sqlite3"
    assert everything(rich) == kept
    con = sqlite3.connect(safety)  # the safety copy holds the data as it was before
    assert con.execute("SELECT count(*) FROM habit WHERE name = 'Floss'").fetchone() == (1,)
    con.close()


HOME = {"name": "Home", "url": "https://dav.example/", "username": "me", "calendar_url": "https://dav.example/me/habits/",
        "enabled": True, "valarm": False, "events_calendar_url": None, "ca_file": None}


def add_account(tracker: Tracker, **fields: object) -> None:
    from habitdesk.storage.sync_state import SyncState

    row = {"key": "k" * 32, "name": "Home", "url": "https://dav.example/", "username": "me",
           "calendar_url": "https://dav.example/me/habits/", "calendar_name": "Habits", "alarms": 0}
    SyncState(tracker.db).add_account({**row, **fields})


def accounts(tracker: Tracker) -> list[dict]:
    return interchange.accounts_for_backup(tracker)


def test_accounts_go_into_the_backup_without_passwords_and_come_back(tracker: Tracker, tmp_path: Path) -> None:
    add_account(tracker)
    interchange.export_json(tracker, tmp_path / "all.json")
    text = (tmp_path / "all.json").read_text(encoding="utf-8")
    assert json.loads(text)["accounts"] == [HOME]
    assert "password" not in text
    fresh = Tracker(tmp_path / "fresh", today=TODAY)
    try:
        _, warnings = interchange.restore(fresh, interchange.plan_restore(fresh, tmp_path / "all.json"))
        assert accounts(fresh) == [HOME]
        assert warnings == ["calendar account 'Home' has no password here yet; HabitDesk asks for it at the next sync"]
    finally:
        fresh.close()


def test_restoring_an_account_of_the_same_name_updates_it_and_keeps_the_others(tracker: Tracker, tmp_path: Path) -> None:
    add_account(tracker, enabled=0)
    add_account(tracker, key="w" * 32, name="Work", url="https://work.example/")
    path = tmp_path / "accounts.json"
    path.write_text(json.dumps({"format": "habitdesk-backup", "version": 1, "habits": [], "settings": {},
                                "accounts": [{**HOME, "valarm": True}]}))
    plan = interchange.plan_restore(tracker, path)
    _, warnings = interchange.restore(tracker, plan)
    assert warnings == []  # Home kept its password
    assert [(a["name"], a["enabled"], a["valarm"]) for a in accounts(tracker)] == [("Home", True, True), ("Work", True, False)]


def test_an_account_without_a_server_address_is_refused(tracker: Tracker, tmp_path: Path) -> None:
    path = tmp_path / "odd.json"
    path.write_text(json.dumps({"format": "habitdesk-backup", "version": 1, "habits": [],
                                "accounts": [{"name": "x", "username": "me"}]}))
    with pytest.raises(UserError, match="odd.json: account 1: has no url"):
        interchange.plan_restore(tracker, path)


def test_a_backup_with_a_password_is_refused(tracker: Tracker, tmp_path: Path) -> None:
    path = tmp_path / "leaky.json"
    path.write_text(json.dumps({"format": "habitdesk-backup", "version": 1, "habits": [],
                                "accounts": [{"name": "x", "password": "hunter2"}]}))
    with pytest.raises(UserError, match="leaky.json: account 1: holds a password"):
        interchange.plan_restore(tracker, path)


@pytest.mark.parametrize(("content", "words"), [
    ({"format": "habitdesk-backup", "version": 3, "habits": []}, "written by a newer HabitDesk (backup format 3"),
    ({"format": "something-else", "version": 1}, "not a HabitDesk backup"),
    ({"format": "habitdesk-backup", "version": 1, "habits": [{"name": "X", "uuid": "nope", "kind": "yes_no"}]},
     "habit 1 ('X'): 'nope' is not a uuid"),
    ({"format": "habitdesk-backup", "version": 1, "habits": [
        {"name": "X", "uuid": "a" * 32, "kind": "yes_no", "frequency": {"num": 1, "den": 1},
         "entries": [["2026-13-01", 2, ""]]}]}, "habit 1 ('X'): '2026-13-01' is not a date"),
])
def test_bad_json_backups_are_refused_before_anything_changes(rich: Tracker, tmp_path: Path, content: dict, words: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(content))
    before = checksum(rich.db_path)
    for attempt in (lambda: interchange.plan_restore(rich, path), lambda: import_file(rich, path)):
        with pytest.raises(UserError) as info:
            attempt()
        assert str(info.value).startswith("bad.json: ") and words in str(info.value)
    assert checksum(rich.db_path) == before


def test_restore_refuses_a_loop_file(tracker: Tracker, tmp_path: Path) -> None:
    loop = realistic(25).backup.write(tmp_path / "loop.db")
    with pytest.raises(UserError, match="loop.db: not a HabitDesk backup"):
        interchange.plan_restore(tracker, loop)


def test_an_automatic_backup_copy_restores_with_a_preview_too(rich: Tracker, tmp_path: Path) -> None:
    kept = everything(rich)
    copy = backups.backup_now(rich, dt.datetime(2026, 11, 25, 21, 0))
    rich.delete_habit(rich.find_habit("Gym ☺"))
    rich.set_setting("first_weekday", 0)
    plan = interchange.plan_restore(rich, copy)
    assert plan.added == ["Gym ☺"] and plan.settings_changed == ["first_weekday"]
    interchange.restore(rich, plan, now=dt.datetime(2026, 11, 26, 9, 0))
    assert everything(rich) == kept


def test_restore_refuses_a_foreign_sqlite_file(tracker: Tracker, tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite3"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE photos (id INTEGER)")
    con.close()
    with pytest.raises(UserError, match=r"^other.sqlite3: not a HabitDesk backup"):
        interchange.plan_restore(tracker, other)


def version_1(doc: dict) -> dict:
    """The same backup in format version 1: one ["YYYY-MM-DD", value, "notes"] row per entry."""
    from habitdesk.core.days import iso, parse_iso

    old = dict(doc, version=1)
    old["habits"] = []
    for habit in doc["habits"]:
        columns = habit["entries"]
        first = parse_iso(columns["first"]) if columns["first"] else 0
        rows = [[iso(first + d), v, columns["notes"].get(iso(first + d), "")] for d, v in zip(columns["days"], columns["values"])]
        old["habits"].append(dict(habit, entries=rows))
    return old


def test_a_version_1_backup_restores_the_same(rich: Tracker, tmp_path: Path) -> None:
    interchange.export_json(rich, tmp_path / "all.json")
    doc = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))
    assert any(h["entries"]["notes"] for h in doc["habits"])  # notes are there to carry
    (tmp_path / "v1.json").write_text(json.dumps(version_1(doc)), encoding="utf-8")
    fresh = Tracker(tmp_path / "fresh", today=TODAY)
    try:
        interchange.restore(fresh, interchange.plan_restore(fresh, tmp_path / "v1.json"))
        assert everything(fresh) == everything(rich)
    finally:
        fresh.close()


@pytest.mark.parametrize(("entries", "words"), [
    ({"first": "2026-11-01", "days": [0, 1], "values": [2]}, "entries: 2 days but 1 values"),
    ({"first": "2026-11-01", "days": [0, 0], "values": [2, 3]}, "entries: a day appears twice"),
    ({"first": "2026-11-01", "days": [0, -1], "values": [2, 3]}, "'days' must hold whole numbers of days after 'first'"),
    ({"first": "2026-11-01", "days": [0, "1"], "values": [2, 3]}, "'days' must hold whole numbers of days after 'first'"),
    ({"first": "2026-11-01", "days": [0], "values": [true_ := True]}, "a value is not a whole number: true"),
    ({"first": "2026-13-01", "days": [0], "values": [2]}, "'2026-13-01' is not a date"),
    ({"first": "2026-11-01", "days": [0], "values": [2], "notes": {"2026-11-02": "x"}}, "a note for 2026-11-02, which has no entry"),
    ({"first": None, "days": [], "values": [], "notes": {"2026-11-02": "x"}}, "entries: notes without any day"),
    ([["2026-11-01", 2, ""]], "'entries' must be an object"),
])
def test_bad_entry_columns_are_refused_naming_the_habit(tracker: Tracker, tmp_path: Path, entries: object, words: str) -> None:
    tracker.add_habit(Habit("Read"))
    interchange.export_json(tracker, tmp_path / "good.json")
    doc = json.loads((tmp_path / "good.json").read_text(encoding="utf-8"))
    doc["habits"][0]["entries"] = entries
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(UserError, match="bad.json: habit 1") as info:
        interchange.plan_restore(tracker, path)
    assert words in str(info.value)
