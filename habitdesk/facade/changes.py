"""What a Tracker command changed, and what each kind of change affects.

Adding a kind is one edit here: its name and the parts of the app that must
follow it. Listeners ask ``change.kind.affects`` rather than naming kinds, so a
new kind reaches every part it affects, and the type checker sees every use.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum, Flag, auto


class Affects(Flag):
    """The parts of the app that follow a change."""

    TABLE = auto()  # the habit list and the detail pane
    REMINDERS = auto()  # the reminder schedule and the notifications on screen
    SYNC = auto()  # the calendar: a push-only pass soon
    TRAY = auto()  # the tray's menu, tooltip and badge


_ALL = Affects.TABLE | Affects.REMINDERS | Affects.SYNC | Affects.TRAY


class ChangeKind(Enum):
    """One kind of change; its value is the name logs and tests know it by."""

    HABIT_ADDED = "habit-added"
    HABIT_EDITED = "habit-edited"
    HABIT_DELETED = "habit-deleted"
    ORDER = "order"  # not the calendar's business, nor the reminders'
    ENTRY = "entry"
    REMINDERS = "reminders"  # the tasks' alarms follow them
    SETTINGS = "settings"  # the day's start and the engine's options: the calendar follows the next full pass
    IMPORT = "import"
    # Another program (the CLI) changed the data file: its calendar changes wait in the
    # outbox, which the sync service polls, so SYNC is not among them.
    EXTERNAL = "external"
    # Another computer's habits and days, from the account's shared history, written
    # by a sync pass; their tasks are that same pass's business.
    SHARED = "shared"

    @property
    def affects(self) -> Affects:
        return _AFFECTS[self]


_AFFECTS: dict[ChangeKind, Affects] = {
    ChangeKind.HABIT_ADDED: _ALL,
    ChangeKind.HABIT_EDITED: _ALL,
    ChangeKind.HABIT_DELETED: _ALL,
    ChangeKind.ORDER: Affects.TABLE | Affects.TRAY,
    ChangeKind.ENTRY: _ALL,
    ChangeKind.REMINDERS: Affects.REMINDERS | Affects.SYNC | Affects.TRAY,
    ChangeKind.SETTINGS: Affects.TABLE | Affects.REMINDERS | Affects.TRAY,
    ChangeKind.IMPORT: _ALL,
    ChangeKind.EXTERNAL: Affects.TABLE | Affects.REMINDERS | Affects.TRAY,
    ChangeKind.SHARED: Affects.TABLE | Affects.REMINDERS | Affects.TRAY,
}


class Change:
    """What a command changed: its kind, and the habit and day when it concerns one."""

    __slots__ = ("kind", "habit_id", "day")

    def __init__(self, kind: ChangeKind, habit_id: int | None = None, day: int | None = None) -> None:
        self.kind, self.habit_id, self.day = kind, habit_id, day

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Change):
            return NotImplemented
        return (self.kind, self.habit_id, self.day) == (other.kind, other.habit_id, other.day)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Change({self.kind.value!r}, habit_id={self.habit_id}, day={self.day})"


Listener = Callable[[Change], None]
