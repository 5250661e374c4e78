"""The system tray under a real X server with a real tray (Xvfb + trayer), driven with xdotool."""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
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


class Reports:
    """The probe's JSON reports, read on a thread so that waiting for one can time out."""

    def __init__(self, proc: subprocess.Popen) -> None:
        self.lines: queue.Queue[dict | None] = queue.Queue()
        self.thread = threading.Thread(target=self._read, args=(proc,), daemon=True)
        self.thread.start()

    def _read(self, proc: subprocess.Popen) -> None:
        for line in proc.stdout:
            self.lines.put(json.loads(line))
        self.lines.put(None)

    def next_with(self, key: str, timeout: float) -> dict | None:
        """The next report that has ``key``, or None after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                report = self.lines.get(timeout=left)
            except queue.Empty:
                return None
            if report is None:
                raise AssertionError(f"the probe ended without reporting {key!r}")
            if key in report:
                return report
        return None


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
    readers: list[Reports] = []
    try:
        assert state["available"] is True
        assert state["menu"] == ["3 habits due today", "Read", "Run", "Water…", "&Open HabitDesk",
                                 "&Snooze all for 1 hour", "&Quit"]
        assert state["tooltip"] == "HabitDesk: 3 habits due today"
        reports = Reports(proc)
        readers.append(reports)
        checked = None
        for _attempt in range(3):  # a loaded machine may map the menu late and miss the keys
            click(tray_display, state["geometry"], 3)  # the context menu
            if reports.next_with("menu", 5) is None:
                continue
            time.sleep(0.3)  # the popup grabs the keyboard once it is mapped
            xdotool(tray_display, "key", "Down", "Return")  # the first habit: Read
            checked = reports.next_with("checked", 3)
            if checked is not None:
                break
            xdotool(tray_display, "key", "Escape")
        assert checked == {"checked": "Read", "day": today}
        assert proc.wait(10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        for reader in readers:
            reader.thread.join(5)  # it has read to the end of the probe's output
        proc.communicate()  # closes the pipes
    tracker = Tracker(data_dir)
    try:
        assert tracker.entry(read, today)[0] == 2, f"Read is not recorded on {iso(today)}"
        assert tracker.due_today() == {h.id for h in tracker.habits() if h.name in ("Run", "Water")}
    finally:
        tracker.close()
