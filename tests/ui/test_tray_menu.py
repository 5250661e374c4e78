"""The tray's menu, tooltip and badge (offscreen: the icon is never shown, but its menu is real)."""

from __future__ import annotations

from PySide6.QtGui import QColor, QIcon, QPixmap

from habitdesk.core.habit import Habit, Kind
from habitdesk.ui.tray import MAX_LISTED, Tray, badged, due_text
from tests.conftest import TODAY


def plain_icon() -> QIcon:
    pixmap = QPixmap(32, 32)
    pixmap.fill(QColor("#2e7d32"))
    return QIcon(pixmap)


def texts(tray: Tray) -> list[str]:
    return [a.text() for a in tray.menu.actions() if not a.isSeparator()]


def make_tray(qtbot, tracker) -> Tray:  # noqa: ANN001
    tray = Tray(tracker, plain_icon())
    tray.refresh()
    return tray


def test_due_text() -> None:
    assert [due_text(n) for n in (0, 1, 2)] == ["All done for today", "1 habit due today", "2 habits due today"]


def test_the_menu_lists_what_is_due_and_follows_changes(qtbot, tracker) -> None:  # noqa: ANN001
    read = tracker.add_habit(Habit("Read"))
    tracker.add_habit(Habit("Water", kind=Kind.MEASURABLE, unit="glasses", target_value=8))
    tracker.add_habit(Habit("Old", archived=True))
    tray = make_tray(qtbot, tracker)
    tray.start()
    assert texts(tray) == ["2 habits due today", "Read", "Water…", "&Open HabitDesk", "&Snooze all for 1 hour", "&Quit"]
    assert tray.icon.toolTip() == "HabitDesk: 2 habits due today"
    tracker.check(read, TODAY)
    qtbot.waitUntil(lambda: texts(tray)[0] == "1 habit due today", timeout=1000)
    assert "Read" not in texts(tray)
    tray.stop()


def test_checking_a_habit_or_choosing_an_amount_asks_the_window(qtbot, tracker) -> None:  # noqa: ANN001
    read = tracker.add_habit(Habit("Read"))
    water = tracker.add_habit(Habit("Water", kind=Kind.MEASURABLE, unit="glasses", target_value=8))
    tray = make_tray(qtbot, tracker)
    with qtbot.waitSignal(tray.check_requested) as checked:
        tray.habit_actions[0].trigger()
    assert checked.args == [read.id, TODAY]
    with qtbot.waitSignal(tray.amount_requested) as amount:
        tray.habit_actions[1].trigger()
    assert amount.args == [water.id, TODAY]
    assert tray.habit_actions[1].toolTip() == "Enter today's amount (at least 8 glasses)"
    with qtbot.waitSignal(tray.open_requested):
        tray.open_action.trigger()
    with qtbot.waitSignal(tray.snooze_all_requested) as snooze:
        tray.snooze_action.trigger()
    assert snooze.args == [60]
    with qtbot.waitSignal(tray.quit_requested):
        tray.quit_action.trigger()


def test_a_long_list_is_cut_with_a_way_to_the_rest(qtbot, tracker) -> None:  # noqa: ANN001
    for i in range(MAX_LISTED + 3):
        tracker.add_habit(Habit(f"Habit {i:02d}"))
    tray = make_tray(qtbot, tracker)
    assert texts(tray)[MAX_LISTED + 1] == "…and 3 more"
    with qtbot.waitSignal(tray.open_requested):
        tray.habit_actions[-1].trigger()


def test_all_done_shows_no_badge(qtbot, tracker) -> None:  # noqa: ANN001
    read = tracker.add_habit(Habit("Read"))
    tracker.check(read, TODAY)
    tray = make_tray(qtbot, tracker)
    assert texts(tray)[0] == "All done for today"
    assert tray.icon.toolTip() == "HabitDesk: All done for today"


def test_the_badge_draws_the_count_in_the_corner(qapp) -> None:  # noqa: ANN001
    base = plain_icon()
    assert badged(base, 0) is base
    image = badged(base, 3).pixmap(32, 32).toImage()
    corner, middle = image.pixelColor(26, 5), image.pixelColor(8, 24)
    assert corner.red() > 180 and corner.green() < 90  # the red badge
    assert middle == QColor("#2e7d32")  # the icon itself, untouched


def test_paused_reminders_show_in_the_menu(qtbot, tracker) -> None:  # noqa: ANN001
    tray = make_tray(qtbot, tracker)
    tray.set_quiet_until("14:05")
    assert tray.snooze_action.text() == "Reminders paused until 14:05" and not tray.snooze_action.isEnabled()
    tray.set_quiet_until(None)
    assert tray.snooze_action.isEnabled()
