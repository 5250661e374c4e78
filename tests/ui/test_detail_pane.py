"""The detail pane shows the engine's figures: calendar marks, overview and charts."""

from __future__ import annotations

import subprocess
import sys

import pytest
from PySide6.QtCore import QEvent, QLocale, Qt
from PySide6.QtGui import QColor, QHelpEvent, QPalette
from PySide6.QtWidgets import QApplication, QToolTip

from habitdesk.core import days as d
from habitdesk.core import history as hist
from habitdesk.core.entries import NO, UNKNOWN, YES_MANUAL
from habitdesk.core.habit import Frequency, Habit, Kind, TargetType
from habitdesk.core.status import cell_state
from habitdesk.ui.detail_pane import DetailPane, signed_points
from tests.conftest import TODAY

# The offscreen platform says so whenever a top-level window is shown.
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints")


@pytest.fixture
def pane(qtbot, tracker) -> DetailPane:  # noqa: ANN001
    widget = DetailPane(tracker)
    qtbot.add_widget(widget)
    widget.resize(520, 900)
    widget.show()
    return widget


def gym(tracker) -> Habit:  # noqa: ANN001
    """Three times per week: three checks make the rest of the week automatic."""
    habit = tracker.add_habit(Habit("Gym", frequency=Frequency(3, 7), color=3))
    tracker.set_entry(habit, TODAY - 12, NO)
    tracker.skip(habit, TODAY - 10)
    for day in (TODAY - 6, TODAY - 5, TODAY - 4):
        tracker.check(habit, day)
    tracker.set_entry(habit, TODAY - 5, YES_MANUAL, notes="leg day")
    return habit


def click_day(qtbot, pane: DetailPane, day: int) -> None:  # noqa: ANN001
    calendar = pane.calendar
    rect = calendar.cell_rect(day)
    assert rect is not None
    index = calendar.view.indexAt(rect.center())
    assert calendar.view.model().data(index) == d.to_date(day).day  # the cell we meant
    qtbot.mouseClick(calendar.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


# -- placeholder and laziness ---------------------------------------------------------
def test_no_habit_shows_a_placeholder_and_no_charts(pane) -> None:  # noqa: ANN001
    pane.show_habit(None)
    assert pane.stack.currentWidget() is pane.placeholder
    assert pane.placeholder.isVisible()
    assert "Select a habit" in pane.placeholder.text()
    assert pane.score_chart is None  # pyqtgraph is only loaded for a habit


def test_back_to_no_habit_after_one(pane, tracker) -> None:  # noqa: ANN001
    pane.show_habit(gym(tracker))
    assert pane.scroll_area.isVisible()
    pane.show_habit(None)
    assert pane.placeholder.isVisible()
    assert pane.calendar.state_on(TODAY - 6) == "unknown"


def test_importing_the_pane_does_not_load_pyqtgraph() -> None:
    code = "import sys, habitdesk.ui.detail_pane; sys.exit('pyqtgraph' in sys.modules or 'numpy' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], timeout=60).returncode == 0


# -- calendar -------------------------------------------------------------------------
def test_calendar_marks_a_known_history(pane, tracker) -> None:  # noqa: ANN001
    habit = gym(tracker)
    pane.show_habit(habit)
    cal = pane.calendar
    assert cal.selectedDate().toString(Qt.DateFormat.ISODate) == d.iso(TODAY)
    expected = {
        TODAY - 12: "no", TODAY - 11: "unknown", TODAY - 10: "skip",
        TODAY - 6: "manual", TODAY - 5: "manual", TODAY - 4: "manual",
        TODAY - 3: "auto", TODAY - 1: "auto", TODAY: "auto",
    }
    assert {day: cal.state_on(day) for day in expected} == expected
    assert cal.has_note(TODAY - 5) and not cal.has_note(TODAY - 4)
    assert cal.note_on(TODAY - 5) == "leg day"  # the cell's tooltip
    assert cal.day_at(cal.cell_rect(TODAY - 5).center()) == TODAY - 5
    analysis = tracker.analysis(habit)
    first, last = cal.page_range()
    for day in range(first, last + 1):
        assert cal.state_on(day) == cell_state(habit, analysis.value_on(day))


@pytest.mark.qt_log_ignore(r"This plugin does not support (propagateSizeHints|raise)")  # the tooltip window
def test_hovering_a_day_with_a_note_shows_it(qtbot, pane, tracker) -> None:  # noqa: ANN001
    pane.show_habit(gym(tracker))
    viewport = pane.calendar.view.viewport()
    pos = pane.calendar.cell_rect(TODAY - 5).center()
    QApplication.sendEvent(viewport, QHelpEvent(QEvent.Type.ToolTip, pos, viewport.mapToGlobal(pos)))
    assert QToolTip.text() == "leg day"
    pos = pane.calendar.cell_rect(TODAY - 4).center()
    QApplication.sendEvent(viewport, QHelpEvent(QEvent.Type.ToolTip, pos, viewport.mapToGlobal(pos)))
    qtbot.wait_until(lambda: not QToolTip.isVisible())


def test_calendar_fills_another_month_when_turned_to(pane, tracker) -> None:  # noqa: ANN001
    habit = tracker.add_habit(Habit("Read"))
    long_ago = TODAY - 120
    tracker.check(habit, long_ago)
    pane.show_habit(habit)
    assert pane.calendar.state_on(long_ago) == "unknown"  # only the shown page is computed
    date = d.to_date(long_ago)
    pane.calendar.setCurrentPage(date.year, date.month)
    assert pane.calendar.state_on(long_ago) == "manual"


def test_measurable_days_show_met_missed_and_skip(pane, tracker) -> None:  # noqa: ANN001
    run = tracker.add_habit(Habit("Run", kind=Kind.MEASURABLE, target_value=5, unit="km"))
    tracker.check(run, TODAY - 1, amount=6)
    tracker.check(run, TODAY - 2, amount=3.5)
    tracker.skip(run, TODAY - 3)
    pane.show_habit(run)
    states = [pane.calendar.state_on(TODAY - i) for i in range(4)]
    assert states == ["unknown", "met", "missed", "skip"]
    assert pane.frequency_label.text() == "Every day, at least 5 km"


def test_cell_state_of_amounts() -> None:
    at_least = Habit("Run", kind=Kind.MEASURABLE, target_value=5)
    at_most = Habit("Coffee", kind=Kind.MEASURABLE, target_value=2, target_type=TargetType.AT_MOST)
    assert [cell_state(at_least, v) for v in (UNKNOWN, 3, 0, 4999, 5000, 9000)] == [
        "unknown", "skip", "missed", "missed", "met", "met"]
    assert [cell_state(at_most, v) for v in (UNKNOWN, 3, 0, 2000, 2001)] == [
        "unknown", "skip", "met", "met", "missed"]
    yes_no = Habit("Read")
    assert [cell_state(yes_no, v) for v in (-1, 0, 1, 2, 3)] == ["unknown", "no", "auto", "manual", "skip"]


def test_clicking_a_day_emits_it_and_writes_nothing(qtbot, pane, tracker) -> None:  # noqa: ANN001
    habit = gym(tracker)
    pane.show_habit(habit)
    before = tracker.analysis(habit).values_between(TODAY - 20, TODAY)
    with qtbot.wait_signal(pane.day_clicked, timeout=1000) as blocker:
        click_day(qtbot, pane, TODAY - 2)
    assert blocker.args == [TODAY - 2]
    assert tracker.analysis(habit).values_between(TODAY - 20, TODAY) == before


def test_future_days_do_not_emit(qtbot, pane, tracker) -> None:  # noqa: ANN001
    pane.show_habit(gym(tracker))
    with qtbot.assert_not_emitted(pane.day_clicked):
        click_day(qtbot, pane, TODAY + 1)
        click_day(qtbot, pane, TODAY + 3)
    assert pane.calendar.state_on(TODAY + 1) in ("auto", "unknown")


def test_enter_on_the_selected_day_emits_it(qtbot, pane, tracker) -> None:  # noqa: ANN001
    pane.show_habit(gym(tracker))
    pane.calendar.show_day(TODAY - 3)
    with qtbot.wait_signal(pane.day_clicked, timeout=1000) as blocker:
        qtbot.keyClick(pane.calendar.view, Qt.Key.Key_Return)
    assert blocker.args == [TODAY - 3]


def test_first_weekday_setting_reaches_the_calendar_and_grid(pane, tracker) -> None:  # noqa: ANN001
    tracker.set_setting("first_weekday", 6)
    habit = tracker.add_habit(Habit("Read"))
    tracker.check(habit, TODAY - 4)  # a Sunday
    pane.show_habit(habit)
    assert pane.calendar.firstDayOfWeek() == Qt.DayOfWeek.Sunday
    first, _ = pane.calendar.page_range()
    assert d.weekday(first) == d.SUNDAY
    click_rect = pane.calendar.cell_rect(TODAY - 4)
    assert click_rect is not None and click_rect.x() < pane.calendar.cell_rect(TODAY - 3).x()
    pane.tabs.setCurrentIndex(3)
    assert pane.weekday_grid.row_names[0] == QLocale().standaloneDayName(7, QLocale.FormatType.ShortFormat)
    assert pane.weekday_grid.value_at(d.month_start(TODAY), d.SUNDAY) == 1.0


# -- overview ---------------------------------------------------------------------------
def test_overview_shows_score_change_totals_and_streaks(pane, tracker) -> None:  # noqa: ANN001
    habit = tracker.add_habit(Habit("Meditate", question="Did you meditate?"))
    for day in range(TODAY - 45, TODAY - 40):
        tracker.check(habit, day)
    for day in range(TODAY - 9, TODAY + 1):
        tracker.check(habit, day)
    pane.show_habit(habit)
    o = hist.overview(tracker.analysis(habit))
    assert pane.name_label.text() == "Meditate"
    assert pane.question_label.text() == "Did you meditate?"
    assert pane.frequency_label.text() == "Every day"
    assert pane.score_stat.value.text() == f"{round(o.score * 100)}%"
    assert pane.month_stat.value.text() == signed_points(o.month_change)
    assert pane.month_stat.value.text().startswith("▲ +")
    assert pane.year_stat.value.text() == signed_points(o.score)  # a year ago it had not started
    assert pane.total_stat.value.text() == "15"
    assert pane.streak_stat.value.text() == "10 days"
    assert pane.best_stat.value.text() == "10 days"


def test_signed_points() -> None:
    assert [signed_points(c) for c in (0.051, -0.12, 0.001, 0.0)] == ["▲ +5 pp", "▼ −12 pp", "0 pp", "0 pp"]


def test_refresh_reads_a_new_entry(pane, tracker) -> None:  # noqa: ANN001
    habit = tracker.add_habit(Habit("Read"))
    pane.show_habit(habit)
    assert pane.total_stat.value.text() == "0"
    tracker.check(habit, TODAY - 1, notes="a good book")
    pane.refresh()
    assert pane.calendar.state_on(TODAY - 1) == "manual"
    assert pane.calendar.has_note(TODAY - 1)
    assert pane.total_stat.value.text() == "1"


# -- charts -------------------------------------------------------------------------------
def test_charts_hold_the_engines_figures(pane, tracker) -> None:  # noqa: ANN001
    habit = gym(tracker)
    for day in range(TODAY - 400, TODAY - 300, 2):
        tracker.check(habit, day)
    pane.show_habit(habit)
    analysis = tracker.analysis(habit)
    first_weekday = tracker.settings.first_weekday

    x, y = pane.score_chart.curve.getData()
    series = hist.score_series(analysis)
    assert list(y) == [s for _, s in series]
    assert [round(v / 86400) for v in x] == [day for day, _ in series]

    pane.tabs.setCurrentIndex(1)
    assert pane.history_chart.data() == [(day, float(n)) for day, n in hist.history(analysis, hist.Bucket.WEEK, first_weekday)]

    pane.tabs.setCurrentIndex(2)
    assert pane.streaks_chart.lengths() == [s.length for s in analysis.best]
    shown = [label for label in pane.streaks_chart.labels if label.isVisible()]
    assert len(shown) == len(analysis.best)
    newest = analysis.best[0]
    assert shown[0].toPlainText().startswith(f"{newest.length} days")

    pane.tabs.setCurrentIndex(3)
    grid = hist.weekday_grid(analysis)
    months = pane.weekday_grid.months
    assert len(months) == 12 and months[-1] == d.month_start(TODAY)
    for month in months:
        for weekday in range(7):
            assert pane.weekday_grid.value_at(month, weekday) == grid.get(month, [0.0] * 7)[weekday]


def test_a_bucket_change_recomputes_only_its_chart(pane, tracker, monkeypatch) -> None:  # noqa: ANN001
    habit = gym(tracker)
    pane.show_habit(habit)
    calls: list[str] = []
    real_history, real_scores = hist.history, hist.score_series
    monkeypatch.setattr(hist, "history", lambda *a: calls.append("history") or real_history(*a))
    monkeypatch.setattr(hist, "score_series", lambda *a: calls.append("score") or real_scores(*a))
    pane.history_bucket.setCurrentText("Month")
    assert calls == ["history"]
    analysis = pane.analysis
    assert pane.history_chart.data() == [(day, float(n)) for day, n in real_history(analysis, hist.Bucket.MONTH)]
    calls.clear()
    pane.score_bucket.setCurrentText("Quarter")
    assert calls == ["score"]
    assert list(pane.score_chart.curve.getData()[1]) == [s for _, s in real_scores(analysis, hist.Bucket.QUARTER)]


def test_hidden_charts_are_computed_when_their_tab_is_shown(pane, tracker, monkeypatch) -> None:  # noqa: ANN001
    first = gym(tracker)
    second = tracker.add_habit(Habit("Read"))
    tracker.check(second, TODAY - 2)
    calls: list[int] = []
    real = hist.weekday_grid
    monkeypatch.setattr(hist, "weekday_grid", lambda a: calls.append(a.habit.id) or real(a))
    pane.show_habit(first)
    assert calls == []  # the Score tab is shown
    pane.tabs.setCurrentIndex(3)
    assert calls == [first.id]
    pane.tabs.setCurrentIndex(0)
    pane.show_habit(second)
    pane.show_habit(first)
    assert calls == [first.id]
    pane.tabs.setCurrentIndex(3)
    pane.tabs.setCurrentIndex(0)
    pane.tabs.setCurrentIndex(3)
    assert calls == [first.id, first.id]  # once per habit shown, not per tab change
    pane.show_habit(second)  # the Weekdays tab is shown: at once
    assert calls == [first.id, first.id, second.id]
    assert pane.weekday_grid.value_at(d.month_start(TODAY), d.weekday(TODAY - 2)) == 1.0


def test_switching_habits_updates_the_same_plot_items(pane, tracker) -> None:  # noqa: ANN001
    first = gym(tracker)
    second = tracker.add_habit(Habit("Read", color=14))
    for day in range(TODAY - 30, TODAY + 1, 3):
        tracker.check(second, day)
    pane.show_habit(first)
    pane.update_all_charts()
    items = [pane.score_chart.curve, pane.history_chart.bars, pane.streaks_chart.bars, pane.weekday_grid.scatter]
    charts = [pane.score_chart, pane.history_chart, pane.streaks_chart, pane.weekday_grid]
    pane.show_habit(second)
    pane.update_all_charts()
    assert [pane.score_chart.curve, pane.history_chart.bars, pane.streaks_chart.bars, pane.weekday_grid.scatter] == items
    assert all(a is b for a, b in zip(items, [pane.score_chart.curve, pane.history_chart.bars,
                                              pane.streaks_chart.bars, pane.weekday_grid.scatter], strict=True))
    assert [pane.score_chart, pane.history_chart, pane.streaks_chart, pane.weekday_grid] == charts
    analysis = tracker.analysis(second)
    assert list(pane.score_chart.curve.getData()[1]) == [s for _, s in hist.score_series(analysis)]
    assert pane.streaks_chart.lengths() == [s.length for s in analysis.best]
    assert pane.score_chart.curve.opts["pen"].color() == QColor(second.color_hex)
    assert pane.name_label.text() == "Read"
    assert pane.calendar.state_on(TODAY - 30) == "manual"


def test_charts_follow_a_palette_change(pane, tracker) -> None:  # noqa: ANN001
    pane.show_habit(gym(tracker))
    pane.update_all_charts()
    dark = QPalette(pane.palette())
    dark.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
    dark.setColor(QPalette.ColorRole.Window, QColor("#2b2b2b"))
    dark.setColor(QPalette.ColorRole.Text, QColor("#e6e6e6"))
    dark.setColor(QPalette.ColorRole.WindowText, QColor("#e6e6e6"))
    pane.setPalette(dark)
    for chart in (pane.score_chart, pane.history_chart, pane.streaks_chart, pane.weekday_grid):
        assert chart.plot.backgroundBrush().color() == QColor("#1e1e1e")
        assert chart.plot.getAxis("left").textPen().color() == QColor("#e6e6e6")
    assert pane.streaks_chart.labels[0].color == QColor("#e6e6e6")
    assert pane.calendar.view.palette().color(QPalette.ColorRole.Text) == QColor("#e6e6e6")
