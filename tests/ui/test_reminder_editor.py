"""Reminders in the habit editor: add, change, switch off, remove; saved and undone with the habit."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTime

from habitdesk.core.habit import Habit
from habitdesk.core.reminders import Reminder
from habitdesk.ui.habit_editor import HabitEditor
from tests.ui.test_habit_editor import open_editor  # noqa: F401 - a fixture
from tests.ui.test_main_window import make_window, ui_settings  # noqa: F401 - fixtures


def shown(tracker, habit: Habit) -> list[tuple[str, str, bool]]:  # noqa: ANN001
    return [(r.time_text, r.days_text, r.enabled) for r in tracker.reminders(habit)]


def test_a_new_habit_has_no_reminders_until_one_is_added(qtbot, tracker, open_editor) -> None:  # noqa: ANN001, F811
    editor = open_editor(tracker)
    assert editor.reminder_list.rows == []
    qtbot.mouseClick(editor.reminder_list.add_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(editor.reminder_list.add_button, Qt.MouseButton.LeftButton)
    assert [(r.time_text, r.days_text, r.enabled) for r in editor.result_reminders()] == [
        ("09:00", "every day", True), ("10:00", "every day", True),
    ]
    qtbot.waitUntil(editor.reminder_list.rows[1].time_edit.isVisible, timeout=1000)


def test_weekday_buttons_follow_the_first_day_of_the_week(qtbot, tracker, open_editor) -> None:  # noqa: ANN001, F811
    tracker.set_setting("first_weekday", 6)  # Sunday
    editor = open_editor(tracker)
    editor.reminder_list.add_new()
    row = editor.reminder_list.rows[0]
    qtbot.waitUntil(row.time_edit.isVisible, timeout=1000)
    ordered = sorted(row.day_buttons, key=lambda b: b.x())
    assert [b.accessibleName() for b in ordered][:2] == ["Sunday", "Monday"]


def test_the_same_time_twice_or_no_weekday_is_an_error(qtbot, tracker, open_editor) -> None:  # noqa: ANN001, F811
    editor = open_editor(tracker)
    editor.name_edit.setText("Read")
    editor.reminder_list.add_new()
    editor.reminder_list.add_new()
    second = editor.reminder_list.rows[1]
    second.time_edit.setTime(QTime(9, 0))
    assert editor.reminder_message.text() == "Two reminders are set for 09:00."
    assert editor.reminder_message.isVisible() and not editor.ok_button.isEnabled()
    second.time_edit.setTime(QTime(21, 30))
    for button in second.day_buttons:
        button.setChecked(False)
    assert editor.reminder_message.text() == "Choose at least one day for the 21:30 reminder."
    second.enabled_box.setChecked(False)  # a switched-off reminder may keep no days
    assert not second.time_edit.isEnabled()
    assert editor.ok_button.isEnabled() and not editor.reminder_message.isVisible()


def test_editing_loads_the_reminders_and_remove_drops_one(qtbot, tracker, open_editor) -> None:  # noqa: ANN001, F811
    habit = tracker.add_habit(Habit("Read"), [Reminder(21 * 60, 0b1100000), Reminder(7 * 60, enabled=False)])
    editor = open_editor(tracker, habit)
    rows = editor.reminder_list.rows
    assert [(r.time_edit.time().toString("HH:mm"), r.enabled_box.isChecked()) for r in rows] == [("07:00", False), ("21:00", True)]
    assert [b.isChecked() for b in rows[1].day_buttons] == [False] * 5 + [True, True]
    qtbot.mouseClick(rows[0].remove_button, Qt.MouseButton.LeftButton)
    assert [(r.time_text, r.days_text) for r in editor.result_reminders()] == [("21:00", "sat,sun")]


def test_saving_from_the_window_stores_them_and_undo_puts_the_old_ones_back(qtbot, tracker, make_window) -> None:  # noqa: ANN001, F811
    habit = tracker.add_habit(Habit("Read"), [Reminder(21 * 60)])
    window = make_window(tracker)
    window.edit_action.trigger()
    editor = window.findChild(HabitEditor)
    editor.reminder_list.rows[0].time_edit.setTime(QTime(20, 15))
    editor.reminder_list.add_new()
    qtbot.mouseClick(editor.ok_button, Qt.MouseButton.LeftButton)
    assert shown(tracker, habit) == [("20:15", "every day", True), ("21:15", "every day", True)]
    window.undo_action.trigger()
    assert shown(tracker, habit) == [("21:00", "every day", True)]
    window.redo_action.trigger()
    assert shown(tracker, habit) == [("20:15", "every day", True), ("21:15", "every day", True)]


def test_a_new_habit_is_created_with_its_reminders(qtbot, tracker, make_window) -> None:  # noqa: ANN001, F811
    window = make_window(tracker)
    window.new_action.trigger()
    editor = window.findChild(HabitEditor)
    qtbot.keyClicks(editor.name_edit, "Stretch")
    editor.reminder_list.add_new()
    qtbot.mouseClick(editor.ok_button, Qt.MouseButton.LeftButton)
    assert shown(tracker, tracker.find_habit("Stretch")) == [("09:00", "every day", True)]
    window.undo_action.trigger()
    window.redo_action.trigger()
    assert shown(tracker, tracker.find_habit("Stretch")) == [("09:00", "every day", True)]
