"""Render docs/notification.png: a real reminder shown by Debian's notification-daemon.

Needs Xvfb, trayer, dbus-run-session and notification-daemon (Debian packages
xvfb, trayer, dbus-daemon, notification-daemon). Run from the repository root:

    .venv/bin/python tools/notification_screenshot.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.xserver import trayer, x_env, xvfb  # noqa: E402

GRAB = """
from PySide6.QtWidgets import QApplication
app = QApplication([])
app.primaryScreen().grabWindow(0).copy(560, 0, 464, 140).save(r"{out}")
"""


def main() -> None:
    out = ROOT / "docs" / "notification.png"
    bin_dir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory(prefix="habitdesk-notification-") as tmp:
        data = Path(tmp) / "data"
        cli = [str(bin_dir / "habitdesk-cli"), "--data-dir", str(data)]
        subprocess.run([*cli, "add", "Read", "--question", "Did you read today?"], check=True, capture_output=True)
        subprocess.run([*cli, "remind", "add", "Read", "00:00"], check=True, capture_output=True)  # missed today
        grab = Path(tmp) / "grab.py"
        grab.write_text(GRAB.format(out=out))
        script = (
            "/usr/lib/notification-daemon/notification-daemon 2>/dev/null & D=$!; sleep 1; "
            f"{bin_dir / 'habitdesk'} --data-dir {data} --tray 2>/dev/null & H=$!; sleep 4; "
            f"{sys.executable} {grab}; kill $H $D"
        )
        with xvfb() as display, trayer(display):
            env = x_env(display)
            env.pop("DBUS_SESSION_BUS_ADDRESS")
            subprocess.run(["dbus-run-session", "--", "sh", "-c", script], env=env, timeout=60, check=True)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
