"""Storage errors, each carrying a message a user can act on."""

from __future__ import annotations

from pathlib import Path


class StorageError(Exception):
    """The data file cannot be used (corrupt, foreign, or from a newer version)."""


class NewerDatabaseError(StorageError):
    """The database was written by a newer HabitDesk; it is left untouched."""


def failure(exc: BaseException, path: Path) -> StorageError:
    """A StorageError saying in one line why SQLite failed on ``path``, and that nothing changed.

    After a failed commit SQLite has often rolled back by itself, so the
    rollback that follows complains "no transaction is active": the cause is
    the error before it.
    """
    while exc.__context__ is not None and "no transaction is active" in str(exc):
        exc = exc.__context__
    text = str(exc)
    code = _primary_code(exc)
    if code == SQLITE_FULL:
        return StorageError(f"the disk holding {path} is full; nothing was changed")
    if code == SQLITE_IOERR:
        return StorageError(f"could not write to {path} (disk I/O error: is the disk full or failing?); nothing was changed")
    if code in (SQLITE_BUSY, SQLITE_LOCKED):
        return StorageError(f"{path} is busy (another program is writing to it); nothing was changed, try again")
    if code == SQLITE_READONLY:
        return StorageError(f"{path} is read-only; nothing was changed")
    return StorageError(f"{path} could not be used ({text}); nothing was changed")


# SQLite's primary result codes (an extended code keeps its primary code in the low byte).
SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_IOERR, SQLITE_FULL = 5, 6, 8, 10, 13


def _primary_code(exc: BaseException) -> int | None:
    """SQLite's result code behind ``exc``: on sqlite3's error itself, or on the one peewee wrapped."""
    for candidate in (exc, *exc.args[:1], exc.__cause__, exc.__context__):
        code = getattr(candidate, "sqlite_errorcode", None)
        if isinstance(code, int):
            return code & 0xFF
    return None
