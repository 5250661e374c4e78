"""plyer notifications, with its silent failures turned into NotifyError.

plyer is imported on first use. On Linux without dbus-python it shells out to
notify-send (or, in a Flatpak, gdbus) and ignores the exit status; where it would
do that we run the same command ourselves and check it. With no backend at all
plyer raises NotImplementedError.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import os
import shutil
import signal
import subprocess
import warnings

from habitdesk import APP_ID, APP_NAME
from habitdesk.services.backend import Backend, Notice, NotifyError

log = logging.getLogger(__name__)

_NOTIFY_SEND = "NotifySendNotification"
_PORTAL = "NotifyDesktopPortals"


def _gvariant_string(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


class PlyerBackend(Backend):
    """plyer.notification, without action buttons."""

    name = "plyer"

    def __init__(self, *, seconds_shown: int = 10, timeout: float = 5.0) -> None:
        """seconds_shown: how long the notification stays; timeout: limit for a helper command."""
        super().__init__()
        self.seconds_shown = seconds_shown
        self.timeout = timeout
        self._impl: object | None = None
        self._notes: list[str] = []

    def implementation(self) -> object:
        """plyer's notification object for this platform, resolved once (plyer's own
        proxy caches the first answer for the whole process and prints tracebacks)."""
        if self._impl is None:
            from plyer import facades
            from plyer.utils import platform

            # catch_warnings is process-wide; this runs once per probe, for a few milliseconds.
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                try:
                    module = importlib.import_module(f"plyer.platforms.{platform}.notification")
                    self._impl = module.instance()
                except Exception as exc:
                    log.debug("plyer: no notification module for %s: %s", platform, exc)
                    self._impl = facades.Notification()
            # plyer explains itself in warnings ("notify-send not found."): keep their first lines.
            self._notes = [str(w.message).strip().splitlines()[0].rstrip(".") for w in caught if str(w.message).strip()]
        return self._impl

    def probe(self) -> bool:
        impl = self.implementation()
        kind = type(impl).__name__
        if type(impl).__module__ == "plyer.facades.notification":
            self.status = "plyer has no notification backend here"
            if self._notes:
                self.status += f" ({'; '.join(self._notes)})"
            self._impl = None  # look again at the next probe: notify-send may be installed by then
            return False
        if kind == _NOTIFY_SEND:
            if shutil.which("notify-send") is None:
                self.status = "notify-send not found"
                return False
            self.status = "notify-send"
        elif kind == _PORTAL:
            self.status = "xdg-desktop-portal"
        else:
            self.status = kind
        return True

    def show(self, notice: Notice) -> None:
        impl = self.implementation()
        kind = type(impl).__name__
        if kind == _NOTIFY_SEND:
            self._run(
                [
                    "notify-send",
                    "--app-name", APP_NAME,
                    "--icon", APP_ID,
                    "--expire-time", str(self.seconds_shown * 1000),
                    "--", notice.title, notice.text,
                ]
            )
            return
        if kind == _PORTAL:
            self._run(
                [
                    "gdbus", "call", "--session",
                    "--dest", "org.freedesktop.portal.Desktop",
                    "--object-path", "/org/freedesktop/portal/desktop",
                    "--method", "org.freedesktop.portal.Notification.AddNotification",
                    notice.key,
                    f"{{'title': <{_gvariant_string(notice.title)}>, 'body': <{_gvariant_string(notice.text)}>}}",
                ]
            )
            return
        try:
            impl.notify(  # type: ignore[attr-defined]
                title=notice.title, message=notice.text, app_name=APP_NAME, timeout=self.seconds_shown
            )
        except NotImplementedError as exc:
            raise NotifyError(f"plyer has no notification backend here ({exc})") from exc
        except Exception as exc:
            raise NotifyError(f"plyer failed: {exc}") from exc

    def _run(self, command: list[str]) -> None:
        try:
            proc = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                start_new_session=True,  # on a timeout, whatever it started goes too
            )
        except FileNotFoundError as exc:
            raise NotifyError(f"{command[0]} not found") from exc
        except OSError as exc:
            raise NotifyError(f"{command[0]} could not run: {exc}") from exc
        try:
            out, err = proc.communicate(timeout=self.timeout)
        except subprocess.TimeoutExpired as exc:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise NotifyError(f"{command[0]} did not finish within {self.timeout:g} s") from exc
        if proc.returncode != 0:
            detail = " ".join((err or out).split())[:300]
            raise NotifyError(f"{command[0]} exited with status {proc.returncode}: {detail or 'no message'}")
