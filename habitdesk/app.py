"""The GUI's composition root: parse arguments, open the data, show the window.

Qt is imported only after the arguments are parsed, so `--help` and errors stay
fast; pyqtgraph only once the window has painted (the detail pane asks for it).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

log = logging.getLogger("habitdesk")
STARTED = time.perf_counter()


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT, such as 1280x800, not {text!r}") from None
    if not (200 <= width <= 10_000 and 200 <= height <= 10_000):
        raise argparse.ArgumentTypeError("width and height must be between 200 and 10000 pixels")
    return width, height


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="habitdesk", description="HabitDesk, a desktop habit tracker.")
    parser.add_argument("--data-dir", metavar="DIR", help="data folder (default: $HABITDESK_DATA_DIR or the user data folder)")
    parser.add_argument("--debug", action="store_true", help="log every start-up step")
    parser.add_argument("--screenshot", metavar="OUT.png", help="save a picture of the main window once it shows data, then exit")
    parser.add_argument("--theme", choices=("system", "light", "dark"), help="colour theme for this run (default: the saved setting)")
    parser.add_argument("--size", type=_size, metavar="WxH", help="window size for this run, such as 1280x800")
    parser.add_argument("--tray", action="store_true", help="start in the system tray, without showing the window")
    parser.add_argument("--install-desktop-entry", action="store_true",
                        help="add HabitDesk to this user's application menu (Linux), then exit")
    parser.add_argument("--uninstall-desktop-entry", action="store_true",
                        help="remove HabitDesk's launcher, icons and autostart entry, then exit (the data stays)")
    parser.add_argument("--autostart", action=argparse.BooleanOptionalAction, default=None,
                        help="with --install-desktop-entry: also start (or no longer start) HabitDesk at log-in")
    # For the start-up smoke test: quit this many ms after the window is shown.
    parser.add_argument("--quit-after", type=int, metavar="MS", help=argparse.SUPPRESS)
    # For bench/: print "first-paint MS MAXRSS_KB" at the first paint, then quit.
    parser.add_argument("--report-first-paint", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def ui_settings(data_dir_given: bool, folder: Path):  # noqa: ANN201 - a QSettings
    """Window state: beside the data when a data folder was given (portable), else the user's config."""
    from PySide6.QtCore import QSettings

    from habitdesk.private import create_private_file

    if data_dir_given:
        # Made private first: Qt rewrites the file through a temporary copy that keeps its mode.
        if folder.is_dir():
            create_private_file(folder / "window.ini")
        return QSettings(str(folder / "window.ini"), QSettings.Format.IniFormat)
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "HabitDesk", "HabitDesk")


def _enable_faulthandler() -> None:
    """A crash inside Qt or PySide (an abort, a segfault) prints Python's stacks, not nothing."""
    import faulthandler

    try:
        faulthandler.enable()
    except (AttributeError, ValueError, OSError):  # no stderr: a windowed build on Windows
        pass


def main(argv: Sequence[str] | None = None) -> int:
    _enable_faulthandler()
    args = parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.WARNING, format="%(relativeCreated)6.0f ms %(name)s: %(message)s")
    logging.getLogger("peewee").setLevel(logging.INFO)  # not every statement, even with --debug
    _elapsed("arguments parsed")
    if args.install_desktop_entry:
        return _install_desktop_entry(args.autostart)
    if args.uninstall_desktop_entry:
        return _uninstall_desktop_entry()
    if args.autostart is not None:
        print("habitdesk: --autostart goes with --install-desktop-entry", file=sys.stderr)
        return 2

    from habitdesk.qt_libraries import check_before_qt

    problem = check_before_qt()  # Qt's own message names neither the library nor the package
    if problem:
        print(f"habitdesk: {problem}", file=sys.stderr)
        return 1
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    _elapsed("Qt imported")
    from habitdesk import APP_ID, APP_NAME, __version__
    from habitdesk.facade.tracker import Tracker
    from habitdesk.paths import ENV_DATA_DIR, data_dir
    from habitdesk.storage.errors import StorageError

    _elapsed("HabitDesk's data layer imported")
    from habitdesk.ui import preferences
    from habitdesk.ui.theme import FUSION_ARGUMENTS, apply_theme, follow_system, started_with_fusion

    app = QApplication(sys.argv[:1] + FUSION_ARGUMENTS)
    started_with_fusion(app)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    _elapsed("Qt ready")

    folder = data_dir(args.data_dir)
    scripted = bool(args.screenshot or args.report_first_paint)
    instance = None
    if not scripted:
        instance, code = _single_instance(app, folder, argv)
        if instance is None:
            return code
    settings = ui_settings(bool(args.data_dir or os.environ.get(ENV_DATA_DIR)), folder)
    apply_theme(app, args.theme or preferences.read(settings, "theme"))
    if not args.theme:
        follow_system(app)
    _elapsed("theme applied")
    try:
        tracker = Tracker(folder)
    except StorageError as exc:
        if args.screenshot or args.report_first_paint:
            print(f"habitdesk: {exc}", file=sys.stderr)
        else:
            QMessageBox.critical(None, APP_NAME, f"HabitDesk cannot open its data.\n\n{exc}")
        return 3
    _elapsed(f"data opened from {folder}")

    from habitdesk.ui.main_window import MainWindow

    _elapsed("window module imported")
    window = MainWindow(tracker, settings)
    _report_bugs_to(window, folder)
    window.remember = not scripted
    if args.size:
        window.resize(*args.size)
    if instance is not None:
        instance.activation_requested.connect(lambda _args: window.bring_forward())
    hidden = args.tray and not scripted and _tray_available()
    started: list = []  # what runs beside the window: stopped on the way out
    if not scripted:  # screenshots and the benchmark start none of it
        def start_services() -> None:
            started.append(_start_desktop_services(app, window, tracker, settings))
            started.append(_wire_sync(tracker, window))
            started[-1].start()
            window.interchange.start_daily_backups()  # off the GUI thread, soon after start and each new day
            _elapsed("reminders, tray, calendar sync and backups started")

        # After the first paint (at once when hidden in the tray), so none of it slows the window.
        if hidden:
            QTimer.singleShot(0, start_services)
        else:
            window.first_painted.connect(lambda: QTimer.singleShot(0, start_services))
    if not hidden:
        window.show()
    _elapsed("window shown")
    window.first_painted.connect(lambda: _elapsed("first paint"))
    if args.report_first_paint:
        window.first_painted.connect(lambda: _report_first_paint(app))
    if args.screenshot:
        window.first_painted.connect(lambda: _take_screenshot(app, window, Path(args.screenshot)))
    if args.quit_after is not None:
        QTimer.singleShot(args.quit_after, window.quit_app)
    if not scripted:  # a logout, `kill` or Ctrl+C quits like the tray's Quit: the window saves its state
        from habitdesk.services.quit_signals import QuitOnSignals

        started.append(QuitOnSignals(window.quit_app).start())
    try:
        return app.exec()  # quitting closes the window, which saves its state
    finally:
        for service in reversed(started):
            service.stop()  # sync waits for a pass in progress: its changes are committed, the outbox keeps the rest
        window.background.wait()
        if instance is not None:
            instance.release()
        tracker.close()


def _wire_sync(tracker, window):  # noqa: ANN001, ANN202 - a SyncService
    """Calendar sync: menu items and status now; main() starts it after the first paint (caldav loads later)."""
    from habitdesk.facade.sync import CalendarSync
    from habitdesk.services.sync_service import SyncService
    from habitdesk.ui.sync_ui import install_sync

    service = SyncService(CalendarSync(tracker), parent=window)
    window.sync_ui = install_sync(window, service)
    service.set_interval(window.sync_ui.interval())
    return service


def _install_desktop_entry(autostart: bool | None) -> int:
    from habitdesk.desktop import DesktopIntegrationError, install_desktop_entry

    try:
        for path in install_desktop_entry(autostart=autostart):
            print(path)
    except (DesktopIntegrationError, OSError) as exc:
        print(f"habitdesk: {exc}", file=sys.stderr)
        return 1
    return 0


def _uninstall_desktop_entry() -> int:
    from habitdesk.desktop import DesktopIntegrationError, uninstall_desktop_entry

    try:
        for path in uninstall_desktop_entry():
            print(f"removed {path}")
    except (DesktopIntegrationError, OSError) as exc:
        print(f"habitdesk: {exc}", file=sys.stderr)
        return 1
    return 0


def _single_instance(app, folder: Path, argv: Sequence[str] | None):  # noqa: ANN001, ANN202
    """(the instance, 0) when this is the only HabitDesk on the data folder; (None, exit code) otherwise.

    A second launch raises the running window and exits.
    """
    from PySide6.QtWidgets import QMessageBox

    from habitdesk import APP_NAME
    from habitdesk.services.single_instance import SingleInstance, lock_holder, notify_running

    instance = SingleInstance(app)
    try:
        if instance.acquire(folder):
            return instance, 0
    except OSError as exc:  # an unwritable data folder: the Tracker says so more clearly
        log.warning("single instance: %s", exc)
        return instance, 0
    if notify_running(folder, list(sys.argv[1:] if argv is None else argv)):
        log.info("HabitDesk already runs on %s; raised its window", folder)
        return None, 0
    if instance.take_over(folder):  # the holder died, and another program got its pid
        return instance, 0
    QMessageBox.warning(
        None, APP_NAME,
        f"HabitDesk is already running for {folder} (process {lock_holder(folder)}) but does not respond.\n\n"
        "Wait a moment and try again, or end that process.",
    )
    return None, 1


def _tray_available() -> bool:
    from PySide6.QtWidgets import QSystemTrayIcon

    return QSystemTrayIcon.isSystemTrayAvailable()


def _start_desktop_services(app, window, tracker, settings):  # noqa: ANN001, ANN202 - the DesktopServices
    """Reminders, notifications, the tray and the watch for outside changes."""
    from habitdesk.ui.desktop_services import DesktopServices

    services = DesktopServices(app, window, tracker, settings)
    services.start()
    return services


class _PrivateFileHandler(logging.FileHandler):
    """A log file only its owner can read: it may quote habit names and notes."""

    def _open(self):  # noqa: ANN202 - a text stream
        from habitdesk.private import open_private

        return open_private(Path(self.baseFilename), "a", encoding=self.encoding or "utf-8")


def _report_bugs_to(window, folder: Path) -> None:  # noqa: ANN001
    """Log an unexpected exception (with its traceback) to the data folder and tell the user once.

    Qt would otherwise print it to a terminal nobody sees and carry on.
    """
    path = folder / "habitdesk.log"
    log_file: Path | None = path
    try:
        handler = _PrivateFileHandler(path, encoding="utf-8", delay=True)
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s: %(message)s"))
        handler.setLevel(logging.ERROR)
        logging.getLogger().addHandler(handler)
    except OSError:
        log_file = None

    def excepthook(kind, value, tb) -> None:  # noqa: ANN001
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, tb)
            return
        log.error("unexpected error", exc_info=(kind, value, tb))
        window.report_unexpected(log_file)

    sys.excepthook = excepthook


def _elapsed(step: str) -> None:
    log.debug("%s after %.0f ms", step, (time.perf_counter() - STARTED) * 1000)


def _peak_memory_kib() -> int:
    """This process's peak resident memory. Linux's VmHWM, unlike ru_maxrss, is not
    inherited from the parent that forked us."""
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM"))
    except (OSError, StopIteration):
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // (1024 if sys.platform == "darwin" else 1)


def _report_first_paint(app) -> None:  # noqa: ANN001
    rss = _peak_memory_kib()
    print(f"first-paint {(time.perf_counter() - STARTED) * 1000:.1f} {rss}", flush=True)
    app.quit()


def _take_screenshot(app, window, out: Path) -> None:  # noqa: ANN001
    """Let the detail pane draw its charts, then save the window and quit."""
    from PySide6.QtCore import QTimer

    def save() -> None:
        app.processEvents()
        if not window.grab().save(str(out)):
            print(f"habitdesk: cannot write the screenshot {out}", file=sys.stderr)
            app.exit(1)
            return
        app.quit()

    QTimer.singleShot(150, save)


if __name__ == "__main__":
    sys.exit(main())
