"""HabitDesk's JSON backup: everything in one documented, versioned file.

Format version 2 (docs/json-backup.md describes every field)::

    {
      "format": "habitdesk-backup",
      "version": 2,
      "created": "2026-11-26T05:30:00+00:00",
      "app": "HabitDesk 0.1.0",
      "habits": [
        {"uuid": "32 hex digits", "name": "Run", "question": "", "description": "",
         "kind": "yes_no" | "measurable", "unit": "", "target_value": 0.0,
         "target_type": "at_least" | "at_most",
         "frequency": {"num": 3, "den": 7, "weekdays": 0},   (bit 0 = Monday; 0 = not a weekday schedule)
         "color": 8, "position": 0, "archived": false,
         "created_at": "ISO time", "updated_at": "ISO time",
         "reminders": [{"time": "07:30", "weekdays": 127, "enabled": true}],
         "entries": {"first": "2016-11-27",               (the oldest stored day; null when none)
                     "days": [0, 1, 2, 5, ...],            (days after "first", ascending)
                     "values": [2, 2, 3, 2000, ...],       (the stored value of each day)
                     "notes": {"2017-03-02": "felt calm"}}} (only the days with a note)
      ],
      "settings": {"first_weekday": 0, ...},
      "accounts": [{"name": "", "url": "", "username": "", "calendar_url": "",
                    "enabled": true, "valarm": true, "events_calendar_url": null}]
    }

Entry values are the stored integers (UNKNOWN -1, NO 0, YES_MANUAL 2, SKIP 3,
amounts x1000). Accounts never hold passwords. A reader refuses a newer
version; it ignores keys it does not know, so additions within a version stay
readable. Version 1 held each entry as ["YYYY-MM-DD", value, "notes"]; it is
still read. Version 2's columns are a third of the size and decode seven times
faster, which is most of what a restore of ten years of 200 habits waited for.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from pathlib import Path
from typing import Any

from habitdesk.core.days import iso, parse_iso
from habitdesk.core.habit import PALETTE, Frequency, Habit, Kind, TargetType
from habitdesk.core.reminders import Reminder, parse_time
from habitdesk.interop.bundle import HabitBundle, entries_problem
from habitdesk.interop.errors import FormatError
from habitdesk.private import open_private

FORMAT = "habitdesk-backup"
VERSION = 2
ACCOUNT_FIELDS: dict[str, tuple[type, ...]] = {
    "name": (str,), "url": (str,), "username": (str,), "calendar_url": (str, type(None)),
    "enabled": (bool,), "valarm": (bool,), "events_calendar_url": (str, type(None)),
    "ca_file": (str, type(None)),
}
_KINDS = {"yes_no": Kind.YES_NO, "measurable": Kind.MEASURABLE}
_TARGET_TYPES = {"at_least": TargetType.AT_LEAST, "at_most": TargetType.AT_MOST}
_UUID = re.compile(r"[0-9a-f]{32}\Z")


class Backup:
    """The content of a backup: habits with reminders and entries, settings and account definitions."""

    __slots__ = ("habits", "settings", "accounts", "created")

    def __init__(self, habits: list[HabitBundle], settings: dict[str, object],
                 accounts: list[dict[str, object]], created: str = "") -> None:
        self.habits, self.settings, self.accounts, self.created = habits, settings, accounts, created


# -- writing ------------------------------------------------------------------------
def habit_json(bundle: HabitBundle) -> dict[str, Any]:
    h = bundle.habit
    return {
        "uuid": h.uuid, "name": h.name, "question": h.question, "description": h.description,
        "kind": h.kind.key, "unit": h.unit, "target_value": float(h.target_value), "target_type": h.target_type.key,
        "frequency": {"num": h.frequency.num, "den": h.frequency.den, "weekdays": h.frequency.weekdays},
        "color": h.color, "position": h.position, "archived": h.archived,
        "created_at": h.created_at, "updated_at": h.updated_at,
        "reminders": [{"time": r.time_text, "weekdays": r.weekdays, "enabled": r.enabled} for r in bundle.reminders or ()],
    }


def entries_json(entries: dict[int, tuple[int, str]]) -> str:
    """A habit's entries as version 2's columns, one line each."""
    dumps = json.dumps
    days = sorted(entries)
    first = days[0] if days else 0
    notes = {iso(day): entries[day][1] for day in days if entries[day][1]}
    return (
        f'{{"first": {dumps(iso(first)) if days else "null"},\n      "days": {dumps([d - first for d in days])},'
        f'\n      "values": {dumps([entries[d][0] for d in days])},'
        f'\n      "notes": {dumps(notes, ensure_ascii=False)}}}'
    )


def write_json_backup(path: Path, backup: Backup, app: str) -> None:
    """Write the backup beside ``path`` and rename it into place once complete."""
    dumps = json.dumps
    path = Path(path)
    part = path.with_name(path.name + ".part")
    with open_private(part, "w", encoding="utf-8", newline="\n") as out:
        out.write("{\n")
        for key, value in (("format", FORMAT), ("version", VERSION), ("created", backup.created), ("app", app)):
            out.write(f"  {dumps(key)}: {dumps(value, ensure_ascii=False)},\n")
        out.write('  "habits": [')
        for i, bundle in enumerate(backup.habits):
            head = dumps(habit_json(bundle), ensure_ascii=False)[:-1]
            out.write(("," if i else "") + f"\n    {head}, \"entries\": {entries_json(bundle.entries)}}}")
        out.write("\n  ],\n")
        out.write(f'  "settings": {dumps(backup.settings, ensure_ascii=False, sort_keys=True)},\n')
        out.write(f'  "accounts": {dumps(backup.accounts, ensure_ascii=False)}\n')
        out.write("}\n")
    part.replace(path)


# -- reading --------------------------------------------------------------------------
def read_json_backup(path: Path) -> Backup:
    """Read and check a backup; FormatError naming the file and the first problem."""
    path = Path(path)
    name = path.name
    try:
        with path.open("r", encoding="utf-8-sig") as fh:
            doc = json.load(fh)
    except UnicodeDecodeError:
        raise FormatError(f"{name}: not a HabitDesk backup (not UTF-8 text)") from None
    except json.JSONDecodeError as exc:
        raise FormatError(f"{name}: damaged or truncated JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except ValueError:  # a number of thousands of digits
        raise FormatError(f"{name}: not a HabitDesk backup (it holds a number too long to be one)") from None
    except RecursionError:
        raise FormatError(f"{name}: not a HabitDesk backup (nested too deeply)") from None
    except OSError as exc:
        raise FormatError(f"{name}: cannot be read ({exc.strerror or exc})") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise FormatError(f"{name}: not a HabitDesk backup (no \"format\": \"{FORMAT}\")")
    version = doc.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise FormatError(f"{name}: the backup has no valid format version")
    if version > VERSION:
        raise FormatError(
            f"{name}: written by a newer HabitDesk (backup format {version}; this version reads format {VERSION}); "
            "update HabitDesk to restore it"
        )
    return _Checker(name, version).backup(doc)


def habit_from_json(item: dict, where: str) -> HabitBundle:
    """One habit as habit_json writes it, checked as a backup's habits are (FormatError when it is not)."""
    return _Checker(where).habit(item, 1)


class _Checker:
    def __init__(self, name: str, version: int = VERSION) -> None:
        self.name = name
        self.version = version
        self.dates = _Dates()  # text -> day number, shared by every habit

    def fail(self, where: str, problem: str) -> FormatError:
        return FormatError(f"{self.name}: {where}: {problem}")

    def get(self, obj: dict, key: str, types: tuple[type, ...], where: str) -> Any:
        value = obj.get(key)
        ok = isinstance(value, types) and not (isinstance(value, bool) and bool not in types)
        if not ok:
            wanted = " or ".join({str: "text", int: "a whole number", float: "a number", bool: "true or false",
                                  list: "a list", dict: "an object", type(None): "null"}[t] for t in types)
            raise self.fail(where, f"{key!r} must be {wanted}, not {json.dumps(value)[:40]}")
        return value

    def backup(self, doc: dict) -> Backup:
        habits_json = self.get(doc, "habits", (list,), "the file")
        settings = self.get(doc, "settings", (dict,), "the file") if "settings" in doc else {}
        accounts = self.get(doc, "accounts", (list,), "the file") if "accounts" in doc else []
        bundles, seen = [], set()
        for i, item in enumerate(habits_json, start=1):
            if not isinstance(item, dict):
                raise self.fail(f"habit {i}", "not an object")
            bundle = self.habit(item, i)
            if bundle.habit.uuid in seen:
                raise self.fail(f"habit {i} ({bundle.habit.name!r})", f"the uuid {bundle.habit.uuid} appears twice")
            seen.add(bundle.habit.uuid)
            bundles.append(bundle)
        created = doc.get("created")
        created = created if isinstance(created, str) else ""
        return Backup(bundles, dict(settings), [self.account(a, i) for i, a in enumerate(accounts, start=1)], created)

    def habit(self, item: dict, i: int) -> HabitBundle:
        where = f"habit {i}"
        name = self.get(item, "name", (str,), where)
        where = f"habit {i} ({name!r})"
        uuid = self.get(item, "uuid", (str,), where).replace("-", "").lower()
        if not _UUID.match(uuid):
            raise self.fail(where, f"{uuid!r} is not a uuid (32 hex digits)")
        kind = self.get(item, "kind", (str,), where)
        target_type = item.get("target_type", "at_least")
        if kind not in _KINDS:
            raise self.fail(where, f"unknown kind {kind!r} (expected yes_no or measurable)")
        if target_type not in _TARGET_TYPES:
            raise self.fail(where, f"unknown target_type {target_type!r} (expected at_least or at_most)")
        freq = self.get(item, "frequency", (dict,), where)
        frequency = Frequency(self.get(freq, "num", (int,), where), self.get(freq, "den", (int,), where),
                              freq.get("weekdays", 0) if isinstance(freq.get("weekdays", 0), int) else -1)
        target = item.get("target_value", 0.0)
        if isinstance(target, bool) or not isinstance(target, (int, float)) or not math.isfinite(target):
            raise self.fail(where, "'target_value' must be a number")
        color = item.get("color", 8)
        habit = Habit(
            name=name, kind=_KINDS[kind], frequency=frequency,
            question=str(item.get("question", "")), description=str(item.get("description", "")),
            unit=str(item.get("unit", "")), target_value=float(target), target_type=_TARGET_TYPES[target_type],
            color=color if isinstance(color, int) and 0 <= color < len(PALETTE) else 8,
            position=item.get("position", i - 1) if isinstance(item.get("position"), int) else i - 1,
            archived=bool(item.get("archived", False)), uuid=uuid,
            created_at=str(item.get("created_at", "")), updated_at=str(item.get("updated_at", "")),
        )
        problems = habit.problems()
        if problems:
            raise self.fail(where, next(iter(problems.values())))
        entries = self.entries(item, where)
        problem = entries_problem(habit, entries)
        if problem:
            raise self.fail(where, f"entries: {problem}")
        return HabitBundle(habit, self.reminders(item, where), entries)

    def reminders(self, item: dict, where: str) -> list[Reminder]:
        out = []
        for r in self.get(item, "reminders", (list,), where) if "reminders" in item else []:
            if not isinstance(r, dict):
                raise self.fail(where, "a reminder is not an object")
            try:
                minute = parse_time(self.get(r, "time", (str,), where))
            except ValueError as exc:
                raise self.fail(where, f"reminder: {exc}") from None
            weekdays = r.get("weekdays", 127)
            if not isinstance(weekdays, int) or not 0 <= weekdays <= 127:
                raise self.fail(where, "a reminder's weekdays must be a mask from 0 to 127")
            out.append(Reminder(minute, weekdays, bool(r.get("enabled", True))))
        return out

    def entries(self, item: dict, where: str) -> dict[int, tuple[int, str]]:
        """The habit's entries, from version 2's columns or version 1's rows."""
        if self.version >= 2:
            return self.entry_columns(item.get("entries"), where)
        return self.entry_rows(item, where)

    def entry_columns(self, columns: object, where: str) -> dict[int, tuple[int, str]]:
        """Version 2: {"first", "days", "values", "notes"}; checked column by column."""
        if columns is None:
            return {}
        if type(columns) is not dict:
            raise self.fail(where, "'entries' must be an object with first, days, values and notes")
        days = self.get(columns, "days", (list,), where + " entries")
        values = self.get(columns, "values", (list,), where + " entries")
        notes = self.get(columns, "notes", (dict,), where + " entries") if "notes" in columns else {}
        if len(days) != len(values):
            raise self.fail(where, f"entries: {len(days)} days but {len(values)} values")
        if not days:
            if notes:
                raise self.fail(where, "entries: notes without any day")
            return {}
        first = self.date(self.get(columns, "first", (str,), where + " entries"), where)
        if not set(map(type, days)) <= {int} or min(days) < 0:
            raise self.fail(where, "entries: 'days' must hold whole numbers of days after 'first'")
        if not set(map(type, values)) <= {int}:
            bad = next(v for v in values if type(v) is not int)
            raise self.fail(where, f"entries: a value is not a whole number: {json.dumps(bad)[:40]}")
        entries = dict(zip(map(first.__add__, days), zip(values, [""] * len(values))))
        if len(entries) != len(days):
            raise self.fail(where, "entries: a day appears twice")
        for text, note in notes.items():
            day = self.date(text, where)
            if day not in entries:
                raise self.fail(where, f"entries: a note for {text}, which has no entry")
            if type(note) is not str:
                raise self.fail(where, f"entries: the note for {text} is not text")
            entries[day] = (entries[day][0], note)
        return entries

    def entry_rows(self, item: dict, where: str) -> dict[int, tuple[int, str]]:
        """Version 1: [["YYYY-MM-DD", value, "notes"], ...]. The hot path is one comprehension;
        any row it cannot take (a bad shape, type or date, or a date twice) sends the habit
        through the row-by-row check, which names the problem."""
        rows = self.get(item, "entries", (list,), where) if "entries" in item else []
        dates = self.dates
        try:
            entries = {dates[d]: (v, n) for d, v, n in rows if type(v) is int and type(n) is str}
        except (ValueError, TypeError):
            entries = None
        if entries is not None and len(entries) == len(rows):
            return entries
        return self._checked_entries(rows, where)

    def _checked_entries(self, rows: list, where: str) -> dict[int, tuple[int, str]]:
        dates = self.dates
        entries: dict[int, tuple[int, str]] = {}
        for row in rows:
            if type(row) is not list or len(row) != 3:
                raise self.fail(where, f"an entry is not [\"YYYY-MM-DD\", value, \"notes\"]: {json.dumps(row)[:60]}")
            date, value, notes = row
            if type(date) is not str or type(value) is not int or type(notes) is not str:
                raise self.fail(where, f"an entry is not [\"YYYY-MM-DD\", value, \"notes\"]: {json.dumps(row)[:60]}")
            try:
                day = dates[date]
            except ValueError:
                day = self.date(date, where)
            entries[day] = (value, notes)
        if len(entries) != len(rows):
            counts = Counter(r[0] for r in rows)
            twice = next(r[0] for r in rows if counts[r[0]] > 1)
            raise self.fail(where, f"{twice} appears twice")
        return entries

    def date(self, text: str, where: str) -> int:
        try:
            day = self.dates[text]
        except ValueError:
            raise self.fail(where, f"{text!r} is not a date (expected YYYY-MM-DD)") from None
        return day

    def account(self, item: object, i: int) -> dict[str, object]:
        if not isinstance(item, dict):
            raise self.fail(f"account {i}", "not an object")
        if "password" in item:
            raise self.fail(f"account {i}", "holds a password; HabitDesk backups never do, so it was not read")
        for key in ("name", "url", "username"):
            if key not in item:
                raise self.fail(f"account {i}", f"has no {key}")
        out: dict[str, object] = {}
        for key, types in ACCOUNT_FIELDS.items():
            if key in item:
                out[key] = self.get(item, key, types, f"account {i}")
        return out


class _Dates(dict):
    """ISO date text -> day number, parsed once per distinct date (ValueError when not a date)."""

    def __missing__(self, text: str) -> int:
        if type(text) is not str:
            raise ValueError(f"{text!r} is not a date")
        day = self[text] = parse_iso(text)
        return day
