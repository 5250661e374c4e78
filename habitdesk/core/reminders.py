"""Reminder times: a local wall-clock minute and the weekdays it applies to."""

from __future__ import annotations

from habitdesk.core.days import format_weekdays

EVERY_DAY = 0b1111111


def by_habit(reminders: list[Reminder]) -> dict[int, list[Reminder]]:
    """Stored reminders grouped by their habit's id (a reminder not yet stored has none and is left out)."""
    grouped: dict[int, list[Reminder]] = {}
    for reminder in reminders:
        if reminder.habit_id is not None:
            grouped.setdefault(reminder.habit_id, []).append(reminder)
    return grouped


class Reminder:
    """A local wall-clock time (minutes after midnight) on some weekdays (bit 0 = Monday)."""

    __slots__ = ("minute", "weekdays", "enabled", "habit_id", "id")

    def __init__(
        self,
        minute: int,
        weekdays: int = EVERY_DAY,
        enabled: bool = True,
        habit_id: int | None = None,
        id: int | None = None,  # noqa: A002 - the database id
    ) -> None:
        self.minute = minute
        self.weekdays = weekdays
        self.enabled = enabled
        self.habit_id = habit_id
        self.id = id

    def _key(self) -> tuple[object, ...]:
        return (self.minute, self.weekdays, self.enabled, self.habit_id, self.id)

    def __eq__(self, other: object) -> bool:
        return self._key() == other._key() if isinstance(other, Reminder) else NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Reminder({self.time_text}, {self.days_text}, enabled={self.enabled})"

    @property
    def time_text(self) -> str:
        return f"{self.minute // 60:02d}:{self.minute % 60:02d}"

    @property
    def days_text(self) -> str:
        return "every day" if self.weekdays == EVERY_DAY else format_weekdays(self.weekdays)


def parse_time(text: str) -> int:
    """Minutes after midnight of "HH:MM"; ValueError with a clear message otherwise."""
    hours, sep, minutes = text.strip().partition(":")
    if sep and hours.isdigit() and minutes.isdigit() and len(minutes) == 2:
        h, m = int(hours), int(minutes)
        if 0 <= h < 24 and 0 <= m < 60:
            return h * 60 + m
    raise ValueError(f"not a time (expected HH:MM, 00:00 to 23:59): {text!r}")


def from_loop_days(mask: int) -> int:
    """Loop's reminder_days (bit 0 = Saturday ... bit 6 = Friday) as our mask (bit 0 = Monday)."""
    ours = 0
    for loop_bit in range(7):
        if mask >> loop_bit & 1:
            ours |= 1 << ((loop_bit + 5) % 7)
    return ours

