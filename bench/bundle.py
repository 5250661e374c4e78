"""The double-click bundle (`make bundle`) against the venv it was built from, on the heavy user.

Prints medians, each against the same thing run from the venv in the same run:

  first paint     process start to the main window's first paint with the table filled
                  (budget 1.2x the venv's)
  status --json   `habitdesk-cli status --json` (budget 1.3x the venv's)
  size            the compressed tarball (aim <= 120 MB) and the ten largest files

Run with `make bench` after `make bundle` (or .venv/bin/python bench/bundle.py [--quick]).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import gui  # noqa: E402 - first_paint and the heavy user's data folder, beside this file

from habitdesk.core.days import from_date, iso  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BUNDLE = ROOT / "dist" / "HabitDesk"


def cli_ms(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, env=env, stdout=subprocess.DEVNULL, check=True)
    return (time.perf_counter() - start) * 1000


def largest_files(folder: Path, count: int = 10) -> list[tuple[int, str]]:
    sizes = [(path.stat().st_size, str(path.relative_to(folder)))
             for path in folder.rglob("*") if path.is_file() and not path.is_symlink()]
    return sorted(sizes, reverse=True)[:count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    opts = parser.parse_args()
    if not (BUNDLE / "habitdesk").is_file():
        print("bench/bundle.py: no dist/HabitDesk; run `make bundle` first")
        return
    repeat = 3 if opts.quick else 11
    tarballs = sorted(ROOT.glob("dist/HabitDesk-*-linux-*.tar.gz"))
    with tempfile.TemporaryDirectory(prefix="habitdesk-bundle-bench-") as tmp:
        folder = Path(tmp) / "data"
        today = from_date(dt.date.today())  # the app runs on the real clock: the history ends today
        gui.build(folder, today)
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=tmp)
        venv_app = [sys.executable, "-m", "habitdesk.app", "--data-dir", str(folder), "--report-first-paint"]
        bundle_app = [str(BUNDLE / "habitdesk"), "--data-dir", str(folder), "--report-first-paint"]
        status = ["--data-dir", str(folder), "--today", iso(today), "status", "--json"]
        venv_cli = [str(Path(sys.executable).parent / "habitdesk-cli"), *status]
        bundle_cli = [str(BUNDLE / "habitdesk-cli"), *status]
        gui.first_paint(venv_app, env), gui.first_paint(bundle_app, env)  # warm the OS caches
        cli_ms(venv_cli, env), cli_ms(bundle_cli, env)
        paints: dict[str, list[float]] = {"venv": [], "bundle": []}
        clis: dict[str, list[float]] = {"venv": [], "bundle": []}
        for _ in range(repeat):  # interleaved, so that machine noise hits both alike
            paints["venv"].append(gui.first_paint(venv_app, env)[0])
            paints["bundle"].append(gui.first_paint(bundle_app, env)[0])
            clis["venv"].append(cli_ms(venv_cli, env))
            clis["bundle"].append(cli_ms(bundle_cli, env))
    venv_paint, bundle_paint = statistics.median(paints["venv"]), statistics.median(paints["bundle"])
    venv_cli_ms, bundle_cli_ms = statistics.median(clis["venv"]), statistics.median(clis["bundle"])
    print(f"{'figure':<15}{'bundle':>11}{'venv':>11}{'ratio':>8}  budget")
    print(f"{'first paint':<15}{bundle_paint:>8.1f} ms{venv_paint:>8.1f} ms{bundle_paint / venv_paint:>7.2f}x  <= 1.2x")
    print(f"{'status --json':<15}{bundle_cli_ms:>8.1f} ms{venv_cli_ms:>8.1f} ms{bundle_cli_ms / venv_cli_ms:>7.2f}x  <= 1.3x")
    unpacked = sum(size for size, _ in largest_files(BUNDLE, 10**6))
    for tarball in tarballs:
        print(f"{'compressed':<15}{tarball.stat().st_size / 2**20:>8.1f} MB  {tarball.name} (aim <= 120 MB)")
    print(f"{'unpacked':<15}{unpacked / 2**20:>8.1f} MB  the ten largest files:")
    for size, name in largest_files(BUNDLE):
        print(f"{'':<15}{size / 2**20:>8.1f} MB  {name}")


if __name__ == "__main__":
    main()
