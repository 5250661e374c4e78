"""Benchmarks for a heavy user: 200 habits with 10 years of daily history.

Prints medians over repeated runs, each next to the floor it is judged against:

  bulk build      building the database through HabitDesk's storage layer,
                  against plain sqlite3.executemany of the same rows
  status --json   `habitdesk-cli status --json`, against `python -c "import peewee"`
  full rebuild    every habit's statistics recomputed from its whole history
  check-in        one check-in: upsert + statistics cache update + commit

Run with `make bench` (or .venv/bin/python bench/heavy_user.py [--quick]).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from habitdesk.core.days import from_date
from habitdesk.core.entries import NO, SKIP, UNKNOWN, YES_MANUAL
from habitdesk.core.habit import Frequency, Habit, Kind, TargetType
from habitdesk.facade.tracker import Tracker
from habitdesk.storage.migrations import MIGRATIONS

HABITS = 200
DAYS = 3650
TODAY = from_date(dt.date(2026, 11, 26))
FREQUENCIES = [(1, 1), (1, 1), (1, 1), (3, 7), (1, 7), (2, 30), (1, 3), (5, 7), (2, 31), (4, 10)]


def make_dataset(seed: int = 1) -> tuple[list[Habit], list[list[tuple[int, int, str]]]]:
    """Habits of mixed kinds and frequencies, each with an entry for every day of 10 years."""
    rng = random.Random(seed)
    habits, histories = [], []
    for i in range(HABITS):
        num, den = FREQUENCIES[i % len(FREQUENCIES)]
        measurable = i % 4 == 3
        habit = Habit(
            name=f"Habit {i:03d}",
            kind=Kind.MEASURABLE if measurable else Kind.YES_NO,
            frequency=Frequency(1, 1, 0b0011111) if i % 25 == 7 else Frequency(num, den),
            target_value=rng.choice([5.0, 10.0, 2.5]) if measurable else 0.0,
            target_type=TargetType.AT_MOST if measurable and i % 8 == 7 else TargetType.AT_LEAST,
            unit="km" if measurable else "",
            color=i % 20,
        )
        rate = num / den
        rows = []
        for day in range(TODAY - DAYS + 1, TODAY + 1):
            if measurable:
                value = rng.randrange(0, 12000)
            else:
                r = rng.random()
                value = YES_MANUAL if r < min(0.9, rate + 0.1) else SKIP if r > 0.98 else NO if r > 0.9 else UNKNOWN
            note = "felt good, really" if rng.random() < 0.01 else ""
            if value == UNKNOWN and not note:
                value = NO
            rows.append((day, value, note))
        habits.append(habit)
        histories.append(rows)
    return habits, histories


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def build_with_habitdesk(folder: Path, habits: list[Habit], histories) -> Tracker:
    tracker = Tracker(folder)
    with tracker.db.atomic():
        for habit in habits:
            habit.id = None
            tracker.repo.add_habit(habit)
        tracker.repo.put_entries(
            (habit.id, day, value, note) for habit, rows in zip(habits, histories) for day, value, note in rows
        )
    return tracker


def build_with_executemany(path: Path, habits: list[Habit], histories) -> None:
    con = sqlite3.connect(path)
    for migration in MIGRATIONS:
        migration(con.execute)
    with con:
        con.executemany("INSERT INTO habit (id, uuid, name) VALUES (?, ?, ?)", [(i + 1, h.uuid, h.name) for i, h in enumerate(habits)])
        con.executemany(
            "INSERT INTO entry (habit_id, day, value, notes) VALUES (?, ?, ?, ?)",
            [(i + 1, day, value, note) for i, rows in enumerate(histories) for day, value, note in rows],
        )
    con.close()


def cli_time(args: list[str], env: dict, repeat: int) -> float:
    def run() -> None:
        subprocess.run(args, env=env, check=True, stdout=subprocess.DEVNULL)

    run()  # warm the OS cache
    return median_time(run, repeat)


def new_day_status_time(folder: Path, cli: list[str], repeat: int) -> float:
    """`status --json` on the day after, each time on a fresh copy of the database."""
    times = []
    for i in range(repeat):
        copy = folder.with_name(f"{folder.name}-day{i}")
        shutil.copytree(folder, copy)
        env = dict(os.environ, HABITDESK_DATA_DIR=str(copy))
        args = [a if a != "2026-11-26" else "2026-11-27" for a in cli]
        start = time.perf_counter()
        subprocess.run(args, env=env, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
        shutil.rmtree(copy)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--keep", metavar="DIR", help="leave the heavy database in DIR")
    opts = parser.parse_args()
    reps = 3 if opts.quick else 7
    work = Path(tempfile.mkdtemp(prefix="habitdesk-bench-"))
    try:
        print(f"dataset: {HABITS} habits x {DAYS} days; {reps} runs per figure; medians")
        habits, histories = make_dataset()
        rows = sum(len(r) for r in histories)

        def ours() -> None:
            folder = work / f"ours-{time.perf_counter_ns()}"
            build_with_habitdesk(folder, habits, histories).close()
            shutil.rmtree(folder)

        def floor() -> None:
            path = work / f"floor-{time.perf_counter_ns()}.sqlite3"
            build_with_executemany(path, habits, histories)
            path.unlink()

        t_floor = median_time(floor, reps)
        t_ours = median_time(ours, reps)
        report("bulk build", t_ours, t_floor, "sqlite3.executemany", 1.5, f"{rows:,} entries")

        folder = Path(opts.keep) if opts.keep else work / "heavy"
        if folder.exists():
            shutil.rmtree(folder)
        tracker = build_with_habitdesk(folder, habits, histories)
        tracker._today_override = TODAY
        t_rebuild = median_time(tracker.rebuild_stats, reps)
        report("full rebuild", t_rebuild, 0.400, "budget 400 ms", 1.0, "every habit from scratch")

        active = tracker.habits()
        counter = iter(range(10**9))

        def check_in() -> None:
            n = next(counter)
            habit = active[n % len(active)]
            if habit.is_measurable:
                tracker.check(habit, TODAY - (n // len(active)) % 3, amount=float(n % 7))
            else:
                tracker.toggle(habit, TODAY - (n // len(active)) % 3, shown=tracker.repo.entry(habit.id, TODAY)[0])

        t_check = median_time(check_in, 400)
        report("check-in", t_check, 0.002, "budget 2 ms", 1.0, "upsert + cache update + commit")
        tracker.close()

        env = dict(os.environ, HABITDESK_DATA_DIR=str(folder))
        cli = [sys.executable, "-m", "habitdesk.cli", "--today", "2026-11-26", "status", "--json"]
        script = shutil.which("habitdesk-cli", path=str(Path(sys.executable).parent))
        if script:
            cli = [script, "--today", "2026-11-26", "status", "--json"]
        t_peewee = cli_time([sys.executable, "-c", "import peewee"], env, reps * 3)
        t_status = cli_time(cli, env, reps * 3)
        report("status --json", t_status, t_peewee, 'python -c "import peewee"', 1.5, "warm statistics cache")
        t_new_day = new_day_status_time(folder, cli, reps)
        print(f"{'new day':14s} {t_new_day * 1000:9.2f} ms  (status --json on the next day: every habit refreshed from its anchor)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def report(name: str, value: float, floor: float, floor_name: str, target: float, note: str) -> None:
    ratio = value / floor
    verdict = "ok" if ratio <= target else "OVER"
    if floor_name.startswith("budget"):
        print(f"{name:14s} {value * 1000:9.2f} ms  {floor_name:28s} {verdict:4s}  ({note})")
    else:
        print(
            f"{name:14s} {value * 1000:9.2f} ms  vs {floor_name} {floor * 1000:.2f} ms = {ratio:.2f}x "
            f"(target <= {target}x) {verdict}  ({note})"
        )


if __name__ == "__main__":
    main()
