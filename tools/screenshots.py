"""Render the docs/ screenshots from a demo data folder with a year of history.

    .venv/bin/python tools/screenshots.py [OUT_DIR]

The main window goes through the app's own `--screenshot` (light and dark); the
habit editor and the detail pane are rendered from their widgets.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from habitdesk.core.days import from_date  # noqa: E402
from habitdesk.core.entries import NO, SKIP, YES_MANUAL  # noqa: E402
from habitdesk.core.habit import Frequency, Habit, Kind, TargetType  # noqa: E402
from habitdesk.core.reminders import Reminder  # noqa: E402
from habitdesk.facade.tracker import Tracker  # noqa: E402

DEMO = [
    # name, question, colour, frequency, kind, target, unit, at most, chance of a check
    ("Meditate", "Did you meditate today?", 8, Frequency(), Kind.YES_NO, 0, "", False, 0.85),
    ("Run", "How far did you run?", 0, Frequency(3, 7), Kind.MEASURABLE, 5, "km", False, 0.45),
    ("Read 20 pages", "Did you read today?", 11, Frequency(), Kind.YES_NO, 0, "", False, 0.7),
    ("Gym", "Did you go to the gym?", 13, Frequency(3, 7), Kind.YES_NO, 0, "", False, 0.42),
    ("Coffee", "How many cups of coffee?", 16, Frequency(), Kind.MEASURABLE, 2, "cups", True, 0.95),
    ("Call family", "Did you call your family?", 15, Frequency(1, 7), Kind.YES_NO, 0, "", False, 0.16),
    ("Practice piano", "Did you practise?", 2, Frequency(1, 1, 0b0011111), Kind.YES_NO, 0, "", False, 0.75),
    ("Floss", "", 9, Frequency(), Kind.YES_NO, 0, "", False, 0.6),
]
NOTES = ["felt calm", "long session", "tired but did it", "new personal best", "rainy day"]


def build_demo(folder: Path, today: int) -> None:
    rng = random.Random(7)
    tracker = Tracker(folder, today=today)
    with tracker.db.atomic():
        for name, question, color, freq, kind, target, unit, at_most, chance in DEMO:
            habit = tracker.add_habit(Habit(
                name, kind=kind, frequency=freq, question=question, color=color, target_value=float(target),
                unit=unit, target_type=TargetType.AT_MOST if at_most else TargetType.AT_LEAST,
            ))
            rows = []
            for back in range(365, -1, -1):
                day = today - back
                if back == 0 and rng.random() < 0.5:
                    continue  # some of today still to do
                note = rng.choice(NOTES) if rng.random() < 0.04 else ""
                if kind is Kind.MEASURABLE:
                    if at_most:
                        value = round(rng.choice([1, 1, 2, 2, 2, 3]) * 1000)
                    elif rng.random() < chance:
                        value = round(rng.uniform(3, 9) * 10) * 100
                    else:
                        continue
                elif rng.random() < chance:
                    value = YES_MANUAL
                elif rng.random() < 0.08:
                    value = SKIP
                elif rng.random() < 0.15:
                    value = NO
                else:
                    continue
                rows.append((habit.id, day, value, note))
            tracker.repo.put_entries(rows)
        tracker.set_reminders(tracker.find_habit("Run"), [Reminder(7 * 60, 0b0011111), Reminder(18 * 60 + 30, 0b1100000)])
        tracker.set_reminders(tracker.find_habit("Meditate"), [Reminder(21 * 60 + 30)])
    tracker.rebuild_stats()
    tracker.close()


def _join_example() -> dict:
    """The preview a laptop with its own Read and Walk sees when it joins the desktop's account."""
    from habitdesk.facade.share import JoinPreview

    choices = {}
    for merge in (True, False):
        preview = JoinPreview()
        preview.habits_down, preview.days_down = (4, 2310) if merge else (5, 2650)
        preview.habits_up, preview.days_up = (1, 40) if merge else (2, 95)
        preview.same_names, preview.merge = ["Read"], merge
        choices[merge] = preview
    return choices


def render_widgets(folder: Path, out: Path, today: int) -> None:
    from PySide6.QtWidgets import QApplication

    from habitdesk.ui.detail_pane import DetailPane
    from habitdesk.ui.habit_editor import HabitEditor
    from habitdesk.ui.icons import app_icon
    from habitdesk.ui.join_dialog import JoinDialog
    from habitdesk.ui.settings_dialog import SettingsDialog
    from habitdesk.ui.theme import apply_theme
    from habitdesk.ui.tray import Tray

    app = QApplication.instance() or QApplication([])
    tracker = Tracker(folder, today=today)
    try:
        for theme in ("light", "dark"):
            apply_theme(app, theme)
            editor = HabitEditor(tracker, tracker.find_habit("Run"))
            editor.show()
            app.processEvents()
            editor.grab().save(str(out / f"editor-{theme}.png"))
            editor.close()
            pane = DetailPane(tracker)
            pane.resize(560, 960)
            pane.show()
            pane.show_habit(tracker.find_habit("Meditate"))
            for _ in range(5):
                app.processEvents()
            pane.grab().save(str(out / f"detail-pane-{theme}.png"))
            pane.close()
            tray = Tray(tracker, app_icon())
            tray.refresh()
            tray.menu.adjustSize()
            tray.menu.grab().save(str(out / f"tray-menu-{theme}.png"))
            settings = SettingsDialog(tracker, {})
            settings.show()
            for tab, name in ((0, "settings"), (1, "settings-reminders")):
                settings.tabs.setCurrentIndex(tab)
                app.processEvents()
                settings.grab().save(str(out / f"{name}-{theme}.png"))
            settings.close()
            join = JoinDialog("Home", _join_example())
            join.show()
            app.processEvents()
            join.grab().save(str(out / f"join-dialog-{theme}.png"))
            join.close()
    finally:
        tracker.close()


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs").resolve()
    out.mkdir(parents=True, exist_ok=True)
    today = from_date(dt.date.today())
    with tempfile.TemporaryDirectory(prefix="habitdesk-demo-") as tmp:
        folder = Path(tmp) / "data"
        build_demo(folder, today)
        env = dict(os.environ, HOME=tmp)
        for theme in ("light", "dark"):
            subprocess.run(
                [sys.executable, "-m", "habitdesk.app", "--data-dir", str(folder), "--theme", theme,
                 "--size", "1280x760", "--screenshot", str(out / f"main-window{'-dark' if theme == 'dark' else ''}.png")],
                check=True, env=env,
            )
        render_widgets(folder, out, today)
    print(f"screenshots written to {out}")


if __name__ == "__main__":
    main()
