"""What can go wrong when syncing, each with a one-line message for the user."""

from __future__ import annotations


class SyncError(Exception):
    """A sync that could not finish; str() is the one-line reason."""

    retry_later = False  # True: back off and try again (the outbox keeps the changes)


class AuthFailed(SyncError):
    """The server refused the user name or password: ask for it again."""


class Unreachable(SyncError):
    """Server down, DNS or TLS failure, a timeout, 5xx or rate limiting: back off."""

    retry_later = True


class CollectionMissing(SyncError):
    """The chosen calendar is gone (404): offer to create it again."""


class NoPassword(SyncError):
    """No password is stored for the account (no keyring): it has to be given."""
