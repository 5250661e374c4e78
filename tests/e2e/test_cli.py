"""habitdesk-cli end to end: real subprocess runs against a temporary data folder (DESIGN.md §7).

Today is fixed at 2026-11-26, a Thursday, by the `cli` fixture's --today.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from habitdesk.core.days import iso
from tests.conftest import TODAY

DB = "habitdesk.sqlite3"
HABIT_KEYS = {
    "uuid", "name", "question", "description", "kind", "unit", "target_value", "target_type", "frequency",
    "color", "color_hex", "position", "archived", "reminders", "created_at", "updated_at",
}
STATUS_KEYS = {"uuid", "name", "kind", "due", "today", "streak", "best_streak", "score"}
TODAY_KEYS = {"value", "label", "amount", "done"}
LABELS = {"YES_MANUAL", "YES_AUTO", "NO", "SKIP", "UNKNOWN"}


def ok(result):  # noqa: ANN001, ANN201
    assert result.code == 0, result
    assert result.err == "", result
    return result


def fails(result, code: int):  # noqa: ANN001, ANN201
    """A failure: the exit code, and exactly one line on stderr without a traceback."""
    assert result.code == code, result
    assert "Traceback" not in result.err, result
    lines = result.err.splitlines()
    assert len(lines) == 1, result
    assert result.err.endswith("\n")
    assert lines[0].startswith("habitdesk-cli: "), result
    return lines[0]


def as_json(result):  # noqa: ANN001, ANN201
    ok(result)
    return json.loads(result.out)


def d(day: int) -> str:
    return iso(day)


def db_rows(data_dir: Path, sql: str, params: tuple = ()) -> list[tuple]:
    """Read the data file directly (read-only), for what the CLI does not print."""
    con = sqlite3.connect(f"{(data_dir / DB).resolve().as_uri()}?mode=ro", uri=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def entry(data_dir: Path, name: str, day: int) -> tuple | None:
    rows = db_rows(
        data_dir,
        "SELECT e.value, e.notes FROM entry e JOIN habit h ON h.id = e.habit_id WHERE h.name = ? AND e.day = ?",
        (name, day),
    )
    return rows[0] if rows else None


def status_of(cli, name: str, **kw) -> dict:  # noqa: ANN001
    data = as_json(cli("status", "--json", **kw))
    return next(h for h in data["habits"] if h["name"] == name)


def by_name(items: list[dict]) -> dict[str, dict]:
    return {h["name"]: h for h in items}


# -- add and list --------------------------------------------------------------------


def test_add_with_every_option_and_list_json(cli):
    r = ok(cli(
        "add", "Water", "--kind", "measurable", "--unit", "glasses", "--target", "8",
        "--question", "How many glasses?", "--description", "plain water", "--color", "3",
        "--reminder", "09:00", "--reminder", "15:30",
    ))
    assert r.out.startswith("Added 'Water' (every day), uuid ")
    ok(cli("add", "Sugar", "--kind", "measurable", "--unit", "g", "--target", "30", "--target-type", "at-most",
           "--color", "deep orange"))
    ok(cli("add", "Run", "--times", "3", "--per", "7", "--color", "#1976d2"))
    ok(cli("add", "Gym", "--weekdays", "mon,wed,fri", "--color", "#D32F2F"))
    ok(cli("add", "Read", "--every-day"))
    ok(cli("add", "Call mum", "--per", "7"))
    ok(cli("add", "Floss", "--times", "2"))

    habits = as_json(cli("list", "--json"))
    assert [h["name"] for h in habits] == ["Water", "Sugar", "Run", "Gym", "Read", "Call mum", "Floss"]
    for position, h in enumerate(habits):
        assert set(h) == HABIT_KEYS, h["name"]
        assert len(h["uuid"]) == 32 and int(h["uuid"], 16) >= 0
        assert h["position"] == position
        assert h["archived"] is False
        assert set(h["frequency"]) == {"num", "den", "weekdays", "label"}
        assert isinstance(h["target_value"], float)
        assert isinstance(h["color"], int) and h["color_hex"].startswith("#")
        dt.datetime.fromisoformat(h["created_at"])
        dt.datetime.fromisoformat(h["updated_at"])
    h = by_name(habits)

    water = h["Water"]
    assert (water["kind"], water["unit"], water["target_value"], water["target_type"]) == ("measurable", "glasses", 8.0, "at_least")
    assert (water["question"], water["description"]) == ("How many glasses?", "plain water")
    assert (water["color"], water["color_hex"]) == (3, "#FF8F00")
    assert water["frequency"] == {"num": 1, "den": 1, "weekdays": None, "label": "every day"}
    every_day = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    assert water["reminders"] == [
        {"time": "09:00", "weekdays": every_day, "enabled": True},
        {"time": "15:30", "weekdays": every_day, "enabled": True},
    ]

    sugar = h["Sugar"]
    assert (sugar["target_type"], sugar["target_value"], sugar["unit"]) == ("at_most", 30.0, "g")
    assert (sugar["color"], sugar["color_hex"]) == (1, "#E64A19")

    assert h["Run"]["frequency"] == {"num": 3, "den": 7, "weekdays": None, "label": "3 times per week"}
    assert (h["Run"]["kind"], h["Run"]["color"]) == ("yes_no", 11)
    assert h["Run"]["reminders"] == []
    assert h["Gym"]["frequency"] == {"num": 1, "den": 1, "weekdays": ["mon", "wed", "fri"], "label": "on mon, wed, fri"}
    assert h["Gym"]["color"] == 0
    assert h["Read"]["frequency"]["label"] == "every day"
    assert h["Read"]["color"] == 8  # the default, teal
    assert h["Call mum"]["frequency"] == {"num": 1, "den": 7, "weekdays": None, "label": "every week"}
    assert h["Floss"]["frequency"] == {"num": 2, "den": 7, "weekdays": None, "label": "2 times per week"}


def test_list_human(cli):
    assert ok(cli("list")).out == "No habits yet. Add one with: habitdesk-cli add NAME\n"
    ok(cli("add", "Run", "--times", "3", "--per", "7"))
    ok(cli("add", "Water", "--kind", "measurable", "--unit", "glasses", "--target", "8"))
    ok(cli("add", "Sugar", "--kind", "measurable", "--target", "30", "--target-type", "at-most"))
    lines = ok(cli("list")).out.splitlines()
    assert lines == [
        "#  NAME   KIND        FREQUENCY         TARGET",
        "1  Run    yes/no      3 times per week",
        "2  Water  measurable  every day         >= 8 glasses",
        "3  Sugar  measurable  every day         <= 30",
    ]


def test_add_reports_bad_options(cli):
    assert "HH:MM" in fails(cli("add", "Run", "--reminder", "25:00"), 1)
    assert "HH:MM" in fails(cli("add", "Run", "--reminder", "7am"), 1)
    assert "palette" in fails(cli("add", "Run", "--color", "20"), 1)
    assert "palette" in fails(cli("add", "Run", "--color", "#123456"), 1)
    assert "palette" in fails(cli("add", "Run", "--color", "chartreuse"), 1)
    assert "unknown weekday" in fails(cli("add", "Run", "--weekdays", "mon,funday"), 1)
    assert "one of" in fails(cli("add", "Run", "--weekdays", "mon", "--every-day"), 1)
    assert "one of" in fails(cli("add", "Run", "--times", "2", "--every-day"), 1)
    assert "--target" in fails(cli("add", "Water", "--kind", "measurable"), 1)
    assert "measurable" in fails(cli("add", "Run", "--unit", "km"), 1)
    assert "measurable" in fails(cli("add", "Run", "--target", "5"), 1)
    assert "impossible" in fails(cli("add", "Run", "--times", "5", "--per", "3"), 1)
    assert "at least" in fails(cli("add", "Run", "--times", "0"), 1)
    assert "at least one day" in fails(cli("add", "Run", "--per", "0"), 1)
    assert "empty" in fails(cli("add", "   "), 1)
    assert ok(cli("list", "--json")).out.strip() == "[]"  # nothing was added


@pytest.mark.parametrize("target", ["0", "-3", "nan", "inf", "2e9"])
def test_impossible_target_is_wrong_input(cli, target):
    line = fails(cli("add", "Water", "--kind", "measurable", "--target", target), 1)
    assert "target" in line


def test_duplicate_name_is_wrong_input(cli):
    ok(cli("add", "Run"))
    assert "already exists" in fails(cli("add", "RUN"), 1)


# -- edit, archive, delete -----------------------------------------------------------


def test_edit_rename_and_frequency(cli):
    ok(cli("add", "Run"))
    uuid = as_json(cli("list", "--json"))[0]["uuid"]
    assert ok(cli("edit", "run", "--name", "Jog")).out == "Updated 'Jog'\n"
    ok(cli("edit", "Jog", "--times", "2", "--per", "7", "--question", "Jogged?"))
    h = as_json(cli("list", "--json"))[0]
    assert (h["uuid"], h["name"], h["question"]) == (uuid, "Jog", "Jogged?")
    assert h["frequency"] == {"num": 2, "den": 7, "weekdays": None, "label": "2 times per week"}
    ok(cli("edit", "Jog", "--weekdays", "sat,sun"))
    assert as_json(cli("list", "--json"))[0]["frequency"]["weekdays"] == ["sat", "sun"]
    ok(cli("edit", "Jog", "--every-day", "--color", "pink"))
    h = as_json(cli("list", "--json"))[0]
    assert h["frequency"]["label"] == "every day" and h["color"] == 15
    ok(cli("edit", "Jog", "--times", "7", "--per", "7"))  # stored as 1/1
    assert as_json(cli("list", "--json"))[0]["frequency"] == {"num": 1, "den": 1, "weekdays": None, "label": "every day"}


def test_edit_changes_the_stats(cli):
    ok(cli("add", "Run"))
    for back in range(0, 9, 3):
        ok(cli("check", "Run", "--date", d(TODAY - back)))
    assert status_of(cli, "Run")["best_streak"] == 1
    ok(cli("edit", "Run", "--times", "1", "--per", "3"))
    assert status_of(cli, "Run")["best_streak"] >= 9


def test_edit_errors(cli):
    ok(cli("add", "Run"))
    ok(cli("add", "Read"))
    assert "already exists" in fails(cli("edit", "Read", "--name", "run"), 1)
    assert "target" in fails(cli("edit", "Run", "--kind", "measurable"), 1)
    assert "impossible" in fails(cli("edit", "Run", "--times", "9", "--per", "7"), 1)
    assert "no habit named" in fails(cli("edit", "Swim", "--name", "x"), 1)
    assert [h["name"] for h in as_json(cli("list", "--json"))] == ["Run", "Read"]


def test_edit_to_measurable(cli):
    ok(cli("add", "Run"))
    ok(cli("edit", "Run", "--kind", "measurable", "--unit", "km", "--target", "5"))
    h = as_json(cli("list", "--json"))[0]
    assert (h["kind"], h["unit"], h["target_value"]) == ("measurable", "km", 5.0)


def test_archive_and_unarchive(cli):
    ok(cli("add", "Run"))
    ok(cli("add", "Read"))
    assert ok(cli("archive", "Run")).out == "Archived 'Run'\n"
    assert [h["name"] for h in as_json(cli("list", "--json"))] == ["Read"]
    listed = as_json(cli("list", "--json", "--archived"))
    assert [(h["name"], h["archived"]) for h in listed] == [("Run", True), ("Read", False)]
    assert "archived" in ok(cli("list", "--archived")).out.splitlines()[1]
    assert "Run" not in ok(cli("list")).out
    assert [h["name"] for h in as_json(cli("status", "--json"))["habits"]] == ["Read"]
    # archived habits can still be named
    ok(cli("check", "Run"))
    assert as_json(cli("show", "Run", "--json"))["archived"] is True
    assert ok(cli("unarchive", "run")).out == "Unarchived 'Run'\n"
    assert [h["name"] for h in as_json(cli("list", "--json"))] == ["Run", "Read"]


def test_delete_with_yes(cli, data_dir):
    ok(cli("add", "Run", "--reminder", "07:00"))
    ok(cli("check", "Run", "--note", "x"))
    assert ok(cli("delete", "run", "--yes")).out == "Deleted 'Run'\n"
    assert as_json(cli("list", "--json", "--archived")) == []
    for table in ("habit", "entry", "reminder", "habit_stats"):
        assert db_rows(data_dir, f"SELECT count(*) FROM {table}") == [(0,)], table
    assert "no habit named" in fails(cli("delete", "Run", "--yes"), 1)


def test_delete_without_yes_refuses_when_stdin_is_not_a_terminal(cli):
    ok(cli("add", "Run"))
    line = fails(cli("delete", "Run"), 1)
    assert "--yes" in line
    # A "y" piped in is not a confirmation: stdin is not a terminal, so the CLI
    # refuses rather than reading it (scripts must say --yes).
    line = fails(cli("delete", "Run", input="y\n"), 1)
    assert "--yes" in line
    assert [h["name"] for h in as_json(cli("list", "--json"))] == ["Run"]


def run_on_a_terminal(data_dir: Path, tmp_path: Path, args: list[str], answer: bytes) -> subprocess.CompletedProcess:
    """Run the CLI with a pseudo-terminal as stdin and type ``answer``."""
    import pty

    master, slave = pty.openpty()
    env = dict(os.environ, HABITDESK_DATA_DIR=str(data_dir), HOME=str(tmp_path))
    env.pop("HABITDESK_DEBUG", None)
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "habitdesk.cli", "--today", "2026-11-26", *args],
            stdin=slave, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True,
        )
        os.close(slave)
        slave = -1
        os.write(master, answer)
        out, err = proc.communicate(timeout=60)
    finally:
        if slave >= 0:
            os.close(slave)
        os.close(master)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_delete_asks_on_a_terminal(cli, data_dir, tmp_path):
    ok(cli("add", "Run"))
    proc = run_on_a_terminal(data_dir, tmp_path, ["delete", "Run"], b"n\n")
    assert proc.returncode == 0, proc
    assert "Delete 'Run' and its whole history? This cannot be undone. [y/N]" in proc.stdout
    assert "Nothing was deleted." in proc.stdout
    assert [h["name"] for h in as_json(cli("list", "--json"))] == ["Run"]

    proc = run_on_a_terminal(data_dir, tmp_path, ["delete", "Run"], b"\n")  # Enter: the default is no
    assert proc.returncode == 0, proc
    assert "Nothing was deleted." in proc.stdout

    proc = run_on_a_terminal(data_dir, tmp_path, ["delete", "Run"], b"\x04")  # Ctrl-D at the prompt
    assert proc.returncode == 0, proc
    assert proc.stderr == ""
    assert "Nothing was deleted." in proc.stdout
    assert [h["name"] for h in as_json(cli("list", "--json"))] == ["Run"]

    proc = run_on_a_terminal(data_dir, tmp_path, ["delete", "Run"], b"y\n")
    assert proc.returncode == 0, proc
    assert "Deleted 'Run'" in proc.stdout
    assert as_json(cli("list", "--json")) == []


# -- check, skip, clear --------------------------------------------------------------------


def test_check_skip_clear_with_dates_and_notes(cli, data_dir):
    ok(cli("add", "Run"))
    r = ok(cli("check", "Run", "--note", "5 km"))
    assert r.out == "Run: checked on 2026-11-26 (streak 1, score 5%)\n"
    assert entry(data_dir, "Run", TODAY) == (2, "5 km")
    ok(cli("check", "Run", "--date", "2026-11-25"))
    assert entry(data_dir, "Run", TODAY - 1) == (2, "")
    r = ok(cli("skip", "Run", "--date", "2026-11-24", "--note", "rain"))
    assert r.out.startswith("Run: skipped on 2026-11-24 (")
    assert entry(data_dir, "Run", TODAY - 2) == (3, "rain")
    ok(cli("check", "Run", "--date", "2026-11-24"))  # no --note: the note stays
    assert entry(data_dir, "Run", TODAY - 2) == (2, "rain")
    r = ok(cli("clear", "Run", "--date", "2026-11-24"))
    assert r.out.startswith("Run: cleared on 2026-11-24 (")
    assert entry(data_dir, "Run", TODAY - 2) == (-1, "rain")  # the note stays
    ok(cli("clear", "Run", "--date", "2026-11-25"))
    assert entry(data_dir, "Run", TODAY - 1) is None  # nothing left to keep
    ok(cli("check", "Run", "--note", ""))  # an empty note replaces the old one
    assert entry(data_dir, "Run", TODAY) == (2, "")


def test_check_measurable_values(cli, data_dir):
    ok(cli("add", "Water", "--kind", "measurable", "--unit", "glasses", "--target", "8"))
    r = ok(cli("check", "Water", "--value", "2.5", "--date", "2026-11-20", "--note", "hot"))
    assert r.out.startswith("Water: recorded 2.5 glasses on 2026-11-20 (")
    assert entry(data_dir, "Water", TODAY - 6) == (2500, "hot")
    ok(cli("check", "Water", "--value", "0"))
    assert entry(data_dir, "Water", TODAY) == (0, "")
    ok(cli("skip", "Water"))
    assert entry(data_dir, "Water", TODAY) == (3, "")
    assert "--value" in fails(cli("check", "Water"), 1)
    assert "negative" in fails(cli("check", "Water", "--value", "-1"), 1)
    assert "invalid float" in fails(cli("check", "Water", "--value", "lots"), 2)


def test_check_errors(cli):
    ok(cli("add", "Running"))
    ok(cli("add", "Reading"))
    ok(cli("add", "Water", "--kind", "measurable", "--target", "8"))
    assert fails(cli("check", "Swimming"), 1) == "habitdesk-cli: no habit named 'Swimming'"
    assert fails(cli("check", "R"), 1) == "habitdesk-cli: 'R' matches several habits: 'Running', 'Reading'"
    assert "YYYY-MM-DD" in fails(cli("check", "Running", "--date", "26/11/2026"), 1)
    assert "YYYY-MM-DD" in fails(cli("check", "Running", "--date", "2026-02-30"), 1)
    assert "future" in fails(cli("check", "Running", "--date", "2026-11-27"), 1)
    assert "future" in fails(cli("skip", "Running", "--date", "2027-01-01"), 1)
    assert "future" in fails(cli("clear", "Running", "--date", "2026-11-27"), 1)
    assert "yes/no" in fails(cli("check", "Running", "--value", "3"), 1)
    assert "too long ago" in fails(cli("check", "Running", "--date", "1800-01-01"), 1)
    assert as_json(cli("status", "--json"))["habits"][0]["today"]["label"] == "UNKNOWN"  # nothing recorded


def test_habits_are_found_by_uuid(cli):
    ok(cli("add", "Run"))
    uuid = as_json(cli("list", "--json"))[0]["uuid"]
    ok(cli("check", uuid[:8]))
    assert status_of(cli, "Run")["today"]["done"] is True


# -- status --------------------------------------------------------------------------------


def test_status_json_shape(cli):
    assert as_json(cli("status", "--json")) == {"date": "2026-11-26", "habits": []}
    ok(cli("add", "Run"))
    ok(cli("add", "Water", "--kind", "measurable", "--target", "8"))
    ok(cli("add", "Old"))
    ok(cli("archive", "Old"))
    ok(cli("check", "Run"))
    ok(cli("check", "Water", "--value", "3"))
    data = as_json(cli("status", "--json"))
    assert set(data) == {"date", "habits"}
    assert data["date"] == "2026-11-26"
    assert [h["name"] for h in data["habits"]] == ["Run", "Water"]  # active ones, list order
    listed = as_json(cli("list", "--json"))
    for h, item in zip(data["habits"], listed):
        assert set(h) == STATUS_KEYS
        assert h["uuid"] == item["uuid"]
        assert h["kind"] in ("yes_no", "measurable")
        assert type(h["due"]) is bool
        assert set(h["today"]) == TODAY_KEYS
        assert h["today"]["value"] is None or type(h["today"]["value"]) is int
        assert h["today"]["label"] in LABELS
        assert h["today"]["amount"] is None or type(h["today"]["amount"]) is float
        assert type(h["today"]["done"]) is bool
        assert type(h["streak"]) is int and type(h["best_streak"]) is int
        assert type(h["score"]) is float and 0 <= h["score"] <= 1
    run, water = data["habits"]
    assert run["today"] == {"value": 2, "label": "YES_MANUAL", "amount": None, "done": True}
    assert (run["due"], run["streak"], run["best_streak"]) == (False, 1, 1)
    assert water["today"] == {"value": 3000, "label": "YES_MANUAL", "amount": 3.0, "done": False}
    assert water["due"] is True


def test_status_of_a_new_habit_has_zero_types_right(cli):
    ok(cli("add", "Run"))
    h = status_of(cli, "Run")
    assert h["today"] == {"value": None, "label": "UNKNOWN", "amount": None, "done": False}
    assert (h["due"], h["streak"], h["best_streak"]) == (True, 0, 0)
    assert h["score"] == 0.0 and type(h["score"]) is float


def test_status_yes_no_due_and_done(cli):
    for name in ("Open", "Done", "Skipped", "Cleared"):
        ok(cli("add", name))
    ok(cli("add", "Weekly", "--per", "7"))
    ok(cli("check", "Done"))
    ok(cli("skip", "Skipped"))
    ok(cli("check", "Cleared"))
    ok(cli("clear", "Cleared"))
    ok(cli("check", "Weekly", "--date", "2026-11-23"))
    h = by_name(as_json(cli("status", "--json"))["habits"])
    assert (h["Open"]["due"], h["Open"]["today"]["done"], h["Open"]["today"]["label"]) == (True, False, "UNKNOWN")
    assert (h["Done"]["due"], h["Done"]["today"]["done"], h["Done"]["today"]["label"]) == (False, True, "YES_MANUAL")
    assert (h["Skipped"]["due"], h["Skipped"]["today"]["done"]) == (False, False)
    assert h["Skipped"]["today"] == {"value": 3, "label": "SKIP", "amount": None, "done": False}
    assert (h["Cleared"]["due"], h["Cleared"]["today"]["label"]) == (True, "UNKNOWN")
    # once a week, checked on Monday: Thursday is inside the automatic interval
    assert h["Weekly"]["today"] == {"value": 1, "label": "YES_AUTO", "amount": None, "done": True}
    assert h["Weekly"]["due"] is False
    assert h["Weekly"]["streak"] == 7


def test_status_measurable_at_least(cli):
    ok(cli("add", "Water", "--kind", "measurable", "--unit", "glasses", "--target", "8"))
    ok(cli("add", "Km", "--kind", "measurable", "--target", "20", "--per", "7"))
    h = status_of(cli, "Water")
    assert (h["due"], h["today"]["done"], h["today"]["amount"]) == (True, False, None)
    ok(cli("check", "Water", "--value", "5"))
    h = status_of(cli, "Water")
    assert (h["due"], h["today"]) == (True, {"value": 5000, "label": "YES_MANUAL", "amount": 5.0, "done": False})
    ok(cli("check", "Water", "--value", "8"))
    h = status_of(cli, "Water")
    assert (h["due"], h["today"]["done"], h["today"]["amount"], h["streak"]) == (False, True, 8.0, 1)
    # a weekly target: the amounts of the last 7 days add up
    ok(cli("check", "Km", "--value", "12", "--date", "2026-11-20"))
    ok(cli("check", "Km", "--value", "5"))
    h = status_of(cli, "Km")
    assert (h["due"], h["today"]["done"], h["today"]["amount"]) == (True, False, 5.0)
    ok(cli("check", "Km", "--value", "8"))
    h = status_of(cli, "Km")
    assert (h["due"], h["today"]["done"]) == (False, True)
    # a skip is neither due nor done
    ok(cli("skip", "Water"))
    h = status_of(cli, "Water")
    assert (h["due"], h["today"]["done"], h["today"]["label"]) == (False, False, "SKIP")


def test_status_measurable_at_most(cli):
    ok(cli("add", "Sugar", "--kind", "measurable", "--unit", "g", "--target", "30", "--target-type", "at-most"))
    h = status_of(cli, "Sugar")
    assert (h["due"], h["today"]["done"], h["score"]) == (True, False, 1.0)  # due until something is entered
    ok(cli("check", "Sugar", "--value", "10"))
    h = status_of(cli, "Sugar")
    assert (h["due"], h["today"]["done"], h["today"]["amount"]) == (False, True, 10.0)
    ok(cli("check", "Sugar", "--value", "45"))
    h = status_of(cli, "Sugar")
    assert (h["due"], h["today"]["done"], h["today"]["amount"]) == (False, False, 45.0)
    ok(cli("check", "Sugar", "--value", "0"))
    h = status_of(cli, "Sugar")
    assert (h["due"], h["today"]) == (False, {"value": 0, "label": "YES_MANUAL", "amount": 0.0, "done": True})
    ok(cli("check", "Sugar", "--value", "30"))  # exactly the target is fine
    assert status_of(cli, "Sugar")["today"]["done"] is True


def test_status_measurable_skip_has_no_amount(cli):
    ok(cli("add", "Water", "--kind", "measurable", "--target", "8"))
    ok(cli("skip", "Water"))
    assert status_of(cli, "Water")["today"]["amount"] is None


def test_status_weekday_schedule_on_an_off_day(cli):
    # 2026-11-26 is a Thursday; the habit is due on Mondays, Wednesdays and Fridays
    ok(cli("add", "Gym", "--weekdays", "mon,wed,fri"))
    ok(cli("check", "Gym", "--date", "2026-11-25"))  # Wednesday
    h = status_of(cli, "Gym")
    assert h["today"] == {"value": 3, "label": "SKIP", "amount": None, "done": False}
    assert h["due"] is False
    assert h["streak"] == 2  # Wednesday, and the off day that carries it
    # Friday is a scheduled day again
    h = status_of(cli, "Gym", today="2026-11-27")
    assert (h["due"], h["today"]["label"]) == (True, "UNKNOWN")
    # and Wednesday itself was a scheduled day, now done
    h = status_of(cli, "Gym", today="2026-11-25")
    assert (h["due"], h["today"]["label"]) == (False, "YES_MANUAL")


def test_status_new_weekday_habit_is_not_due_on_an_off_day(cli):
    ok(cli("add", "Gym", "--weekdays", "mon,wed,fri"))
    h = status_of(cli, "Gym")
    assert h["due"] is False
    assert h["today"]["label"] == "SKIP"


def test_status_human(cli):
    assert ok(cli("status")).out == "2026-11-26: no habits yet. Add one with: habitdesk-cli add NAME\n"
    ok(cli("add", "Run"))
    ok(cli("add", "Water", "--kind", "measurable", "--unit", "glasses", "--target", "8"))
    ok(cli("add", "Read"))
    ok(cli("add", "Weekly", "--per", "7"))
    ok(cli("check", "Run"))
    ok(cli("check", "Water", "--value", "3"))
    ok(cli("skip", "Read"))
    ok(cli("check", "Weekly", "--date", "2026-11-25"))
    lines = ok(cli("status")).out.splitlines()
    assert lines[0] == "2026-11-26: 2 of 4 done, 1 due"
    assert lines[1].split() == ["STATE", "HABIT", "TODAY", "STREAK", "BEST", "SCORE"]
    rows = {line.split()[1]: line for line in lines[2:]}
    assert rows["Run"].split()[0] == "done" and " done " in rows["Run"]
    assert rows["Water"].split()[0] == "due" and "3 / 8 glasses" in rows["Water"]
    assert rows["Read"].split()[0] == "-" and "skipped" in rows["Read"]
    assert "done (auto)" in rows["Weekly"]
    # aligned: every column starts at the same place
    header = lines[1]
    for line in lines[2:]:
        assert line[header.index("HABIT") - 1] == " " and line[header.index("HABIT")] != " "
        assert line[header.index("STREAK")] != " "


# -- show ----------------------------------------------------------------------------------


def seed_streaks(data_dir: Path) -> list[tuple[int, int]]:
    """A daily habit with 13 streaks of different lengths, ending today; returns them oldest first."""
    from habitdesk.core.habit import Habit
    from habitdesk.facade.tracker import Tracker

    lengths = [3, 9, 1, 12, 5, 7, 2, 14, 4, 11, 6, 8, 10]
    runs = []
    day = TODAY
    for length in reversed(lengths):
        runs.append((day - length + 1, day))
        day -= length + 2  # a gap of two days
    runs.reverse()
    tracker = Tracker(data_dir, today=TODAY)
    try:
        h = tracker.add_habit(Habit("Run", question="Did you run?"))
        for start, end in runs:
            for day in range(start, end + 1):
                tracker.check(h, day)
    finally:
        tracker.close()
    return runs


def test_show_json(cli, data_dir):
    runs = seed_streaks(data_dir)
    data = as_json(cli("show", "Run", "--json"))
    assert HABIT_KEYS <= set(data)
    assert {"streaks", "scores", "overview"} <= set(data)
    assert data["name"] == "Run" and data["question"] == "Did you run?"

    # the best 10: the three shortest (1, 2, 3 days) are left out; newest first
    streaks = data["streaks"]
    assert len(streaks) == 10
    best = sorted(runs, key=lambda r: r[1] - r[0], reverse=True)[:10]
    expected = sorted(best, key=lambda r: r[1], reverse=True)
    assert [(s["start"], s["end"]) for s in streaks] == [(d(a), d(b)) for a, b in expected]
    for s in streaks:
        assert set(s) == {"start", "end", "length"}
        assert s["length"] == (dt.date.fromisoformat(s["end"]) - dt.date.fromisoformat(s["start"])).days + 1
    assert sorted((s["length"] for s in streaks), reverse=True) == [14, 12, 11, 10, 9, 8, 7, 6, 5, 4]
    assert streaks[0]["end"] == "2026-11-26"

    # scores: [date, score], oldest first, every day from the first entry to today
    scores = data["scores"]
    first = runs[0][0]
    assert scores[0][0] == d(first) and scores[-1][0] == "2026-11-26"
    assert [s[0] for s in scores] == [d(day) for day in range(first, TODAY + 1)]
    for date, score in scores:
        assert type(date) is str and type(score) is float and 0 <= score <= 1
    assert scores[-1][1] > scores[0][1]

    overview = data["overview"]
    assert set(overview) == {"score", "month_change", "year_change", "total"}
    assert overview["total"] == sum(b - a + 1 for a, b in runs)
    assert type(overview["total"]) is int
    assert overview["score"] == scores[-1][1]
    score_30_ago = dict(scores)[d(TODAY - 30)]
    assert overview["month_change"] == pytest.approx(overview["score"] - score_30_ago, abs=2e-6)
    assert overview["year_change"] == pytest.approx(overview["score"], abs=2e-6)  # a year ago: before the start, 0

    # and status agrees
    h = status_of(cli, "Run")
    assert h["streak"] == 10 and h["best_streak"] == 14
    assert h["score"] == pytest.approx(overview["score"], abs=2e-6)


def test_show_json_of_a_new_habit(cli):
    ok(cli("add", "Run"))
    data = as_json(cli("show", "Run", "--json"))
    assert data["streaks"] == []
    assert data["scores"] == [["2026-11-26", 0.0]]
    assert data["overview"] == {"score": 0.0, "month_change": 0.0, "year_change": 0.0, "total": 0}


def test_show_human(cli, data_dir):
    seed_streaks(data_dir)
    out = ok(cli("show", "Run")).out
    lines = out.splitlines()
    assert lines[0] == "Run"
    assert lines[1] == "Did you run?"
    assert "Best streaks" in out and "Score by month" in out
    assert any(line.startswith("Total") and line.split()[-1] == "92" for line in lines)
    assert "no habit named" in fails(cli("show", "Nope"), 1)


# -- exit codes and the data folder ------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["frobnicate"], 2),
        ([], 2),
        (["check"], 2),
        (["add"], 2),
        (["show"], 2),
        (["list", "--bogus"], 2),
        (["add", "X", "--kind", "sometimes"], 2),
        (["add", "X", "--times", "two"], 2),
        (["export", "xml", "out"], 2),
    ],
)
def test_usage_errors(cli, args, code):
    line = fails(cli(*args), code)
    assert line.startswith("habitdesk-cli: usage: ")
    assert "--help" in line


def test_bad_today_is_wrong_input(cli):
    line = fails(cli("status", today="2026-13-45"), 1)
    assert "--today" in line and "YYYY-MM-DD" in line
    line = fails(cli("status", today="yesterday"), 1)
    assert "--today" in line


def test_today_moves_the_day(cli):
    ok(cli("add", "Run"))
    ok(cli("check", "Run", "--date", "2026-12-31", today="2026-12-31"))
    assert status_of(cli, "Run", today="2026-12-31")["today"]["done"] is True
    assert as_json(cli("status", "--json", today="2027-01-01"))["date"] == "2027-01-01"
    # without --today the real date is used
    real = as_json(cli("status", "--json", today=None))["date"]
    assert real in {dt.date.today().isoformat(), (dt.date.today() - dt.timedelta(days=1)).isoformat()}


def test_version_and_help(cli):
    r = ok(cli("--version", today=None))
    assert r.out.startswith("habitdesk-cli ")
    r = ok(cli("--help", today=None))
    assert "status" in r.out and "check" in r.out


def write_newer_database(path: Path) -> None:
    from habitdesk.storage.database import APPLICATION_ID
    from habitdesk.storage.migrations import LATEST

    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode = wal")
    con.execute("CREATE TABLE habit (id INTEGER PRIMARY KEY, name TEXT)")
    con.execute("INSERT INTO habit (name) VALUES ('Run')")
    con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    con.execute(f"PRAGMA user_version = {LATEST + 1}")
    con.commit()
    con.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("args", [["status"], ["list", "--json"], ["add", "Run"], ["check", "Run"]])
def test_a_newer_data_file_exits_3_and_is_left_unchanged(cli, data_dir, args):
    path = data_dir / DB
    write_newer_database(path)
    before = digest(path)
    line = fails(cli(*args), 3)
    assert "newer" in line and "update HabitDesk" in line
    assert digest(path) == before
    assert sorted(p.name for p in data_dir.iterdir()) == [DB]


@pytest.mark.parametrize(
    "content",
    [b"this is not a database at all\n" * 100, b"SQLite format 3\x00" + b"\xff" * 4000, b"SQLite f"],
    ids=["text", "damaged-sqlite", "truncated-header"],
)
def test_a_corrupt_data_file_exits_3_and_is_left_unchanged(cli, data_dir, content):
    path = data_dir / DB
    path.write_bytes(content)
    line = fails(cli("status"), 3)
    assert DB in line
    assert path.read_bytes() == content


def test_another_programs_sqlite_file_exits_3(cli, data_dir):
    con = sqlite3.connect(data_dir / DB)
    con.execute("CREATE TABLE notes (body TEXT)")
    con.execute("INSERT INTO notes VALUES ('hello')")
    con.commit()
    con.close()
    before = digest(data_dir / DB)
    assert "another program" in fails(cli("list"), 3)
    assert digest(data_dir / DB) == before


def test_a_file_where_the_data_folder_should_be_exits_3(cli, tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    fails(cli("--data-dir", str(blocker), "status"), 3)
    fails(cli("--data-dir", str(blocker / "sub"), "status"), 3)


def test_data_dir_overrides_the_environment(cli, data_dir, tmp_path):
    other = tmp_path / "other data"
    ok(cli("--data-dir", str(other), "add", "Elsewhere"))
    assert (other / DB).is_file()
    assert as_json(cli("list", "--json")) == []  # HABITDESK_DATA_DIR's folder has nothing
    assert [h["name"] for h in as_json(cli("--data-dir", str(other), "list", "--json"))] == ["Elsewhere"]
    ok(cli("add", "Here"))
    assert [h["name"] for h in as_json(cli("list", "--json"))] == ["Here"]
    assert [h["name"] for h in as_json(cli("--data-dir", str(other), "list", "--json"))] == ["Elsewhere"]


def test_the_environment_picks_the_data_folder(cli, tmp_path):
    other = tmp_path / "env data"
    ok(cli("add", "Run", env={"HABITDESK_DATA_DIR": str(other)}))
    assert (other / DB).is_file()


def test_every_failure_is_one_line(cli, data_dir):
    """A sweep over failing invocations: each exits non-zero with one stderr line, no traceback."""
    ok(cli("add", "Running"))
    ok(cli("add", "Reading"))
    cases = [
        (["check", "Nope"], 1), (["check", "R"], 1), (["show", "R", "--json"], 1),
        (["check", "Running", "--date", "x"], 1), (["clear", "Running", "--date", "2026-11-27"], 1),
        (["edit", "R", "--name", "x"], 1), (["archive", "Nope"], 1), (["delete", "Running"], 1),
        (["import", str(data_dir / "missing.db")], 1),
        (["nope"], 2), (["check"], 2), (["status", "--json", "extra"], 2),
    ]
    for args, code in cases:
        fails(cli(*args), code)


def test_today_out_of_range_is_wrong_input(cli):
    ok(cli("add", "Weekly", "--per", "7"))
    assert "out of range" in fails(cli("show", "Weekly", today="9999-12-31"), 1)
    assert "out of range" in fails(cli("status", today="1899-12-31"), 1)
    ok(cli("check", "Weekly", today="9998-12-31"))
    assert as_json(cli("show", "Weekly", "--json", today="9998-12-31"))["streaks"][0]["end"] == "9999-01-06"


def damage_table(data_dir: Path, table: str) -> None:
    """Overwrite the root page of one table of a HabitDesk file with garbage."""
    path = data_dir / DB
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = con.execute("PRAGMA page_size").fetchone()[0]
    root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    con.close()
    with path.open("r+b") as fh:
        fh.seek((root - 1) * page_size)
        fh.write(b"\xa5" * page_size)


@pytest.mark.parametrize(
    ("table", "args"),
    [
        ("reminder", ["list", "--json"]),
        ("reminder", ["show", "Run", "--json"]),
        ("entry", ["skip", "Run", "--date", "2026-11-19"]),
        ("entry", ["show", "Run"]),
        ("entry", ["check", "Run"]),
        ("habit_stats", ["status"]),
        ("habit", ["list"]),
    ],
)
def test_a_damaged_table_exits_3(cli, data_dir, table, args):
    """Damage inside a HabitDesk file shows up only when a command reads it: still exit 3, one line."""
    ok(cli("add", "Run", "--reminder", "07:00"))
    ok(cli("check", "Run", "--date", "2026-11-20", "--note", "x"))
    ok(cli("status"))
    damage_table(data_dir, table)
    line = fails(cli(*args), 3)
    assert DB in line and "Traceback" not in line


def test_status_reads_only_the_cache_on_the_same_day(cli, data_dir):
    """Today's cached figures need no entries; a new day has to read them (and then exits 3)."""
    ok(cli("add", "Run"))
    ok(cli("check", "Run", "--date", "2026-11-20"))
    ok(cli("status"))
    damage_table(data_dir, "entry")
    assert as_json(cli("status", "--json"))["habits"][0]["best_streak"] == 1
    fails(cli("status", "--json", today="2026-11-27"), 3)


# -- things a user would otherwise trip over --------------------------------------
def test_empty_weekday_list_is_refused_not_ignored(cli):
    assert "choose at least one weekday" in fails(cli("add", "Gym", "--weekdays", ""), 1)


def test_a_name_with_a_line_break_is_refused(cli):
    assert "line breaks" in fails(cli("add", "Two\nlines"), 1)


def test_a_period_longer_than_a_year_is_refused(cli):
    assert "longer than 366 days" in fails(cli("add", "Rare", "--per", "10000000"), 1)


def test_large_and_fractional_amounts_print_plainly(cli):
    ok(cli("add", "Steps", "--kind", "measurable", "--target", "1234567.5"))
    assert ok(cli("check", "Steps", "--value", "2000000")).out.startswith("Steps: recorded 2000000 on 2026-11-26")
    assert "2000000 / 1234567.5" in ok(cli("status")).out


def test_when_every_habit_is_archived_list_and_status_say_so(cli):
    ok(cli("add", "Walk"))
    ok(cli("archive", "Walk"))
    assert ok(cli("list")).out == "All 1 habits are archived; see them with: habitdesk-cli list --archived\n"
    assert "all 1 habits are archived" in ok(cli("status")).out


def test_show_prints_the_notes(cli):
    ok(cli("add", "Walk"))
    ok(cli("check", "Walk", "--note", "by the river"))
    ok(cli("skip", "Walk", "--date", "2026-11-20", "--note", "rain"))
    out = ok(cli("show", "Walk")).out
    assert "Notes\n  2026-11-26  by the river\n  2026-11-20  rain\n" in out
    assert as_json(cli("show", "Walk", "--json"))["notes"] == [
        {"date": "2026-11-26", "note": "by the river"},
        {"date": "2026-11-20", "note": "rain"},
    ]


def test_kind_cannot_change_once_there_is_history(cli):
    ok(cli("add", "Water", "--kind", "measurable", "--target", "8"))
    ok(cli("edit", "Water", "--kind", "yes-no"))  # no history yet: fine
    ok(cli("check", "Water"))
    message = fails(cli("edit", "Water", "--kind", "measurable", "--target", "8"), 1)
    assert "cannot change between yes/no and measurable" in message
    assert status_of(cli, "Water")["today"]["label"] == "YES_MANUAL"
