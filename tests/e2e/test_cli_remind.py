"""`habitdesk-cli remind`: list, add and remove a habit's reminders."""

from __future__ import annotations

import json

from tests.e2e.test_cli import fails, ok


def test_add_list_and_remove(cli) -> None:  # noqa: ANN001
    ok(cli("add", "Read"))
    ok(cli("add", "Gym", "--reminder", "07:00"))
    assert ok(cli("remind", "add", "Read", "21:30")).out == "Read: reminder at 21:30, every day\n"
    assert ok(cli("remind", "add", "Read", "8:05", "--days", "mon,wed,fri")).out == "Read: reminder at 08:05, mon,wed,fri\n"
    out = ok(cli("remind", "list")).out.splitlines()
    assert out == [
        "HABIT  TIME   DAYS         STATE",
        "Read   08:05  mon,wed,fri  on",
        "Read   21:30  every day    on",
        "Gym    07:00  every day    on",
    ]
    data = json.loads(ok(cli("remind", "list", "Read", "--json")).out)
    assert [(r["habit"], r["time"], r["days"], r["enabled"]) for r in data] == [
        ("Read", "08:05", ["mon", "wed", "fri"], True),
        ("Read", "21:30", ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], True),
    ]
    assert len(data[0]["uuid"]) == 32
    assert ok(cli("remind", "remove", "Read", "08:05")).out == "Read: removed the reminder at 08:05\n"
    assert [r["time"] for r in json.loads(ok(cli("remind", "list", "Read", "--json")).out)] == ["21:30"]


def test_adding_the_same_time_again_changes_its_days(cli) -> None:  # noqa: ANN001
    ok(cli("add", "Read"))
    ok(cli("remind", "add", "Read", "21:30"))
    ok(cli("remind", "add", "Read", "21:30", "--days", "sat,sun"))
    assert ok(cli("remind", "list", "Read")).out.splitlines()[1:] == ["Read   21:30  sat,sun  on"]


def test_archived_habits_show_their_reminders_as_archived(cli) -> None:  # noqa: ANN001
    ok(cli("add", "Read", "--reminder", "21:30"))
    ok(cli("archive", "Read"))
    assert ok(cli("remind", "list")).out.splitlines()[1:] == ["Read   21:30  every day  archived"]


def test_nothing_to_list(cli) -> None:  # noqa: ANN001
    assert ok(cli("remind", "list")).out == "No reminders.\n"
    ok(cli("add", "Read"))
    assert ok(cli("remind", "list", "read")).out == "Read has no reminders.\n"


def test_bad_input_is_one_line_with_exit_1(cli) -> None:  # noqa: ANN001
    ok(cli("add", "Read"))
    assert "not a time" in fails(cli("remind", "add", "Read", "25:00"), 1)
    assert "unknown weekday 'funday'" in fails(cli("remind", "add", "Read", "09:00", "--days", "mon,funday"), 1)
    assert "no habit named 'Nope'" in fails(cli("remind", "add", "Nope", "09:00"), 1)
    assert "'Read' has no reminder at 09:00" in fails(cli("remind", "remove", "Read", "09:00"), 1)


def test_usage_errors_exit_2(cli) -> None:  # noqa: ANN001
    fails(cli("remind"), 2)
    fails(cli("remind", "add", "Read"), 2)
    fails(cli("remind", "snooze", "Read"), 2)
