"""The notifier chain against a real D-Bus session and the test notification server."""

from __future__ import annotations

import logging
import sys
import threading
import time

import pytest
from jeepney import DBusAddress, new_method_call
from jeepney.wrappers import DBusErrorResponse, unwrap_msg
from PySide6.QtCore import QTimer

from habitdesk.services.notifier import DEFAULT_TEXT, CallableBackend, Notice
from habitdesk.services.notify_dbus import FreedesktopBackend

YES_NO = (("done", "Done"), ("skip", "Skip"), ("snooze", "Snooze"))
MEDITATE = Notice("12:20418:480", "Meditate", "Did you meditate today?", YES_NO)
TRAY = "tray message"


def chain_with_tray(make_chain, recorder, **dbus_options):  # noqa: ANN001, ANN201
    return make_chain([FreedesktopBackend(**dbus_options), CallableBackend(TRAY, recorder)])


def test_a_notice_is_exactly_one_notify_with_buttons(make_chain, recorder, notification_service, qtbot, caplog) -> None:  # noqa: ANN001
    caplog.set_level(logging.INFO, logger="habitdesk.services.notifier")
    chain = chain_with_tray(make_chain, recorder)
    assert chain.backend_name == "freedesktop D-Bus"
    assert "notifications: using freedesktop D-Bus (actions" in caplog.text

    chain.notify(MEDITATE)
    calls = notification_service.wait_for_calls("Notify")
    qtbot.wait(200)  # room for a duplicate to show up
    calls = notification_service.calls("Notify")
    assert len(calls) == 1
    call = calls[0]
    assert call["signature"] == "susssasa{sv}i"
    app_name, replaces_id, icon, title, text, actions, hints, expire = call["args"]
    # Not installed in an icon theme (the suite's XDG folders are empty): the shipped PNG.
    assert (app_name, replaces_id, expire) == ("HabitDesk", 0, -1)
    assert icon.startswith("file:///") and icon.endswith("/64x64/apps/io.github.habitdesk.HabitDesk.png")
    assert (title, text) == ("Meditate", "Did you meditate today?")
    assert actions == ["default", "Open HabitDesk", "done", "Done", "skip", "Skip", "snooze", "Snooze"]
    assert hints["desktop-entry"] == ["s", "io.github.habitdesk.HabitDesk"]
    assert recorder.shown == []


def test_a_measurable_habit_offers_enter_amount(make_chain, recorder, notification_service) -> None:  # noqa: ANN001
    chain = chain_with_tray(make_chain, recorder)
    chain.notify(Notice("3:20418:600", "Run", DEFAULT_TEXT, (("amount", "Enter amount…"),)))
    (call,) = notification_service.wait_for_calls("Notify")
    assert call["args"][3:6] == ["Run", "Did you complete this habit today?", ["default", "Open HabitDesk", "amount", "Enter amount…"]]


def test_pressing_done_answers_on_the_gui_thread(make_chain, recorder, notification_service, qtbot) -> None:  # noqa: ANN001
    chain = chain_with_tray(make_chain, recorder)
    answers: list[tuple[str, str, bool]] = []
    chain.action_invoked.connect(lambda key, action: answers.append((key, action, threading.current_thread() is threading.main_thread())))
    chain.notify(MEDITATE)
    (call,) = notification_service.wait_for_calls("Notify")

    # Another application's notification: not ours, nothing happens.
    notification_service.invoke(call["id"] + 100, "done")
    with qtbot.waitSignal(chain.action_invoked, timeout=5000) as blocker:
        notification_service.invoke(call["id"], "done")
    assert blocker.args == ["12:20418:480", "done"]
    assert answers == [("12:20418:480", "done", True)]

    with qtbot.waitSignal(chain.action_invoked, timeout=5000) as blocker:
        notification_service.invoke(call["id"], "default")  # a click on the body
    assert blocker.args == ["12:20418:480", "default"]


def test_withdraw_closes_the_notification(make_chain, recorder, notification_service) -> None:  # noqa: ANN001
    chain = chain_with_tray(make_chain, recorder)
    chain.notify(MEDITATE)
    (call,) = notification_service.wait_for_calls("Notify")
    chain.withdraw(MEDITATE.key)
    closes = notification_service.wait_for_calls("CloseNotification")
    assert [c["args"] for c in closes] == [[call["id"]]]
    assert closes[0]["signature"] == "u"


def test_the_same_reminder_again_replaces_its_notification(make_chain, recorder, notification_service) -> None:  # noqa: ANN001
    chain = chain_with_tray(make_chain, recorder)
    chain.notify(MEDITATE)
    chain.notify(MEDITATE)  # snoozed and due again
    chain.notify(Notice("7:20418:480", "Read", DEFAULT_TEXT, YES_NO))
    first, again, other = notification_service.wait_for_calls("Notify", 3)
    assert again["args"][1] == first["id"] and again["id"] == first["id"]
    assert other["args"][1] == 0 and other["id"] != first["id"]


def test_a_dismissed_notification_is_not_closed_again(make_chain, recorder, notification_service, qtbot) -> None:  # noqa: ANN001
    dbus = FreedesktopBackend()
    chain = make_chain([dbus, CallableBackend(TRAY, recorder)])
    chain.notify(MEDITATE)
    (call,) = notification_service.wait_for_calls("Notify")
    qtbot.waitUntil(lambda: MEDITATE.key in dbus._ids, timeout=10_000)  # noqa: SLF001 - the reply was handled
    notification_service.close_notification(call["id"], 2)
    qtbot.waitUntil(lambda: MEDITATE.key not in dbus._ids, timeout=10_000)  # the signal arrived (however busy the machine)  # noqa: SLF001
    chain.withdraw(MEDITATE.key)
    chain.notify(Notice("7:20418:480", "Read", DEFAULT_TEXT))  # a marker: the withdraw has been handled
    notification_service.wait_for_calls("Notify", 2)
    assert notification_service.calls("CloseNotification") == []


def test_with_the_server_gone_the_chain_falls_back(make_chain, recorder, notification_service, qtbot, caplog) -> None:  # noqa: ANN001
    caplog.set_level(logging.INFO, logger="habitdesk.services.notifier")
    chain = chain_with_tray(make_chain, recorder)
    failures: list = []
    chain.failed.connect(lambda *args: failures.append(args))
    chain.notify(MEDITATE)
    notification_service.wait_for_calls("Notify")
    notification_service.stop()

    chain.notify(Notice("7:20418:480", "Read", DEFAULT_TEXT, YES_NO))
    qtbot.waitUntil(lambda: recorder.titles == ["Read"], timeout=10000)
    assert recorder.threads == [True]  # the tray is used from the GUI thread
    qtbot.waitUntil(lambda: chain.backend_name == TRAY, timeout=5000)
    assert "freedesktop D-Bus lost its server" in caplog.text

    chain.notify(Notice("9:20418:480", "Stretch", DEFAULT_TEXT))  # straight to the tray now
    qtbot.waitUntil(lambda: recorder.titles == ["Read", "Stretch"], timeout=5000)
    assert failures == []


def test_the_server_coming_back_is_used_again(make_chain, recorder, session_bus, qtbot) -> None:  # noqa: ANN001
    first = session_bus.start_service()
    chain = make_chain([FreedesktopBackend(), CallableBackend(TRAY, recorder)], reprobe_after=0)
    first.stop()
    chain.notify(MEDITATE)
    qtbot.waitUntil(lambda: recorder.titles == ["Meditate"], timeout=10000)

    second = session_bus.start_service()
    chain.notify(Notice("7:20418:480", "Read", DEFAULT_TEXT))
    (call,) = second.wait_for_calls("Notify")
    assert call["args"][3] == "Read"
    assert recorder.titles == ["Meditate"]


def test_no_server_at_start_up_picks_the_fallback_and_says_why(make_chain, recorder, session_bus, qtbot, caplog) -> None:  # noqa: ANN001
    caplog.set_level(logging.INFO, logger="habitdesk.services.notifier")
    chain = chain_with_tray(make_chain, recorder)
    assert chain.backend_name == TRAY
    assert (
        "notifications: using tray message (no action buttons); freedesktop D-Bus unavailable: "
        "no notification server on the session bus (org.freedesktop.DBus.Error.ServiceUnknown)"
    ) in caplog.text
    chain.notify(MEDITATE)
    qtbot.waitUntil(lambda: recorder.titles == ["Meditate"], timeout=5000)


def test_a_server_without_actions_gets_title_and_text_only(make_chain, recorder, session_bus, caplog) -> None:  # noqa: ANN001
    caplog.set_level(logging.INFO, logger="habitdesk.services.notifier")
    service = session_bus.start_service("--capabilities", "body")
    chain = chain_with_tray(make_chain, recorder)
    assert chain.backend_name == "freedesktop D-Bus"
    assert "using freedesktop D-Bus (no action buttons, the server does not advertise 'actions'" in caplog.text
    chain.notify(MEDITATE)
    (call,) = service.wait_for_calls("Notify")
    assert call["args"][3:6] == ["Meditate", "Did you meditate today?", []]


def test_a_hung_server_never_blocks_the_gui(make_chain, recorder, session_bus, qtbot) -> None:  # noqa: ANN001
    service = session_bus.start_service("--hang")
    chain = chain_with_tray(make_chain, recorder, timeout=1.0)
    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(10)

    began = time.monotonic()
    chain.notify(MEDITATE)
    assert time.monotonic() - began < 0.1  # returned at once
    qtbot.waitUntil(lambda: recorder.titles == ["Meditate"], timeout=10000)
    fell_back = time.monotonic() - began
    timer.stop()

    assert len(service.calls("Notify")) == 1  # it was asked, and never answered
    assert fell_back >= 0.9  # the fallback came after the D-Bus timeout...
    during = [t for t in ticks if t < began + 0.9]
    assert len(during) >= 20  # ...and the event loop kept running meanwhile
    assert max(b - a for a, b in zip([began, *during], during, strict=False)) < 0.5


def test_the_service_rejects_a_signed_replaces_id(notification_service, session_bus) -> None:  # noqa: ANN001
    """The rig checks what real daemons check: replaces_id is a uint32 (QtDBus sends an int)."""
    target = DBusAddress("/org/freedesktop/Notifications", bus_name="org.freedesktop.Notifications", interface="org.freedesktop.Notifications")
    message = new_method_call(target, "Notify", "sisssasa{sv}i", ("HabitDesk", 0, "", "t", "b", [], {}, -1))
    reply = session_bus.connection.send_and_get_reply(message, timeout=10)
    with pytest.raises(DBusErrorResponse, match="InvalidArgs"):
        unwrap_msg(reply)
    (call,) = notification_service.calls("Notify")
    assert call["rejected"] is True


def test_a_server_that_starts_after_the_app_is_picked_up(make_chain, recorder, session_bus, qtbot) -> None:  # noqa: ANN001
    chain = make_chain([FreedesktopBackend(), CallableBackend(TRAY, recorder)], reprobe_after=0)
    assert chain.backend_name == TRAY
    service = session_bus.start_service()  # the desktop's daemon came up late
    chain.notify(MEDITATE)
    (call,) = service.wait_for_calls("Notify")
    assert call["args"][3] == "Meditate"
    qtbot.waitUntil(lambda: chain.backend_name == "freedesktop D-Bus", timeout=5000)
    assert recorder.shown == []


def test_text_is_escaped_for_a_server_that_reads_markup(make_chain, recorder, session_bus) -> None:  # noqa: ANN001
    service = session_bus.start_service("--capabilities", "actions,body,body-markup")
    chain = chain_with_tray(make_chain, recorder)
    chain.notify(Notice("5:20418:480", "Read & write", "Pages <b>read</b> & notes?", YES_NO))
    (call,) = service.wait_for_calls("Notify")
    assert call["args"][3:5] == ["Read & write", "Pages &lt;b&gt;read&lt;/b&gt; &amp; notes?"]


def test_the_standard_chain_falls_through_dbus_and_plyer_to_the_tray(make_chain, recorder, notification_service, qtbot, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    """default_backends() as the app builds it; notify-send fails the way it does without a server."""
    from habitdesk.services.notifier import default_backends

    folder = tmp_path / "bin"
    folder.mkdir()
    (folder / "notify-send").write_text("#!/bin/sh\necho 'GDBus.Error:org.freedesktop.DBus.Error.ServiceUnknown' >&2\nexit 1\n")
    (folder / "notify-send").chmod(0o755)
    monkeypatch.setenv("PATH", str(folder))
    monkeypatch.setitem(sys.modules, "dbus", None)  # plyer takes its notify-send path

    chain = make_chain(default_backends(CallableBackend(TRAY, recorder)))
    assert chain.backend_name == "freedesktop D-Bus"
    chain.notify(MEDITATE)
    notification_service.wait_for_calls("Notify")
    notification_service.stop()
    with qtbot.assertNotEmitted(chain.failed, wait=200):
        chain.notify(Notice("7:20418:480", "Read", DEFAULT_TEXT, YES_NO))
        qtbot.waitUntil(lambda: recorder.titles == ["Read"], timeout=10000)
    assert chain.backend_name == "plyer"  # D-Bus lost its server; plyer only failed this once


def test_the_icon_is_the_themes_once_installed(monkeypatch) -> None:  # noqa: ANN001
    from habitdesk.desktop import install_desktop_entry
    from habitdesk.services.notify_dbus import notification_icon

    assert notification_icon().startswith("file:///")
    install_desktop_entry()
    assert notification_icon() == "io.github.habitdesk.HabitDesk"
