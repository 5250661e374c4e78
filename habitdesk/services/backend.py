"""What the notifier chain asks of a notification backend, and what it hands one.

A leaf module: the chain (notifier.py) and the backends (notify_dbus.py,
notify_plyer.py, the tray's) all import it, and it imports none of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

DEFAULT_TEXT = "Did you complete this habit today?"


@dataclass(frozen=True)
class Notice:
    """One notification: a reminder occurrence and the buttons it offers."""

    key: str  # identifies one reminder occurrence, e.g. "12:20418:480"
    title: str  # the habit name
    text: str  # its question, or DEFAULT_TEXT
    actions: tuple[tuple[str, str], ...] = ()  # (action id, label)


class NotifyError(Exception):
    """A backend could not show a notification.

    lost: the backend's server is gone or not answering, so the chain demotes it.
    """

    def __init__(self, reason: str, *, lost: bool = False) -> None:
        super().__init__(reason)
        self.lost = lost


ActionHandler = Callable[[str, str], None]


class Backend:
    """What the chain needs from a backend. Subclass it, or provide the same attributes.

    name: shown in the log. supports_actions: can show buttons (may change in probe()).
    status: after probe(), why the backend is unavailable, or a detail about it.
    runs_on_gui_thread: show() and close() are called on the GUI thread, not the worker.
    """

    name = "backend"
    supports_actions = False
    runs_on_gui_thread = False
    status = ""

    def __init__(self) -> None:
        self._on_action: ActionHandler | None = None

    def probe(self) -> bool:
        """Whether the backend can show notifications now. Blocking; never on the GUI thread."""
        return True

    def show(self, notice: Notice) -> None:
        """Show the notice, or raise NotifyError."""
        raise NotImplementedError

    def close(self, key: str) -> None:  # noqa: B027 - optional
        """Withdraw the notice shown under this key, if it still is."""

    def listen(self, on_action: ActionHandler) -> None:
        """Report (notice key, action id) through on_action, from any thread."""
        self._on_action = on_action

    def report_action(self, key: str, action: str) -> None:
        """Called by the backend (or its owner) when the user answered a notice."""
        if self._on_action is not None:
            self._on_action(key, action)

    def shutdown(self) -> None:  # noqa: B027 - optional
        """Release connections and threads."""
