"""Shared fixtures: isolated data folders, a Tracker on a real SQLite file, the CLI as a subprocess."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from habitdesk.core.days import from_date

# Qt never needs a display in the suite; tests that need a real one say so.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# make test-clocks: the wall clock moves here and in every Python child (their PYTHONPATH
# carries the same sitecustomize), before any test reads it.
# (A copy of this file elsewhere, as the tier guard's test makes one, has no clock to move.)
_CLOCK_SITE = Path(__file__).parent / "support" / "moved_clock"
if os.environ.get("HABITDESK_MOVED_CLOCK") and _CLOCK_SITE.is_dir():
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(_CLOCK_SITE), os.environ.get("PYTHONPATH", "")]))
    import tests.support.moved_clock.sitecustomize  # noqa: F401 - travels on import

TODAY = from_date(dt.date(2026, 11, 26))  # a Thursday

pytest_plugins = ["pytester"]


@pytest.fixture(autouse=True)
def isolated_desktop(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Launchers, autostart entries and icons go to a throwaway XDG tree, never the user's."""
    root = tmp_path_factory.mktemp("xdg")
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        folder = root / name.lower()
        folder.mkdir()
        monkeypatch.setenv(name, str(folder))


@pytest.fixture(autouse=True)
def no_background_work_left() -> Iterator[None]:
    """A test must not leave jobs running on Qt's thread pool: they would write into the next test."""
    yield
    if "PySide6.QtCore" not in sys.modules:
        return
    from PySide6.QtCore import QThreadPool

    if not QThreadPool.globalInstance().waitForDone(10_000):
        pytest.fail("a job was still running on Qt's thread pool 10 s after the test ended")


@pytest.fixture(autouse=True)
def no_qt_timer_or_thread_left(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A test must stop every QTimer and QThread it started, or delete their owner.

    A timer left running fires into the next test; a running QThread aborts the
    process when Qt tears down. Widgets that pytest-qt closes are deleted first.
    """
    if "PySide6.QtCore" not in sys.modules:
        yield
        return
    from PySide6.QtCore import QCoreApplication, QEvent, QThread, QTimer

    started: list[QTimer | QThread] = []
    timer_start, thread_start = QTimer.start, QThread.start

    def track_timer(self: QTimer, *args: object) -> None:
        started.append(self)
        timer_start(self, *args)

    def track_thread(self: QThread, *args: object) -> None:
        started.append(self)
        thread_start(self, *args)

    monkeypatch.setattr(QTimer, "start", track_timer)
    monkeypatch.setattr(QThread, "start", track_thread)
    yield
    if QCoreApplication.instance() is not None:
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    left = []
    for thing in started:
        try:
            running = thing.isActive() if isinstance(thing, QTimer) else thing.isRunning()
        except RuntimeError:  # its C++ object is gone with its owner
            continue
        if running:
            owner = thing.parent()
            left.append(f"{type(thing).__name__} {thing.objectName() or ''} owned by {type(owner).__name__}")
    if left:
        pytest.fail("still running after the test: " + "; ".join(sorted(set(left))))


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    return folder


@pytest.fixture
def tracker(data_dir: Path) -> Iterator:
    """A Tracker on a fresh database, with today fixed at TODAY."""
    from habitdesk.facade.tracker import Tracker

    t = Tracker(data_dir, today=TODAY)
    yield t
    t.close()


class CliResult:
    def __init__(self, proc: subprocess.CompletedProcess) -> None:
        self.code = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr

    def __repr__(self) -> str:
        return f"CliResult(code={self.code}, out={self.out!r}, err={self.err!r})"


@pytest.fixture
def cli(data_dir: Path, tmp_path: Path):  # noqa: ANN201
    """Run `habitdesk-cli` in a subprocess against the test's data folder.

    cli("status", "--json", today="2026-11-26", input="y\\n") -> CliResult.
    """

    def run(*args: str, today: str | None = "2026-11-26", input: str | None = None, env: dict | None = None) -> CliResult:  # noqa: A002
        command = [sys.executable, "-m", "habitdesk.cli"]
        if today:
            command += ["--today", today]
        environment = dict(os.environ, HABITDESK_DATA_DIR=str(data_dir), HOME=str(tmp_path))
        environment.pop("HABITDESK_DEBUG", None)
        if env:
            environment.update(env)
        proc = subprocess.run(
            command + list(args), input=input, capture_output=True, text=True, env=environment, timeout=60
        )
        return CliResult(proc)

    return run


# -- every test tier must run in CI --------------------------------------------
# .ci/run sets HABITDESK_REQUIRE_ALL_TIERS=1: there a skipped test fails the run,
# so a tier that could not start (a missing system package, say) never passes
# silently. Locally a skip is allowed but listed by -ra.
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if os.environ.get("HABITDESK_REQUIRE_ALL_TIERS") != "1":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        reporter.write_line(
            f"HABITDESK_REQUIRE_ALL_TIERS: {len(skipped)} test(s) were skipped; every tier must run in CI.",
            red=True,
        )
        for report in skipped:
            reporter.write_line(f"  skipped: {report.nodeid}: {report.longrepr[-1] if report.longrepr else ''}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture
def radicale(tmp_path: Path) -> Iterator:
    """A real Radicale CalDAV server (user alice, password wonderland) for this test."""
    from tests.support.radicale import RadicaleServer

    server = RadicaleServer(tmp_path / "radicale")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def memory_keyring() -> Iterator:
    """An in-memory keyring for this test (the real one is tested with gnome-keyring)."""
    import keyring

    from tests.support.sync_helpers import MemoryKeyring

    before = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(before)
