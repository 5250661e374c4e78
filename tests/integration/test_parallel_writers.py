"""Writers queue on SQLite's lock: CLI processes and the app writing at once lose and refuse nothing."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from habitdesk.core.days import iso
from habitdesk.core.entries import YES_MANUAL
from habitdesk.core.habit import Habit
from tests.conftest import TODAY

PROCESSES = 8
PER_PROCESS = 120  # 8 x 120 CLI check-ins
APP_CHECKINS = 40  # and the app's own: 1,000 writes in all

# One CLI process: check-ins through the CLI's own main(), each a full open,
# write and close of the data file, timing every one.
WRITER = """
import json, sys, time
from habitdesk.cli import main
data, name, first, count, today = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
from habitdesk.core.days import iso
codes, slowest = [], 0.0
for day in range(first, first + count):
    start = time.perf_counter()
    codes.append(main(["--data-dir", data, "--today", today, "check", name, "--date", iso(day)]))
    slowest = max(slowest, time.perf_counter() - start)
print(json.dumps({"codes": codes, "slowest": slowest}))
"""


@pytest.mark.slow
def test_a_thousand_writes_from_nine_writers(tracker, data_dir: Path, radicale, memory_keyring) -> None:  # noqa: ANN001
    """Besides its check-ins, the app syncs with a calendar (on its own thread, as the sync
    service does) and takes a backup; every CLI check-in also queues a change for the sync."""
    from habitdesk.facade import backups
    from habitdesk.facade.sync import CalendarSync

    names = [f"Writer {n}" for n in range(PROCESSES)]
    for name in [*names, "In the app"]:
        tracker.add_habit(Habit(name))
    app_habit = tracker.habits()[-1]
    calendar = CalendarSync(tracker, zone="Europe/Berlin", timeout=(5, 30))
    account, warning = calendar.add_account("home", radicale.url, "alice", "wonderland")
    assert warning == ""
    writers_done = threading.Event()
    sync_errors: list[object] = []
    sync_passes, pushed = 0, 0

    def sync_thread() -> None:  # a full pass, then push-only passes, until the writers are done
        nonlocal sync_passes, pushed
        while True:
            last = writers_done.is_set()
            for outcome in calendar.sync(pull=sync_passes == 0 or last):
                if outcome.error is not None:
                    sync_errors.append(outcome.error)
                else:
                    pushed += len(outcome.report.pushed)
            sync_passes += 1
            if last:
                return

    syncing = threading.Thread(target=sync_thread)
    syncing.start()
    first = TODAY - PER_PROCESS - APP_CHECKINS
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(data_dir), name, str(first), str(PER_PROCESS), iso(TODAY)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in names
    ]
    # The app writes meanwhile: check-ins, and a backup taken halfway.
    app_slowest = 0.0
    for k in range(APP_CHECKINS):
        start = time.perf_counter()
        tracker.set_entry(app_habit, TODAY - k, YES_MANUAL)
        app_slowest = max(app_slowest, time.perf_counter() - start)
        if k == APP_CHECKINS // 2:
            backups.backup_now(tracker, dt.datetime(2026, 11, 26, 12, 0))
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        assert "busy" not in err, err
        results.append(json.loads(out.splitlines()[-1]))
    writers_done.set()
    syncing.join(300)
    assert not syncing.is_alive()
    assert sync_errors == [] and sync_passes >= 2 and pushed > 0
    assert calendar.state.outbox_size(account.id) == 0  # every queued change was sent
    codes = [code for result in results for code in result["codes"]]
    assert codes.count(0) == PROCESSES * PER_PROCESS, sorted(set(codes))  # none refused
    counts = tracker.db.execute_sql("SELECT habit_id, count(*) FROM entry GROUP BY habit_id").fetchall()
    assert sorted(n for _, n in counts) == sorted([PER_PROCESS] * PROCESSES + [APP_CHECKINS])  # none lost
    slowest = max([result["slowest"] for result in results] + [app_slowest])
    print(f"\n1,000 writes from 9 writers and {sync_passes} sync passes ({pushed} tasks pushed): the slowest waited {slowest * 1000:.0f} ms")


def test_a_transaction_that_reads_first_still_writes(tracker, data_dir: Path) -> None:
    """Read, another program writes, then write: a deferred transaction is refused at once
    (SQLITE_BUSY_SNAPSHOT); one begun IMMEDIATE holds the lock, so the other program waits."""
    import sqlite3

    habit = tracker.add_habit(Habit("Read"))
    other_done = threading.Event()

    def other_program() -> None:
        con = sqlite3.connect(data_dir / "habitdesk.sqlite3", isolation_level=None, timeout=10)
        con.execute("INSERT INTO setting (key, value) VALUES ('other', '1')")
        con.close()
        other_done.set()

    with tracker.db.atomic():
        tracker.repo.entry(habit.id, TODAY)  # the read
        writer = threading.Thread(target=other_program)
        writer.start()
        assert not other_done.wait(0.3)  # the other program queues behind this transaction
        tracker.repo.put_entry(habit.id, TODAY, YES_MANUAL, "")
    writer.join(10)
    assert other_done.is_set()
    assert tracker.entry(habit, TODAY)[0] == YES_MANUAL
    assert tracker.db.execute_sql("SELECT value FROM setting WHERE key = 'other'").fetchone() == ("1",)
