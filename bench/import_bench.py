"""Import benchmark: the heavy user's history (200 habits x 10 years) imported into a fresh data folder.

Each import is timed from its file to the committed database and set against
the floor the issue names: plain sqlite3.executemany of the same habit and
entry rows into a fresh database of the same schema (a file of that format
is never read there, so the floor is the cost of the writing alone).

  loop backup    a Loop Habit Tracker backup (.db, schema 25)
  loop csv       a Loop CSV export zip, as HabitDesk writes it
  json           a HabitDesk JSON backup

Run with `make bench` (or .venv/bin/python bench/import_bench.py [--quick]).
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from heavy_user import DAYS, HABITS, TODAY, build_with_executemany, build_with_habitdesk, make_dataset, median_time, report  # noqa: E402

from habitdesk.core.days import to_loop_timestamp  # noqa: E402
from habitdesk.facade.interchange import export_json, import_file  # noqa: E402
from habitdesk.facade.tracker import Tracker  # noqa: E402

TARGET = 1.5


def write_loop_backup(path: Path, habits, histories) -> None:  # noqa: ANN001
    """A schema-25 Loop backup of the dataset (weekday schedules, which Loop lacks, become daily)."""
    con = sqlite3.connect(path)
    con.execute(
        "CREATE TABLE Habits (id INTEGER PRIMARY KEY AUTOINCREMENT, archived INTEGER, color INTEGER, description TEXT, "
        "freq_den INTEGER, freq_num INTEGER, highlight INTEGER, name TEXT, position INTEGER, reminder_hour INTEGER, "
        "reminder_min INTEGER, reminder_days INTEGER NOT NULL DEFAULT 127, type INTEGER NOT NULL DEFAULT 0, "
        "target_type INTEGER NOT NULL DEFAULT 0, target_value REAL NOT NULL DEFAULT 0, unit TEXT NOT NULL DEFAULT '', "
        "question TEXT, uuid TEXT)"
    )
    con.execute("CREATE TABLE Repetitions (id INTEGER PRIMARY KEY AUTOINCREMENT, habit INTEGER NOT NULL REFERENCES Habits(id), "
                "timestamp INTEGER NOT NULL, value INTEGER NOT NULL, notes TEXT)")
    con.execute("CREATE UNIQUE INDEX idx_repetitions_habit_timestamp ON Repetitions (habit, timestamp)")
    with con:
        con.executemany(
            "INSERT INTO Habits (id, archived, color, description, freq_den, freq_num, highlight, name, position, "
            "reminder_days, type, target_type, target_value, unit, question, uuid) "
            "VALUES (?, 0, ?, '', ?, ?, 0, ?, ?, 127, ?, ?, ?, ?, '', ?)",
            [(i + 1, h.color, h.frequency.den, h.frequency.num, h.name, i, int(h.kind), int(h.target_type),
              h.target_value, h.unit, h.uuid) for i, h in enumerate(habits)],
        )
        con.executemany(
            "INSERT INTO Repetitions (habit, timestamp, value, notes) VALUES (?, ?, ?, ?)",
            [(i + 1, to_loop_timestamp(day), value, note) for i, rows in enumerate(histories) for day, value, note in rows],
        )
    con.execute("PRAGMA user_version = 25")
    con.close()


def time_import(work: Path, source: Path, reps: int) -> float:
    def run() -> None:
        folder = work / f"import-{time.perf_counter_ns()}"
        tracker = Tracker(folder, today=TODAY)
        start = time.perf_counter()
        import_file(tracker, source)
        elapsed = time.perf_counter() - start
        tracker.close()
        shutil.rmtree(folder)
        times.append(elapsed)

    times: list[float] = []
    for _ in range(reps):
        run()
    times.sort()
    return times[len(times) // 2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    opts = parser.parse_args()
    reps = 3 if opts.quick else 5
    work = Path(tempfile.mkdtemp(prefix="habitdesk-import-bench-"))
    try:
        habits, histories = make_dataset()
        rows = sum(len(r) for r in histories)
        print(f"import of {HABITS} habits x {DAYS} days ({rows:,} entries); {reps} runs per figure; medians")

        def floor() -> None:
            path = work / f"floor-{time.perf_counter_ns()}.sqlite3"
            build_with_executemany(path, habits, histories)
            path.unlink()

        t_floor = median_time(floor, reps)
        write_loop_backup(work / "loop.db", habits, histories)
        source = build_with_habitdesk(work / "source", habits, histories)
        source._today_override = TODAY
        source.export_loop_csv(work / "loop.zip")
        export_json(source, work / "backup.json")
        source.close()
        for name, path in (("loop backup", "loop.db"), ("loop csv", "loop.zip"), ("json", "backup.json")):
            size = (work / path).stat().st_size / 2**20
            report(name, time_import(work, work / path, reps), t_floor, "sqlite3.executemany", TARGET, f"{size:.1f} MB file")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
