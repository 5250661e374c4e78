"""The detail pane: one habit's header, overview, calendar and charts.

It reads through the facade (``tracker.analysis``, ``tracker.notes``) and the
pure history functions, and never writes: a click on a calendar day is
forwarded as ``day_clicked`` for the main window to turn into an undoable
command. The charts module (pyqtgraph) is imported the first time a habit is
shown, so start-up never pays for it. Switching habits only feeds the existing
plot items, and only the chart of the shown tab: the others catch up when their
tab is shown (or on update_all_charts()).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QStackedLayout,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from habitdesk.core import days as d
from habitdesk.core import history as hist
from habitdesk.core.habit import Habit
from habitdesk.ui.calendar import HabitCalendar
from habitdesk.ui.colors import standing_out

TYPE_CHECKING = False
if TYPE_CHECKING:
    from habitdesk.core.analysis import Analysis
    from habitdesk.ui import charts

SCORE_BUCKETS = (hist.Bucket.DAY, hist.Bucket.WEEK, hist.Bucket.MONTH, hist.Bucket.QUARTER, hist.Bucket.YEAR)
HISTORY_BUCKETS = (hist.Bucket.WEEK, hist.Bucket.MONTH, hist.Bucket.QUARTER, hist.Bucket.YEAR)
PLACEHOLDER = "Select a habit to see its calendar, score and streaks."


def signed_points(change: float) -> str:
    """A score change (fractions) as signed percentage points: '▲ +5 pp', '▼ −3 pp', '0 pp'."""
    points = round(change * 100)
    if points > 0:
        return f"▲ +{points} pp"
    if points < 0:
        return f"▼ −{-points} pp"
    return "0 pp"


def days_text(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


class _Stat(QWidget):
    """A big figure over a small caption."""

    def __init__(self, caption: str) -> None:
        super().__init__()
        self.value = QLabel("–")
        font = QFont(self.value.font())
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.value.setFont(font)
        self.caption = QLabel(caption)
        self.caption.setEnabled(False)  # the palette's muted text
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        for label in (self.value, self.caption):
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            layout.addWidget(label)


class DetailPane(QWidget):
    """Everything about the selected habit; ``show_habit(None)`` shows a placeholder.

    Signals:
        day_clicked(int)
    """

    day_clicked = Signal(int)

    def __init__(self, tracker, parent: QWidget | None = None) -> None:  # noqa: ANN001 - the facade's Tracker
        super().__init__(parent)
        self.tracker = tracker
        self.habit: Habit | None = None
        self.analysis: Analysis | None = None
        self.notes: dict[int, str] = {}
        self.score_chart: charts.ScoreChart | None = None
        self.history_chart: charts.HistoryChart | None = None
        self.streaks_chart: charts.StreaksChart | None = None
        self.weekday_grid: charts.WeekdayGrid | None = None
        self._stale: set[int] = set()  # tabs whose chart shows older figures

        self.placeholder = QLabel(PLACEHOLDER)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.placeholder.setEnabled(False)

        self.name_label = QLabel()
        font = QFont(self.name_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.name_label.setFont(font)
        self.name_label.setWordWrap(True)
        self.question_label = QLabel()
        self.question_label.setWordWrap(True)
        self.frequency_label = QLabel()
        self.frequency_label.setEnabled(False)

        self.score_stat = _Stat("score")
        self.month_stat = _Stat("vs 30 days ago")
        self.year_stat = _Stat("vs 365 days ago")
        self.total_stat = _Stat("completions")
        self.streak_stat = _Stat("current streak")
        self.best_stat = _Stat("best streak")
        overview = QGridLayout()
        overview.setContentsMargins(0, 6, 0, 6)
        overview.setVerticalSpacing(8)
        stats = (self.score_stat, self.month_stat, self.year_stat, self.total_stat, self.streak_stat, self.best_stat)
        for i, stat in enumerate(stats):
            overview.addWidget(stat, i // 3, i % 3)

        self.calendar = HabitCalendar()
        self.calendar.set_today(tracker.today())
        self.calendar.set_first_weekday(tracker.settings.first_weekday)
        self.calendar.show_day(tracker.today())
        self.calendar.setMinimumHeight(230)
        self.calendar.currentPageChanged.connect(self._fill_calendar)
        self.calendar.day_clicked.connect(self.day_clicked)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.currentChanged.connect(self._update_shown_chart)
        self.score_bucket = self._combo(SCORE_BUCKETS, self._update_score)
        self.history_bucket = self._combo(HISTORY_BUCKETS, self._update_history)
        self.history_bucket.blockSignals(True)
        self.history_bucket.setCurrentIndex(0)  # weeks
        self.history_bucket.blockSignals(False)

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addWidget(self.name_label)
        layout.addWidget(self.question_label)
        layout.addWidget(self.frequency_label)
        layout.addLayout(overview)
        layout.addWidget(self.calendar, 2)
        layout.addWidget(self.tabs, 3)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll_area.setWidget(content)

        self.stack = QStackedLayout(self)
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(self.scroll_area)

    @staticmethod
    def _combo(buckets: tuple[hist.Bucket, ...], slot) -> QComboBox:  # noqa: ANN001
        combo = QComboBox()
        for bucket in buckets:
            combo.addItem(bucket.value.capitalize())
        combo.currentIndexChanged.connect(slot)
        return combo

    # -- public -------------------------------------------------------------------
    def show_habit(self, habit: Habit | None) -> None:
        """Show a habit (or, for None, the placeholder)."""
        self.habit = habit
        if habit is None:
            self.analysis = None
            self.notes = {}
            self.calendar.set_days(None, {}, frozenset(), self.tracker.today())
            self.stack.setCurrentWidget(self.placeholder)
            return
        self._ensure_charts()
        self.refresh()
        self.stack.setCurrentWidget(self.scroll_area)

    def refresh(self) -> None:
        """Re-read the current habit's figures (after an entry or a setting changed)."""
        habit = self.habit
        if habit is None:
            return
        self.analysis = self.tracker.analysis(habit)
        self.notes = self.tracker.notes(habit)
        self.calendar.set_first_weekday(self.tracker.settings.first_weekday)
        self._update_header()
        self._update_overview()
        self._fill_calendar()
        self._stale = set(range(self.tabs.count()))
        self._update_shown_chart()

    def update_all_charts(self) -> None:
        """Bring the charts of hidden tabs up to date too (they otherwise wait to be shown)."""
        for index in range(self.tabs.count()):
            self._update_chart(index)

    # -- parts ----------------------------------------------------------------------
    def _ensure_charts(self) -> None:
        if self.score_chart is not None:
            return
        from habitdesk.ui import charts

        self.score_chart = charts.ScoreChart()
        self.history_chart = charts.HistoryChart()
        self.streaks_chart = charts.StreaksChart()
        self.weekday_grid = charts.WeekdayGrid()
        self.tabs.addTab(self._with_combo(self.score_chart, self.score_bucket), "Score")
        self.tabs.addTab(self._with_combo(self.history_chart, self.history_bucket), "History")
        self.tabs.addTab(self.streaks_chart, "Best streaks")
        self.tabs.addTab(self.weekday_grid, "Weekdays")

    @staticmethod
    def _with_combo(chart: QWidget, combo: QComboBox) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 4, 0, 0)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(combo)
        layout.addLayout(row)
        layout.addWidget(chart, 1)
        return page

    def _update_header(self) -> None:
        habit = self.habit
        assert habit is not None
        self.name_label.setText(habit.name)
        palette = self.palette()
        color = standing_out(QColor(habit.color_hex), palette.color(QPalette.ColorRole.Window), 3.0)
        self.name_label.setStyleSheet(f"color: {color.name()}")
        self.question_label.setText(habit.question)
        self.question_label.setVisible(bool(habit.question))
        self.frequency_label.setText(self._frequency_text(habit))

    @staticmethod
    def _frequency_text(habit: Habit) -> str:
        label = habit.frequency.label()
        label = label[0].upper() + label[1:]
        return f"{label}, {habit.target_text()}" if habit.is_measurable else label

    def _update_overview(self) -> None:
        analysis = self.analysis
        assert analysis is not None
        o = hist.overview(analysis)
        current = analysis.current
        best = max((s.length for s in analysis.best), default=0)
        self.score_stat.value.setText(f"{round(o.score * 100)}%")
        self.month_stat.value.setText(signed_points(o.month_change))
        self.year_stat.value.setText(signed_points(o.year_change))
        self.total_stat.value.setText(str(o.total))
        self.streak_stat.value.setText(days_text(current.length if current else 0))
        self.best_stat.value.setText(days_text(best))

    def _fill_calendar(self, *_: int) -> None:
        """Give the calendar the values of the page it shows (from the cached analysis)."""
        if self.analysis is None:
            return
        first, last = self.calendar.page_range()
        values = dict(zip(range(first, last + 1), self.analysis.values_between(first, last), strict=True))
        self.calendar.set_days(self.habit, values, self.notes, self.analysis.today)

    def _update_shown_chart(self, *_: int) -> None:
        self._update_chart(self.tabs.currentIndex())

    def _update_chart(self, index: int) -> None:
        """Recompute a tab's chart if it shows older figures (only the shown one is kept current)."""
        if index in self._stale and self.analysis is not None:
            (self._update_score, self._update_history, self._update_streaks, self._update_grid)[index]()

    def _update_score(self, *_: int) -> None:
        if self.analysis is None or self.score_chart is None:
            return
        self._stale.discard(0)
        bucket = SCORE_BUCKETS[self.score_bucket.currentIndex()]
        series = hist.score_series(self.analysis, bucket, self.tracker.settings.first_weekday)
        self.score_chart.set_series(series, self.analysis.habit.color_hex, bucket)

    def _update_history(self, *_: int) -> None:
        if self.analysis is None or self.history_chart is None:
            return
        self._stale.discard(1)
        bucket = HISTORY_BUCKETS[self.history_bucket.currentIndex()]
        bars = hist.history(self.analysis, bucket, self.tracker.settings.first_weekday)
        self.history_chart.set_bars(bars, self.analysis.habit.color_hex, bucket)

    def _update_streaks(self) -> None:
        assert self.analysis is not None and self.streaks_chart is not None
        self._stale.discard(2)
        self.streaks_chart.set_streaks(self.analysis.best, self.analysis.habit.color_hex)

    def _update_grid(self) -> None:
        assert self.analysis is not None and self.weekday_grid is not None
        self._stale.discard(3)
        self.weekday_grid.set_grid(
            hist.weekday_grid(self.analysis), self.analysis.habit.color_hex,
            self.tracker.settings.first_weekday, d.month_start(self.analysis.today),
        )

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self.habit is not None:
            self._update_header()
