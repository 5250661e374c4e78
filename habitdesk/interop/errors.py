"""Errors about files being read, each naming the file and the problem."""

from __future__ import annotations


class FormatError(Exception):
    """A file is corrupt, truncated, foreign or of an unsupported version."""
