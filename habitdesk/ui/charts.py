"""pyqtgraph charts of one habit: score, history, best streaks and the weekday grid.

Imported lazily (pyqtgraph and numpy cost ~150 ms): nothing imports this module
at start-up. Each chart wraps a PlotWidget, creates its plot items once and
updates them with setData/setOpts. Colours follow the widget's palette, and
follow it again when the palette changes (a theme switch at runtime).
"""

from __future__ import annotations

import datetime as dt
import math
import os
from collections.abc import Sequence
from typing import Protocol

os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

import numpy as np  # noqa: E402
import pyqtgraph as pg  # noqa: E402
from PySide6.QtCore import QDate, QEvent, QLocale, QSize  # noqa: E402 - PySide6 before pyqtgraph
from PySide6.QtGui import QBrush, QColor, QPalette  # noqa: E402
from PySide6.QtWidgets import QVBoxLayout, QWidget  # noqa: E402

from habitdesk.core import days as d  # noqa: E402
from habitdesk.core.history import Bucket  # noqa: E402

DAY_SECONDS = 86_400
# Days shown at first (the rest is a drag or a wheel turn away).
SCORE_SPAN = {Bucket.DAY: 120, Bucket.WEEK: 730, Bucket.MONTH: 1826, Bucket.QUARTER: 3652, Bucket.YEAR: 36_525}
HISTORY_BARS = {Bucket.DAY: 30, Bucket.WEEK: 20, Bucket.MONTH: 18, Bucket.QUARTER: 16, Bucket.YEAR: 12}
GRID_MONTHS = 12
GRID_DOT = 22  # px, the biggest dot of the weekday grid
GRID_LEVELS = 5  # dot sizes (and shades) besides the empty cell


class StreakLike(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...

    @property
    def length(self) -> int: ...


def bucket_end(bucket: Bucket, start: int) -> int:
    """The first day of the bucket after the one starting on ``start``."""
    if bucket is Bucket.DAY:
        return start + 1
    if bucket is Bucket.WEEK:
        return start + 7
    date = d.to_date(start)
    months = {Bucket.MONTH: 1, Bucket.QUARTER: 3, Bucket.YEAR: 12}[bucket]
    month = date.month - 1 + months
    return d.from_date(dt.date(date.year + month // 12, month % 12 + 1, 1))


def short_date(day: int) -> str:
    date = d.to_date(day)
    return QLocale().toString(QDate(date.year, date.month, date.day), "d MMM yyyy")


class _Chart(QWidget):
    """A PlotWidget without menus, coloured from the palette."""

    def __init__(self, parent: QWidget | None = None, *, date_axis: bool = False) -> None:
        super().__init__(parent)
        axes = {"bottom": pg.DateAxisItem(utcOffset=0)} if date_axis else None
        self.plot = pg.PlotWidget(axisItems=axes)
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.setMinimumHeight(190)
        self.view: pg.ViewBox = self.plot.getPlotItem().getViewBox()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)
        self.color = QColor("#00897B")

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(360, 230)

    def text_color(self) -> QColor:
        return self.palette().color(QPalette.ColorRole.Text)

    def faint_color(self, alpha: int = 90) -> QColor:
        color = QColor(self.text_color())
        color.setAlpha(alpha)
        return color

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.apply_palette()

    def apply_palette(self) -> None:
        """Background, axes and texts from the current palette."""
        self.plot.setBackground(self.palette().color(QPalette.ColorRole.Base))
        for name in ("left", "bottom"):
            axis = self.plot.getAxis(name)
            axis.setPen(self.faint_color(140))
            axis.setTextPen(self.text_color())
        self.recolor()

    def recolor(self) -> None:
        """Re-apply colours that depend on the palette (subclasses)."""


class ScoreChart(_Chart):
    """The habit's score (0..1, shown as a percentage) over time."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, date_axis=True)
        self.plot.setMouseEnabled(x=True, y=False)
        self.plot.showGrid(x=False, y=True, alpha=0.25)
        left = self.plot.getAxis("left")
        left.setTicks([[(v / 4, f"{25 * v}%") for v in range(5)]])
        left.setWidth(self.fontMetrics().horizontalAdvance("100%") + 14)  # room for the widest label
        self.plot.setYRange(-0.03, 1.06, padding=0)
        self.curve = pg.PlotDataItem(antialias=True, fillLevel=0)
        self.plot.addItem(self.curve)
        self.apply_palette()

    def set_series(self, points: Sequence[tuple[int, float]], color: str, bucket: Bucket = Bucket.DAY) -> None:
        """(day, score) oldest first."""
        self.color = QColor(color)
        x = np.fromiter((day for day, _ in points), dtype=float, count=len(points)) * DAY_SECONDS
        y = np.fromiter((score for _, score in points), dtype=float, count=len(points))
        fill = QColor(self.color)
        fill.setAlpha(50)
        self.curve.setData(x, y, pen=pg.mkPen(self.color, width=2), fillBrush=fill)
        if len(points):
            first, last = points[0][0], bucket_end(bucket, points[-1][0])
            self.view.setLimits(xMin=(first - 3) * DAY_SECONDS, xMax=(last + 3) * DAY_SECONDS, minXRange=14 * DAY_SECONDS)
            begin = max(first, last - SCORE_SPAN[bucket])
            self.plot.setXRange(begin * DAY_SECONDS, last * DAY_SECONDS, padding=0.02)


class HistoryChart(_Chart):
    """Completions (or amounts) per week, month, quarter or year, as bars."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, date_axis=True)
        self.plot.setMouseEnabled(x=True, y=False)
        self.plot.showGrid(x=False, y=True, alpha=0.25)
        self.view.setAutoVisible(y=True)
        self.view.enableAutoRange(axis="y")
        self.bars = pg.BarGraphItem(x0=[], width=[], height=[], pen=pg.mkPen(None), brush=self.color)
        self.plot.addItem(self.bars)
        self.apply_palette()

    def set_bars(self, bars: Sequence[tuple[int, float]], color: str, bucket: Bucket) -> None:
        """(bucket start, total), in any order; each bar starts on its bucket's first day."""
        self.color = QColor(color)
        starts = np.array([start for start, _ in bars], dtype=float)
        lengths = np.array([bucket_end(bucket, start) - start for start, _ in bars], dtype=float)
        heights = np.array([total for _, total in bars], dtype=float)
        self.bars.setOpts(
            x0=starts * DAY_SECONDS, width=lengths * 0.8 * DAY_SECONDS, height=heights, brush=self.color
        )
        if len(bars):
            ordered = np.sort(starts)
            first, last = int(ordered[0]), bucket_end(bucket, int(ordered[-1]))
            self.view.setLimits(xMin=(first - 3) * DAY_SECONDS, xMax=(last + 3) * DAY_SECONDS, minXRange=14 * DAY_SECONDS)
            begin = int(ordered[-min(len(ordered), HISTORY_BARS[bucket])])
            gap = 0.1 * (bucket_end(bucket, begin) - begin)  # half the space between two bars
            self.plot.setXRange((begin - gap) * DAY_SECONDS, (last + gap) * DAY_SECONDS, padding=0)

    def data(self) -> list[tuple[int, float]]:
        """(bucket start, total) as the bars hold them."""
        x0 = self.bars.opts["x0"]
        return [(round(x / DAY_SECONDS), float(h)) for x, h in zip(x0, self.bars.opts["height"], strict=True)]


class StreaksChart(_Chart):
    """The best streaks, newest at the top; the longest bar is the widest."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot.hideAxis("left")
        self.plot.hideAxis("bottom")
        self.view.invertY(True)
        self.bars = pg.BarGraphItem(x0=[], y=[], width=[], height=0.64, pen=pg.mkPen(None), brush=self.color)
        self.plot.addItem(self.bars)
        self.labels: list[pg.TextItem] = []
        self.empty = pg.TextItem("No streaks yet", anchor=(0.5, 0.5))
        self.empty.setPos(0.5, 0)
        self.plot.addItem(self.empty)
        self._streaks: list[tuple[int, int, int]] = []
        self.apply_palette()

    def set_streaks(self, streaks: Sequence[StreakLike], color: str) -> None:
        self.color = QColor(color)
        self._streaks = [(s.start, s.end, s.length) for s in streaks]
        lengths = [length for _, _, length in self._streaks]
        longest = max(lengths, default=1)
        brushes = []
        for length in lengths:
            shade = QColor(self.color)
            shade.setAlpha(110 + round(145 * length / longest))
            brushes.append(QBrush(shade))
        self.bars.setOpts(x0=np.zeros(len(lengths)), y=np.arange(len(lengths), dtype=float),
                          width=np.array(lengths, dtype=float), brushes=brushes)
        while len(self.labels) < len(self._streaks):
            label = pg.TextItem(anchor=(0, 0.5), color=self.text_color())
            self.plot.addItem(label)
            self.labels.append(label)
        for i, label in enumerate(self.labels):
            if i < len(self._streaks):
                start, end, length = self._streaks[i]
                label.setText(f"{length} {'day' if length == 1 else 'days'}   {short_date(start)} – {short_date(end)}")
                label.setPos(length + longest * 0.03, i)
            label.setVisible(i < len(self._streaks))
        self.empty.setVisible(not self._streaks)
        rows = max(len(self._streaks), 5)
        if self._streaks:
            self.plot.setXRange(-longest * 0.02, longest * 2.1, padding=0)
        else:
            self.plot.setXRange(0, 1, padding=0)
        self.plot.setYRange(-0.5, rows - 0.5, padding=0.02)

    def lengths(self) -> list[int]:
        """The bar widths: the streaks' lengths, newest first."""
        return [round(w) for w in self.bars.opts["width"]]

    def recolor(self) -> None:
        for label in [*self.labels, self.empty]:
            label.setColor(self.text_color())


class WeekdayGrid(_Chart):
    """Month x weekday: a dot per cell, bigger and stronger for more completions."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view.invertY(True)
        self.scatter = pg.ScatterPlotItem(pxMode=True, pen=pg.mkPen(None), antialias=True)
        self.scatter.setData(  # the 12 x 7 dots, created once
            x=np.repeat(np.arange(GRID_MONTHS, dtype=float), 7), y=np.tile(np.arange(7, dtype=float), GRID_MONTHS),
            size=4, data=[0.0] * (GRID_MONTHS * 7),
        )
        self.plot.addItem(self.scatter)
        self.months: list[int] = []  # the columns' month starts, oldest first
        self.row_names: list[str] = []  # the rows' weekday names, top first
        self.first_weekday = d.MONDAY
        self._args: tuple | None = None
        self.plot.setXRange(-0.6, GRID_MONTHS - 0.4, padding=0)
        self.plot.setYRange(-0.6, 6.6, padding=0)
        self.apply_palette()

    def set_grid(
        self, grid: dict[int, list[float]], color: str, first_weekday: int = d.MONDAY, last_month: int | None = None
    ) -> None:
        """grid: month start -> seven totals, Monday first. Shows the 12 months up to ``last_month``
        (by default the newest month in ``grid``)."""
        self._args = (grid, color, first_weekday, last_month)
        self.color = QColor(color)
        self.first_weekday = first_weekday
        newest = last_month if last_month is not None else max(grid, default=d.month_start(d.from_date(dt.date.today())))
        months = [d.month_start(newest)]
        while len(months) < GRID_MONTHS:
            months.append(d.month_start(months[-1] - 1))
        self.months = months[::-1]
        values = [grid.get(m, [0.0] * 7)[(first_weekday + row) % 7] for m in self.months for row in range(7)]
        top = max(values, default=0) or 1
        zero = QBrush(self.faint_color(70))
        # A few levels only: every (size, brush) pair is a symbol pyqtgraph renders and keeps.
        shades = [QColor(self.color) for _ in range(GRID_LEVELS)]
        for level, shade in enumerate(shades, start=1):
            shade.setAlpha(90 + 165 * level // GRID_LEVELS)
        brushes = [QBrush(shade) for shade in shades]
        sizes, cell_brushes = [], []
        for value in values:
            level = math.ceil(GRID_LEVELS * value / top) if value > 0 else 0
            sizes.append(6 + (GRID_DOT - 6) * level / GRID_LEVELS if level else 4)
            cell_brushes.append(brushes[level - 1] if level else zero)
        self.scatter.setPointData(values)
        self.scatter.setBrush(cell_brushes, update=False)
        self.scatter.setSize(sizes)
        locale = QLocale()
        self.plot.getAxis("bottom").setTicks([[
            (i, locale.standaloneMonthName(d.to_date(m).month, QLocale.FormatType.ShortFormat))
            for i, m in enumerate(self.months)
        ]])
        self.row_names = [
            locale.standaloneDayName((first_weekday + row) % 7 + 1, QLocale.FormatType.ShortFormat) for row in range(7)
        ]
        self.plot.getAxis("left").setTicks([list(enumerate(self.row_names))])

    def value_at(self, month: int, weekday: int) -> float:
        """The total the grid shows for a month start and a weekday (0 = Monday)."""
        col = self.months.index(month)
        row = (weekday - self.first_weekday) % 7
        return float(self.scatter.data["data"][col * 7 + row])

    def recolor(self) -> None:
        if self._args is not None:
            self.set_grid(*self._args)
