"""The calendar sync tables (migration 4): accounts, synced items and the outbox.

Plain rows in and out; the facade turns them into the sync layer's objects.
Passwords are never stored here (they go to the OS keyring).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from habitdesk.storage.connection import Database

ACCOUNT_FIELDS = (
    "id", "key", "name", "url", "username", "calendar_url", "calendar_name", "events_url", "ca_file",
    "enabled", "alarms", "sync_token", "ctag", "window_start", "last_sync", "last_result", "last_ok",
    "modified", "modified_settled", "modified_trust", "verified_at", "wrote",
    "share_url", "share_token", "share_seq", "share_join",
)
EDITABLE = frozenset(ACCOUNT_FIELDS) - {"id", "key"}
ITEM_FIELDS = ("uid", "habit_uuid", "day", "href", "etag", "state", "rendered", "tombstone", "fresh", "early")


class SyncState:
    def __init__(self, database: Database) -> None:
        self.db = database

    def _sql(self, sql: str, params: Iterable = ()):  # noqa: ANN202 - a cursor
        return self.db.execute_sql(sql, params)

    # -- accounts ---------------------------------------------------------------------
    def accounts(self) -> list[dict]:
        rows = self._sql(f"SELECT {', '.join(ACCOUNT_FIELDS)} FROM calendar_account ORDER BY name COLLATE NOCASE").fetchall()
        return [dict(zip(ACCOUNT_FIELDS, row)) for row in rows]

    def account(self, account_id: int) -> dict | None:
        row = self._sql(f"SELECT {', '.join(ACCOUNT_FIELDS)} FROM calendar_account WHERE id = ?", (account_id,)).fetchone()
        return None if row is None else dict(zip(ACCOUNT_FIELDS, row))

    def add_account(self, fields: dict) -> int:
        names = [k for k in fields if k in EDITABLE or k == "key"]
        cursor = self._sql(
            f"INSERT INTO calendar_account ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})",
            [fields[k] for k in names],
        )
        return cursor.lastrowid

    def update_account(self, account_id: int, **fields: object) -> None:
        unknown = set(fields) - EDITABLE
        if unknown:
            raise ValueError(f"not account fields: {sorted(unknown)}")
        if fields:
            assignments = ", ".join(f"{k} = ?" for k in fields)
            self._sql(f"UPDATE calendar_account SET {assignments} WHERE id = ?", [*fields.values(), account_id])

    def delete_account(self, account_id: int) -> None:
        self._sql("DELETE FROM calendar_account WHERE id = ?", (account_id,))

    # -- items --------------------------------------------------------------------------
    def items(self, account_id: int, uids: Collection[str] | None = None) -> list[tuple]:
        """The account's items, or only those with these uids."""
        select = f"SELECT {', '.join(ITEM_FIELDS)} FROM sync_item WHERE account_id = ?"
        if uids is None:
            return self._sql(select, (account_id,)).fetchall()
        found: list[tuple] = []
        wanted = sorted(uids)
        for start in range(0, len(wanted), 500):  # SQLite limits the parameters of one statement
            chunk = wanted[start:start + 500]
            found += self._sql(f"{select} AND uid IN ({', '.join('?' for _ in chunk)})", (account_id, *chunk)).fetchall()
        return found

    def put_item(self, account_id: int, row: tuple) -> None:
        self._sql(
            f"INSERT OR REPLACE INTO sync_item (account_id, {', '.join(ITEM_FIELDS)}) VALUES (?, {', '.join('?' for _ in ITEM_FIELDS)})",
            (account_id, *row),
        )

    def settle_fresh(self, account_id: int) -> None:
        """The stored sync token now covers every resource made so far."""
        self._sql("UPDATE sync_item SET fresh = 0 WHERE account_id = ? AND fresh", (account_id,))

    def forget_shared(self, account_id: int) -> None:
        """The account's shared history lives elsewhere now: read it all and write it all again."""
        self._sql("DELETE FROM share_object WHERE account_id = ?", (account_id,))
        self._sql("UPDATE calendar_account SET share_token = '', share_seq = 0 WHERE id = ?", (account_id,))

    def drop_item(self, account_id: int, uid: str) -> None:
        self._sql("DELETE FROM sync_item WHERE account_id = ? AND uid = ?", (account_id, uid))

    def rekey(self, account_id: int, key: str) -> None:
        """Give the account a new keyring key: the password stored under the old one no longer applies."""
        self._sql("UPDATE calendar_account SET key = ? WHERE id = ?", (key, account_id))

    def forget_items(self, account_id: int) -> None:
        """Forget everything known about the server's copies (the collection was replaced)."""
        self._sql("DELETE FROM sync_item WHERE account_id = ?", (account_id,))
        self._sql("UPDATE calendar_account SET sync_token = '', ctag = '', window_start = NULL, modified = '', "
                  "modified_settled = 0, modified_trust = 0, verified_at = 0, wrote = 0 WHERE id = ?", (account_id,))

    # -- outbox ---------------------------------------------------------------------------
    def outbox(self, account_id: int) -> tuple[int, set[tuple[str, int | None]]]:
        """(the newest row id, the queued (habit uuid, day or None) pairs)."""
        rows = self._sql("SELECT id, habit_uuid, day FROM sync_outbox WHERE account_id = ?", (account_id,)).fetchall()
        return max((r[0] for r in rows), default=0), {(r[1], r[2]) for r in rows}

    def outbox_size(self, account_id: int | None = None) -> int:
        if account_id is None:
            return self._sql("SELECT count(*) FROM sync_outbox").fetchone()[0]
        return self._sql("SELECT count(*) FROM sync_outbox WHERE account_id = ?", (account_id,)).fetchone()[0]

    def clear_outbox(self, account_id: int, through: int) -> None:
        self._sql("DELETE FROM sync_outbox WHERE account_id = ? AND id <= ?", (account_id, through))
