"""The main window, driven like a user: clicks, keys, menus, dialogs, undo and restarts."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from habitdesk.core.days import to_date
from habitdesk.core.entries import NO, SKIP, UNKNOWN, YES_AUTO, YES_MANUAL
from habitdesk.core.habit import Frequency, Habit, Kind
from habitdesk.facade.errors import StorageError
from habitdesk.facade.tracker import Tracker
from habitdesk.ui.entry_dialogs import AmountEditor, NoteEditor
from habitdesk.ui.habit_editor import HabitEditor
from habitdesk.ui.habit_table import DayRole, NoteRole, SortOrder, StateRole, SummaryRole, ValueRole
from habitdesk.ui.main_window import MainWindow
from tests.conftest import TODAY


@pytest.fixture
def ui_settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def make_window(qtbot, ui_settings):  # noqa: ANN001, ANN201
    def make(tracker: Tracker, size: tuple[int, int] = (1100, 600)) -> MainWindow:
        window = MainWindow(tracker, ui_settings)
        qtbot.add_widget(window)
        window.resize(*size)
        window.show()
        qtbot.waitExposed(window)
        qtbot.waitUntil(lambda: window.detail_ready)
        return window

    return make


def cell_center(window: MainWindow, row: int, day: int) -> QPoint:
    column = window.model.column_of(day)
    assert column is not None, "that day is not shown"
    return window.table.visualRect(window.model.index(row, column)).center()


def click_cell(qtbot, window: MainWindow, row: int, day: int) -> None:  # noqa: ANN001
    qtbot.mouseClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=cell_center(window, row, day))


def cell(window: MainWindow, row: int, day: int, role: int = StateRole):  # noqa: ANN201
    return window.model.index(row, window.model.column_of(day)).data(role)


def summary(window: MainWindow, row: int):  # noqa: ANN201
    return window.model.index(row, 0).data(SummaryRole)


def message_box(window: MainWindow) -> QMessageBox:
    boxes = [w for w in window.findChildren(QMessageBox) if w.isVisible()]
    assert len(boxes) == 1, boxes
    return boxes[0]


def test_a_click_cycles_the_state_and_updates_streak_and_score(qtbot, tracker, make_window) -> None:  # noqa: ANN001
    habit = tracker.add_habit(Habit("Meditate"))
    for n in (1, 2):
        tracker.check(habit, TODAY - n)
    window = make_window(tracker)
    assert cell(window, 0, TODAY) == "unknown"
    assert summary(window, 0).streak == 2  # yesterday's streak still counts until today ends
    old_score = summary(window, 0).score

    changed = []
    window.model.dataChanged.connect(lambda a, b: changed.append((a.row(), a.column(), b.row(), b.column())))
    window.model.modelReset.connect(lambda: changed.append("reset"))
    click_cell(qtbot, window, 0, TODAY)

    assert cell(window, 0, TODAY) == "manual"
    assert summary(window, 0).streak == 3
    assert summary(window, 0).score > old_score
    assert tracker.entry(habit, TODAY) == (YES_MANUAL, "")
    column = window.model.column_of(TODAY)
    assert "reset" not in changed
    assert (0, 0, 0, 0) in changed  # the habit column: score ring and streak
    assert (0, column, 0, column) in changed  # that one day, nothing else
    assert window.status.text() == "Today: 1 of 1 done"

    checked_score = summary(window, 0).score
    click_cell(qtbot, window, 0, TODAY)  # YES_MANUAL -> NO (skips are off)
    assert cell(window, 0, TODAY) == "no"
    assert summary(window, 0).score < checked_score
    assert window.status.text() == "Today: 0 of 1 done"


def test_automatic_days_appear_and_go_with_the_check_that_makes_them(qtbot, tracker, make_window) -> None:  # noqa: ANN001
    habit = tracker.add_habit(Habit("Gym", frequency=Frequency(1, 3)))
    window = make_window(tracker)
    click_cell(qtbot, window, 0, TODAY - 2)
    assert [cell(window, 0, TODAY - n) for n in (2, 1, 0)] == ["manual", "auto", "auto"]
    window.undo_action.trigger()
    assert [cell(window, 0, TODAY - n) for n in (2, 1, 0)] == ["unknown"] * 3
    assert tracker.entry(habit, TODAY - 2) == (UNKNOWN, "")


def test_undo_and_redo_restore_each_state_with_descriptive_menu_text(qtbot, tracker, make_window) -> None:  # noqa: ANN001
    habit = tracker.add_habit(Habit("Read"))
    tracker.set_entry(habit, TODAY, NO, "tired")
    window = make_window(tracker)
    click_cell(qtbot, window, 0, TODAY)
    assert tracker.entry(habit, TODAY) == (YES_MANUAL, "tired")
    assert window.undo_action.text() == "&Undo Check \u201cRead\u201d on Thu 26 Nov"

    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert tracker.entry(habit, TODAY) == (NO, "tired")
    assert cell(window, 0, TODAY) == "no"
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert tracker.entry(habit, TODAY) == (YES_MANUAL, "tired")
    assert cell(window, 0, TODAY) == "manual"


def test_keyboard_moves_between_cells_and_space_or_enter_toggles(qtbot, tracker, make_window) -> None:  # noqa: ANN001
    tracker.add_habit(Habit("A"))
    b = tracker.add_habit(Habit("B"))
    window = make_window(tracker)
    window.table.setFocus()
    window.table.setCurrentIndex(window.model.index(0, window.model.column_of(TODAY)))
    qtbot.keyClick(window.table, Qt.Key.Key_Down)
    qtbot.keyClick(window.table, Qt.Key.Key_Space)
    assert tracker.entry(b, TODAY)[0] == YES_MANUAL
    direction = Qt.Key.Key_Right if window.model.newest_first else Qt.Key.Key_Left
    qtbot.keyClick(window.table, direction)  # to yesterday
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    assert tracker.entry(b, TODAY - 1)[0] == YES_MANUAL
    assert cell(window, 1, TODAY - 1) == "manual"


def test_skips_follow_the_setting(qtbot, tracker, make_window) -> None:  # noqa: ANN001
    habit = tracker.add_habit(Habit("Walk"))
    tracker.set_setting("skips_enabled", True)
    window = make_window(tracker)
    click_cell(qtbot, window, 0, TODAY)
    click_cell(qtbot, window, 0, TODAY)
    assert tracker.entry(habit, TODAY)[0] == SKIP
    assert cell(window, 0, TODAY) == "skip"


def test_a_measurable_cell_opens_an_amount_editor(qtbot, tracker, make_window) -> None:  # noqa: ANN001
    habit = tracker.add_habit(Habit("Run", kind=Kind.MEASURABLE, target_value=5, unit="km"))
    window = make_window(tracker)
    click_cell(qtbot, window, 0, TODAY)
    editor = window.findChild(AmountEditor)
    assert editor is not None and editor.isVisible()
    editor.amount.setValue(6.5)
    editor.accept()
    assert tracker.entry(habit, TODAY)[0] == 6500
    assert cell(window, 0, TODAY) == "met"
    assert cell(window, 0, TODAY, Qt.ItemDataRole.DisplayRole) == "6.5"

    click_cell(qtbot, window, 0, TODAY - 1)
    editor = [e for e in window.findChildren(AmountEditor) if e.isVisible()][0]
    editor.amount.setValue(2)
    editor.accept()
    assert cell(window, 0, TODAY - 1) == "missed"
    window.undo_action.trigger()
    assert cell(window, 0, TODAY - 1) == "unknown"


def test_a_note_from_the_context_menu_shows_a_dot(qtbot, tracker, make_window) -> None:  # noqa: ANN001
    habit = tracker.add_habit(Habit("Journal"))
    window = make_window(tracker)
    window.edit_note(habit, TODAY - 3)
    editor = window.findChild(NoteEditor)
    editor.text.setPlainText("  wrote two pages  ")
    editor.accept()
    assert tracker.entry(habit, TODAY - 3) == (UNKNOWN, "wrote two pages")
    assert cell(window, 0, TODAY - 3, NoteRole) is True
    assert "has a note" in cell(window, 0, TODAY - 3, Qt.ItemDataRole.ToolTipRole)
    window.undo_action.trigger()
    assert cell(window, 0, TODAY - 3, NoteRole) is False


def test_context_menu_offers_the_day_actions(qtbot, tracker, make_window) -> None:  # noqa: ANN001
    tracker.add_habit(Habit("Journal"))
    window = make_window(tracker)
    shown = []
    window.table.menu_requested.connect(lambda habit, day, where: shown.append((habit.name, day)))
    pos = cell_center(window, 0, TODAY - 1)
    window.table.customContextMenuRequested.emit(pos)
    assert shown == [("Journal", TODAY - 1)]
    menus = [m for m in window.findChildren(type(window.menuBar().actions()[0].menu())) if m.isVisible()]
    texts = [a.text() for a in menus[-1].actions() if a.text()]
    assert texts[:4] == ["Mark as done", "Skip this day", "Clear", "Add note…"]
    menus[-1].close()


def test_a_new_habit_from_ctrl_n_appears_and_undo_removes_it(qtbot, tracker, make_window) -> None:  # noqa: ANN001
    window = make_window(tracker)
    assert window.pages.currentWidget() is window.empty
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    editor = window.findChild(HabitEditor)
    assert editor is not None and editor.isVisible()
    qtbot.keyClicks(editor.name_edit, "Stretch")
    qtbot.mouseClick(editor.ok_button, Qt.MouseButton.LeftButton)
    assert [h.name for h in tracker.habits()] == ["Stretch"]
    assert window.pages.currentWidget() is window.table
    assert window.model.index(0, 0).data() == "Stretch"
    assert window.current_habit().name == "Stretch"
    assert window.undo_action.text() == "&Undo Create habit \u201cStretch\u201d"
    window.undo_action.trigger()
    assert tracker.habits() == []
    assert window.pages.currentWidget() is window.empty
    window.redo_action.trigger()
    assert [h.name for h in tracker.habits()] == ["Stretch"]


def test_editing_renames_the_row_and_undo_restores_the_old_name(qtbot, tracker, make_window) -> None:  # noqa: ANN001
    tracker.add_habit(Habit("Run"))
    window = make_window(tracker)
    window.edit_action.trigger()
    editor = window.findChild(HabitEditor)
    editor.name_edit.setText("Run 5k")
    qtbot.mouseClick(editor.ok_button, Qt.MouseButton.LeftButton)
    assert window.model.index(0, 0).data() == "Run 5k"
    qtbot.waitUntil(lambda: window.detail.habit.name == "Run 5k")
    window.undo_action.trigger()
    assert window.model.index(0, 0).data() == "Run"
    assert [h.name for h in tracker.habits()] == ["Run"]


def test_archive_hides_the_habit_and_show_archived_brings_it_back(qtbot, tracker, make_window) -> None:  # noqa: ANN001
    tracker.add_habit(Habit("Old"))
    tracker.add_habit(Habit("New"))
    window = make_window(tracker)
    window.table.select_habit(tracker.find_habit("Old").id)
    window.archive_action.trigger()
    assert [window.model.index(r, 0).data() for r in range(window.model.rowCount())] == ["New"]
    assert tracker.find_habit("Old").archived
    window.show_archived_action.trigger()
    assert [window.model.index(r, 0).data() for r in range(window.model.rowCount())] == ["Old", "New"]
    window.table.select_habit(tracker.find_habit("Old").id)
    assert window.archive_action.text() == "Un&archive"
    window.show_archived_action.trigger()
    window.undo_action.trigger()  # unarchives
    assert [window.model.index(r, 0).data() for r in range(window.model.rowCount())] == ["Old", "New"]


def test_delete_asks_first_and_undo_brings_the_history_back(qtbot, tracker, make_window) -> None:  # noqa: ANN001
    habit = tracker.add_habit(Habit("Floss"))
    tracker.check(habit, TODAY, notes="minty")
    window = make_window(tracker)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Delete)
    box = message_box(window)
    assert "Delete \u201cFloss\u201d and its whole history?" == box.text()
    assert "1 completion." in box.informativeText()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert [h.name for h in tracker.habits()] == ["Floss"]

    window.delete_action.trigger()
    box = message_box(window)
    next(b for b in box.buttons() if b.text() == "Delete").click()
    assert tracker.habits(archived=None) == []
    assert window.statusBar().currentMessage() == "Delete \u201cFloss\u201d: done. Undo with Ctrl+Z."
    assert window.pages.currentWidget() is window.empty
    window.undo_action.trigger()
    assert tracker.entry(habit, TODAY) == (YES_MANUAL, "minty")
    assert window.model.rowCount() == 1 and cell(window, 0, TODAY) == "manual"


def test_delete_can_archive_instead(qtbot, tracker, make_window) -> None:  # noqa: ANN001
    tracker.add_habit(Habit("Floss"))
    window = make_window(tracker)
    window.delete_action.trigger()
    next(b for b in message_box(window).buttons() if b.text() == "Archive instead").click()
    assert tracker.find_habit("Floss").archived
    assert window.model.rowCount() == 0


def test_reorder_persists_after_a_restart(qtbot, tracker, data_dir, make_window) -> None:  # noqa: ANN001
    for name in ("A", "B", "C"):
        tracker.add_habit(Habit(name))
    window = make_window(tracker)
    window.table.select_habit(tracker.find_habit("C").id)
    window.move_up_action.trigger()
    window.move_up_action.trigger()
    assert [window.model.index(r, 0).data() for r in range(3)] == ["C", "A", "B"]
    # a drop: A onto the end
    window.model.dropMimeData(window.model.mimeData([window.model.index(1, 0)]), Qt.DropAction.MoveAction, 3, 0, window.model.index(-1, -1))
    assert [window.model.index(r, 0).data() for r in range(3)] == ["C", "B", "A"]
    window.close()
    tracker.close()

    again = Tracker(data_dir, today=TODAY)
    try:
        restarted = make_window(again)
        assert [restarted.model.index(r, 0).data() for r in range(3)] == ["C", "B", "A"]
        assert restarted.current_habit().name == "A"  # the selection came back too
    finally:
        again.close()


def test_sorting_by_name_score_and_status(qtbot, tracker, make_window) -> None:  # noqa: ANN001
    zebra = tracker.add_habit(Habit("zebra"))
    tracker.add_habit(Habit("Apple"))
    mango = tracker.add_habit(Habit("mango"))
    for n in range(20):
        tracker.check(mango, TODAY - n)
    tracker.check(zebra, TODAY)
    window = make_window(tracker)
    names = lambda: [window.model.index(r, 0).data() for r in range(3)]  # noqa: E731
    window.set_sort_order(SortOrder.NAME)
    assert names() == ["Apple", "mango", "zebra"]
    window.set_sort_order(SortOrder.SCORE)
    assert names()[0] == "mango"
    window.set_sort_order(SortOrder.STATUS)
    assert names()[0] == "Apple"  # still due today
    assert window.model.flags(window.model.index(0, 0)) & Qt.ItemFlag.ItemIsDragEnabled == Qt.ItemFlag.NoItemFlags


def test_the_table_shows_as_many_days_as_fit(qtbot, tracker, make_window) -> None:  # noqa: ANN001
    tracker.add_habit(Habit("A"))
    window = make_window(tracker, size=(900, 500))
    narrow = window.model.day_count
    window.resize(1500, 500)
    qtbot.waitUntil(lambda: window.model.day_count > narrow)
    days = [window.model.index(0, c).data(DayRole) for c in range(1, window.model.columnCount())]
    assert days == [TODAY - n for n in range(len(days))]  # newest first by default


def test_day_order_setting_puts_today_last(qtbot, tracker, ui_settings, make_window) -> None:  # noqa: ANN001
    tracker.add_habit(Habit("A"))
    ui_settings.setValue("table/day_order", "newest_last")
    window = make_window(tracker)
    last = window.model.columnCount() - 1
    assert window.model.index(0, last).data(DayRole) == TODAY
    assert window.model.index(0, 1).data(DayRole) == TODAY - (last - 1)


def test_empty_state_invites_a_first_habit_or_an_import(qtbot, tracker, make_window, tmp_path) -> None:  # noqa: ANN001
    from tests.support.loop_backup import LoopBackup

    window = make_window(tracker)
    assert window.empty.isVisible()
    assert window.empty_new.text() == "Create a habit…"
    assert "Loop Habit Tracker" in window.empty_text.text()
    backup = LoopBackup(25)
    loop_habit = backup.habit("Wake up early")
    backup.rep(loop_habit, to_date(TODAY - 1), YES_MANUAL)
    path = backup.write(tmp_path / "loop.db")
    window.import_file(path)
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=10_000)
    from habitdesk.ui.interchange import ImportSummary

    qtbot.waitUntil(lambda: window.findChild(ImportSummary) is not None)
    summary = window.findChild(ImportSummary)
    assert summary.title.text() == "<b>Imported loop.db</b>"
    assert summary.cells[("habits", "added")].text() == "1"
    assert cell(window, 0, TODAY - 1) == "manual"


def test_a_refused_import_says_why_and_changes_nothing(qtbot, tracker, make_window, tmp_path) -> None:  # noqa: ANN001
    junk = tmp_path / "notes.db"
    junk.write_text("this is not a database")
    window = make_window(tracker)
    window.import_file(junk)
    qtbot.waitUntil(lambda: any(b.isVisible() for b in window.findChildren(QMessageBox)), timeout=10_000)
    box = message_box(window)
    assert box.text() == "Could not import notes.db."
    assert "notes.db" in box.informativeText()
    assert tracker.habits(archived=None) == []


def fill_the_disk(tracker: Tracker, habit: Habit) -> None:
    """Let the database grow no more, and fill what room is left, down to the last small row."""
    pages = tracker.db.execute_sql("PRAGMA page_count").fetchone()[0]
    tracker.db.execute_sql(f"PRAGMA max_page_count = {pages}")
    day = TODAY - 100
    for size in (2000, 200, 20, 0):
        try:
            while True:
                day -= 1
                tracker.set_entry(habit, day, NO, "x" * size)
        except StorageError:
            pass


def test_a_full_disk_leaves_the_cell_as_it_was_and_says_so(qtbot, tracker, make_window) -> None:  # noqa: ANN001
    habit = tracker.add_habit(Habit("Walk"))
    window = make_window(tracker)
    fill_the_disk(tracker, habit)
    window.reload()
    click_cell(qtbot, window, 0, TODAY)
    box = message_box(window)
    assert box.text().startswith("Could not check \u201cWalk\u201d on Thu 26 Nov")
    assert "full" in box.informativeText()
    assert cell(window, 0, TODAY) == "unknown"
    assert window.undo_stack.count() == 0
    tracker.db.execute_sql("PRAGMA max_page_count = 1073741823")


def test_an_undo_the_disk_refuses_says_so_and_leaves_nothing_half_done(qtbot, tracker, make_window) -> None:  # noqa: ANN001
    floss = tracker.add_habit(Habit("Floss"))
    for n in range(30):
        tracker.check(floss, TODAY - n, notes=f"day {n}")
    filler = tracker.add_habit(Habit("Filler"))
    window = make_window(tracker)
    window.table.select_habit(floss.id)
    window.delete_action.trigger()
    next(b for b in message_box(window).buttons() if b.text() == "Delete").click()
    fill_the_disk(tracker, filler)
    window.undo_action.trigger()  # putting Floss back needs room the disk no longer has
    box = message_box(window)
    assert box.text() == "Could not undo delete \u201cFloss\u201d."
    assert "full" in box.informativeText()
    assert window.undo_stack.count() == 0  # the command no longer fits the data, so it is gone
    tracker.db.execute_sql("PRAGMA max_page_count = 1073741823")
    assert [h.name for h in tracker.habits()] == ["Filler"]
    assert tracker.db.execute_sql("SELECT count(*) FROM entry WHERE habit_id = ?", (floss.id,)).fetchone()[0] == 0


def test_calendar_clicks_go_through_the_undo_stack(qtbot, tracker, make_window) -> None:  # noqa: ANN001
    habit = tracker.add_habit(Habit("Sleep early"))
    window = make_window(tracker)
    window.detail.day_clicked.emit(TODAY - 70)  # older than the table shows
    assert tracker.entry(habit, TODAY - 70)[0] == YES_MANUAL
    qtbot.waitUntil(lambda: window.detail.analysis.value_on(TODAY - 70) == YES_MANUAL)
    window.undo_action.trigger()
    assert tracker.entry(habit, TODAY - 70)[0] == UNKNOWN


def test_window_geometry_and_selection_persist(qtbot, tracker, data_dir, ui_settings, make_window) -> None:  # noqa: ANN001
    tracker.add_habit(Habit("A"))
    tracker.add_habit(Habit("B"))
    window = make_window(tracker, size=(640, 430))  # the offscreen screen is 800x600
    window.table.select_habit(tracker.find_habit("B").id)
    window.close()
    again = MainWindow(tracker, ui_settings)
    qtbot.add_widget(again)
    again.show()
    qtbot.waitUntil(lambda: again.detail_ready)
    assert (again.width(), again.height()) == (640, 430)
    assert again.current_habit().name == "B"
    qtbot.waitUntil(lambda: again.detail.habit is not None and again.detail.habit.name == "B")


def test_switching_habits_shows_each_in_the_detail_pane(qtbot, tracker, make_window) -> None:  # noqa: ANN001
    a = tracker.add_habit(Habit("A"))
    tracker.add_habit(Habit("B"))
    tracker.check(a, TODAY)
    window = make_window(tracker)
    window.table.select_habit(tracker.find_habit("B").id)
    qtbot.waitUntil(lambda: window.detail.habit.name == "B")
    window.table.select_habit(a.id)
    qtbot.waitUntil(lambda: window.detail.habit.name == "A")
    assert window.detail.analysis.value_on(TODAY) == YES_MANUAL


def test_the_model_passes_qtmodeltester(qtmodeltester, tracker, ui_settings) -> None:  # noqa: ANN001
    from habitdesk.ui.habit_table import HabitTableModel, Row

    a = tracker.add_habit(Habit("A"))
    b = tracker.add_habit(Habit("B", kind=Kind.MEASURABLE, target_value=2))
    tracker.check(a, TODAY - 1, notes="n")
    tracker.check(b, TODAY, amount=3)
    summaries = tracker.summaries([a, b])
    model = HabitTableModel(TODAY, day_count=10)
    model.set_rows([Row(h, summaries[h.id], {TODAY - 1} if h is a else set()) for h in (a, b)], TODAY)
    qtmodeltester.check(model, force_py=True)
    assert model.index(0, model.column_of(TODAY - 1)).data(ValueRole) == YES_MANUAL
    assert model.index(0, model.column_of(TODAY)).data(ValueRole) == UNKNOWN
    model.set_day_count(20)
    model.set_sort_order(SortOrder.NAME)
    qtmodeltester.check(model, force_py=True)


def test_auto_values_survive_a_window_restart(qtbot, tracker, make_window) -> None:  # noqa: ANN001
    habit = tracker.add_habit(Habit("Swim", frequency=Frequency(1, 2)))
    tracker.check(habit, TODAY - 1)
    window = make_window(tracker)
    assert cell(window, 0, TODAY, ValueRole) == YES_AUTO
    QApplication.processEvents()


def test_settings_reach_the_database_the_table_and_the_theme(qtbot, tracker, ui_settings, make_window) -> None:  # noqa: ANN001
    from habitdesk.ui.settings_dialog import SettingsDialog
    from habitdesk.ui.theme import is_dark

    habit = tracker.add_habit(Habit("Walk"))
    window = make_window(tracker)
    window.settings_action.trigger()
    dialog = window.findChild(SettingsDialog)
    dialog.skips_check.setChecked(True)
    dialog.day_order_combo.setCurrentIndex(dialog.day_order_combo.findData("newest_last"))
    dialog.theme_combo.setCurrentIndex(dialog.theme_combo.findData("dark"))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    try:
        assert tracker.settings.skips_enabled is True
        assert ui_settings.value("table/day_order") == "newest_last"
        assert window.model.index(0, window.model.columnCount() - 1).data(DayRole) == TODAY
        assert is_dark(QApplication.palette())
        click_cell(qtbot, window, 0, TODAY)
        click_cell(qtbot, window, 0, TODAY)
        assert tracker.entry(habit, TODAY)[0] == SKIP  # skips are now in the cycle
    finally:
        from habitdesk.ui.theme import apply_theme

        apply_theme(QApplication.instance(), "light")


def test_undo_of_a_move_puts_the_habit_back(qtbot, tracker, make_window) -> None:  # noqa: ANN001
    for name in ("A", "B", "C"):
        tracker.add_habit(Habit(name))
    window = make_window(tracker)
    window.table.select_habit(tracker.find_habit("A").id)
    qtbot.keyClick(window, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert [h.name for h in tracker.habits()] == ["B", "A", "C"]
    assert window.undo_action.text() == "&Undo Move \u201cA\u201d"
    window.undo_action.trigger()
    assert [h.name for h in tracker.habits()] == ["A", "B", "C"]
    assert [window.model.index(r, 0).data() for r in range(3)] == ["A", "B", "C"]


def test_about_names_the_version_and_the_data_file(qtbot, tracker, make_window) -> None:  # noqa: ANN001
    from habitdesk import __version__

    window = make_window(tracker)
    window.about_action.trigger()
    box = message_box(window)
    assert __version__ in box.text()
    assert str(tracker.db_path) in box.informativeText()


def test_an_unexpected_error_is_logged_and_reported_once(qtbot, tracker, data_dir, make_window) -> None:  # noqa: ANN001
    import logging
    import sys

    from habitdesk.app import _report_bugs_to

    window = make_window(tracker)
    saved_hook, root = sys.excepthook, logging.getLogger()
    handlers = list(root.handlers)
    try:
        _report_bugs_to(window, data_dir)
        for _ in range(2):
            try:
                raise RuntimeError("boom in a slot")
            except RuntimeError:
                sys.excepthook(*sys.exc_info())
        box = message_box(window)  # one dialog, not two
        assert box.text() == "Something went wrong inside HabitDesk."
        assert str(data_dir / "habitdesk.log") in box.informativeText()
        assert "boom in a slot" in (data_dir / "habitdesk.log").read_text()
    finally:
        sys.excepthook = saved_hook
        for handler in root.handlers[:]:
            if handler not in handlers:
                root.removeHandler(handler)
                handler.close()


def test_a_new_day_moves_the_columns_on(qtbot, data_dir, ui_settings) -> None:  # noqa: ANN001
    tracker = Tracker(data_dir, today=TODAY)
    try:
        habit = tracker.add_habit(Habit("Walk"))
        tracker.check(habit, TODAY)
        window = MainWindow(tracker, ui_settings)
        qtbot.add_widget(window)
        window.show()
        qtbot.waitUntil(lambda: window.detail_ready)
        tracker._today_override = TODAY + 1  # noqa: SLF001 - midnight passes
        window.day_timer.timeout.emit()
        assert window.model.index(0, 1).data(DayRole) == TODAY + 1
        assert cell(window, 0, TODAY + 1) == "unknown"
        assert cell(window, 0, TODAY) == "manual"
        assert window.status.text() == "Today: 0 of 1 done"
    finally:
        tracker.close()


def test_a_closed_window_stops_listening(qtbot, tracker, ui_settings) -> None:  # noqa: ANN001
    import shiboken6

    window = MainWindow(tracker, ui_settings)
    window.close()
    shiboken6.delete(window)
    tracker.add_habit(Habit("After"))  # would raise if the deleted window still listened
    assert [h.name for h in tracker.habits()] == ["After"]


def test_dropping_a_dragged_habit_on_another_row_moves_it(qtbot, tracker, make_window) -> None:  # noqa: ANN001
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent

    for name in ("A", "B", "C", "D"):
        tracker.add_habit(Habit(name))
    window = make_window(tracker)
    view, model = window.table, window.model
    mime = model.mimeData([model.index(0, 0)])  # what dragging A's name carries
    target = view.visualRect(model.index(2, 0))  # the upper edge of C: drop between B and C
    pos = QPointF(target.center().x(), target.top() + 2)
    actions, buttons, mods = Qt.DropAction.MoveAction, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    for event in (QDragEnterEvent(pos.toPoint(), actions, mime, buttons, mods), QDragMoveEvent(pos.toPoint(), actions, mime, buttons, mods)):
        QApplication.sendEvent(view.viewport(), event)
    QApplication.sendEvent(view.viewport(), QDropEvent(pos, actions, mime, buttons, mods))
    assert [h.name for h in tracker.habits()] == ["B", "A", "C", "D"]
    assert [model.index(r, 0).data() for r in range(4)] == ["B", "A", "C", "D"]
    assert window.undo_action.text() == "&Undo Move \u201cA\u201d"


def test_settings_the_database_refuses_say_so_and_stay_as_they_were(qtbot, tracker, make_window) -> None:  # noqa: ANN001
    from habitdesk.ui.settings_dialog import SettingsDialog

    window = make_window(tracker)
    tracker.db.execute_sql("PRAGMA query_only = ON")  # the file has become read-only
    window.settings_action.trigger()
    dialog = window.findChild(SettingsDialog)
    dialog.first_weekday_combo.setCurrentIndex(6)  # Sunday
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    box = message_box(window)
    assert box.text() == "Could not save the settings."
    assert "read-only; nothing was changed" in box.informativeText()
    tracker.db.execute_sql("PRAGMA query_only = OFF")
    assert tracker.settings.first_weekday == 0


def test_the_file_menu_has_everything_once_the_window_has_painted(qtbot, tracker, make_window) -> None:  # noqa: ANN001
    window = make_window(tracker)
    texts = [a.text() if not a.isSeparator() else "-" for a in window.file_menu.actions()]
    assert texts == ["&New habit…", "&Import…", "&Export", "-", "&Back up now", "&Restore from backup…", "-",
                     "&Close window", "&Quit"]
    assert window.interchange is window.interchange  # built once


def test_a_new_days_first_paint_shows_yesterdays_figures_then_todays(qtbot, data_dir, ui_settings) -> None:  # noqa: ANN001
    """The first start of a day paints at once from yesterday's cache (today's cells empty) and
    brings every habit up to date right after the first paint, not before it."""
    yesterday_tracker = Tracker(data_dir, today=TODAY - 1)
    habit = yesterday_tracker.add_habit(Habit("Read"))
    yesterday_tracker.check(habit, TODAY - 1)
    yesterday_tracker.summaries(yesterday_tracker.habits())
    yesterday_tracker.close()

    tracker = Tracker(data_dir, today=TODAY)
    try:
        window = MainWindow(tracker, ui_settings)
        qtbot.add_widget(window)
        assert window.model.rows()[0].summary.through == TODAY - 1  # what the first paint shows
        assert window.model.rows()[0].value_on(TODAY) == UNKNOWN
        with qtbot.waitSignal(window.first_painted):
            window.show()
        assert window.model.rows()[0].summary.through == TODAY  # up to date right after it
        assert {row.through for row in tracker.repo.stats().values()} == {TODAY}
        window.remember = False
        window.close()
    finally:
        tracker.close()
