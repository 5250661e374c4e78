"""Storage errors, each carrying a message a user can act on."""

from __future__ import annotations


class StorageError(Exception):
    """The data file cannot be used (corrupt, foreign, or from a newer version)."""


class NewerDatabaseError(StorageError):
    """The database was written by a newer HabitDesk; it is left untouched."""
