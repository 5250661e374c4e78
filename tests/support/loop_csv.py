"""Build Loop Habit Tracker CSV export zips for tests, from the format rules in DESIGN.md §3.

Nothing here comes from Loop's own files. Two formats:

  current: Habits.csv with 12 columns; "NNN name/Checkmarks.csv" headed Date,Value,Notes
           with labels or raw x1000 amounts, newest first.
  older:   Habits.csv with 7 columns (Position, Name, Question, Description,
           NumRepetitions, Interval, Color); headerless "date,code" Checkmarks.csv rows
           (0 unchecked, 1 automatic, 2 checked, 3 skipped), newest first.

    export = LoopCsv()
    run = export.habit("Run", freq=(3, 7))
    run.rows.append(("2026-11-20", "YES_MANUAL", "easy"))
    export.write(tmp_path / "loop.zip")
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import zipfile
from pathlib import Path

HEADER = ["Position", "Name", "Type", "Question", "Description", "FrequencyNumerator",
          "FrequencyDenominator", "Color", "Unit", "Target Type", "Target Value", "Archived?"]
OLD_HEADER = ["Position", "Name", "Question", "Description", "NumRepetitions", "Interval", "Color"]


@dataclasses.dataclass
class CsvHabit:
    name: str
    freq: tuple[int, int] = (1, 1)
    kind: str = "YES_NO"
    question: str = ""
    description: str = ""
    color: str = "#00897B"
    unit: str = ""
    target_type: str = ""
    target_value: str = ""
    archived: str = "false"
    rows: list[tuple[str, ...]] = dataclasses.field(default_factory=list)  # (date, value[, notes])


def folder(position: int, name: str) -> str:
    return f"{position:03d} {re.sub(r'[^ a-zA-Z0-9._-]+', '', name)[:100]}".strip()


def _csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


class LoopCsv:
    def __init__(self, *, old: bool = False) -> None:
        self.old = old
        self.habits: list[CsvHabit] = []
        self.extra: dict[str, bytes] = {}  # more members, or replacements
        self.habits_csv: str | None = None  # replaces the generated Habits.csv

    def habit(self, name: str, **kw) -> CsvHabit:  # noqa: ANN003
        h = CsvHabit(name, **kw)
        self.habits.append(h)
        return h

    def members(self) -> dict[str, bytes]:
        out: dict[str, bytes] = {}
        if self.old:
            rows = [OLD_HEADER] + [[f"{i:03d}", h.name, h.question, h.description, str(h.freq[0]), str(h.freq[1]), h.color]
                                   for i, h in enumerate(self.habits, start=1)]
        else:
            rows = [HEADER] + [[f"{i:03d}", h.name, h.kind, h.question, h.description, str(h.freq[0]), str(h.freq[1]),
                                h.color, h.unit, h.target_type, h.target_value, h.archived]
                               for i, h in enumerate(self.habits, start=1)]
        out["Habits.csv"] = (self.habits_csv if self.habits_csv is not None else _csv(rows)).encode()
        for i, h in enumerate(self.habits, start=1):
            name = folder(i, h.name)
            body = [] if self.old else [["Date", "Value", "Notes"]]
            body += [list(r) if self.old else list(r) + [""] * (3 - len(r)) for r in h.rows]
            out[f"{name}/Scores.csv"] = b"Date,Score\n"
            out[f"{name}/Checkmarks.csv"] = _csv(body).encode()
        out["Scores.csv"] = b"Date," + "".join(h.name + "," for h in self.habits).encode() + b"\n"
        out["Checkmarks.csv"] = out["Scores.csv"]
        out.update(self.extra)
        return out

    def write(self, path: Path) -> Path:
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for name, data in self.members().items():
                zf.writestr(name, data)
        return path
