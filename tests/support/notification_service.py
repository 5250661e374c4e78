"""A notification server for the test suite: owns org.freedesktop.Notifications.

Run it inside a session bus (DBUS_SESSION_BUS_ADDRESS set):

    python tests/support/notification_service.py [--capabilities actions,body] [--hang]

Once it owns the name it prints one JSON line: {"address": ..., "unique_name": ...}.
It records every call on the Notifications interface, rejects a Notify whose
signature is not exactly susssasa{sv}i, and with --hang never answers Notify.
The test drives it through org.habitdesk.Test at /org/habitdesk/Test on its
unique name:

    Calls() -> s              the recorded calls, as JSON
    Invoke(u id, s action)    emit ActionInvoked(id, action): press a button
    Close(u id, u reason)     emit NotificationClosed(id, reason)
    SetHang(b hang)           stop (or resume) answering Notify

Stop it with SIGTERM.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys

from jeepney import DBusAddress, HeaderFields, MessageType, new_error, new_method_return, new_signal
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import open_dbus_connection

BUS_NAME = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
CONTROL = "org.habitdesk.Test"
CONTROL_PATH = "/org/habitdesk/Test"
NOTIFY_SIGNATURE = "susssasa{sv}i"
CLOSED_BY_CALL = 3


class Server:
    def __init__(self, conn, capabilities: list[str], hang: bool) -> None:  # noqa: ANN001
        self.conn = conn
        self.capabilities = capabilities
        self.hang = hang
        self.calls: list[dict] = []
        self.next_id = 1
        self.open: set[int] = set()
        self.emitter = DBusAddress(PATH, interface=BUS_NAME)

    def serve(self) -> None:
        while True:
            msg = self.conn.receive()
            if msg.header.message_type != MessageType.method_call:
                continue
            fields = msg.header.fields
            try:
                reply = self.handle(msg, fields.get(HeaderFields.interface), fields.get(HeaderFields.member))
            except Exception as exc:  # the test should see it, not a dead service
                reply = new_error(msg, "org.habitdesk.Test.Error.Internal", "s", (repr(exc),))
            if reply is not None:
                self.conn.send(reply)

    def handle(self, msg, interface: str | None, member: str | None):  # noqa: ANN001, ANN201, C901
        fields = msg.header.fields
        signature = fields.get(HeaderFields.signature, "")
        if interface == CONTROL:
            if member == "Calls":
                return new_method_return(msg, "s", (json.dumps(self.calls),))
            if member == "Invoke":
                nid, action = msg.body
                self.conn.send(new_signal(self.emitter, "ActionInvoked", "us", (nid, action)))
                return new_method_return(msg)
            if member == "Close":
                nid, reason = msg.body
                self.open.discard(nid)
                self.conn.send(new_signal(self.emitter, "NotificationClosed", "uu", (nid, reason)))
                return new_method_return(msg)
            if member == "SetHang":
                self.hang = bool(msg.body[0])
                return new_method_return(msg)
        elif interface in (BUS_NAME, None) and fields.get(HeaderFields.path) == PATH:
            call = {"method": member, "signature": signature, "sender": fields.get(HeaderFields.sender), "args": list(msg.body)}
            self.calls.append(call)
            if member == "GetCapabilities":
                return new_method_return(msg, "as", (self.capabilities,))
            if member == "GetServerInformation":
                return new_method_return(msg, "ssss", ("habitdesk-test-server", "HabitDesk", "1.0", "1.2"))
            if member == "Notify":
                if signature != NOTIFY_SIGNATURE:
                    call["rejected"] = True
                    text = f"Notify takes ({NOTIFY_SIGNATURE}), not ({signature})"
                    return new_error(msg, "org.freedesktop.DBus.Error.InvalidArgs", "s", (text,))
                if self.hang:
                    return None
                replaces = msg.body[1]
                nid = replaces if replaces in self.open else self.next_id
                if nid == self.next_id:
                    self.next_id += 1
                self.open.add(nid)
                call["id"] = nid
                return new_method_return(msg, "u", (nid,))
            if member == "CloseNotification":
                nid = msg.body[0]
                if nid in self.open:
                    self.open.discard(nid)
                    self.conn.send(new_signal(self.emitter, "NotificationClosed", "uu", (nid, CLOSED_BY_CALL)))
                return new_method_return(msg)
        return new_error(msg, "org.freedesktop.DBus.Error.UnknownMethod", "s", (f"no method {interface}.{member}",))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--capabilities", default="actions,body", help="comma-separated; '' for none")
    parser.add_argument("--hang", action="store_true", help="never answer Notify")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    conn = open_dbus_connection(bus="SESSION")
    owned = conn.send_and_get_reply(message_bus.RequestName(BUS_NAME, 4), timeout=10).body[0]  # 4: do not queue
    if owned != 1:
        print(json.dumps({"error": f"could not own {BUS_NAME} (RequestName said {owned})"}), flush=True)
        return 2
    capabilities = [c for c in args.capabilities.split(",") if c]
    print(json.dumps({"address": os.environ["DBUS_SESSION_BUS_ADDRESS"], "unique_name": conn.unique_name}), flush=True)
    try:
        Server(conn, capabilities, args.hang).serve()
    except (ConnectionError, OSError):
        return 0  # the bus went away
    return 0


if __name__ == "__main__":
    sys.exit(main())
