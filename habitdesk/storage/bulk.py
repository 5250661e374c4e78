"""Bulk copies of entries from another SQLite file, done by SQLite itself.

A Loop backup of ten years and 200 habits holds some 730,000 rows; moving them
through Python objects costs more than writing them. Attached, the source is
read and merged by one INSERT ... SELECT per habit.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from habitdesk.storage.connection import Database


@contextmanager
def attached(db: Database, path: Path, schema: str) -> Iterator[None]:
    """The file at ``path`` attached read-only as ``schema`` on this thread's connection.

    SQLite attaches only outside a transaction, so enter this before the import's transaction.
    """
    uri = f"{Path(path).resolve().as_uri()}?mode=ro&immutable=1"
    db.execute_sql(f"ATTACH DATABASE ? AS {schema}", (uri,))
    try:
        yield
    finally:
        db.execute_sql(f"DETACH DATABASE {schema}")


def merge_entries(db: Database, habit_id: int, select_sql: str, params: tuple) -> tuple[int, int, int]:
    """Upsert the (day, value, notes) rows ``select_sql`` gives into a habit's entries;
    returns (added, updated, unchanged). Unchanged rows are not written."""
    added, updated, total = db.execute_sql(
        f"SELECT coalesce(sum(e.day IS NULL), 0), "
        f"coalesce(sum(e.day IS NOT NULL AND (e.value != s.value OR e.notes != s.notes)), 0), count(*) "
        f"FROM ({select_sql}) AS s LEFT JOIN main.entry AS e ON e.habit_id = ? AND e.day = s.day",
        (*params, habit_id),
    ).fetchone()
    if added or updated:
        db.execute_sql(
            f"INSERT INTO main.entry (habit_id, day, value, notes) SELECT ?, day, value, notes FROM ({select_sql}) "
            "WHERE true ON CONFLICT (habit_id, day) DO UPDATE SET value = excluded.value, notes = excluded.notes "
            "WHERE value != excluded.value OR notes != excluded.notes",
            (habit_id, *params),
        )
    return added, updated, total - added - updated
