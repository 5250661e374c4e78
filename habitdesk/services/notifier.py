"""The notifier chain: desktop notifications shown through the first backend that works.

Backends are probed off the GUI thread at start-up and ordered: those with action
buttons first, then the others in the order given. Every call to a backend runs on
one worker thread (or, for a backend that must use the GUI thread, is posted there)
and a failure falls through to the next backend. A backend whose server went away
(or that was unavailable at start-up) is left out and probed again a little later.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Qt, Signal, Slot

from habitdesk.services.backend import DEFAULT_TEXT, ActionHandler, Backend, Notice, NotifyError

__all__ = ["DEFAULT_TEXT", "ActionHandler", "Backend", "CallableBackend", "Notice", "NotifierChain", "NotifyError"]

log = logging.getLogger(__name__)

class CallableBackend(Backend):
    """A backend made of plain callables run on the GUI thread, e.g. the tray's showMessage.

    show may raise (NotifyError or anything else) to fall through. Its owner can call
    report_action(key, action) when the user answers, e.g. on messageClicked.
    """

    runs_on_gui_thread = True

    def __init__(
        self,
        name: str,
        show: Callable[[Notice], None],
        supports_actions: bool = False,
        close: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__()
        self.name = name
        self.supports_actions = supports_actions
        self._show = show
        self._close = close

    def show(self, notice: Notice) -> None:
        self._show(notice)

    def close(self, key: str) -> None:
        if self._close is not None:
            self._close(key)


def default_backends(last_resort: Backend | None = None) -> list[Backend]:
    """The standard chain: freedesktop D-Bus (Linux), plyer, then last_resort (the tray)."""
    import sys

    from habitdesk.services.notify_plyer import PlyerBackend

    backends: list[Backend] = []
    if sys.platform.startswith("linux"):
        from habitdesk.services.notify_dbus import FreedesktopBackend

        backends.append(FreedesktopBackend())
    backends.append(PlyerBackend())
    if last_resort is not None:
        backends.append(last_resort)
    return backends


def _one_line(text: object) -> str:
    return " ".join(str(text).split()) or "unknown error"


class NotifierChain(QObject):
    """Shows notices through the first working backend; never blocks the GUI thread.

    Create and use it on the GUI thread. Call close() before the application quits.

    Signals:
        action_invoked(str, str): (notice key, action id); "default" = the body was clicked
        failed(str, str): (notice key, one-line reason): no backend could show it
        ready(str): the backend in use, once start()'s probing is done ("" if none)
    """

    action_invoked = Signal(str, str)  # (notice key, action id); "default" = the body was clicked
    failed = Signal(str, str)  # (notice key, one-line reason): no backend could show it
    ready = Signal(str)  # the backend in use, once start()'s probing is done ("" if none)

    _event = Signal(object)  # worker and listener threads -> GUI thread

    def __init__(
        self,
        backends: Sequence[Backend],
        parent: QObject | None = None,
        *,
        reprobe_after: float = 60.0,
    ) -> None:
        super().__init__(parent)
        self._backends = list(backends)
        self._reprobe_after = reprobe_after
        self._jobs: queue.Queue[Callable[[], None] | None] = queue.Queue()
        self._worker: threading.Thread | None = None
        self._closed = False
        self._backend_name = ""
        # Worker-thread state.
        self._order: list[Backend] = []
        self._demoted: dict[Backend, float] = {}
        self._shown: dict[str, Backend] = {}
        self._event.connect(self._on_event, Qt.ConnectionType.QueuedConnection)
        for backend in self._backends:
            backend.listen(self._backend_action)

    # -- GUI-thread API -------------------------------------------------------

    @property
    def backend_name(self) -> str:
        """The backend notices go to first ("" before start() has finished probing)."""
        return self._backend_name

    def start(self) -> None:
        """Probe the backends on the worker thread; ready is emitted when done."""
        if self._worker is not None or self._closed:
            return
        self._worker = threading.Thread(target=self._run, name="habitdesk-notifier", daemon=True)
        self._worker.start()
        self._jobs.put(self._probe_all)

    def notify(self, notice: Notice) -> None:
        """Show a notice; returns at once. Failures fall through; failed() if none worked."""
        if self._closed:
            return
        self.start()
        self._jobs.put(lambda: self._deliver(notice, None, []))

    def withdraw(self, key: str) -> None:
        """Close the notice shown under key (answered elsewhere)."""
        if self._closed:
            return
        self.start()
        self._jobs.put(lambda: self._withdraw(key))

    def close(self, timeout: float = 10.0) -> None:
        """Stop the worker and the backends' threads. Idempotent."""
        if self._closed:
            return
        self._closed = True
        if self._worker is not None:
            self._jobs.put(None)
            self._worker.join(timeout)
            if self._worker.is_alive():
                log.warning("notifications: the worker did not stop within %.0f s", timeout)
        for backend in self._backends:
            try:
                backend.shutdown()
            except Exception:
                log.exception("notifications: %s did not shut down cleanly", backend.name)

    # -- GUI thread: events from the worker -----------------------------------

    @Slot(object)
    def _on_event(self, event: tuple) -> None:
        if self._closed:
            return
        kind = event[0]
        if kind == "action":
            self.action_invoked.emit(event[1], event[2])
        elif kind == "failed":
            self.failed.emit(event[1], event[2])
        elif kind == "order":
            self._backend_name = event[1]
            if event[2]:
                self.ready.emit(event[1])
        elif kind == "show":
            self._show_here(*event[1:])
        elif kind == "close":
            try:
                event[1].close(event[2])
            except Exception as exc:
                log.warning("notifications: %s could not withdraw %s: %s", event[1].name, event[2], _one_line(exc))

    def _show_here(self, notice: Notice, remaining: tuple[Backend, ...], errors: list[str]) -> None:
        backend = remaining[0]
        try:
            backend.show(notice)
        except Exception as exc:
            errors.append(f"{backend.name}: {_one_line(exc)}")
            log.warning("notifications: %s could not show %s: %s", backend.name, notice.key, _one_line(exc))
            self._jobs.put(lambda: self._deliver(notice, remaining[1:], errors))
            return
        self._jobs.put(lambda: self._shown.__setitem__(notice.key, backend))

    # -- any thread -------------------------------------------------------------

    def _backend_action(self, key: str, action: str) -> None:
        self._event.emit(("action", key, action))

    # -- worker thread ------------------------------------------------------------

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            try:
                job()
            except Exception:
                log.exception("notifications: internal error")

    def _probe(self, backend: Backend) -> bool:
        try:
            return bool(backend.probe())
        except Exception as exc:
            backend.status = _one_line(exc)
            return False

    def _ranked(self, available: list[Backend]) -> list[Backend]:
        index = {b: i for i, b in enumerate(self._backends)}
        return sorted(available, key=lambda b: (not b.supports_actions, index[b]))

    def _probe_all(self) -> None:
        available = [b for b in self._backends if self._probe(b)]
        self._order = self._ranked(available)
        # Unavailable ones (a daemon that starts after us at login) are probed again later.
        now = time.monotonic()
        self._demoted = {b: now for b in self._backends if b not in available}
        notes = []
        if self._order:
            first = self._order[0]
            detail = "actions" if first.supports_actions else "no action buttons"
            if first.status:
                detail += f", {first.status}"
            notes.append(f"using {first.name} ({detail})")
            if self._order[1:]:
                notes.append("fallbacks: " + ", ".join(b.name for b in self._order[1:]))
        else:
            notes.append("no backend can show notifications")
        notes += [f"{b.name} unavailable: {b.status or 'probe failed'}" for b in self._backends if b not in available]
        log.info("notifications: %s", "; ".join(notes))
        self._publish_order(ready=True)

    def _publish_order(self, ready: bool = False) -> None:
        self._event.emit(("order", self._order[0].name if self._order else "", ready))

    def _demote(self, backend: Backend, reason: str) -> None:
        if backend not in self._order:
            return
        self._order.remove(backend)
        self._demoted[backend] = time.monotonic()
        now = self._order[0].name if self._order else "nothing"
        log.warning("notifications: %s lost its server (%s); now using %s", backend.name, reason, now)
        self._publish_order()

    def _restore_demoted(self) -> None:
        now = time.monotonic()
        for backend, since in list(self._demoted.items()):
            if now - since < self._reprobe_after:
                continue
            if self._probe(backend):
                del self._demoted[backend]
                self._order = self._ranked([*self._order, backend])
                log.info("notifications: %s is available now; using %s", backend.name, self._order[0].name)
                self._publish_order()
            else:
                self._demoted[backend] = now

    def _deliver(self, notice: Notice, remaining: tuple[Backend, ...] | None, errors: list[str]) -> None:
        if remaining is None:
            self._restore_demoted()
            remaining = tuple(self._order)
        while remaining:
            backend = remaining[0]
            if backend.runs_on_gui_thread:
                self._event.emit(("show", notice, remaining, errors))
                return
            try:
                backend.show(notice)
            except Exception as exc:
                reason = _one_line(exc)
                errors.append(f"{backend.name}: {reason}")
                log.warning("notifications: %s could not show %s: %s", backend.name, notice.key, reason)
                if isinstance(exc, NotifyError) and exc.lost:
                    self._demote(backend, reason)
                remaining = remaining[1:]
                continue
            self._shown[notice.key] = backend
            return
        reason = "; ".join(errors) or "no notification backend is available"
        log.warning("notifications: %s was not shown: %s", notice.key, reason)
        self._event.emit(("failed", notice.key, reason))

    def _withdraw(self, key: str) -> None:
        backend = self._shown.pop(key, None)
        if backend is None:
            return
        if backend.runs_on_gui_thread:
            self._event.emit(("close", backend, key))
            return
        try:
            backend.close(key)
        except Exception as exc:
            log.warning("notifications: %s could not withdraw %s: %s", backend.name, key, _one_line(exc))
