"""Three computers on one account, a seeded random script of edits and syncs: all end with the same data.

Each computer is its own process (tests/support/computer.py) with its own data
folder. The script checks in, skips, clears, writes amounts and notes, adds,
renames, archives and deletes habits, undoes deletes, and syncs on random
computers (a computer that is not picked for a while is one that went offline).
After a final round of syncs, the three databases hold identical habits, reminders
and days. Against Radicale and Xandikos, with fixed seeds.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.integration.test_caldav_sync import server  # noqa: F401

pytestmark = pytest.mark.slow

# make test-sync-soak runs many more seeds and steps.
STEPS = int(os.environ.get("HABITDESK_CONVERGENCE_STEPS", "300"))
SEEDS = [int(seed) for seed in os.environ.get("HABITDESK_CONVERGENCE_SEEDS", "7,2026").split(",")]
NAMES = ("Read", "Gym", "Floss", "Walk", "Write", "Stretch")
NOTES = ("tired", "great run", "chapter 3", "", "with Ana")


class Remote:
    """A computer process: send a command, read its answer."""

    def __init__(self, folder: Path, url: str) -> None:
        self.name = folder.name
        env = dict(os.environ, TZ="UTC")
        self.proc = subprocess.Popen([sys.executable, "-m", "tests.support.computer", str(folder), url],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)

    log: list[str] = []

    def __call__(self, **command: Any) -> Any:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        if command["do"] not in ("habits", "dump"):
            Remote.log.append(f"{self.name}: {command}")
        self.proc.stdin.write(json.dumps(command) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        assert line, f"the computer process ended on {command}"
        return json.loads(line)

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait(timeout=60)
        if self.proc.stdout:
            self.proc.stdout.close()


def synced(answer: Any) -> None:
    assert answer == "ok", answer


def step(rng: random.Random, computer: Remote) -> None:
    """One random edit on one computer."""
    habits = computer(do="habits")
    roll = rng.random()
    if not habits or roll < 0.08:
        computer(do="add", name=rng.choice(NAMES))
        return
    uuid = rng.choice(habits)[0]
    if roll < 0.70:
        value = rng.choice([2, 2, 2, 3, 0, -1])  # YES_MANUAL mostly, SKIP, NO, cleared
        note = rng.choice(NOTES) if rng.random() < 0.3 else None
        computer(do="set", uuid=uuid, day=-rng.randrange(0, 400), value=value, note=note)
    elif roll < 0.80:
        computer(do="rename", uuid=uuid, name=rng.choice(NAMES) + rng.choice(("", " daily", " more")))
    elif roll < 0.86:
        computer(do="archive", uuid=uuid)
    elif roll < 0.92:
        computer(do="delete", uuid=uuid)
    else:
        computer(do="undo")


@pytest.mark.parametrize("seed", SEEDS)
def test_three_computers_end_with_the_same_data(server, tmp_path: Path, seed: int) -> None:  # noqa: ANN001, F811
    rng = random.Random(seed)
    Remote.log = []
    computers = [Remote(tmp_path / name, server.url) for name in ("home", "work", "laptop")]
    try:
        home = computers[0]
        for name in NAMES[:3]:
            home(do="add", name=name)
        for computer in computers:
            synced(computer(do="join"))
        for _ in range(STEPS):
            computer = rng.choice(computers)
            if rng.random() < 0.2:
                synced(computer(do="sync"))
            else:
                step(rng, computer)
        for _ in range(2):
            for computer in computers:
                synced(computer(do="sync"))
        dumps = [computer(do="dump") for computer in computers]
        assert dumps[0]["habits"], "the script left no habit at all: a seed that tests nothing"
        for other in dumps[1:]:
            only_there = {tuple(d) for d in other["days"]} ^ {tuple(d) for d in dumps[0]["days"]}
            assert other == dumps[0], (sorted(only_there), "\n".join(Remote.log))
    finally:
        for computer in computers:
            computer.close()
