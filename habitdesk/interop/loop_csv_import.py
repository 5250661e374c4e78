"""Reading Loop Habit Tracker's CSV export (a zip), in both of its formats.

The current format has a 12-column Habits.csv (Position, Name, Type, Question,
Description, FrequencyNumerator, FrequencyDenominator, Color, Unit, Target
Type, Target Value, Archived?) and per-habit ``NNN name/Checkmarks.csv`` files
headed Date,Value,Notes with labels (YES_MANUAL, YES_AUTO, NO, SKIP, UNKNOWN)
or raw x1000 amounts. Older exports have a 6- or 7-column Habits.csv (Name,
Description, NumRepetitions, Interval, Color, maybe Position and Question) and
headerless Checkmarks.csv rows of "date,code" from the first check to today:
0 not checked, 1 checked automatically, 2 checked, 3 skipped.

Only what the user entered becomes an entry: YES_MANUAL, SKIP and NO (a
stored NO is the only way a NO reaches the file), and notes. YES_AUTO days
are recomputed; an automatic or unknown day that carries notes keeps them as
an UNKNOWN entry, which computes to the same value. Measurable habits store
every row, as Loop does. The per-habit and root Scores.csv files are derived
data and are not read.
"""

from __future__ import annotations

import csv
import io
import math
import re
import uuid as uuid_module
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import IO

from habitdesk.core.days import parse_iso
from habitdesk.core.entries import MAX_AMOUNT, NO, SKIP, UNKNOWN, VALUES_BY_LABEL, YES_MANUAL
from habitdesk.core.habit import DEFAULT_COLOR, MAX_NAME, PALETTE, Frequency, Habit, Kind, TargetType
from habitdesk.interop.bundle import HabitBundle, entries_problem
from habitdesk.interop.errors import FormatError
from habitdesk.interop.loop_csv import folder_name, from_text_cell

Progress = Callable[[float], None]

# Habits from a CSV export carry no uuid: a habit that is new here gets one made
# from its name, so that importing the same zip twice finds it again.
CSV_NAMESPACE = uuid_module.UUID("0f3c6f0e-7d1b-4c55-8a8e-3b9a4e5d6c21")
MAX_MEMBER_BYTES = 1 << 30  # a zip member larger than this uncompressed is refused (zip bombs)
_ROWS_PER_PROGRESS = 20_000
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_NEW_COLUMNS = ("Name", "FrequencyNumerator", "FrequencyDenominator")
_OLD_COLUMNS = ("Name", "NumRepetitions", "Interval")
_TYPES = {"YES_NO": Kind.YES_NO, "NUMERICAL": Kind.MEASURABLE}
_TARGET_TYPES = {"AT_LEAST": TargetType.AT_LEAST, "AT_MOST": TargetType.AT_MOST, "": TargetType.AT_LEAST}
_BOOLEANS = {"true": True, "false": False, "": False}
# Value cells a yes/no habit may hold: the labels and the integer codes -1..3.
_VALUES = dict(VALUES_BY_LABEL) | {str(v): v for v in range(UNKNOWN, SKIP + 1)}


def csv_uuid(name: str) -> str:
    return uuid_module.uuid5(CSV_NAMESPACE, name.strip().casefold()).hex


def read_loop_csv_zip(path: Path, progress: Progress | None = None) -> tuple[list[HabitBundle], list[str]]:
    """Every habit of the export in list order, and warnings; FormatError on anything malformed.

    The bundles carry no reminders (None: the file says nothing about them).
    """
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as zf:
            return _Reader(path.name, zf, progress).read()
    except zipfile.BadZipFile as exc:
        raise FormatError(f"{path.name}: damaged or truncated zip file ({exc})") from None
    except (zlib.error, EOFError) as exc:
        raise FormatError(f"{path.name}: damaged or truncated zip file ({exc or 'unexpected end'})") from None
    except OSError as exc:
        raise FormatError(f"{path.name}: cannot be read ({exc.strerror or exc})") from None


class _Reader:
    def __init__(self, name: str, zf: zipfile.ZipFile, progress: Progress | None) -> None:
        self.name, self.zf, self.progress = name, zf, progress
        self.members = {info.filename: info for info in zf.infolist() if not info.is_dir()}
        self.warnings: list[str] = []
        self.dates: dict[str, int] = {}

    def fail(self, where: str, problem: str) -> FormatError:
        return FormatError(f"{self.name}: {where}: {problem}")

    def read(self) -> tuple[list[HabitBundle], list[str]]:
        habits_csv = min((m for m in self.members if m.rsplit("/", 1)[-1] == "Habits.csv"), key=len, default=None)
        if habits_csv is None:
            raise FormatError(f"{self.name}: not a Loop CSV export (the zip holds no Habits.csv)")
        prefix = habits_csv[: -len("Habits.csv")]
        rows = self._habit_rows(habits_csv)
        files = [(habit, self._checkmarks_member(prefix, position, habit)) for position, habit in rows]
        total = sum(self.members[m].file_size for _, m in files if m) or 1
        done = 0
        bundles = []
        for habit, member in files:
            bundle = HabitBundle(habit, reminders=None)  # None: the file says nothing of reminders
            if member is None:
                self.warnings.append(f"{habit.name!r} has no Checkmarks.csv in the export; imported without history")
            else:
                bundle.entries = self._entries(member, habit, done, total)
                problem = entries_problem(habit, bundle.entries)
                if problem:
                    raise self.fail(member, problem)
                done += self.members[member].file_size
                if self.progress:
                    self.progress(min(1.0, done / total))
            bundles.append(bundle)
        if self.progress:
            self.progress(1.0)
        return bundles, self.warnings

    # -- Habits.csv ---------------------------------------------------------------
    def _open(self, member: str, raw: IO[bytes] | None = None) -> io.TextIOWrapper:
        """A member as text; ``raw``, when given, is the member already open (to follow its position)."""
        info = self.members[member]
        if info.file_size > MAX_MEMBER_BYTES:
            raise self.fail(member, f"too large to be part of a Loop export ({info.file_size // 2**20} MB uncompressed)")
        return io.TextIOWrapper(raw or self.zf.open(info), encoding="utf-8-sig", newline="")

    def _habit_rows(self, member: str) -> list[tuple[int, Habit]]:
        with self._open(member) as fh:
            try:
                table = list(csv.reader(fh))
            except UnicodeDecodeError:
                raise self.fail(member, "not UTF-8 text") from None
            except csv.Error as exc:
                raise self.fail(member, f"not valid CSV ({exc})") from None
        if not table:
            raise self.fail(member, "empty (no header row)")
        header = [cell.strip() for cell in table[0]]
        columns = {name: i for i, name in enumerate(header)}
        required = _NEW_COLUMNS if "FrequencyNumerator" in columns or "Type" in columns else _OLD_COLUMNS
        missing = [c for c in required if c not in columns]
        if missing:
            raise self.fail(member, f"missing column(s) {', '.join(missing)} (the header is {','.join(header)})")
        habits: list[tuple[int, Habit]] = []
        seen: dict[str, int] = {}
        for line, row in enumerate(table[1:], start=2):
            if not any(cell.strip() for cell in row):
                continue
            if len(row) < len(header):
                raise self.fail(member, f"line {line} has {len(row)} fields, the header {len(header)}")
            cell = {name: row[i] for name, i in columns.items()}
            habit = self._habit(member, line, cell, required is _OLD_COLUMNS)
            key = habit.name.strip().casefold()
            if key in seen:
                raise self.fail(
                    member,
                    f"two habits are named {habit.name!r} (lines {seen[key]} and {line}); "
                    "rename one in Loop and export again",
                )
            seen[key] = line
            stated = _int(cell.get("Position", ""), None)
            position = stated if stated is not None else len(habits) + 1
            habits.append((position, habit))
        return habits

    def _habit(self, member: str, line: int, cell: dict[str, str], old: bool) -> Habit:
        where = f"{member}, line {line}"
        name = from_text_cell(cell["Name"].strip())
        if not name:
            raise self.fail(where, "a habit has no name")
        num_text, den_text = (cell["NumRepetitions"], cell["Interval"]) if old else (
            cell["FrequencyNumerator"], cell["FrequencyDenominator"])
        num, den = _int(num_text, None), _int(den_text, None)
        if num is None or den is None or num < 1 or den < 1:
            raise self.fail(where, f"{name!r} has an invalid frequency {num_text!r}/{den_text!r}")
        kind_text = cell.get("Type", "YES_NO").strip()
        if kind_text not in _TYPES:
            raise self.fail(where, f"{name!r} has an unknown type {kind_text!r} (expected YES_NO or NUMERICAL)")
        kind = _TYPES[kind_text]
        target_type_text = cell.get("Target Type", "").strip()
        if target_type_text not in _TARGET_TYPES:
            raise self.fail(where, f"{name!r} has an unknown target type {target_type_text!r} (expected AT_LEAST or AT_MOST)")
        target_text = cell.get("Target Value", "").strip()
        try:
            target = float(target_text) if target_text else 0.0
        except ValueError:
            raise self.fail(where, f"{name!r} has a target value that is not a number: {target_text!r}") from None
        archived_text = cell.get("Archived?", "").strip().lower()
        if archived_text not in _BOOLEANS:
            raise self.fail(where, f"{name!r} has {archived_text!r} under Archived? (expected true or false)")
        question, description = from_text_cell(cell.get("Question", "")), from_text_cell(cell.get("Description", ""))
        if "Question" not in cell:  # before Loop had questions, the description held the question
            question, description = description, ""
        if not math.isfinite(target) or not 0 <= target <= MAX_AMOUNT:
            raise self.fail(where, f"{name[:60]!r} has a target value outside 0 to {MAX_AMOUNT:.0f}: {target_text!r}")
        habit = Habit(
            name=name,
            kind=kind,
            frequency=Frequency(num, den),
            question=question,
            description=description,
            unit=from_text_cell(cell.get("Unit", "")) if kind is Kind.MEASURABLE else "",
            target_value=target if kind is Kind.MEASURABLE else 0.0,
            target_type=_TARGET_TYPES[target_type_text] if kind is Kind.MEASURABLE else TargetType.AT_LEAST,
            color=_palette_index(cell.get("Color", "")),
            archived=_BOOLEANS[archived_text],
            uuid=csv_uuid(name),
        )
        if len(name) > MAX_NAME:  # Loop's own names may hold tabs and the like, as its exports keep them
            raise self.fail(where, f"{name[:60]!r}…: the name is longer than {MAX_NAME} characters")
        return habit

    def _checkmarks_member(self, prefix: str, position: int, habit: Habit) -> str | None:
        exact = f"{prefix}{folder_name(position, habit.name)}/Checkmarks.csv"
        if exact in self.members:
            return exact
        number = f"{prefix}{position:03d}"
        found = [m for m in self.members if m.startswith(number) and m.endswith("/Checkmarks.csv")
                 and m.count("/") == prefix.count("/") + 1]
        return found[0] if len(found) == 1 else None

    # -- Checkmarks.csv -------------------------------------------------------------
    def _entries(self, member: str, habit: Habit, done: int, total: int) -> dict[int, tuple[int, str]]:
        entries: dict[int, tuple[int, str]] = {}
        measurable = habit.is_measurable
        with self.zf.open(self.members[member]) as raw, self._open(member, raw) as fh:
            reader = csv.reader(fh)
            line = 0
            try:
                first = next(reader, None)
                if first is None:
                    return entries
                if first and first[0].strip().lstrip("\ufeff") == "Date":
                    header = [c.strip() for c in first]
                    if "Value" not in header:
                        raise self.fail(member, f"missing column Value (the header is {','.join(header)})")
                    date_col, value_col = header.index("Date"), header.index("Value")
                    notes_col = header.index("Notes") if "Notes" in header else None
                    rows, line, labelled = reader, 1, True
                else:  # the older format: no header, integer codes
                    date_col, value_col, notes_col = 0, 1, None
                    rows, line, labelled = _chain(first, reader), 0, False
                width = max(date_col, value_col, notes_col or 0) + 1
                # The hot loop of a large import: lookups inline, helpers only for the unusual.
                dates, values = self.dates, _VALUES
                seen: set[int] = set()
                every = _ROWS_PER_PROGRESS
                for row in rows:
                    line += 1
                    if len(row) < width:
                        if not row or row == [""]:
                            continue
                        raise self.fail(f"{member}, line {line}", f"has {len(row)} field(s), expected {width}")
                    day = dates.get(row[date_col])
                    if day is None:
                        day = self._day(member, line, row[date_col])
                    value = values.get(row[value_col])
                    if value is None:
                        value = self._value(member, line, row[value_col], measurable)
                    if day in seen:
                        raise self.fail(f"{member}, line {line}", f"{row[date_col]} appears twice")
                    seen.add(day)
                    notes = from_text_cell(row[notes_col]) if notes_col is not None else ""
                    if measurable:
                        kept = _measurable_row(value, notes, labelled)
                    elif value == YES_MANUAL or value == SKIP or (value == NO and labelled):
                        kept = (value, notes)
                    else:
                        kept = (UNKNOWN, notes) if notes else None
                    if kept is not None:
                        entries[day] = kept
                    if self.progress and line % every == 0:
                        self.progress(min(1.0, (done + raw.tell()) / total))
            except UnicodeDecodeError:
                raise self.fail(member, "not UTF-8 text") from None
            except csv.Error as exc:
                raise self.fail(f"{member}, line {line}", f"not valid CSV ({exc})") from None
        return entries

    def _day(self, member: str, line: int, text: str) -> int:
        day = self.dates.get(text)
        if day is None:
            text = text.strip()
            try:
                if not _DATE.match(text):
                    raise ValueError
                day = parse_iso(text)
            except ValueError:
                raise self.fail(f"{member}, line {line}", f"{text!r} is not a date (expected YYYY-MM-DD)") from None
            self.dates[text] = day
        return day

    def _value(self, member: str, line: int, text: str, measurable: bool) -> int:
        value = VALUES_BY_LABEL.get(text)
        if value is not None:
            return value
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or (not measurable and not UNKNOWN <= value <= SKIP):
            expected = "a label or a whole number" if measurable else "YES_MANUAL, YES_AUTO, NO, SKIP or UNKNOWN"
            raise self.fail(f"{member}, line {line}", f"unknown value {text!r} (expected {expected})")
        return value


def _measurable_row(value: int, notes: str, labelled: bool) -> tuple[int, str] | None:
    """What a measurable habit's row leaves in the database, or None when it carries nothing."""
    if not labelled and value in (0, UNKNOWN) and not notes:
        return None  # the older format wrote 0 for every day without an amount
    return value, notes


def _chain(first: list[str], rest):  # noqa: ANN001, ANN202 - csv rows
    yield first
    yield from rest


def _int(text: str, default: int | None) -> int | None:
    text = text.strip()
    return int(text) if re.fullmatch(r"-?\d+", text) else default


def _palette_index(text: str) -> int:
    """The palette colour nearest to #RRGGBB (older exports used other shades)."""
    text = text.strip().lower()
    hexes = [c.lower() for c in PALETTE]
    if text in hexes:
        return hexes.index(text)
    if not re.fullmatch(r"#[0-9a-f]{6}", text):
        return DEFAULT_COLOR

    def rgb(h: str) -> tuple[int, int, int]:
        return int(h[1:3], 16), int(h[3:5], 16), int(h[5:7], 16)

    r, g, b = rgb(text)
    return min(range(len(hexes)), key=lambda i: sum((x - y) ** 2 for x, y in zip((r, g, b), rgb(hexes[i]))))

