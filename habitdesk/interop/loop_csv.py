"""Writing Loop Habit Tracker's CSV export (a zip), byte for byte in Loop's layout.

Order inside the zip: Habits.csv; per habit "NNN name/Scores.csv" and
"NNN name/Checkmarks.csv"; then the wide Scores.csv and Checkmarks.csv.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from habitdesk.core.analysis import Analysis
from habitdesk.core.days import iso
from habitdesk.core.entries import label
from habitdesk.core.habit import Habit, TargetType

_UNSAFE = re.compile(r"[^ a-zA-Z0-9._-]+")
_FOUR_PLACES = Decimal("0.0001")


def folder_name(position: int, name: str) -> str:
    """Loop's per-habit folder: 1-based %03d, a space, the name reduced to [ a-zA-Z0-9._-]."""
    return f"{position:03d} {_UNSAFE.sub('', name)[:100]}".strip()


def java_double(value: float) -> str:
    """A double as Java's Double.toString writes it (5.0, 0.25, 1.0E7, 1.0E-4)."""
    if value != value or value in (float("inf"), float("-inf")):
        return {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}[repr(value)]
    if value == 0:
        return "-0.0" if repr(value).startswith("-") else "0.0"
    magnitude = abs(value)
    if 1e-3 <= magnitude < 1e7:
        return repr(value)
    sign, digits, exponent = Decimal(repr(value)).as_tuple()
    assert isinstance(exponent, int)  # a finite float's repr
    text = "".join(map(str, digits)).rstrip("0") or "0"
    power = len(digits) - 1 + exponent
    mantissa = text[0] + "." + (text[1:] or "0")
    return f"{'-' if sign else ''}{mantissa}E{power}"


def score_text(score: float) -> str:
    """Four decimals, rounded half up on the shortest decimal form (Java's %.4f)."""
    return str(Decimal(repr(score)).quantize(_FOUR_PLACES, rounding=ROUND_HALF_UP))


# A spreadsheet runs a cell that starts with one of these as a formula. User text
# (names, questions, descriptions, units, notes) that does is written with a leading
# apostrophe, as OWASP advises against CSV injection; the importer takes it off again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def text_cell(text: str) -> str:
    """User text as a cell no spreadsheet runs (unchanged unless it starts like a formula)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def from_text_cell(cell: str) -> str:
    """The user's text back from text_cell()."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS) else cell


def _header_cell(name: str) -> str:
    """A habit name in the wide files' header: neutralised, and quoted when it holds a comma or quote."""
    text = text_cell(name)
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\r\n') else text


def _csv(rows: Sequence[Sequence[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def habits_csv(habits: Sequence[Habit]) -> bytes:
    rows = [[
        "Position", "Name", "Type", "Question", "Description", "FrequencyNumerator",
        "FrequencyDenominator", "Color", "Unit", "Target Type", "Target Value", "Archived?",
    ]]
    for position, habit in enumerate(habits, start=1):
        measurable = habit.is_measurable
        rows.append([
            f"{position:03d}",
            text_cell(habit.name),
            "NUMERICAL" if measurable else "YES_NO",
            text_cell(habit.question),
            text_cell(habit.description),
            str(habit.frequency.num),
            str(habit.frequency.den),
            habit.color_hex,
            text_cell(habit.unit) if measurable else "",
            ("AT_MOST" if habit.target_type is TargetType.AT_MOST else "AT_LEAST") if measurable else "",
            java_double(habit.target_value) if measurable else "",
            "true" if habit.archived else "false",
        ])
    return _csv(rows)


def habit_scores_csv(analysis: Analysis) -> bytes:
    """Date,Score from today back to the oldest computed entry (today alone if none)."""
    known = analysis.known_days()
    oldest = known[-1] if known else analysis.today
    rows = [["Date", "Score"]]
    rows += [[iso(day), score_text(analysis.score_on(day))] for day in range(analysis.today, oldest - 1, -1)]
    return _csv(rows)


def habit_checkmarks_csv(analysis: Analysis, notes: dict[int, str]) -> bytes:
    """Date,Value,Notes: one row per computed entry, newest first (future days too)."""
    rows = [["Date", "Value", "Notes"]]
    rows += [[iso(day), label(analysis.value_on(day)), text_cell(notes.get(day, ""))] for day in analysis.known_days()]
    return _csv(rows)


def wide_files(analyses: Sequence[Analysis], oldest_stored: int | None, today: int) -> tuple[bytes, bytes]:
    """The root Scores.csv and Checkmarks.csv: one column per habit, trailing commas."""
    header = "Date," + "".join(_header_cell(a.habit.name) + "," for a in analyses) + "\n"
    scores = [header]
    checks = [header]
    if oldest_stored is not None:
        for day in range(today, oldest_stored - 1, -1):
            date = iso(day) + ","
            scores.append(date + "".join(score_text(a.score_on(day)) + "," for a in analyses) + "\n")
            checks.append(date + "".join(label(a.value_on(day)) + "," for a in analyses) + "\n")
    return "".join(scores).encode("utf-8"), "".join(checks).encode("utf-8")


def write_loop_csv_zip(
    path: Path,
    analyses: Sequence[Analysis],
    notes: Sequence[dict[int, str]],
    oldest: int | None,
    today: int,
) -> None:
    """Write the export; ``analyses`` are full analyses of every habit in list order, and
    ``oldest`` the oldest stored day of any of them, entries the analyses leave out included."""
    members: list[tuple[str, bytes]] = [("Habits.csv", habits_csv([a.habit for a in analyses]))]
    for position, (analysis, habit_notes) in enumerate(zip(analyses, notes), start=1):
        folder = folder_name(position, analysis.habit.name)
        members.append((f"{folder}/Scores.csv", habit_scores_csv(analysis)))
        members.append((f"{folder}/Checkmarks.csv", habit_checkmarks_csv(analysis, habit_notes)))
    wide_scores, wide_checks = wide_files(analyses, oldest, today)
    members += [("Scores.csv", wide_scores), ("Checkmarks.csv", wide_checks)]
    tmp = Path(path).with_name(Path(path).name + ".part")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for member, data in members:
            zf.writestr(member, data)
    tmp.replace(path)
