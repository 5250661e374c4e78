"""The system tray under a real X server with a real tray (Xvfb + trayer), driven with xdotool."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from habitdesk.core.days import iso
from habitdesk.core.habit import Habit, Kind
from habitdesk.facade.tracker import Tracker
from tests.support.xserver import x_env, xdotool

PROBE = Path(__file__).with_name("tray_probe.py")


def start_probe(display: str, data_dir: Path, checks: int) -> tuple[subprocess.Popen, dict]:
    proc = subprocess.Popen(
        [sys.executable, str(PROBE), str(data_dir), str(checks)],
        env=x_env(display), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    line = proc.stdout.readline()
    if not line:
        proc.kill()
        _, err = proc.communicate()
        raise AssertionError(f"the tray probe said nothing: {err}")
    return proc, json.loads(line)


def read_until(proc: subprocess.Popen, key: str) -> dict:
    """The probe's next report that has ``key``."""
    for line in proc.stdout:
        report = json.loads(line)
        if key in report:
            return report
    raise AssertionError(f"the probe ended without reporting {key!r}: {proc.stderr.read()}")


def click(display: str, geometry: list[int], button: int) -> None:
    x, y, w, h = geometry
    xdotool(display, "mousemove", str(x + w // 2), str(y + h // 2))
    xdotool(display, "click", str(button))


def test_the_tray_lists_due_habits_and_checking_one_records_it(tray_display: str, data_dir: Path) -> None:
    tracker = Tracker(data_dir)
    today = tracker.today()
    read = tracker.add_habit(Habit("Read"))
    tracker.add_habit(Habit("Run"))
    tracker.add_habit(Habit("Water", kind=Kind.MEASURABLE, unit="glasses", target_value=8))
    done = tracker.add_habit(Habit("Floss"))
    tracker.check(done, today)
    tracker.close()

    proc, state = start_probe(tray_display, data_dir, checks=1)
    try:
        assert state["available"] is True
        assert state["menu"] == ["3 habits due today", "Read", "Run", "Water…", "&Open HabitDesk",
                                 "&Snooze all for 1 hour", "&Quit"]
        assert state["tooltip"] == "HabitDesk: 3 habits due today"
        click(tray_display, state["geometry"], 3)  # the context menu
        assert read_until(proc, "menu") == {"menu": "shown"}
        time.sleep(0.3)  # the popup grabs the keyboard once it is mapped
        xdotool(tray_display, "key", "Down", "Return")  # the first habit: Read
        assert read_until(proc, "checked") == {"checked": "Read", "day": today}
        assert proc.wait(10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()  # closes the pipes
    tracker = Tracker(data_dir)
    try:
        assert tracker.entry(read, today)[0] == 2, f"Read is not recorded on {iso(today)}"
        assert tracker.due_today() == {h.id for h in tracker.habits() if h.name in ("Run", "Water")}
    finally:
        tracker.close()
