"""The Tracker's change events on the GUI thread: one bridge per Tracker, shared by every Qt listener.

The Tracker calls its listeners on whichever thread made the change (a worker
importing a file, the sync thread applying a phone's check-in). The bridge's
signal moves each Change onto the GUI thread, where the window, the tray, the
reminders and the scheduler connect to it.
"""

from __future__ import annotations

from collections.abc import Callable
from weakref import WeakKeyDictionary

from PySide6.QtCore import QObject, Signal

from habitdesk.facade.changes import Change
from habitdesk.facade.tracker import Tracker


class TrackerEvents(QObject):
    """Re-emits a Tracker's changes as a Qt signal (queued to the GUI thread when made elsewhere).

    Signals:
        changed(Change): a command changed the data; see Change.kind.affects.
    """

    changed = Signal(object)

    def __init__(self, tracker: Tracker) -> None:
        super().__init__()
        self._slots: list[Callable[[Change], None]] = []
        tracker.subscribe(self.changed.emit)

    def listen(self, slot: Callable[[Change], None]) -> None:
        """Connect ``slot`` (once, however often a service is started)."""
        if slot not in self._slots:
            self._slots.append(slot)
            self.changed.connect(slot)

    def stop_listening(self, slot: Callable[[Change], None]) -> None:
        if slot in self._slots:
            self._slots.remove(slot)
            self.changed.disconnect(slot)


_BRIDGES: WeakKeyDictionary[Tracker, TrackerEvents] = WeakKeyDictionary()


def tracker_events(tracker: Tracker) -> TrackerEvents:
    """The tracker's bridge, made on first use (call it on the GUI thread)."""
    bridge = _BRIDGES.get(tracker)
    if bridge is None:
        bridge = _BRIDGES[tracker] = TrackerEvents(tracker)
    return bridge
