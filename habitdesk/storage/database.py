"""Opening the data file: checks, pragmas and migrations.

A file is inspected read-only before anything writes to it, so a database from
a newer HabitDesk, a damaged file or some other program's SQLite file is
refused and left exactly as it was.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from habitdesk.private import FILE_MODE, create_private_file, private_folder, tighten_folder
from habitdesk.storage.connection import Database, database_errors
from habitdesk.storage.errors import NewerDatabaseError, StorageError, failure
from habitdesk.storage.migrations import LATEST, MIGRATIONS

db = Database()  # the open data file: storage.connection explains why it is not peewee's own

log = logging.getLogger(__name__)

DB_FILENAME = "habitdesk.sqlite3"
APPLICATION_ID = 0x48444B31  # "HDK1", marks the file as ours
SQLITE_MAGIC = b"SQLite format 3\x00"
PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": "normal",
    "foreign_keys": 1,
    "busy_timeout": 5000,
    "cache_size": -16000,
}


def inspect_file(path: Path) -> int:
    """The schema version of an existing data file; raises StorageError if unusable."""
    try:
        with path.open("rb") as fh:
            header = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise StorageError(f"cannot read {path}: {exc.strerror or exc}") from None
    if not header:
        return 0  # an empty file is a new database
    if header != SQLITE_MAGIC:
        raise StorageError(f"{path} is not a HabitDesk database (not an SQLite file, or damaged)")
    # Without a -wal (or hot -journal) file everything is in the main file: read it
    # as immutable, so that a WAL-mode file (say, from a newer HabitDesk) does not
    # get -wal/-shm files created next to it.
    pending = any(path.with_name(path.name + suffix).exists() for suffix in ("-wal", "-journal"))
    mode = "ro" if pending else "ro&immutable=1"
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode={mode}", uri=True)
        try:
            app_id = con.execute("PRAGMA application_id").fetchone()[0]
            version = con.execute("PRAGMA user_version").fetchone()[0]
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise failure(exc, path) from None
        raise StorageError(f"{path} is damaged and cannot be opened ({exc})") from None
    # Every HabitDesk schema sets application_id; a file without it is ours only
    # if it has our tables at a schema version we know (never, say, a Loop backup
    # at user_version 25, which must not be called "from a newer HabitDesk").
    foreign_unmarked = app_id == 0 and tables and (not 1 <= version <= LATEST or "habit" not in tables)
    if app_id not in (0, APPLICATION_ID) or foreign_unmarked:
        raise StorageError(f"{path} is an SQLite file from another program, not a HabitDesk database")
    if version > LATEST:
        raise NewerDatabaseError(
            f"{path} was written by a newer HabitDesk (schema {version}; this version knows up to "
            f"{LATEST}). It was left untouched: update HabitDesk to open it."
        )
    return version


def open_database(path: Path) -> Database:
    """Open (creating or migrating as needed) the data file; the models bind to it on first use."""
    path = Path(path)
    try:
        private_folder(path.parent)
    except OSError as exc:
        raise StorageError(f"cannot use {path.parent} as the data folder: {exc.strerror or exc}") from None
    version = inspect_file(path) if path.exists() else 0
    try:
        if version and path.stat().st_mode & 0o777 != FILE_MODE:
            # An installation from before files were private: its folder, the files in
            # it and the default backup folder (facade/backups.py), once.
            tighten_folder(path.parent)
            tighten_folder(path.parent / "backups")
        elif not version:
            create_private_file(path)  # SQLite gives the -wal and -shm files its mode
    except OSError as exc:
        raise StorageError(f"cannot create {path}: {exc.strerror or exc}") from None
    db.init(str(path), pragmas=PRAGMAS)
    try:
        db.connect()
        if version < LATEST:
            if version > 0:
                _safety_copy(path, version)
            migrate(db, version)
    except database_errors() as exc:
        db.close()
        raise StorageError(f"{path} could not be opened ({exc})") from None
    return db


def migrate(database: Database, current: int) -> None:
    """Run every migration after ``current``, each in its own transaction."""
    for number in range(current + 1, LATEST + 1):
        with database.atomic():
            MIGRATIONS[number - 1](database.execute_sql)
            database.execute_sql(f"PRAGMA user_version = {number}")
            database.execute_sql(f"PRAGMA application_id = {APPLICATION_ID}")
        log.info("database migrated to schema %d", number)


def _safety_copy(path: Path, version: int) -> None:
    """Copy the database aside (online backup API) before changing its schema."""
    target = path.with_name(f"{path.name}.schema{version}.bak")
    src = sqlite3.connect(str(path))
    try:
        create_private_file(target)
        dst = sqlite3.connect(str(target))
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    log.info("kept a copy of the schema %d database at %s", version, target)


def close_database() -> None:
    db.close()
