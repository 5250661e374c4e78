"""A checksum of everything a HabitDesk database holds, for "nothing changed" tests."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path


def checksum(db_path: Path) -> str:
    """SHA-256 of a canonical dump (every table's rows in key order, plus the schema version)."""
    con = sqlite3.connect(f"{Path(db_path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        digest = hashlib.sha256()
        digest.update(repr(con.execute("PRAGMA user_version").fetchone()).encode())
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        for table in tables:
            digest.update(table.encode())
            for row in con.execute(f'SELECT * FROM "{table}" ORDER BY 1, 2'):
                digest.update(repr(row).encode())
        return digest.hexdigest()
    finally:
        con.close()
