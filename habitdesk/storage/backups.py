"""Copies of the data file: taken with SQLite's online backup API, kept by a rotation.

The online backup API reads one consistent snapshot of the database, even
while HabitDesk writes to it, which copying the file (and its -wal) cannot.
A copy is written beside its final name and renamed once complete, so a
half-written backup never looks like a backup.

Automatic copies are named ``habitdesk-YYYY-MM-DD-HHMMSS.sqlite3``; the copy
taken before a restore is ``habitdesk-before-restore-...`` and is never
rotated away.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from habitdesk.private import create_private_file, private_folder
from habitdesk.storage.errors import StorageError

PREFIX = "habitdesk-"
SAFETY_PREFIX = "habitdesk-before-restore-"
SAFETY_DAYS, SAFETY_NEWEST = 30, 3  # copies taken before a restore: kept a month, the newest three always
SUFFIX = ".sqlite3"
_STAMP = "%Y-%m-%d-%H%M%S"
_NAME = re.compile(r"habitdesk-(before-restore-)?(\d{4}-\d{2}-\d{2}-\d{6})(-\d+)?\.sqlite3\Z")


class BackupFile:
    """One backup in the folder: its path, when it was taken, its size, and whether rotation may remove it."""

    __slots__ = ("path", "taken", "size", "safety")

    def __init__(self, path: Path, taken: dt.datetime, size: int, safety: bool) -> None:
        self.path, self.taken, self.size, self.safety = path, taken, size, safety

    def __repr__(self) -> str:
        return f"BackupFile({self.path.name!r})"


def copy_database(source: Path, target: Path) -> Path:
    """Copy the database at ``source`` to ``target`` with the online backup API."""
    target = Path(target)
    part = target.with_name(target.name + ".part")
    try:
        if not target.parent.exists():  # a folder the user chose keeps its own mode
            private_folder(target.parent)
        part.unlink(missing_ok=True)
        create_private_file(part)
        src = sqlite3.connect(f"{Path(source).resolve().as_uri()}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(str(part))
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode = delete")  # one self-contained file
            finally:
                dst.close()
        finally:
            src.close()
        part.replace(target)
    except (OSError, sqlite3.Error) as exc:
        part.unlink(missing_ok=True)
        reason = getattr(exc, "strerror", None) or exc
        raise StorageError(f"could not write the backup {target}: {reason}") from None
    return target


def take_backup(source: Path, folder: Path, now: dt.datetime, *, safety: bool = False) -> Path:
    """A new backup of ``source`` in ``folder``, named after ``now``."""
    stem = (SAFETY_PREFIX if safety else PREFIX) + now.strftime(_STAMP)
    target = Path(folder) / (stem + SUFFIX)
    n = 1
    while target.exists():  # two backups within one second
        n += 1
        target = Path(folder) / f"{stem}-{n}{SUFFIX}"
    return copy_database(source, target)


def list_backups(folder: Path) -> list[BackupFile]:
    """The backups in ``folder``, newest first; other files are left out."""
    found: list[tuple[dt.datetime, int, BackupFile]] = []
    try:
        paths = list(Path(folder).iterdir())
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise StorageError(f"cannot read the backup folder {folder}: {exc.strerror or exc}") from None
    for path in paths:
        match = _NAME.match(path.name)
        if not match or not path.is_file():
            continue
        taken = dt.datetime.strptime(match.group(2), _STAMP)
        nth = int(match.group(3)[1:]) if match.group(3) else 1  # "-2": the second taken that second
        found.append((taken, nth, BackupFile(path, taken, path.stat().st_size, bool(match.group(1)))))
    found.sort(key=lambda entry: entry[:2], reverse=True)
    return [backup for _, _, backup in found]


def to_keep(taken: Iterable[dt.datetime], daily: int, weekly: int, monthly: int) -> set[dt.datetime]:
    """Which backups a rotation keeps: the newest of each of the last ``daily`` days,
    ``weekly`` ISO weeks and ``monthly`` months that have backups, and always the newest."""
    newest_first = sorted(set(taken), reverse=True)
    keep: set[dt.datetime] = set(newest_first[:1])  # the newest copy stays, whatever the counts
    for count, bucket in (
        (daily, lambda t: t.date()),
        (weekly, lambda t: t.isocalendar()[:2]),
        (monthly, lambda t: (t.year, t.month)),
    ):
        seen: list[object] = []
        for when in newest_first:
            key = bucket(when)
            if key in seen:
                continue
            if len(seen) >= count:
                break
            seen.append(key)
            keep.add(when)
    return keep


def rotate(folder: Path, daily: int, weekly: int, monthly: int) -> list[Path]:
    """Delete the automatic backups the rotation does not keep; returns them."""
    backups = [b for b in list_backups(folder) if not b.safety]
    keep = to_keep((b.taken for b in backups), daily, weekly, monthly)
    removed = []
    kept_times: set[dt.datetime] = set()
    for backup in backups:  # newest first: of two taken the same second, the first listed stays
        if backup.taken in keep and backup.taken not in kept_times:
            kept_times.add(backup.taken)
            continue
        removed.append(_remove(backup.path, "old backup"))
    return removed


def prune_safety_copies(folder: Path, now: dt.datetime, *, days: int = SAFETY_DAYS, newest: int = SAFETY_NEWEST) -> list[Path]:
    """Delete the copies taken before restores once they are ``days`` old, keeping the ``newest`` always; returns them.

    A safety copy is there to undo a restore; after a month the daily rotation
    holds copies of its own, and each of these is as big as the data file.
    """
    safety = [b for b in list_backups(folder) if b.safety]  # newest first
    removed = []
    for backup in safety[newest:]:
        if now - backup.taken < dt.timedelta(days=days):
            continue
        removed.append(_remove(backup.path, "old safety copy"))
    return removed


def _remove(path: Path, what: str) -> Path:
    try:
        path.unlink()
    except OSError as exc:
        raise StorageError(f"cannot remove the {what} {path}: {exc.strerror or exc}") from None
    return path


def has_backup_on(folder: Path, day: dt.date) -> bool:
    return any(b.taken.date() == day and not b.safety for b in list_backups(folder))
