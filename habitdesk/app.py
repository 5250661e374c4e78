"""The GUI's composition root: parse arguments, open the data, show the window.

Qt is imported only after the arguments are parsed, so `--help` and errors stay fast.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Sequence

log = logging.getLogger("habitdesk")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="habitdesk", description="HabitDesk, a desktop habit tracker.")
    parser.add_argument("--data-dir", metavar="DIR", help="data folder (default: $HABITDESK_DATA_DIR or the user data folder)")
    parser.add_argument("--debug", action="store_true", help="log every start-up step")
    # For the start-up smoke test: quit this many ms after the window is shown.
    parser.add_argument("--quit-after", type=int, metavar="MS", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.WARNING, format="%(relativeCreated)6.0f ms %(name)s: %(message)s")
    started = time.perf_counter()

    from PySide6.QtWidgets import QApplication, QMessageBox

    from habitdesk import APP_ID, APP_NAME, __version__
    from habitdesk.facade.tracker import Tracker
    from habitdesk.paths import data_dir
    from habitdesk.storage.errors import StorageError

    app = QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    log.debug("Qt ready after %.0f ms", (time.perf_counter() - started) * 1000)

    folder = data_dir(args.data_dir)
    try:
        tracker = Tracker(folder)
    except StorageError as exc:
        QMessageBox.critical(None, APP_NAME, f"HabitDesk cannot open its data.\n\n{exc}")
        return 3
    log.debug("data opened from %s after %.0f ms", folder, (time.perf_counter() - started) * 1000)

    from habitdesk.ui.main_window import MainWindow

    window = MainWindow(tracker)
    window.show()
    log.debug("window shown after %.0f ms", (time.perf_counter() - started) * 1000)
    if args.quit_after is not None:
        from PySide6.QtCore import QTimer

        QTimer.singleShot(args.quit_after, app.quit)
    try:
        return app.exec()
    finally:
        tracker.close()


if __name__ == "__main__":
    sys.exit(main())
