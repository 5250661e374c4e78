"""Freedesktop notifications over D-Bus (org.freedesktop.Notifications) with action buttons.

Uses jeepney, imported on first use. One connection per backend, with a receiver
thread that routes method replies and the server's ActionInvoked and
NotificationClosed signals.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future
from itertools import count
from pathlib import Path
from typing import Any

from habitdesk import APP_ID, APP_NAME
from habitdesk.services.backend import Backend, Notice, NotifyError

log = logging.getLogger(__name__)

BUS_NAME = "org.freedesktop.Notifications"
OBJECT_PATH = "/org/freedesktop/Notifications"
NOTIFY_SIGNATURE = "susssasa{sv}i"
# D-Bus errors that mean nobody is serving notifications (any more).
_GONE = {
    "org.freedesktop.DBus.Error.ServiceUnknown",
    "org.freedesktop.DBus.Error.NameHasNoOwner",
    "org.freedesktop.DBus.Error.NoReply",
    "org.freedesktop.DBus.Error.Disconnected",
    "org.freedesktop.DBus.Error.NoServer",
    "org.freedesktop.DBus.Error.Timeout",
    "org.freedesktop.DBus.Error.TimedOut",
}
_EARLY_LIMIT = 32


def session_bus_address() -> str:
    """The session bus address, or raise NotifyError."""
    address = os.environ.get("DBUS_SESSION_BUS_ADDRESS", "")
    if address:
        return address
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if runtime and os.path.exists(os.path.join(runtime, "bus")):
        return "unix:path=" + os.path.join(runtime, "bus")
    raise NotifyError("no session bus (DBUS_SESSION_BUS_ADDRESS is not set)", lost=True)


def notification_icon() -> str:
    """The icon theme's name for HabitDesk once it is installed there (--install-desktop-entry,
    or a package), else the shipped PNG as a file URI, which every server can show."""
    from habitdesk.desktop import icons_dir
    from habitdesk.resources import icon_png

    for theme_dir in (icons_dir(), Path("/usr/local/share/icons/hicolor"), Path("/usr/share/icons/hicolor")):
        if (theme_dir / "scalable" / "apps" / f"{APP_ID}.svg").is_file() or (theme_dir / "64x64" / "apps" / f"{APP_ID}.png").is_file():
            return APP_ID
    return icon_png(64).resolve().as_uri()


class _Connection:
    """A jeepney connection with a receiver thread; call() is safe from any thread."""

    _ids = count(1)

    def __init__(self, address: str, timeout: float, on_signal: Callable[[object], None]) -> None:
        from jeepney.io.threading import open_dbus_connection

        self._conn = open_dbus_connection(bus=address, auth_timeout=timeout)
        self._on_signal = on_signal
        self._lock = threading.Lock()
        self._pending: dict[int, Future] = {}
        self.alive = True
        self._thread = threading.Thread(target=self._receive, name=f"habitdesk-notifier-dbus-{next(self._ids)}", daemon=True)
        self._thread.start()

    def request(self, message: object, timeout: float) -> Any:  # a jeepney Message
        """Send a method call and return the reply message (an error reply included).

        Raises TimeoutError, or ConnectionError when the connection is or goes down."""
        serial = next(self._conn.outgoing_serial)
        future: Future = Future()
        with self._lock:
            if not self.alive:
                raise ConnectionError("the D-Bus connection is closed")
            self._pending[serial] = future
        try:
            self._conn.send(message, serial=serial)
            return future.result(timeout)
        except OSError as exc:
            if isinstance(exc, TimeoutError):
                raise
            raise ConnectionError(f"lost the D-Bus connection: {exc}") from exc
        finally:
            with self._lock:
                self._pending.pop(serial, None)

    def _receive(self) -> None:
        from jeepney import HeaderFields, MessageType
        from jeepney.io.threading import ReceiveStopped

        reason: BaseException = ConnectionError("the D-Bus connection was closed")
        try:
            while True:
                message = self._conn.receive()
                serial = message.header.fields.get(HeaderFields.reply_serial)
                with self._lock:
                    future = self._pending.pop(serial, None) if serial is not None else None
                if future is not None:
                    future.set_result(message)
                elif message.header.message_type == MessageType.signal:
                    try:
                        self._on_signal(message)
                    except Exception:
                        log.exception("notifications: a D-Bus signal handler failed")
        except ReceiveStopped:
            pass
        except Exception as exc:
            log.info("notifications: lost the D-Bus connection: %s", exc)
            reason = ConnectionError(f"lost the D-Bus connection: {exc}")
        finally:
            with self._lock:
                self.alive = False
                pending, self._pending = self._pending, {}
            for future in pending.values():
                future.set_exception(reason)

    def close(self) -> None:
        with self._lock:
            self.alive = False
        try:
            self._conn.interrupt()  # the receiver stops before the socket closes under it
        except OSError:
            pass
        if self._thread is not threading.current_thread():
            self._thread.join(5)
        try:
            self._conn.close()
        except OSError:
            pass
        for name in ("_stop_r", "_stop_w"):  # jeepney leaves its wake-up pipe open
            try:
                os.close(getattr(self._conn, name))
            except (AttributeError, OSError):
                pass


class FreedesktopBackend(Backend):
    """org.freedesktop.Notifications: buttons when the server advertises 'actions'."""

    name = "freedesktop D-Bus"

    def __init__(
        self,
        *,
        timeout: float = 3.0,
        address: str | None = None,
        app_name: str = APP_NAME,
        app_icon: str | None = None,
        desktop_entry: str = APP_ID,
        default_label: str | None = "Open HabitDesk",
    ) -> None:
        """timeout: seconds to wait for any reply. address: the bus (default: the session bus).
        default_label: add a "default" action (a click on the body) when buttons are shown."""
        super().__init__()
        self.timeout = timeout
        self._address = address
        self._app_name = app_name
        self._app_icon = app_icon if app_icon is not None else notification_icon()
        self._desktop_entry = desktop_entry
        self._default_label = default_label
        self._capabilities: set[str] = set()
        self._conn: _Connection | None = None
        self._lock = threading.Lock()  # guards the maps below (worker vs receiver thread)
        self._server = ""  # the unique name of the server that issued our ids
        self._ids: dict[str, int] = {}
        self._keys: dict[int, str] = {}
        self._early: dict[tuple[str, int], list[str]] = {}  # actions for ids not mapped (yet)

    # -- Backend -------------------------------------------------------------

    def probe(self) -> bool:
        try:
            capabilities = self._call("GetCapabilities", "", ())[0]
        except NotifyError as exc:
            self.status = str(exc)
            self.supports_actions = False
            return False
        self._capabilities = set(capabilities)
        self.supports_actions = "actions" in self._capabilities
        notes = [] if self.supports_actions else ["the server does not advertise 'actions'"]
        try:
            server, _vendor, version, _spec = self._call("GetServerInformation", "", ())
            notes.append(f"server: {server} {version}".strip())
        except (NotifyError, ValueError):
            pass
        self.status = ", ".join(notes)
        return True

    def show(self, notice: Notice) -> None:
        actions: list[str] = []
        if self.supports_actions:
            if self._default_label and notice.actions and all(a != "default" for a, _ in notice.actions):
                actions += ["default", self._default_label]
            for action, label in notice.actions:
                actions += [action, label]
        body = notice.text
        if "body-markup" in self._capabilities:
            body = body.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        hints = {"desktop-entry": ("s", self._desktop_entry), "urgency": ("y", 1)}
        with self._lock:
            replaces = self._ids.get(notice.key, 0)
        args = (self._app_name, replaces, self._app_icon, notice.title, body, actions, hints, -1)
        (server_id,), sender = self._call_with_sender("Notify", NOTIFY_SIGNATURE, args)
        self._remember(notice.key, server_id, sender)

    def close(self, key: str) -> None:
        with self._lock:
            server_id = self._ids.pop(key, None)
            if server_id is not None:
                self._keys.pop(server_id, None)
        if server_id is None or self._conn is None or not self._conn.alive:
            return
        self._call("CloseNotification", "u", (server_id,))

    def shutdown(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    # -- D-Bus plumbing --------------------------------------------------------

    def _connection(self) -> _Connection:
        if self._conn is not None and self._conn.alive:
            return self._conn
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        address = self._address or session_bus_address()
        try:
            conn = _Connection(address, self.timeout, self._on_signal)
        except ValueError as exc:  # jeepney could not read the address
            raise NotifyError(f"the session bus address {address!r} is not usable", lost=True) from exc
        except Exception as exc:
            raise NotifyError(f"cannot connect to the session bus: {exc}", lost=True) from exc
        try:
            from jeepney import MessageType
            from jeepney.bus_messages import MatchRule, message_bus

            rule = MatchRule(type="signal", interface=BUS_NAME, path=OBJECT_PATH)
            reply = conn.request(message_bus.AddMatch(rule), self.timeout)
            if reply.header.message_type == MessageType.error:
                raise ConnectionError(str(reply.body))
        except Exception as exc:
            conn.close()
            raise NotifyError(f"the session bus refused a match rule: {exc}", lost=True) from exc
        self._conn = conn
        return conn

    def _call(self, method: str, signature: str, body: tuple) -> tuple:
        return self._call_with_sender(method, signature, body)[0]

    def _call_with_sender(self, method: str, signature: str, body: tuple) -> tuple[tuple, str]:
        from jeepney import DBusAddress, HeaderFields, MessageType, new_method_call

        conn = self._connection()
        address = DBusAddress(OBJECT_PATH, bus_name=BUS_NAME, interface=BUS_NAME)
        message = new_method_call(address, method, signature or None, body)
        try:
            reply = conn.request(message, self.timeout)
        except TimeoutError as exc:
            raise NotifyError(f"no reply to {method} within {self.timeout:g} s", lost=True) from exc
        except ConnectionError as exc:
            raise NotifyError(str(exc), lost=True) from exc
        if reply.header.message_type == MessageType.error:
            name = reply.header.fields.get(HeaderFields.error_name, "")
            detail = reply.body[0] if reply.body and isinstance(reply.body[0], str) else ""
            if name in _GONE:
                raise NotifyError(f"no notification server on the session bus ({name})", lost=True)
            raise NotifyError(f"{method} was refused: {name} {detail}".strip())
        return reply.body, reply.header.fields.get(HeaderFields.sender, "")

    # -- ids and signals ---------------------------------------------------------

    def _remember(self, key: str, server_id: int, sender: str) -> None:
        with self._lock:
            if sender != self._server:
                self._server = sender  # a new server: the old ids mean nothing now
                self._ids.clear()
                self._keys.clear()
            self._ids[key] = server_id
            self._keys[server_id] = key
            early = self._early.pop((sender, server_id), [])
        for action in early:
            self.report_action(key, action)

    def _on_signal(self, message: object) -> None:
        from jeepney import HeaderFields

        fields = message.header.fields  # type: ignore[attr-defined]
        member = fields.get(HeaderFields.member)
        sender = fields.get(HeaderFields.sender, "")
        body = message.body  # type: ignore[attr-defined]
        if fields.get(HeaderFields.interface) != BUS_NAME or len(body) != 2:
            return
        server_id = body[0]
        with self._lock:
            key = self._keys.get(server_id) if sender == self._server else None
            if member == "ActionInvoked" and key is None:
                # Maybe ours, its Notify reply not handled yet; or another application's.
                self._early.setdefault((sender, server_id), []).append(body[1])
                while len(self._early) > _EARLY_LIMIT:
                    del self._early[next(iter(self._early))]
                return
            if member == "NotificationClosed" and key is not None:
                del self._keys[server_id]
                if self._ids.get(key) == server_id:
                    del self._ids[key]
                return
        if member == "ActionInvoked" and key is not None:
            self.report_action(key, body[1])
