"""A real task client from PyPI reads HabitDesk's tasks: plann (a CalDAV command-line client).

The task a person's client lists for a day is that day's habit day, and completing
it there checks in that day here. Against Radicale and Xandikos.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from habitdesk.core.days import iso, parse_iso
from habitdesk.core.entries import UNKNOWN, YES_MANUAL
from habitdesk.core.habit import Habit
from tests.integration.test_caldav_sync import add_account, live, only, server  # noqa: F401

pytestmark = pytest.mark.slow

PLANN = shutil.which("plann", path=str(Path(sys.executable).parent))


def plann(server, account, *args: str) -> str:  # noqa: ANN001
    """Run plann on the account's calendar, as its user would, and return what it prints."""
    assert PLANN, "plann is a test extra: make test installs it"
    login = ["--caldav-user", "alice", "--caldav-pass", "wonderland"]
    done = subprocess.run([PLANN, "--skip-config", "--caldav-url", server.url, *login,
                           "--calendar-url", account.calendar_url, *args],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    return done.stdout


def listed_days(server, account) -> dict[str, list[str]]:  # noqa: ANN001
    """Each day plann lists open tasks for, with the UIDs it lists on that day."""
    days: dict[str, list[str]] = {}
    for line in plann(server, account, "select", "--todo", "list", "--template", "{DUE:%Y-%m-%d} {UID}").splitlines():
        if line.strip():
            day, task = line.split()
            days.setdefault(day, []).append(task)
    return days


def test_the_task_a_client_lists_for_today_is_todays_and_completing_it_checks_in_today(live, server) -> None:  # noqa: ANN001, F811
    from habitdesk.sync.mapping import uid

    tracker, sync = live
    today = tracker.today()
    floss = tracker.add_habit(Habit("Floss"))
    account = add_account(sync, server)
    only(sync.sync())

    days = listed_days(server, account)
    assert days[iso(today)] == [uid(floss.uuid, today)]
    assert all(tasks == [uid(floss.uuid, parse_iso(day))] for day, tasks in days.items())

    plann(server, account, "select", "--uid", days[iso(today)][0], "complete")
    only(sync.sync())
    assert tracker.entry(floss, today)[0] == YES_MANUAL
    assert tracker.entry(floss, today - 1)[0] == UNKNOWN
    assert iso(today) not in listed_days(server, account)  # done: the client no longer lists it

