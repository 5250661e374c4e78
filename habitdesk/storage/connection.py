"""The data file's SQLite connections, one per thread.

Reads and transactions go straight to sqlite3. Peewee (the habit model) is
loaded the first time a habit is written, on the same connections: importing
it costs about 30 ms, which the window's first paint (even on a new day, when
the statistics cache is refreshed) and `habitdesk-cli status` need not pay.

Write transactions begin IMMEDIATE: a deferred one that reads first and then
writes gets SQLITE_BUSY at once in WAL mode when another process wrote in
between, whatever the busy timeout. IMMEDIATE takes the write lock up front,
so writers queue on the busy timeout instead of being refused.
"""

from __future__ import annotations

import sqlite3
import sys
import threading
from collections.abc import Iterable

TYPE_CHECKING = False
if TYPE_CHECKING:
    from peewee import SqliteDatabase


class Database:
    """Opens a connection per thread (with the pragmas) and hands peewee the same ones."""

    def __init__(self) -> None:
        self.path: str | None = None
        self.pragmas: dict[str, object] = {}
        self._local = threading.local()
        self._open: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    def init(self, path: str, pragmas: dict[str, object] | None = None) -> None:
        self.close()
        self.path = path
        self.pragmas = dict(pragmas or {})

    # -- connections --------------------------------------------------------------
    def connection(self) -> sqlite3.Connection:
        """This thread's connection, opened on first use; autocommit unless in a transaction."""
        con = getattr(self._local, "con", None)
        if con is not None:
            return con
        if self.path is None:
            raise sqlite3.InterfaceError("the data file is not open")
        con = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        try:
            for name, value in self.pragmas.items():
                con.execute(f"PRAGMA {name} = {value}")
        except sqlite3.Error:
            con.close()
            raise
        self._local.con = con
        with self._lock:
            self._open.append(con)
        return con

    def live_connection(self) -> sqlite3.Connection | None:
        """This thread's connection if it is open, without opening one."""
        return getattr(self._local, "con", None)

    def connect(self) -> None:
        self.connection()

    def is_closed(self) -> bool:
        return not self._open

    def close(self) -> None:
        """Close every thread's connection; the next use opens new ones."""
        with self._lock:
            for con in self._open:
                con.close()
            self._open.clear()
            self._local = threading.local()

    # -- statements ---------------------------------------------------------------
    def execute_sql(self, sql: str, params: Iterable = ()) -> sqlite3.Cursor:
        return self.connection().execute(sql, tuple(params))

    def cursor(self) -> sqlite3.Cursor:
        return self.connection().cursor()

    # -- peewee -----------------------------------------------------------------------
    def peewee(self) -> SqliteDatabase:
        """The peewee database the models use, bound to these connections."""
        from habitdesk.storage.models import db

        if db.owner is not self or db.database != self.path:
            db.use_connections_of(self)
        return db

    def atomic(self) -> Transaction:
        """A write transaction on this thread's connection (a savepoint when nested)."""
        return Transaction(self)

    def _depth(self, change: int = 0) -> int:
        depth: int = getattr(self._local, "depth", 0) + change
        self._local.depth = depth
        return depth


class Transaction:
    """``with db.atomic():`` commits on success and rolls back on an exception.

    The outermost level is BEGIN IMMEDIATE; nested levels are savepoints.
    """

    def __init__(self, database: Database) -> None:
        self.database = database
        self.level = -1

    def __enter__(self) -> None:
        con = self.database.connection()
        self.level = self.database._depth()
        con.execute("BEGIN IMMEDIATE" if self.level == 0 else f"SAVEPOINT level{self.level}")
        self.database._depth(+1)

    def __exit__(self, exc_type: object, exc: BaseException | None, tb: object) -> None:
        self.database._depth(-1)
        con = self.database.connection()
        if self.level == 0:
            if exc is None:
                try:
                    con.execute("COMMIT")
                except sqlite3.Error:
                    _rollback(con, "ROLLBACK")
                    raise
            else:
                _rollback(con, "ROLLBACK")
        elif exc is None:
            con.execute(f"RELEASE level{self.level}")
        else:
            _rollback(con, f"ROLLBACK TO level{self.level}", f"RELEASE level{self.level}")


def _rollback(con: sqlite3.Connection, *statements: str) -> None:
    """Undo what a failed transaction wrote; SQLite may already have (a full disk does)."""
    if not con.in_transaction:
        return
    try:
        for sql in statements:
            con.execute(sql)
    except sqlite3.Error:
        pass  # the original failure is the one to report


def database_errors() -> tuple[type[Exception], ...]:
    """The exceptions that mean SQLite failed: sqlite3's, and peewee's wrappers once peewee is loaded.

    For ``except database_errors():``, which is evaluated only when something was raised.
    """
    peewee = sys.modules.get("peewee")
    return (sqlite3.DatabaseError,) if peewee is None else (sqlite3.DatabaseError, peewee.DatabaseError)
