"""The habit: what it is, how often it is due, and how it is checked."""

from __future__ import annotations

import enum
import math
import unicodedata

from habitdesk.core.days import format_weekdays

# Loop Habit Tracker's 20-colour palette, by index (Loop stores the index).
PALETTE = (
    "#D32F2F", "#E64A19", "#F57C00", "#FF8F00", "#F9A825",
    "#AFB42B", "#7CB342", "#388E3C", "#00897B", "#00ACC1",
    "#039BE5", "#1976D2", "#303F9F", "#5E35B1", "#8E24AA",
    "#D81B60", "#5D4037", "#303030", "#757575", "#aaaaaa",
)
PALETTE_NAMES = (
    "red", "deep orange", "orange", "amber", "yellow",
    "lime", "light green", "green", "teal", "cyan",
    "light blue", "blue", "indigo", "deep purple", "purple",
    "pink", "brown", "dark grey", "grey", "light grey",
)
DEFAULT_COLOR = 8
ALL_WEEKDAYS = 0b1111111
MAX_NAME = 200  # characters; far beyond any real habit's name, and it keeps every list and file sane
MAX_PERIOD = 366  # days; "once a year" is the rarest frequency


class Kind(enum.IntEnum):
    YES_NO = 0
    MEASURABLE = 1

    @property
    def key(self) -> str:
        return "yes_no" if self is Kind.YES_NO else "measurable"


class TargetType(enum.IntEnum):
    AT_LEAST = 0
    AT_MOST = 1

    @property
    def key(self) -> str:
        return "at_least" if self is TargetType.AT_LEAST else "at_most"


class Frequency:
    """num times in den days (rolling windows), or chosen weekdays.

    ``weekdays`` is a mask, bit 0 = Monday. When it is set, the habit is due on
    those days only; other days behave like SKIP, and num/den is 1/1. An
    immutable value; num == den is kept as 1/1 and all seven weekdays as none.
    """

    __slots__ = ("num", "den", "weekdays")
    num: int
    den: int
    weekdays: int

    def __init__(self, num: int = 1, den: int = 1, weekdays: int = 0) -> None:
        if num == den and num >= 1:
            num = den = 1
        if weekdays == ALL_WEEKDAYS:
            weekdays = 0
        object.__setattr__(self, "num", num)
        object.__setattr__(self, "den", den)
        object.__setattr__(self, "weekdays", weekdays)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Frequency is immutable")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Frequency):
            return NotImplemented
        return (self.num, self.den, self.weekdays) == (other.num, other.den, other.weekdays)

    def __hash__(self) -> int:
        return hash((self.num, self.den, self.weekdays))

    def __repr__(self) -> str:
        return f"Frequency({self.num}, {self.den}, weekdays={self.weekdays:#09b})"

    @property
    def ratio(self) -> float:
        return self.num / self.den

    def problem(self) -> str | None:
        """Why this frequency is impossible, or None."""
        if self.weekdays:
            if self.weekdays & ~ALL_WEEKDAYS or self.weekdays < 0:
                return "weekday mask out of range"
            if (self.num, self.den) != (1, 1):
                return "a weekday schedule cannot also have a times-per-period frequency"
            return None
        if self.den < 1:
            return "the period must be at least one day"
        if self.den > MAX_PERIOD:
            return f"the period cannot be longer than {MAX_PERIOD} days"
        if self.num < 1:
            return "the number of times must be at least 1"
        if self.num > self.den:
            return f"{self.num} times in {self.den} days is impossible (more times than days)"
        return None

    def label(self) -> str:
        """Human description, following Loop's wording."""
        if self.weekdays:
            return "on " + format_weekdays(self.weekdays).replace(",", ", ")
        num, den = self.num, self.den
        if num == den:
            return "every day"
        if num == 1:
            return "every week" if den == 7 else f"every {den} days"
        if den == 7:
            return f"{num} times per week"
        if den in (30, 31):
            return f"{num} times per month"
        return f"{num} times in {den} days"


def _new_uuid() -> str:
    import uuid  # only new habits need it; loading stored ones stays cheaper

    return uuid.uuid4().hex


_HABIT_FIELDS = (
    "name", "kind", "frequency", "question", "description", "unit", "target_value",
    "target_type", "color", "position", "archived", "uuid", "id", "created_at", "updated_at",
)


class Habit:
    """A habit as the engine and every layer above it see it.

    A plain class rather than a dataclass: the CLI's start-up budget has no
    room for importing dataclasses.
    """

    __slots__ = _HABIT_FIELDS

    def __init__(
        self,
        name: str,
        kind: Kind = Kind.YES_NO,
        frequency: Frequency | None = None,
        question: str = "",
        description: str = "",
        unit: str = "",
        target_value: float = 0.0,
        target_type: TargetType = TargetType.AT_LEAST,
        color: int = DEFAULT_COLOR,
        position: int = 0,
        archived: bool = False,
        uuid: str | None = None,
        id: int | None = None,  # noqa: A002 - the database id
        created_at: str = "",
        updated_at: str = "",
    ) -> None:
        self.name = name
        self.kind = kind
        self.frequency = frequency if frequency is not None else Frequency()
        self.question = question
        self.description = description
        self.unit = unit
        self.target_value = target_value
        self.target_type = target_type
        self.color = color
        self.position = position
        self.archived = archived
        self.uuid = uuid if uuid is not None else _new_uuid()
        self.id = id
        self.created_at = created_at
        self.updated_at = updated_at

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Habit):
            return NotImplemented
        return all(getattr(self, f) == getattr(other, f) for f in _HABIT_FIELDS)

    __hash__ = None  # type: ignore[assignment]  # mutable

    def __repr__(self) -> str:
        return f"Habit({self.name!r}, {self.kind.name}, {self.frequency!r}, uuid={self.uuid!r}, id={self.id})"

    @property
    def key(self) -> int:
        """The database id of a stored habit (every habit the storage hands out has one)."""
        if self.id is None:
            raise ValueError(f"habit {self.name!r} has not been stored yet")
        return self.id

    @property
    def is_measurable(self) -> bool:
        return self.kind is Kind.MEASURABLE

    def target_text(self) -> str:
        """A measurable habit's target, such as "at least 5 km"; empty for yes/no habits."""
        if not self.is_measurable:
            return ""
        bound = "at most" if self.target_type is TargetType.AT_MOST else "at least"
        return f"{bound} {self.target_value:g} {self.unit}".rstrip()

    @property
    def color_hex(self) -> str:
        return PALETTE[self.color if 0 <= self.color < len(PALETTE) else DEFAULT_COLOR]

    def problems(self) -> dict[str, str]:
        """Field -> message for everything that makes this habit impossible to save."""
        found: dict[str, str] = {}
        if not self.name.strip():
            found["name"] = "the name cannot be empty"
        elif any(unicodedata.category(c) == "Cc" for c in self.name):
            found["name"] = "the name cannot contain line breaks, tabs or other control characters"
        elif len(self.name) > MAX_NAME:
            found["name"] = f"the name is longer than {MAX_NAME} characters"
        freq_problem = self.frequency.problem()
        if freq_problem:
            found["frequency"] = freq_problem
        if self.is_measurable:
            if not math.isfinite(self.target_value) or self.target_value <= 0:
                found["target"] = "the target must be a number greater than zero"
            elif self.target_value > 1e9:
                found["target"] = "the target is too large"
        if not 0 <= self.color < len(PALETTE):
            found["color"] = f"colour must be a palette index 0-{len(PALETTE) - 1}"
        return found
