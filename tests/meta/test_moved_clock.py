"""`make test-clocks` runs the suite under moved clocks: check that the clock really moved.

This test reads the real clock on purpose: it is the one that proves the others do not.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

from tests.support.moved_clock.sitecustomize import moved_start

MOVED = moved_start()  # local, set by make test-clocks


def _child_now() -> dt.datetime:
    out = subprocess.run(
        [sys.executable, "-c", "import datetime; print(datetime.datetime.now().isoformat())"],
        capture_output=True, text=True, check=True, timeout=30,
    ).stdout
    return dt.datetime.fromisoformat(out.strip())


def test_this_process_and_its_children_share_the_clock() -> None:
    here, child = dt.datetime.now(), _child_now()
    assert abs(child - here) < dt.timedelta(minutes=5)
    if MOVED is not None:
        start = MOVED
        # The suite has been running for a while since the clock was set (and a DST change moves it an hour).
        assert start <= here <= start + dt.timedelta(hours=2), (MOVED, here)
        assert start <= child <= start + dt.timedelta(hours=2), (MOVED, child)
