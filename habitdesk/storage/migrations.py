"""Numbered schema migrations. Each runs in one transaction with its user_version.

Migrations are plain SQL so that they stay fixed while the models evolve. Never
edit a released migration: add the next number instead.
"""

from __future__ import annotations

from collections.abc import Callable

Executor = Callable[[str], object]


def _v1_initial(sql: Executor) -> None:
    sql(
        """CREATE TABLE habit (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            question TEXT NOT NULL DEFAULT '',
            description TEXT NOT NULL DEFAULT '',
            kind INTEGER NOT NULL DEFAULT 0,
            unit TEXT NOT NULL DEFAULT '',
            target_value REAL NOT NULL DEFAULT 0,
            target_type INTEGER NOT NULL DEFAULT 0,
            freq_num INTEGER NOT NULL DEFAULT 1,
            freq_den INTEGER NOT NULL DEFAULT 1,
            weekdays INTEGER NOT NULL DEFAULT 0,
            color INTEGER NOT NULL DEFAULT 8,
            position INTEGER NOT NULL DEFAULT 0,
            archived INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL DEFAULT '',
            updated_at TEXT NOT NULL DEFAULT ''
        )"""
    )
    sql("CREATE INDEX habit_position ON habit (position)")
    # day: days since 1970-01-01 (the engine's day numbers); one row per habit and day.
    sql(
        """CREATE TABLE entry (
            habit_id INTEGER NOT NULL REFERENCES habit (id) ON DELETE CASCADE,
            day INTEGER NOT NULL,
            value INTEGER NOT NULL,
            notes TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (habit_id, day)
        ) WITHOUT ROWID"""
    )
    # minute: minutes after local midnight; weekdays: bit 0 = Monday.
    sql(
        """CREATE TABLE reminder (
            id INTEGER PRIMARY KEY,
            habit_id INTEGER NOT NULL REFERENCES habit (id) ON DELETE CASCADE,
            minute INTEGER NOT NULL,
            weekdays INTEGER NOT NULL DEFAULT 127,
            enabled INTEGER NOT NULL DEFAULT 1,
            UNIQUE (habit_id, minute)
        )"""
    )
    sql("CREATE TABLE setting (key TEXT PRIMARY KEY, value TEXT NOT NULL)")


def _v2_stats_cache(sql: Executor) -> None:
    # Per-habit statistics as of day `through`, so start-up reads 200 rows instead
    # of ten years of entries. `anchor` (JSON) lets a change recompute only recent days.
    sql(
        """CREATE TABLE habit_stats (
            habit_id INTEGER PRIMARY KEY REFERENCES habit (id) ON DELETE CASCADE,
            through INTEGER NOT NULL,
            score REAL NOT NULL,
            streak INTEGER NOT NULL,
            best_streak INTEGER NOT NULL,
            total INTEGER NOT NULL,
            today_value INTEGER NOT NULL,
            window_sum INTEGER NOT NULL,
            anchor TEXT
        )"""
    )


def _v3_recent_days(sql: Executor) -> None:
    # The habit table shows the last RECENT_DAYS computed values of every habit;
    # caching them keeps the first paint from reading any history. Old rows lack
    # them, so they are recomputed.
    sql("ALTER TABLE habit_stats ADD COLUMN recent TEXT NOT NULL DEFAULT ''")
    sql("DELETE FROM habit_stats")


MIGRATIONS: tuple[Callable[[Executor], None], ...] = (_v1_initial, _v2_stats_cache, _v3_recent_days)
LATEST = len(MIGRATIONS)
