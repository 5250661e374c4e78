"""Moves the wall clock of this Python process for `make test-clocks` (time-machine).

On the PYTHONPATH of the suite and every Python child it starts, so a CLI or app
subprocess sees the same moved clock as the test that started it. Only the wall
clock moves: time.monotonic, sleeps and timed waits stay real, and the time zone
is the real TZ variable.

HABITDESK_MOVED_CLOCK holds "<local time>|<real epoch seconds when the suite began>";
every process travels to the local time plus the real seconds since then.
"""

from __future__ import annotations

import datetime as dt
import os
import time

VARIABLE = "HABITDESK_MOVED_CLOCK"


def moved_start() -> dt.datetime | None:
    """The local time the suite began at, as moved; None when the clock is real."""
    value = os.environ.get(VARIABLE, "")
    return dt.datetime.fromisoformat(value.split("|")[0]) if value else None


def travel() -> None:
    value = os.environ.get(VARIABLE, "")
    if not value:
        return
    import time_machine

    local, _, began = value.partition("|")
    if not began:  # the suite itself: children count from now
        began = repr(time.time())
        os.environ[VARIABLE] = f"{local}|{began}"
    start = time.mktime(dt.datetime.fromisoformat(local).timetuple())  # local wall time in TZ
    time_machine.travel(start + time.time() - float(began), tick=True).start()


travel()
