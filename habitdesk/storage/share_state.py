"""The shared history's tables (migration 8): the clock, each day's stamp, each account's objects.

Triggers stamp every local change once sharing has started; this module starts it,
reads the stamps and writes those another computer made.
"""

from __future__ import annotations

from collections.abc import Iterable

from habitdesk.core.entries import UNKNOWN
from habitdesk.storage.connection import Database

HABIT_DAY = -1  # the stamp of a habit's definition (its fields and reminders)


def stamp_text(ms: int, node: str) -> str:
    """A stamp: sorts by time, then by computer."""
    return f"{ms:015d}-{node}"


def stamp_ms(stamp: str) -> int:
    head = stamp.split("-", 1)[0]
    return int(head) if head.isdigit() else 0


class ShareState:
    def __init__(self, database: Database) -> None:
        self.db = database

    def _sql(self, sql: str, params: Iterable = ()):  # noqa: ANN202 - a cursor
        return self.db.execute_sql(sql, params)

    # -- the clock ------------------------------------------------------------------
    def node(self) -> str | None:
        """This computer's id in stamps; None until sharing has started."""
        row = self._sql("SELECT node FROM share_clock").fetchone()
        return None if row is None else str(row[0])

    def start(self, node: str) -> None:
        """Start stamping changes. What is here already gets the oldest stamp there is,
        so that on a day both computers know, the other computer's value wins."""
        self._sql("INSERT INTO share_clock (only, ms, node, seq, applying) VALUES (1, 0, ?, 1, 0)", (node,))
        oldest = stamp_text(0, node)
        self._sql("INSERT OR IGNORE INTO share_stamp (habit_uuid, day, stamp, prev, seq) SELECT uuid, ?, ?, '', 1 FROM habit",
                  (HABIT_DAY, oldest))
        self._sql("INSERT OR IGNORE INTO share_stamp (habit_uuid, day, stamp, prev, seq) "
                  "SELECT h.uuid, e.day, ?, '', 1 FROM entry e JOIN habit h ON h.id = e.habit_id", (oldest,))

    def applying(self, on: bool) -> None:
        """While on, local writes are another computer's: the triggers leave them unstamped."""
        self._sql("UPDATE share_clock SET applying = ?", (int(on),))

    def observe(self, stamp: str) -> None:
        """A stamp seen from elsewhere: every later local change is stamped after it."""
        self._sql("UPDATE share_clock SET ms = MAX(ms, ?)", (stamp_ms(stamp) + 1,))

    def local_stamp(self) -> str:
        """A new stamp for a change made here now (a merged note)."""
        self._sql("UPDATE share_clock SET ms = MAX(ms, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)), "
                  "seq = seq + 1")
        ms, node = self._sql("SELECT ms, node FROM share_clock").fetchone()
        return stamp_text(ms, node)

    def seq(self) -> int:
        row = self._sql("SELECT seq FROM share_clock").fetchone()
        return 0 if row is None else int(row[0])

    # -- stamps ------------------------------------------------------------------------
    def changed_since(self, seq: int) -> list[tuple[str, int]]:
        """(habit uuid, day) of every stamp written after ``seq``."""
        return self._sql("SELECT habit_uuid, day FROM share_stamp WHERE seq > ?", (seq,)).fetchall()

    def stamps(self, uuid: str, first: int, last: int) -> dict[int, tuple[str, str]]:
        """day -> (stamp, prev) of one habit's days from ``first`` to ``last``."""
        rows = self._sql("SELECT day, stamp, prev FROM share_stamp WHERE habit_uuid = ? AND day BETWEEN ? AND ?",
                         (uuid, first, last))
        return {day: (stamp, prev) for day, stamp, prev in rows}

    def habit_stamp(self, uuid: str) -> tuple[str, str] | None:
        """(stamp, prev) of a habit's definition; None when it was never stamped here."""
        return self.stamps(uuid, HABIT_DAY, HABIT_DAY).get(HABIT_DAY)

    def put_stamps(self, uuid: str, rows: list[tuple[int, str, str]]) -> None:
        """Record the (day, stamp, prev) of changes made elsewhere (or merged here), as one local change."""
        self._sql("UPDATE share_clock SET seq = seq + 1")
        (seq,) = self._sql("SELECT seq FROM share_clock").fetchone()
        self.db.cursor().executemany(
            "INSERT INTO share_stamp (habit_uuid, day, stamp, prev, seq) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (habit_uuid, day) DO UPDATE SET stamp = excluded.stamp, prev = excluded.prev, seq = excluded.seq",
            [(uuid, day, stamp, prev, seq) for day, stamp, prev in rows],
        )

    def seen_any(self, account_id: int) -> bool:
        """Whether the account's data collection was ever read or written here."""
        return self._sql("SELECT 1 FROM share_object WHERE account_id = ? LIMIT 1", (account_id,)).fetchone() is not None

    def shared_anywhere(self, uuid: str) -> bool:
        """Whether any account's shared history holds this habit already."""
        return self._sql("SELECT 1 FROM share_object WHERE name = ? LIMIT 1", (f"habit-{uuid}",)).fetchone() is not None

    def adopt_uuid(self, old: str, new: str, created_at: str) -> None:
        """A habit here becomes the account's habit of the same name: it takes that habit's
        uuid and creation time, and its stamps go with it (written while applying, so
        unstamped themselves)."""
        self._sql("DELETE FROM share_stamp WHERE habit_uuid = ?", (new,))
        self._sql("UPDATE share_stamp SET habit_uuid = ? WHERE habit_uuid = ?", (new, old))
        self._sql("UPDATE habit SET uuid = ?, created_at = COALESCE(NULLIF(?, ''), created_at) WHERE uuid = ?",
                  (new, created_at, old))

    # -- days ------------------------------------------------------------------------------
    def entries_between(self, habit_id: int, first: int, last: int) -> dict[int, tuple[int, str]]:
        rows = self._sql("SELECT day, value, notes FROM entry WHERE habit_id = ? AND day BETWEEN ? AND ?",
                         (habit_id, first, last))
        return {day: (value, notes) for day, value, notes in rows}

    def write_entries(self, habit_id: int, rows: list[tuple[int, int, str]]) -> None:
        """Store (day, value, notes) rows; a day with neither value nor note is removed."""
        cursor = self.db.cursor()
        cursor.executemany("DELETE FROM entry WHERE habit_id = ? AND day = ?",
                           [(habit_id, day) for day, value, notes in rows if value == UNKNOWN and not notes])
        cursor.executemany(
            "INSERT INTO entry (habit_id, day, value, notes) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (habit_id, day) DO UPDATE SET value = excluded.value, notes = excluded.notes",
            [(habit_id, day, value, notes) for day, value, notes in rows if value != UNKNOWN or notes],
        )

    # -- an account's objects ----------------------------------------------------------
    def objects(self, account_id: int) -> dict[str, tuple[str, str, str]]:
        """name -> (href, etag, digest) of what the account's data collection holds."""
        rows = self._sql("SELECT name, href, etag, digest FROM share_object WHERE account_id = ?", (account_id,))
        return {name: (href, etag, digest) for name, href, etag, digest in rows}

    def put_object(self, account_id: int, name: str, href: str, etag: str, digest: str) -> None:
        self._sql("INSERT OR REPLACE INTO share_object (account_id, name, href, etag, digest) VALUES (?, ?, ?, ?, ?)",
                  (account_id, name, href, etag, digest))

    def computers(self, account_id: int) -> list[tuple[str, str, str]]:
        """(id, name, day of last sync) of the other computers on the account."""
        return self._sql("SELECT node, name, day FROM share_computer WHERE account_id = ? ORDER BY day DESC, name",
                         (account_id,)).fetchall()

    def put_computer(self, account_id: int, node: str, name: str, day: str) -> None:
        self._sql("INSERT OR REPLACE INTO share_computer (account_id, node, name, day) VALUES (?, ?, ?, ?)",
                  (account_id, node, name, day))

    def drop_object(self, account_id: int, name: str) -> None:
        self._sql("DELETE FROM share_object WHERE account_id = ? AND name = ?", (account_id, name))
