"""Change kinds: each says what it affects, so a listener never names kinds it does not care about."""

from __future__ import annotations

from habitdesk.facade.changes import Affects, Change, ChangeKind


def test_every_kind_says_what_it_affects() -> None:
    for kind in ChangeKind:
        assert kind.affects, kind  # a kind that affects nothing would be a kind nobody hears


def test_what_each_part_follows() -> None:
    sync = {kind for kind in ChangeKind if Affects.SYNC in kind.affects}
    assert sync == {ChangeKind.HABIT_ADDED, ChangeKind.HABIT_EDITED, ChangeKind.HABIT_DELETED, ChangeKind.ENTRY,
                    ChangeKind.REMINDERS, ChangeKind.IMPORT}  # the order is not the calendar's business
    assert {kind for kind in ChangeKind if Affects.TABLE not in kind.affects} == {ChangeKind.REMINDERS}
    assert all(Affects.TRAY in kind.affects for kind in ChangeKind)


def test_changes_compare_and_print_by_value() -> None:
    assert Change(ChangeKind.ENTRY, 3, 20000) == Change(ChangeKind.ENTRY, 3, 20000) != Change(ChangeKind.ENTRY, 3)
    assert repr(Change(ChangeKind.ORDER, 3)) == "Change('order', habit_id=3, day=None)"
