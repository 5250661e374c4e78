"""Backups of the data file: where they go, how many are kept, taking and listing them.

The settings live in the database's setting table beside the engine settings:
``backup_folder`` ("" = the data folder's ``backups/``) and the rotation,
``backup_daily`` / ``backup_weekly`` / ``backup_monthly`` (7, 4, 12).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from habitdesk.facade.errors import UserError
from habitdesk.facade.settings import valid_or_default
from habitdesk.storage import backups as files
from habitdesk.storage.backups import BackupFile

TYPE_CHECKING = False
if TYPE_CHECKING:
    from habitdesk.facade.tracker import Tracker

DEFAULTS: dict[str, object] = {"backup_folder": "", "backup_daily": 7, "backup_weekly": 4, "backup_monthly": 12}
_MAX_KEEP = 1000

__all__ = ["DEFAULTS", "BackupFile", "auto_backup", "backup_now", "backups", "folder", "settings", "set_setting"]


def _check(name: str, value: object) -> object:
    if name not in DEFAULTS:
        raise UserError(f"unknown backup setting {name!r}")
    if name == "backup_folder":
        if not isinstance(value, str):
            raise UserError("the backup folder must be a path")
        return value.strip()
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= _MAX_KEEP:
        raise UserError(f"{name} must be a whole number from 0 to {_MAX_KEEP}")
    return value


def settings(tracker: Tracker) -> dict[str, object]:
    """The backup settings, each valid (a bad stored value reads as its default)."""
    with tracker._reading():
        stored = tracker.repo.settings()
    return valid_or_default(stored, DEFAULTS, _check)


def set_setting(tracker: Tracker, name: str, value: object) -> None:
    from habitdesk.facade.changes import Change, ChangeKind

    value = _check(name, value)
    with tracker._writing():
        tracker.repo.put_setting(name, value)
    tracker._emit(Change(ChangeKind.SETTINGS))


def folder(tracker: Tracker, chosen: dict[str, object] | None = None) -> Path:
    """Where backups go: the chosen folder, or the data folder's backups/."""
    text = str((chosen or settings(tracker))["backup_folder"])
    return Path(text).expanduser() if text else tracker.data_dir / "backups"


def backups(tracker: Tracker) -> list[BackupFile]:
    """Every backup in the folder, newest first."""
    return files.list_backups(folder(tracker))


def _count(value: object) -> int:
    return value if isinstance(value, int) else 0  # settings() has checked it already


def backup_now(tracker: Tracker, now: dt.datetime | None = None) -> Path:
    """Take a backup now, then rotate the folder; returns the new file."""
    chosen = settings(tracker)
    where = folder(tracker, chosen)
    now = now or dt.datetime.now()
    path = files.take_backup(tracker.db_path, where, now)
    files.rotate(where, *(_count(chosen[name]) for name in ("backup_daily", "backup_weekly", "backup_monthly")))
    files.prune_safety_copies(where, now)
    return path


def auto_backup(tracker: Tracker, now: dt.datetime | None = None) -> Path | None:
    """The daily backup: taken (and the folder rotated) unless today has one already."""
    now = now or dt.datetime.now()
    if files.has_backup_on(folder(tracker), now.date()):
        return None
    return backup_now(tracker, now)


def safety_backup(tracker: Tracker, now: dt.datetime | None = None) -> Path:
    """A copy taken before a restore replaces everything; the daily backup removes it after a month, unless it is one of the newest three."""
    return files.take_backup(tracker.db_path, folder(tracker), now or dt.datetime.now(), safety=True)
