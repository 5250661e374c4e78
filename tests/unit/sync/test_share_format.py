"""The shared history's objects and how two versions of a day merge (sync.share_format)."""

from __future__ import annotations

from habitdesk.sync.share_format import (
    Cell,
    cells_of,
    computer_body,
    computer_name,
    days_body,
    days_name,
    habit_body,
    habit_name,
    merge_cell,
    merged_notes,
    parse,
    render,
    split_name,
)

UUID = "0123456789abcdef0123456789abcdef"
OLD, MID, NEW = "000000000001000-aaaa", "000000000002000-bbbb", "000000000003000-aaaa"


def test_a_later_stamp_wins_and_an_equal_one_changes_nothing() -> None:
    here = Cell(2, "", OLD, "")
    assert merge_cell(here, Cell(0, "", MID, OLD)) == ("take", Cell(0, "", MID, OLD))
    assert merge_cell(Cell(0, "", NEW, MID), Cell(2, "", MID, OLD)) == ("keep", Cell(0, "", NEW, MID))
    assert merge_cell(here, here) == ("keep", here)
    assert merge_cell(None, here) == ("take", here)


def test_a_note_changed_on_both_sides_without_seeing_the_other_keeps_both_texts_in_stamp_order() -> None:
    home, work = Cell(2, "chapter 3", MID, OLD), Cell(2, "chapter 4", NEW, OLD)
    verdict, cell = merge_cell(home, work)
    assert verdict == "merge" and cell.notes == "chapter 3\n\nchapter 4" and cell.prev == NEW
    assert merge_cell(work, home)[1].notes == cell.notes  # the same on either computer


def test_a_note_edited_after_seeing_the_other_replaces_it() -> None:
    assert merge_cell(Cell(2, "draft", MID, OLD), Cell(2, "final", NEW, MID)) == ("take", Cell(2, "final", NEW, MID))


def test_a_note_that_holds_the_other_is_kept_alone() -> None:
    assert merged_notes("chapter 3", "chapter 3, then 4") == "chapter 3, then 4"
    assert merged_notes("", "x") == "x" and merged_notes("x", "") == "x"


def test_objects_render_and_parse_back_and_names_say_what_they_hold() -> None:
    body = days_body(UUID, 2026, {20794: Cell(2, "a, b; c\nd", NEW, "")})
    name = days_name(UUID, 2026)
    assert parse(render(name, body, "Read 2026")) == (name, body)
    assert cells_of(body) == {20794: Cell(2, "a, b; c\nd", NEW, "")}
    assert split_name(name) == ("days", UUID, 2026) and split_name(habit_name(UUID)) == ("habit", UUID, 0)
    laptop = computer_body("a1b2c3d4", "laptop", "2026-12-07")
    assert parse(render(computer_name("a1b2c3d4"), laptop, "laptop")) == ("computer-a1b2c3d4", laptop)
    assert split_name("computer-a1b2c3d4") == ("computer", "a1b2c3d4", 0)
    gone = habit_body(UUID, NEW, MID, None)
    assert parse(render(habit_name(UUID), gone, "deleted habit")) == (habit_name(UUID), gone)


def test_anything_else_is_not_an_object_of_ours() -> None:
    assert parse("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n") is None
    assert parse("no calendar at all") is None
    assert split_name("days-x-2026") is None and split_name("habit-../../etc") is None
    assert split_name("computer-") is None and split_name("computer-../x") is None
    assert cells_of({"days": {"1": [2, "", "s"]}}) is None  # a day missing its prev
    assert cells_of({"days": {"1": [True, "", "s", ""]}}) is None
