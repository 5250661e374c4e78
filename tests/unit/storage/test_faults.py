"""Faults in the middle of writing: a killed process and a full disk lose nothing committed."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from habitdesk.core.habit import Habit
from habitdesk.storage.errors import StorageError
from tests.conftest import TODAY

WRITER = """
import sys
from habitdesk.core.habit import Habit
from habitdesk.facade.tracker import Tracker
today = int(sys.argv[2])
tracker = Tracker(sys.argv[1], today=today)
habit = tracker.add_habit(Habit("Meditate"))
for n in range(100_000):
    tracker.check(habit, today - n)          # one transaction per check-in
    print(n, flush=True)                     # acknowledged only after the commit
"""


def test_a_killed_writer_loses_no_acknowledged_check_in(data_dir: Path) -> None:
    with subprocess.Popen(
        [sys.executable, "-c", WRITER, str(data_dir), str(TODAY)], stdout=subprocess.PIPE, text=True
    ) as proc:
        acknowledged = -1
        for line in proc.stdout:  # type: ignore[union-attr]
            acknowledged = int(line)
            if acknowledged >= 300:
                break
        proc.send_signal(signal.SIGKILL)  # no chance to close anything
        proc.wait(timeout=30)
    db = data_dir / "habitdesk.sqlite3"
    assert (data_dir / "habitdesk.sqlite3-wal").exists()  # the crash left work in the log

    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    days = {row[0] for row in con.execute("SELECT day FROM entry")}
    con.close()
    assert {TODAY - n for n in range(acknowledged + 1)} <= days


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX only")
def test_the_tracker_reopens_after_a_crash(data_dir: Path) -> None:
    test_a_killed_writer_loses_no_acknowledged_check_in(data_dir)
    from habitdesk.facade.tracker import Tracker

    tracker = Tracker(data_dir, today=TODAY)
    (habit,) = tracker.habits()
    assert tracker.summaries([habit])[habit.id].streak > 300
    tracker.close()


def test_a_full_disk_changes_nothing_and_says_so(tracker) -> None:  # noqa: ANN001
    habit = tracker.add_habit(Habit("Meditate"))
    tracker.check(habit, TODAY)
    # SQLite reports a database that may not grow as a full disk (SQLITE_FULL).
    pages = tracker.db.execute_sql("PRAGMA page_count").fetchone()[0]
    tracker.db.execute_sql(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(StorageError, match="is full; nothing was changed"):
        for n in range(1, 5000):
            tracker.set_entry(habit, TODAY - n, 2, "a note long enough to fill pages " * 20)
    tracker.db.execute_sql("PRAGMA max_page_count = 1073741823")
    stored = tracker.repo.entries_with_notes(habit.id)
    # every check-in before the failing one is there, the failing one is not half-written
    assert max(stored) == TODAY
    assert all(value == 2 for value, _ in stored.values())
    assert len(stored) == len(set(stored))


def _limit_file_size(limit: int):  # noqa: ANN202
    def apply() -> None:
        import resource

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write, not a killed process
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_a_disk_that_refuses_writes_is_exit_3_in_one_line(data_dir: Path, tmp_path: Path) -> None:
    env = dict(os.environ, HABITDESK_DATA_DIR=str(data_dir), HOME=str(tmp_path))
    cli = [sys.executable, "-m", "habitdesk.cli", "--today", "2026-11-26"]
    assert subprocess.run(cli + ["add", "Walk"], env=env, capture_output=True).returncode == 0
    db = data_dir / "habitdesk.sqlite3"
    con = sqlite3.connect(db)
    before = con.execute("SELECT * FROM entry").fetchall()
    con.close()
    # Files may not grow past 64 KiB: the write-ahead log cannot take the long note.
    result = subprocess.run(
        cli + ["check", "Walk", "--note", "x" * 100_000], env=env, capture_output=True, text=True,
        preexec_fn=_limit_file_size(64 * 1024),
    )
    assert result.returncode == 3, result
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert "disk I/O error: is the disk full or failing?); nothing was changed" in result.stderr
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert con.execute("SELECT * FROM entry").fetchall() == before
    con.close()
