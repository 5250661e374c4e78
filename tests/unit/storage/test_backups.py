"""Backup copies: the online backup API under a writer, naming, and the 7 daily / 4 weekly / 12 monthly rotation."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from pathlib import Path

from habitdesk.facade import backups
from habitdesk.facade.tracker import Tracker
from habitdesk.storage.backups import list_backups, rotate, take_backup, to_keep


def test_rotation_keeps_7_daily_4_weekly_12_monthly() -> None:
    start = dt.datetime(2025, 1, 1, 9, 0)
    taken = [start + dt.timedelta(days=k) for k in range(700)]  # one a day for almost two years
    keep = to_keep(taken, 7, 4, 12)
    newest = taken[-1]  # 2026-12-01
    daily = {newest.date() - dt.timedelta(days=k) for k in range(7)}
    assert daily <= {t.date() for t in keep}
    # Newest of each of the 4 latest ISO weeks and 12 latest months; the rest overlap the daily ones.
    weeks = {t.isocalendar()[:2] for t in keep}
    months = {(t.year, t.month) for t in keep}
    assert len(months) == 12 and (2026, 1) in months and (2025, 12) not in months
    assert len(weeks) >= 4
    assert len(keep) <= 7 + 4 + 12
    # Each month is represented by its newest backup.
    assert dt.datetime(2026, 6, 30, 9, 0) in keep and dt.datetime(2026, 6, 29, 9, 0) not in keep


def test_rotation_of_several_backups_a_day_keeps_the_newest_of_each_day(tmp_path: Path) -> None:
    source = tmp_path / "db.sqlite3"
    sqlite3.connect(source).close()
    folder = tmp_path / "backups"
    for day in range(1, 4):
        for hour in (8, 12, 20):
            take_backup(source, folder, dt.datetime(2026, 11, day, hour))
    take_backup(source, folder, dt.datetime(2026, 11, 1, 7), safety=True)
    removed = rotate(folder, 7, 4, 12)
    assert len(removed) == 6
    names = [b.path.name for b in list_backups(folder)]
    assert names == [
        "habitdesk-2026-11-03-200000.sqlite3", "habitdesk-2026-11-02-200000.sqlite3",
        "habitdesk-2026-11-01-200000.sqlite3", "habitdesk-before-restore-2026-11-01-070000.sqlite3",
    ]


def test_backup_is_a_consistent_copy_while_another_thread_writes(tmp_path: Path) -> None:
    source = tmp_path / "live.sqlite3"
    con = sqlite3.connect(source, isolation_level=None, check_same_thread=False)
    con.execute("PRAGMA journal_mode = wal")
    con.execute("CREATE TABLE t (a INTEGER, b INTEGER)")
    stop = threading.Event()

    def write() -> None:
        i = 0
        while not stop.is_set():
            con.execute("BEGIN")
            con.execute("INSERT INTO t VALUES (?, ?)", (i, i))
            con.execute("INSERT INTO t VALUES (?, ?)", (i, -i))  # rows come in pairs, in one transaction
            con.execute("COMMIT")
            i += 1

    writer = threading.Thread(target=write)
    writer.start()
    try:
        copies = [take_backup(source, tmp_path / "b", dt.datetime(2026, 11, 26, 10, 0, k)) for k in range(5)]
    finally:
        stop.set()
        writer.join()
        con.close()
    for copy in copies:
        check = sqlite3.connect(copy)
        assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert check.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert check.execute("SELECT count(*) % 2 FROM t").fetchone() == (0,)
        check.close()
    assert not list((tmp_path / "b").glob("*.part"))


def test_daily_backup_is_taken_once_a_day_into_the_chosen_folder(tracker: Tracker, tmp_path: Path) -> None:
    morning = dt.datetime(2026, 11, 26, 8, 0)
    first = backups.auto_backup(tracker, morning)
    assert first == tracker.data_dir / "backups" / "habitdesk-2026-11-26-080000.sqlite3"
    assert backups.auto_backup(tracker, morning.replace(hour=20)) is None
    backups.set_setting(tracker, "backup_folder", str(tmp_path / "elsewhere"))
    moved = backups.auto_backup(tracker, morning + dt.timedelta(days=1))
    assert moved is not None and moved.parent == tmp_path / "elsewhere"
    assert [b.path for b in backups.backups(tracker)] == [moved]


def test_backup_settings_are_validated(tracker: Tracker) -> None:
    import pytest

    from habitdesk.facade.errors import UserError

    with pytest.raises(UserError, match="backup_daily must be a whole number from 0 to 1000"):
        backups.set_setting(tracker, "backup_daily", -1)
    assert backups.settings(tracker) == backups.DEFAULTS


def test_rotation_with_nothing_to_keep_still_keeps_the_newest() -> None:
    taken = [dt.datetime(2026, 11, d, 8) for d in (1, 2, 3)]
    assert to_keep(taken, 0, 0, 0) == {dt.datetime(2026, 11, 3, 8)}


def test_safety_copies_are_kept_a_month_and_the_newest_three_always(tracker: Tracker) -> None:
    start = dt.datetime(2026, 1, 1, 9, 0)
    taken = [backups.safety_backup(tracker, start + dt.timedelta(days=10 * k)) for k in range(6)]  # Jan 1 .. Feb 20
    backups.backup_now(tracker, dt.datetime(2026, 3, 1, 9, 0))  # the daily backup prunes them
    left = [b.path for b in backups.backups(tracker) if b.safety]
    assert left == taken[:2:-1]  # Feb 20, Feb 10 and Jan 31 are under a month old; Jan 1, 11 and 21 are gone
    assert all(not p.exists() for p in taken[:3])

    later = dt.datetime(2027, 1, 1, 9, 0)
    backups.backup_now(tracker, later)
    assert [b.path for b in backups.backups(tracker) if b.safety] == taken[:2:-1]  # however old, the newest three stay


def test_of_two_backups_taken_in_one_second_the_second_survives_rotation(tracker: Tracker) -> None:
    """The file `habitdesk-cli backup` just named is never the one its own rotation deletes."""
    from habitdesk.facade.backups import backup_now

    now = dt.datetime(2026, 11, 26, 12, 0, 0)
    first = backup_now(tracker, now)
    second = backup_now(tracker, now)
    assert second.name.endswith("-2.sqlite3")
    assert second.exists() and not first.exists()  # one copy a day is kept: the newest
