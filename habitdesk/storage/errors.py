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
    if "full" in text:
        return StorageError(f"the disk holding {path} is full; nothing was changed")
    if "I/O error" in text:
        return StorageError(f"could not write to {path} (disk I/O error: is the disk full or failing?); nothing was changed")
    if "locked" in text or "busy" in text:
        return StorageError(f"{path} is busy (another program is writing to it); nothing was changed, try again")
    if "readonly" in text or "read-only" in text:
        return StorageError(f"{path} is read-only; nothing was changed")
    return StorageError(f"{path} could not be used ({text}); nothing was changed")
