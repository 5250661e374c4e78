"""Engine settings that the CLI needs too; they live in the database."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from habitdesk.facade.errors import UserError

# name -> default; a settings table validated against its defaults.
DEFAULTS: dict[str, object] = {
    "first_weekday": 0,  # 0 = Monday ... 6 = Sunday
    "day_start_hour": 0,  # a new day starts at this hour
    "skips_enabled": False,
    "unknown_enabled": False,
}


class EngineSettings:
    """Engine settings, each valid; read-only."""

    __slots__ = tuple(DEFAULTS)
    first_weekday: int
    day_start_hour: int
    skips_enabled: bool
    unknown_enabled: bool

    def __init__(self, **values: object) -> None:
        for name, default in DEFAULTS.items():
            object.__setattr__(self, name, values.get(name, default))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("settings are read-only; use Tracker.set_setting")

    def __repr__(self) -> str:
        return "EngineSettings(" + ", ".join(f"{n}={getattr(self, n)!r}" for n in DEFAULTS) + ")"

    def as_dict(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in DEFAULTS}

    @classmethod
    def from_stored(cls, stored: Mapping[str, object]) -> EngineSettings:
        """Stored values, with anything missing or invalid replaced by its default."""
        return cls(**valid_or_default(stored, DEFAULTS, _check))


def valid_or_default(
    stored: Mapping[str, object], defaults: Mapping[str, object], check: Callable[[str, object], object]
) -> dict[str, object]:
    """Each setting's stored value as ``check`` accepts it, or its default when missing or refused."""
    values = {}
    for name, default in defaults.items():
        try:
            values[name] = check(name, stored.get(name, default))
        except UserError:
            values[name] = default
    return values


_RANGES = {"first_weekday": (0, 6), "day_start_hour": (0, 23)}


def _check(name: str, value: object) -> object:
    if name in _RANGES:
        lo, hi = _RANGES[name]
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            raise UserError(f"{name} must be a whole number from {lo} to {hi}")
        return value
    if not isinstance(value, bool):
        raise UserError(f"{name} must be true or false")
    return value


def validated(name: str, value: object) -> object:
    """The value if it suits the setting; UserError otherwise."""
    if name not in DEFAULTS:
        raise UserError(f"unknown setting {name!r}")
    return _check(name, value)
