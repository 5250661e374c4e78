"""The window's own settings, kept in QSettings: one table of names, keys, types and defaults.

Each preference is read with its type whatever QSettings hands back (an INI file
gives text, "true", a one-item list as a string) and written the same way; a name
that is not in the table is refused. A new preference is one line here. The
engine's settings live in the data file instead (facade/settings.py).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from PySide6.QtCore import QByteArray, QSettings


class Preference(NamedTuple):
    key: str  # where QSettings keeps it
    default: Any  # its type is the preference's type


PREFERENCES: dict[str, Preference] = {
    "theme": Preference("theme", "system"),  # system, light or dark
    "day_order": Preference("table/day_order", "newest_first"),  # or newest_last
    "sort": Preference("table/sort", "manual"),  # a SortOrder value
    "show_archived": Preference("table/show_archived", False),
    "selected": Preference("table/selected", ""),  # the selected habit's uuid
    "geometry": Preference("window/geometry", QByteArray()),
    "splitter": Preference("window/splitter", QByteArray()),
    "close_to_tray": Preference("tray/close_to_tray", True),
    "tray_hint_shown": Preference("tray/hint_shown", False),
    "snooze_minutes": Preference("reminders/snooze_minutes", 10),
    "reminders_shown": Preference("reminders/shown", []),  # occurrence keys already notified
    "sync_interval_minutes": Preference("sync/interval_minutes", 15),
}


class UnknownPreference(KeyError):
    pass


def _preference(name: str) -> Preference:
    try:
        return PREFERENCES[name]
    except KeyError:
        raise UnknownPreference(f"no window preference named {name!r}") from None


def read(settings: QSettings, name: str) -> Any:
    """The preference's value with its type, or its default when missing or unreadable."""
    preference = _preference(name)
    return coerce(settings.value(preference.key, preference.default), preference.default)


def write(settings: QSettings, name: str, value: object) -> None:
    preference = _preference(name)
    settings.setValue(preference.key, coerce(value, preference.default))


def coerce(value: object, default: Any) -> Any:
    """``value`` as the type of ``default`` (which it falls back to)."""
    if isinstance(default, bool):
        return value in (True, "true", "1", 1)
    if isinstance(default, int):
        try:
            return int(str(value))
        except ValueError:
            return default
    if isinstance(default, str):
        return value if isinstance(value, str) else default
    if isinstance(default, QByteArray):
        return value if isinstance(value, QByteArray) else default
    if isinstance(default, list):
        if isinstance(value, str):  # QSettings' one-item list
            return [value]
        return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []
    raise TypeError(f"preferences of type {type(default).__name__} are not supported")
