"""What joining an account would do, counted before it happens (facade.share.preview_join)."""

from __future__ import annotations

from habitdesk.core.entries import UNKNOWN, YES_MANUAL
from habitdesk.core.habit import Habit
from habitdesk.facade.share import preview_join
from habitdesk.sync.share_format import Cell, days_body, days_name, habit_body, habit_name
from tests.conftest import TODAY

READ, GYM = "a" * 32, "b" * 32
STAMP = "000000000005000-home"


def _account(days: dict[str, list[int]]) -> dict[str, dict]:
    """The collection of an account whose other computer has Read and Gym with these days (all in TODAY's year)."""
    from habitdesk.core.days import to_date

    bodies: dict[str, dict] = {}
    for uuid, name in ((READ, "Read"), (GYM, "Gym")):
        bodies[habit_name(uuid)] = habit_body(uuid, STAMP, "", {"name": name})
        cells = {day: Cell(YES_MANUAL, "", STAMP, "") for day in days.get(uuid, [])}
        cells[TODAY - 400] = Cell(UNKNOWN, "", STAMP, "")  # a cleared day travels too, but is no history
        bodies[days_name(uuid, to_date(TODAY).year)] = days_body(uuid, to_date(TODAY).year, cells)
    return bodies


def test_same_named_habits_count_once_and_only_the_days_a_side_lacks_move(tracker) -> None:  # noqa: ANN001
    read = tracker.add_habit(Habit(" read "))
    tracker.add_habit(Habit("Walk"))
    tracker.check(read, TODAY - 1)
    tracker.check(read, TODAY - 2)
    bodies = _account({READ: [TODAY - 2, TODAY - 3], GYM: [TODAY - 1]})

    choices = preview_join(tracker, bodies)
    assert choices is not None
    merged = choices[True]
    assert merged is not None and merged.same_names == ["read"]
    assert (merged.habits_down, merged.days_down, merged.habits_up, merged.days_up) == (1, 2, 1, 1)
    apart = choices[False]
    assert apart is not None
    assert (apart.habits_down, apart.days_down, apart.habits_up, apart.days_up) == (2, 3, 2, 2)
    assert apart.lines()[1] == "On both sides under the same name, kept apart (two habits each): read."


def test_an_account_without_habits_has_nothing_to_preview(tracker) -> None:  # noqa: ANN001
    assert preview_join(tracker, {}) is None
    assert preview_join(tracker, {habit_name(READ): habit_body(READ, STAMP, "", None)}) is None
