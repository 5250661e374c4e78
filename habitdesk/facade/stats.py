"""The per-habit statistics cache: kept current incrementally, rebuilt on demand."""

from __future__ import annotations

from collections.abc import Mapping

from habitdesk.core.habit import Habit
from habitdesk.core.status import Summary
from habitdesk.storage.repository import Repository

TYPE_CHECKING = False  # typing's import alone costs the CLI 4 ms of start-up
if TYPE_CHECKING:
    from habitdesk.core.analysis import Analysis, Anchor


# Bump when the engine's results change, so that caches written by an older
# HabitDesk are recomputed instead of shown.
ENGINE_VERSION = 1


class StatsCache:
    """Summaries per habit, stored in habit_stats and refreshed when stale.

    A habit with a long history keeps an anchor ANCHOR_DISTANCE days back;
    refreshing it then reads only the entries since (anchor - look-back), and
    falls back to the whole history when a change reached before the anchor.
    """

    def __init__(self, repo: Repository) -> None:
        self.repo = repo

    def check_engine_version(self, stored_settings: Mapping[str, object]) -> None:
        """Drop every cached figure if an engine of another version computed it."""
        if stored_settings.get("engine_version") != ENGINE_VERSION:
            with self.repo.transaction():
                self.repo.drop_stats()
                self.repo.put_setting("engine_version", ENGINE_VERSION)

    def summaries(self, habits: list[Habit], today: int, *, stale_ok: bool = False) -> dict[int, Summary]:
        """Current summaries for the habits, refreshing those not computed for today.

        ``stale_ok`` takes a summary computed for an earlier day as it is (its ``through``
        says which): the window's first paint on a new day, refreshed right after it.
        """
        cached = self.repo.stats(habits[0].id if len(habits) == 1 else None)
        result: dict[int, Summary] = {}
        stale = []
        for habit in habits:
            row = cached.get(habit.key)
            if row is not None and (row.through == today or (stale_ok and row.through < today)):
                result[habit.key] = row
            else:
                stale.append(habit)
        if stale:
            with self.repo.transaction():
                for habit in stale:
                    result[habit.key] = self.refresh(habit, today)
        return result

    def refresh(self, habit: Habit, today: int, changed_day: int | None = None) -> Summary:
        """Recompute and store one habit's summary; ``changed_day`` is an edited day."""
        from habitdesk.core.analysis import (
            ANCHOR_DISTANCE,
            ANCHOR_MAX_DISTANCE,
            StaleAnchor,
            analyse,
            lookback,
            summarize,
        )

        assert habit.id is not None
        anchor = self.repo.anchor(habit.id)
        back = lookback(habit)
        if anchor is not None and (
            (changed_day is not None and changed_day < anchor.day) or anchor.day > today
        ):
            anchor = None
        analysis = None
        if anchor is not None:
            try:
                analysis = analyse(habit, self.repo.entries(habit, since=anchor.day - back), today, anchor=anchor)
            except StaleAnchor:
                anchor = None
            else:
                if today - anchor.day > ANCHOR_MAX_DISTANCE:
                    anchor = analysis.anchor_at(today - ANCHOR_DISTANCE)
        if analysis is None:
            analysis = analyse(habit, self.repo.entries(habit), today, scores_from=_anchor_day(today) - 1)
            anchor = self._new_anchor(analysis)
        summary = summarize(analysis)
        self.repo.put_stats(habit.id, summary, anchor)
        return summary

    def rebuild(self, habits: list[Habit], today: int) -> dict[int, Summary]:
        """Recompute every habit from its whole history and store the results."""
        from habitdesk.core.analysis import analyse, summarize

        result: dict[int, Summary] = {}
        with self.repo.transaction():
            for habit in habits:
                analysis = analyse(habit, self.repo.entries(habit), today, scores_from=_anchor_day(today) - 1)
                summary = summarize(analysis)
                self.repo.put_stats(habit.key, summary, self._new_anchor(analysis))
                result[habit.key] = summary
        return result

    def analysis(self, habit: Habit, today: int) -> Analysis:
        """A full analysis (charts, exports): every day of the history."""
        from habitdesk.core.analysis import analyse

        return analyse(habit, self.repo.entries(habit), today)

    def invalidate(self, habit_id: int) -> None:
        """Forget a habit's cached figures (its definition changed)."""
        self.repo.drop_stats(habit_id)

    @staticmethod
    def _new_anchor(analysis: Analysis) -> Anchor | None:
        from habitdesk.core.analysis import lookback

        day = _anchor_day(analysis.today)
        if day - lookback(analysis.habit) <= analysis.start:
            return None  # a young habit: a full analysis is already cheap
        return analysis.anchor_at(day)


def _anchor_day(today: int) -> int:
    from habitdesk.core.analysis import ANCHOR_DISTANCE

    return today - ANCHOR_DISTANCE

