"""Errors the user can cause, each with a one-line message."""

from __future__ import annotations

from habitdesk.storage.errors import StorageError

__all__ = ["StorageError", "UserError"]


class UserError(Exception):
    """The user's input was wrong: an unknown or ambiguous habit, a bad date or value."""
