"""The habit editor: what the user sees while creating or editing a habit."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from habitdesk.core.habit import DEFAULT_COLOR, PALETTE, PALETTE_NAMES, Frequency, Habit, Kind, TargetType
from habitdesk.ui.habit_editor import EVERY_DAY, PER_MONTH, TIMES_IN_DAYS, WEEKDAYS, HabitEditor
from tests.conftest import TODAY

# The offscreen platform says this whenever a dialog is shown; it is not ours to fix.


@pytest.fixture
def open_editor(qtbot):  # noqa: ANN001, ANN201
    """open_editor(tracker, habit=None) -> a shown HabitEditor, closed after the test."""

    def make(tracker, habit: Habit | None = None) -> HabitEditor:  # noqa: ANN001
        editor = HabitEditor(tracker, habit)
        qtbot.add_widget(editor)
        editor.open()
        qtbot.waitExposed(editor)
        return editor

    return make


def press_enter(qtbot, editor: HabitEditor) -> None:  # noqa: ANN001
    qtbot.keyClick(editor.focusWidget() or editor, Qt.Key.Key_Return)


def test_a_new_habit_starts_empty_with_the_name_focused(qtbot, tracker, open_editor) -> None:  # noqa: ANN001
    editor = open_editor(tracker)
    assert editor.windowTitle() == "New habit"
    assert editor.ok_button.text() == "Create habit"
    assert editor.focusWidget() is editor.name_edit
    assert not editor.ok_button.isEnabled()
    assert not editor.name_message.isVisible()  # no scolding before the user typed anything
    assert editor.color_group.checkedId() == DEFAULT_COLOR
    assert editor.frequency_combo.currentIndex() == EVERY_DAY


def test_enter_on_an_empty_name_does_not_accept_and_says_why(qtbot, tracker, open_editor) -> None:  # noqa: ANN001
    editor = open_editor(tracker)
    press_enter(qtbot, editor)
    assert editor.isVisible()
    assert editor.result() != QDialog.DialogCode.Accepted
    assert editor.name_message.isVisible()
    assert editor.name_message.text() == "Give the habit a name."
    assert editor.name_message.severity == "error"


def test_typing_a_name_clears_the_message_and_enter_creates(qtbot, tracker, open_editor) -> None:  # noqa: ANN001
    editor = open_editor(tracker)
    qtbot.keyClicks(editor.name_edit, "x")
    qtbot.keyClick(editor.name_edit, Qt.Key.Key_Backspace)
    assert editor.name_message.isVisible()
    qtbot.keyClicks(editor.name_edit, "  Meditate ")
    assert not editor.name_message.isVisible()
    assert editor.ok_button.isEnabled()
    with qtbot.waitSignal(editor.accepted, timeout=1000):
        press_enter(qtbot, editor)
    habit = editor.result_habit()
    assert (habit.name, habit.kind, habit.frequency, habit.id) == ("Meditate", Kind.YES_NO, Frequency(), None)
    assert tracker.habits() == []  # the dialog saves nothing


def test_a_duplicate_name_warns_but_can_be_saved(qtbot, tracker, open_editor) -> None:  # noqa: ANN001
    tracker.add_habit(Habit("Run"))
    tracker.set_archived(tracker.add_habit(Habit("Read")), True)
    editor = open_editor(tracker)
    qtbot.keyClicks(editor.name_edit, " run ")
    assert editor.name_message.isVisible()
    assert editor.name_message.text() == "Another habit is already called “Run”."
    assert editor.name_message.severity == "warning"
    assert editor.ok_button.isEnabled()
    editor.name_edit.setText("READ")  # archived habits count too
    assert editor.name_message.text() == "Another habit is already called “Read”."
    editor.name_edit.setText("Walk")
    assert not editor.name_message.isVisible()


def test_editing_a_habit_does_not_warn_about_its_own_name(qtbot, tracker, open_editor) -> None:  # noqa: ANN001
    run = tracker.add_habit(Habit("Run"))
    editor = open_editor(tracker, run)
    assert not editor.name_message.isVisible()
    assert editor.ok_button.isEnabled()


def test_a_control_character_in_the_name_is_an_error(qtbot, tracker, open_editor) -> None:  # noqa: ANN001
    editor = open_editor(tracker)
    editor.name_edit.setText("Run\tfast")
    assert not editor.ok_button.isEnabled()
    assert "control characters" in editor.name_message.text()


def test_measurable_fields_appear_only_for_measurable_habits(qtbot, tracker, open_editor) -> None:  # noqa: ANN001
    editor = open_editor(tracker)
    assert not editor.unit_edit.isVisible()
    assert not editor.target_spin.isVisible()
    qtbot.mouseClick(editor.measurable_radio, Qt.MouseButton.LeftButton)
    assert editor.unit_edit.isVisible()
    assert editor.target_spin.isVisible()
    assert editor.target_type_combo.isVisible()
    qtbot.mouseClick(editor.yes_no_radio, Qt.MouseButton.LeftButton)
    assert not editor.unit_edit.isVisible()


def test_a_zero_target_is_an_error_until_fixed(qtbot, tracker, open_editor) -> None:  # noqa: ANN001
    editor = open_editor(tracker)
    qtbot.keyClicks(editor.name_edit, "Water")
    qtbot.mouseClick(editor.measurable_radio, Qt.MouseButton.LeftButton)
    assert editor.target_message.isVisible()
    assert editor.target_message.text() == "The target must be greater than zero."
    assert not editor.ok_button.isEnabled()
    editor.name_edit.setFocus()
    press_enter(qtbot, editor)
    assert editor.isVisible()
    assert editor.focusWidget() is editor.target_spin.lineEdit() or editor.focusWidget() is editor.target_spin
    editor.unit_edit.setText("glasses")
    editor.target_spin.setValue(8)
    editor.target_type_combo.setCurrentIndex(1)
    assert not editor.target_message.isVisible()
    qtbot.mouseClick(editor.ok_button, Qt.MouseButton.LeftButton)
    assert editor.result() == QDialog.DialogCode.Accepted
    habit = editor.result_habit()
    assert (habit.kind, habit.unit, habit.target_value, habit.target_type) == (
        Kind.MEASURABLE, "glasses", 8.0, TargetType.AT_MOST,
    )


def test_more_times_than_days_is_an_error(qtbot, tracker, open_editor) -> None:  # noqa: ANN001
    editor = open_editor(tracker)
    editor.name_edit.setText("Gym")
    editor.frequency_combo.setCurrentIndex(TIMES_IN_DAYS)
    editor.times_spin.setValue(12)
    editor.days_spin.setValue(10)
    assert editor.frequency_message.isVisible()
    assert "12 times in 10 days is impossible" in editor.frequency_message.text()
    assert not editor.ok_button.isEnabled()
    editor.days_spin.setValue(14)
    assert not editor.frequency_message.isVisible()
    assert editor.ok_button.isEnabled()


def test_a_period_longer_than_a_year_is_an_error(qtbot, tracker, open_editor) -> None:  # noqa: ANN001
    editor = open_editor(tracker)
    editor.name_edit.setText("Dentist")
    editor.frequency_combo.setCurrentIndex(TIMES_IN_DAYS)
    editor.times_spin.setValue(1)
    editor.days_spin.setValue(400)
    assert editor.frequency_message.text() == "The period cannot be longer than 366 days."
    assert not editor.ok_button.isEnabled()


def test_chosen_weekdays_need_at_least_one_day(qtbot, tracker, open_editor) -> None:  # noqa: ANN001
    editor = open_editor(tracker)
    editor.name_edit.setText("Piano")
    editor.frequency_combo.setCurrentIndex(WEEKDAYS)
    assert editor.frequency_message.text() == "Choose at least one day of the week."
    assert not editor.ok_button.isEnabled()
    qtbot.mouseClick(editor.weekday_boxes[2], Qt.MouseButton.LeftButton)  # Wednesday
    assert not editor.frequency_message.isVisible()
    assert editor.result_habit().frequency == Frequency(1, 1, 0b100)


def test_weekday_boxes_follow_the_first_day_of_the_week(qtbot, tracker, open_editor) -> None:  # noqa: ANN001
    tracker.set_setting("first_weekday", 6)
    editor = open_editor(tracker)
    editor.frequency_combo.setCurrentIndex(WEEKDAYS)
    boxes = sorted(editor.weekday_boxes, key=lambda box: box.x())
    assert [box.text() for box in boxes] == ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]


@pytest.mark.parametrize(
    ("frequency", "option"),
    [
        (Frequency(1, 1), 0),
        (Frequency(1, 3), 1),
        (Frequency(1, 7), 1),
        (Frequency(3, 7), 2),
        (Frequency(10, 30), 3),
        (Frequency(4, 31), 3),
        (Frequency(5, 12), 4),
        (Frequency(1, 366), 1),
        (Frequency(1, 1, 0b0010101), 5),
    ],
)
def test_every_frequency_round_trips(qtbot, tracker, open_editor, frequency: Frequency, option: int) -> None:  # noqa: ANN001
    habit = tracker.add_habit(Habit("Gym", frequency=frequency))
    editor = open_editor(tracker, habit)
    assert editor.frequency_combo.currentIndex() == option
    assert editor.ok_button.isEnabled()
    assert editor.result_habit().frequency == frequency


def test_frequency_options_map_to_num_and_den(qtbot, tracker, open_editor) -> None:  # noqa: ANN001
    editor = open_editor(tracker)
    editor.frequency_combo.setCurrentIndex(1)
    editor.every_n_spin.setValue(3)
    assert editor.frequency() == Frequency(1, 3)
    editor.frequency_combo.setCurrentIndex(2)
    editor.per_week_spin.setValue(4)
    assert editor.frequency() == Frequency(4, 7)
    editor.frequency_combo.setCurrentIndex(PER_MONTH)
    editor.per_month_spin.setValue(12)
    assert editor.frequency() == Frequency(12, 30)
    assert editor.per_month_spin.text() == "12 times"


def test_an_edit_keeps_the_habits_identity(qtbot, tracker, open_editor) -> None:  # noqa: ANN001
    habit = tracker.add_habit(Habit(
        "Water", kind=Kind.MEASURABLE, unit="glasses", target_value=2.5, question="Enough water?",
        description="Line one\nline two", color=3, frequency=Frequency(3, 7),
    ))
    tracker.add_habit(Habit("Run"))
    habit = tracker.set_archived(habit, True)
    editor = open_editor(tracker, habit)
    assert editor.windowTitle() == "Edit habit"
    assert editor.ok_button.text() == "Save"
    assert editor.target_spin.text() == "2.5"
    unchanged = editor.result_habit()
    assert unchanged == habit
    assert unchanged is not habit
    editor.name_edit.setText("Drink water")
    qtbot.mouseClick(editor.color_group.button(11), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(editor.ok_button, Qt.MouseButton.LeftButton)
    result = editor.result_habit()
    assert (result.id, result.uuid, result.position, result.archived, result.created_at) == (
        habit.id, habit.uuid, habit.position, True, habit.created_at,
    )
    assert (result.name, result.color, result.description) == ("Drink water", 11, "Line one\nline two")
    assert habit.name == "Water"  # the given habit is left alone
    tracker.edit_habit(result)
    assert tracker.habit(habit.id).name == "Drink water"


def test_the_kind_is_locked_once_a_habit_has_history(qtbot, tracker, open_editor) -> None:  # noqa: ANN001
    fresh = tracker.add_habit(Habit("Fresh"))
    used = tracker.add_habit(Habit("Used"))
    tracker.check(used, TODAY)
    editor = open_editor(tracker, fresh)
    assert editor.measurable_radio.isEnabled()
    editor = open_editor(tracker, used)
    assert not editor.measurable_radio.isEnabled()
    assert not editor.yes_no_radio.isEnabled()
    assert "already has history" in editor.measurable_radio.toolTip()
    assert editor.result_habit().kind is Kind.YES_NO


def test_colour_swatches_have_names_and_arrow_keys(qtbot, tracker, open_editor) -> None:  # noqa: ANN001
    editor = open_editor(tracker)
    swatches = editor.color_group.buttons()
    assert len(swatches) == len(PALETTE)
    assert [s.toolTip().lower() for s in swatches] == list(PALETTE_NAMES)
    assert swatches[0].accessibleName() == "Colour: red"
    assert editor.color_group.exclusive()
    current = editor.color_group.checkedButton()
    current.setFocus()
    qtbot.keyClick(current, Qt.Key.Key_Right)
    assert editor.color_group.checkedId() == DEFAULT_COLOR + 1
    qtbot.keyClick(editor.color_group.checkedButton(), Qt.Key.Key_Down)
    assert editor.color_group.checkedId() == DEFAULT_COLOR + 11
    assert editor.result_habit().color == DEFAULT_COLOR + 11


def test_escape_cancels(qtbot, tracker, open_editor) -> None:  # noqa: ANN001
    editor = open_editor(tracker)
    qtbot.keyClicks(editor.name_edit, "Walk")
    with qtbot.waitSignal(editor.rejected, timeout=1000):
        qtbot.keyClick(editor.name_edit, Qt.Key.Key_Escape)
    assert not editor.isVisible()


def test_tab_moves_from_name_to_question(qtbot, tracker, open_editor) -> None:  # noqa: ANN001
    editor = open_editor(tracker)
    qtbot.keyClick(editor.name_edit, Qt.Key.Key_Tab)
    assert editor.focusWidget() is editor.question_edit
    qtbot.keyClick(editor.question_edit, Qt.Key.Key_Tab)
    assert editor.focusWidget() is editor.color_group.checkedButton()
