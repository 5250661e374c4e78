"""Personal data stays private: HabitDesk's folders are 0700 and its files 0600, whatever the umask.

Habits and notes may be about health, smoking or medication; under the usual
umask 022 every local user could read them. SQLite gives the -wal and -shm
files the database's own mode, so a private database keeps them private too.
On Windows, where a file's mode is only its read-only bit, this does nothing:
the user's profile folder is private there already.
"""

from __future__ import annotations

import os
from pathlib import Path

TYPE_CHECKING = False  # typing's import alone costs the CLI 4 ms of start-up
if TYPE_CHECKING:
    from typing import IO, Any

FOLDER_MODE = 0o700
FILE_MODE = 0o600
_POSIX = os.name == "posix"


def private_folder(path: Path) -> Path:
    """Create the folder (and its parents, with the usual modes) and make it 0700."""
    path.mkdir(parents=True, exist_ok=True)
    _chmod(path, FOLDER_MODE)
    return path


def private_file(path: Path) -> None:
    """Make an existing file 0600 (a file that is not there is left so)."""
    _chmod(path, FILE_MODE)


def create_private_file(path: Path) -> None:
    """Create an empty file as 0600 unless it exists (then tighten it)."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    except FileExistsError:
        private_file(path)


def open_private(path: Path, mode: str = "w", encoding: str | None = "utf-8", newline: str | None = None) -> IO[Any]:
    """open() for writing (``w``, ``a``, ``wb``...), with a new file created as 0600."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if "a" in mode else os.O_TRUNC)
    fd = os.open(path, flags | getattr(os, "O_BINARY", 0), FILE_MODE)
    try:
        private_file(path)  # a file that was there keeps its mode through os.open
        return open(fd, mode, encoding=None if "b" in mode else encoding, newline=newline)  # noqa: SIM115
    except BaseException:
        os.close(fd)
        raise


def tighten_folder(folder: Path) -> None:
    """Make the folder 0700 and every file directly in it 0600 (an older installation's, say).

    Only the folder's own files: a data folder given with --data-dir may hold other things
    in its subfolders, which are not HabitDesk's to change.
    """
    if not _POSIX or not folder.is_dir():
        return
    _chmod(folder, FOLDER_MODE)
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.is_file(follow_symlinks=False):
            _chmod(Path(entry.path), FILE_MODE, entry.stat(follow_symlinks=False).st_mode)


def _chmod(path: Path, mode: int, current: int | None = None) -> None:
    if not _POSIX:
        return
    try:
        if current is None:
            current = path.stat().st_mode
        if current & 0o777 != mode:
            path.chmod(mode)
    except OSError:
        pass  # not ours (a shared folder), or gone: nothing to tighten
