"""The notifier chain's ordering, fall-through, threads and start-up cost, without D-Bus."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading

from habitdesk.services.notifier import Backend, CallableBackend, Notice, NotifyError
from habitdesk.services.notify_dbus import FreedesktopBackend

NOTICE = Notice("1:20418:480", "Meditate", "Did you meditate today?", (("done", "Done"),))


class Scripted(Backend):
    """A worker-thread backend whose probe and show answers are set by the test."""

    def __init__(self, name: str, *, available: bool = True, actions: bool = False, error: NotifyError | None = None) -> None:
        super().__init__()
        self.name = name
        self.available = available
        self.supports_actions = actions
        self.error = error
        self.shown: list[tuple[Notice, bool]] = []
        self.closed: list[str] = []

    def probe(self) -> bool:
        self.status = "" if self.available else f"{self.name} is switched off"
        return self.available

    def show(self, notice: Notice) -> None:
        self.shown.append((notice, threading.current_thread() is threading.main_thread()))
        if self.error is not None:
            raise self.error

    def close(self, key: str) -> None:
        self.closed.append(key)


def test_backends_with_buttons_go_first_and_the_choice_is_logged(make_chain, caplog) -> None:  # noqa: ANN001
    caplog.set_level(logging.INFO, logger="habitdesk.services.notifier")
    plain, off, buttons = Scripted("plain"), Scripted("off", available=False), Scripted("buttons", actions=True)
    chain = make_chain([plain, off, buttons])
    assert chain.backend_name == "buttons"
    assert "notifications: using buttons (actions); fallbacks: plain; off unavailable: off is switched off" in caplog.text


def test_a_failure_falls_through_and_backends_run_off_the_gui_thread(make_chain, recorder, qtbot) -> None:  # noqa: ANN001
    broken = Scripted("broken", error=NotifyError("refused"))
    chain = make_chain([broken, CallableBackend("tray message", recorder)])
    failures: list = []
    chain.failed.connect(lambda *args: failures.append(args))
    chain.notify(NOTICE)
    qtbot.waitUntil(lambda: recorder.titles == ["Meditate"], timeout=5000)
    assert broken.shown == [(NOTICE, False)]  # tried first, on the worker
    assert recorder.threads == [True]  # the injected backend on the GUI thread
    assert chain.backend_name == "broken"  # a refusal is not a lost server: no demotion
    assert failures == []


def test_when_nothing_can_show_it_failed_says_why(make_chain, qtbot) -> None:  # noqa: ANN001
    def tray_refuses(notice: Notice) -> None:
        raise NotifyError("no system tray")

    chain = make_chain([Scripted("a", error=NotifyError("server gone", lost=True)), CallableBackend("tray message", tray_refuses)])
    with qtbot.waitSignal(chain.failed, timeout=5000) as blocker:
        chain.notify(NOTICE)
    assert blocker.args == ["1:20418:480", "a: server gone; tray message: no system tray"]


def test_no_backend_at_all_fails_each_notice(make_chain, qtbot) -> None:  # noqa: ANN001
    chain = make_chain([Scripted("off", available=False)])
    assert chain.backend_name == ""
    with qtbot.waitSignal(chain.failed, timeout=5000) as blocker:
        chain.notify(NOTICE)
    assert blocker.args == ["1:20418:480", "no notification backend is available"]


def test_a_lost_backend_is_demoted_then_probed_again(make_chain, recorder, qtbot) -> None:  # noqa: ANN001
    flaky = Scripted("flaky", actions=True, error=NotifyError("daemon gone", lost=True))
    chain = make_chain([flaky, CallableBackend("tray message", recorder)], reprobe_after=3600)
    chain.notify(NOTICE)
    qtbot.waitUntil(lambda: chain.backend_name == "tray message" and len(recorder.shown) == 1, timeout=5000)
    chain.notify(NOTICE)
    qtbot.waitUntil(lambda: len(recorder.shown) == 2, timeout=5000)
    assert len(flaky.shown) == 1  # demoted: not tried again before reprobe_after


def test_withdraw_goes_to_the_backend_that_showed_it(make_chain, qtbot) -> None:  # noqa: ANN001
    first, second = Scripted("first", error=NotifyError("no")), Scripted("second")
    chain = make_chain([first, second])
    chain.withdraw("never shown")
    chain.notify(NOTICE)
    chain.withdraw(NOTICE.key)
    qtbot.waitUntil(lambda: second.closed == [NOTICE.key], timeout=5000)
    assert first.closed == []


def test_answers_reported_by_an_injected_backend_reach_the_gui(make_chain, recorder, qtbot) -> None:  # noqa: ANN001
    tray = CallableBackend("tray message", recorder)
    chain = make_chain([tray])
    with qtbot.waitSignal(chain.action_invoked, timeout=5000) as blocker:
        threading.Thread(target=tray.report_action, args=(NOTICE.key, "default")).start()
    assert blocker.args == [NOTICE.key, "default"]


def test_no_session_bus_makes_dbus_unavailable(make_chain, recorder, monkeypatch, tmp_path, caplog) -> None:  # noqa: ANN001
    caplog.set_level(logging.INFO, logger="habitdesk.services.notifier")
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    chain = make_chain([FreedesktopBackend(), CallableBackend("tray message", recorder)])
    assert chain.backend_name == "tray message"
    assert "freedesktop D-Bus unavailable: no session bus (DBUS_SESSION_BUS_ADDRESS is not set)" in caplog.text


def test_close_stops_every_thread(make_chain) -> None:  # noqa: ANN001
    chain = make_chain([Scripted("a")])
    chain.close()
    chain.close()
    assert not [t for t in threading.enumerate() if t.name.startswith("habitdesk-notifier")]
    chain.notify(NOTICE)  # after close: ignored, no thread comes back
    assert not [t for t in threading.enumerate() if t.name.startswith("habitdesk-notifier")]


LAZY = """
import sys
import habitdesk.services.notifier as n
import habitdesk.services.notify_dbus, habitdesk.services.notify_plyer
chain = n.NotifierChain(n.default_backends(n.CallableBackend("tray message", print)))
print(sorted(m for m in ("plyer", "jeepney", "PySide6.QtWidgets", "PySide6.QtGui") if m in sys.modules))
"""


def test_importing_the_notifier_loads_neither_plyer_nor_jeepney() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([sys.executable, "-c", LAZY], capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
