"""SQLite failures read by their result codes, whatever language or wording the message has."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from habitdesk.storage.errors import failure


def raised(action) -> sqlite3.Error:  # noqa: ANN001
    with pytest.raises(sqlite3.Error) as info:
        action()
    return info.value


def test_each_failure_says_what_the_user_can_do(tmp_path: Path) -> None:
    path = tmp_path / "habitdesk.sqlite3"
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("CREATE TABLE t (x BLOB)")
    other = sqlite3.connect(path, isolation_level=None, timeout=0)
    con.execute("BEGIN IMMEDIATE")
    busy = raised(lambda: other.execute("BEGIN IMMEDIATE"))
    con.execute("ROLLBACK")
    read_only = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    refused = raised(lambda: read_only.execute("INSERT INTO t VALUES (1)"))
    con.execute("PRAGMA max_page_count = 3")
    full = raised(lambda: con.execute("INSERT INTO t VALUES (zeroblob(100000))"))

    assert str(failure(busy, path)).endswith("is busy (another program is writing to it); nothing was changed, try again")
    assert str(failure(refused, path)).endswith("is read-only; nothing was changed")
    assert str(failure(full, path)) == f"the disk holding {path} is full; nothing was changed"


def test_the_code_decides_not_the_words(tmp_path: Path) -> None:
    error = sqlite3.OperationalError("database or disk is full")  # no result code: only words
    assert str(failure(error, tmp_path / "x")).endswith("could not be used (database or disk is full); nothing was changed")
    wrapped = Exception(raised(lambda: sqlite3.connect(":memory:").execute("SELECT * FROM nowhere")))
    assert "no such table: nowhere" in str(failure(wrapped, tmp_path / "x"))  # peewee's wrapper: the cause is kept
