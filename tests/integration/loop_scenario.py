"""A realistic Loop backup (nine habits, four months) and what HabitDesk should hold after importing it.

The expectations are written from DESIGN.md §3, independently of habitdesk's code:
day numbers, weekday masks and stored values are worked out here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from tests.support.loop_backup import (
    EVERY_DAY,
    FRIDAY,
    MONDAY,
    NO,
    SATURDAY,
    SKIP,
    SUNDAY,
    THURSDAY,
    TUESDAY,
    UNKNOWN,
    WEDNESDAY,
    YES_MANUAL,
    LoopBackup,
    LoopHabit,
)

TODAY_DATE = dt.date(2026, 11, 26)  # conftest.TODAY, a Thursday
HISTORY_DAYS = 120

# Our weekday masks: bit 0 = Monday ... bit 6 = Sunday.
OUR_MON, OUR_TUE, OUR_WED, OUR_THU, OUR_FRI, OUR_SAT, OUR_SUN = (1 << i for i in range(7))


def ago(k: int) -> dt.date:
    return TODAY_DATE - dt.timedelta(days=k)


def day_number(date: dt.date) -> int:
    return (date - dt.date(1970, 1, 1)).days


@dataclasses.dataclass
class Expected:
    """One habit as HabitDesk should hold it after the import."""

    loop: LoopHabit
    name: str
    question: str
    description: str
    kind: int  # 0 yes/no, 1 measurable
    num: int
    den: int
    color: int
    color_hex: str
    unit: str
    target_type: int
    target_value: float
    archived: bool
    reminders: list[tuple[int, int, bool]]  # (minute of day, our weekday mask, enabled)
    uuid: str | None  # None: generated (schema < 24)
    entries: dict[int, tuple[int, str]] = dataclasses.field(default_factory=dict)

    @property
    def measurable(self) -> bool:
        return self.kind == 1


class Scenario:
    """Builds the backup and the expectations side by side."""

    def __init__(self, schema: int) -> None:
        self.schema = schema
        self.backup = LoopBackup(schema)
        self.expected: list[Expected] = []
        self.ignored_rows = 0  # Repetitions rows the import must ignore

    @property
    def has_notes(self) -> bool:
        return self.schema >= 25

    def add(self, name: str, *, question: str = "", description: str = "", reminder_expect=(), **kw) -> Expected:  # noqa: ANN001
        if self.schema < 23:
            description = ""  # the question text then lives in Loop's description column
        loop = self.backup.habit(name, question=question, description=description, **kw)
        freq = kw.get("freq", (1, 1))
        color = kw.get("color", 8)
        exp = Expected(
            loop=loop,
            name=name,
            question=question,
            description=description,
            kind=kw.get("type", 0),
            num=freq[0],
            den=freq[1],
            color=color,
            color_hex=PALETTE_HEX[color],
            unit=kw.get("unit", ""),
            target_type=kw.get("target_type", 0),
            target_value=float(kw.get("target_value", 0.0)),
            archived=kw.get("archived", False),
            reminders=list(reminder_expect),
            uuid=loop.uuid,
        )
        self.expected.append(exp)
        return exp

    def rep(self, exp: Expected, k: int, value: int, notes: str | None = None) -> None:
        """A row k days before today; notes are dropped before schema 25."""
        if not self.has_notes:
            notes = None
        self.backup.rep(exp.loop, ago(k), value, notes)
        if value == UNKNOWN and (notes == "" or notes is None and not exp.measurable):
            self.ignored_rows += 1
            return
        exp.entries[day_number(ago(k))] = (value, notes or "")

    def in_list_order(self) -> list[Expected]:
        return sorted(self.expected, key=lambda e: e.loop.position)


# Loop's palette as its CSV export writes it (index -> #RRGGBB).
PALETTE_HEX = (
    "#D32F2F", "#E64A19", "#F57C00", "#FF8F00", "#F9A825",
    "#AFB42B", "#7CB342", "#388E3C", "#00897B", "#00ACC1",
    "#039BE5", "#1976D2", "#303F9F", "#5E35B1", "#8E24AA",
    "#D81B60", "#5D4037", "#303030", "#757575", "#aaaaaa",
)


def realistic(schema: int) -> Scenario:
    """Nine habits over four months: every frequency family, both measurable kinds, odd names."""
    s = Scenario(schema)
    # Positions deliberately differ from the creation order; the import follows positions.
    meditate = s.add(
        "Meditate", question="Did you meditate?", description="Sit for ten minutes, eyes closed",
        color=3, reminder=(7, 30, EVERY_DAY), reminder_expect=[(7 * 60 + 30, 0b1111111, True)], position=4,
    )
    run = s.add(
        "Run", question="Did you run today?", freq=(3, 7), color=11,
        reminder=(18, 15, MONDAY | WEDNESDAY | FRIDAY),  # Loop 4 + 16 + 64 = 84
        reminder_expect=[(18 * 60 + 15, OUR_MON | OUR_WED | OUR_FRI, True)], position=0,
    )
    call = s.add(
        "Call mom", question="Did you call mom?", freq=(1, 7), color=15,
        reminder=(11, 0, SATURDAY | SUNDAY),  # Loop 1 + 2 = 3: Saturday is bit 0
        reminder_expect=[(11 * 60, OUR_SAT | OUR_SUN, True)], position=7,
    )
    bills = s.add(
        "Pay bills", question="Did you pay the bills?", freq=(2, 30), color=2,
        reminder=(9, 5, 113),  # as in real Loop files: Saturday, Wednesday, Thursday, Friday
        reminder_expect=[(9 * 60 + 5, OUR_WED | OUR_THU | OUR_FRI | OUR_SAT, True)], position=2,
    )
    plants = s.add("Water plants", question="Did you water the plants?", freq=(1, 3), color=7, archived=True, position=8)
    pages = s.add(
        "Pages read", question="How many pages did you read?", type=1, target_type=0, target_value=20,
        unit="pages", color=5, position=1,
    )
    coffee = s.add(
        "Coffee", question="How many cups of coffee?", description="Decaf counts as half", type=1,
        target_type=1, target_value=2.5, unit="cups", color=16,
        reminder=(8, 0, TUESDAY | THURSDAY),  # Loop 8 + 32 = 40
        reminder_expect=[(8 * 60, OUR_TUE | OUR_THU, True)], position=5,
    )
    stretch = s.add('Stretch, "gently"', question="Stretched?", freq=(2, 3), color=19, position=3)
    lire = s.add(
        "Lire 📚 à l'été", question="As-tu lu aujourd'hui ?", description="Ünïcödé ☕ «citation»",
        color=13, position=6,
    )

    for k in range(HISTORY_DAYS - 1, -1, -1):
        date = ago(k)
        r = k % 10
        # Meditate, daily: mostly done, a NO now and then, skips, notes.
        if r in (0, 1, 2, 4, 5, 7, 8):
            notes = None
            if k % 15 == 0:
                notes = "Calm, focused"
            elif k % 45 == 1:
                notes = 'Said "om" twice'
            elif k == 8:
                notes = "Line one\nline two"
            s.rep(meditate, k, YES_MANUAL, notes)
        elif r == 6:
            s.rep(meditate, k, NO, "Too tired" if k % 20 == 6 else None)
        elif r == 9 and k % 20 == 9:
            s.rep(meditate, k, SKIP, "Travelling" if k % 40 == 9 else None)
        # Run, 3/7: Monday, Wednesday, Friday, with rainy days off.
        if date.weekday() in (0, 2, 4):
            if k % 9 == 4:
                s.rep(run, k, NO, "Rain, heavy")
            else:
                s.rep(run, k, YES_MANUAL)
        # Call mom, weekly: Sundays.
        if date.weekday() == 6:
            if k == 31:
                s.rep(call, k, NO, "No answer")
            else:
                s.rep(call, k, YES_MANUAL)
        # Pay bills, twice a month: the 1st and the 15th; one skipped.
        if date.day in (1, 15):
            s.rep(bills, k, SKIP if date == dt.date(2026, 9, 15) else YES_MANUAL)
        # Water plants, every 3 days (archived).
        if k % 3 == 0 and k not in (30, 60):
            s.rep(plants, k, YES_MANUAL)
        # Pages read, at least 20 a day.
        if r == 9:
            pass
        elif r == 4:
            s.rep(pages, k, NO if k % 20 == 4 else SKIP)
        else:
            amount = 5 + (k * 7) % 31 + (0.5 if k % 4 == 0 else 0)
            s.backup.amount(pages.loop, date, amount, "Long chapter, tiring" if k == 12 and s.has_notes else None)
            pages.entries[day_number(date)] = (round(amount * 1000), "Long chapter, tiring" if k == 12 and s.has_notes else "")
        # Coffee, at most 2.5 cups.
        cups = (0, 1, 1.5, 2, 2.5, 3, 4)[k % 7]
        s.backup.amount(coffee.loop, date, cups)
        coffee.entries[day_number(date)] = (round(cups * 1000), "")
        # Stretch, 2 in 3 days: dense early on, sparse lately.
        if (k >= 60 and k % 3 in (0, 1)) or (k < 60 and k % 3 == 0):
            s.rep(stretch, k, YES_MANUAL)
        # Lire, daily, every other day.
        if k % 2 == 0:
            s.rep(lire, k, YES_MANUAL, "Chapitre « trois », fini" if k % 14 == 0 else None)

    if s.has_notes:
        # UNKNOWN with empty notes carries nothing; with notes it is kept.
        s.rep(meditate, 3, UNKNOWN, "")
        s.rep(meditate, 13, UNKNOWN, "Not sure, maybe")
        s.rep(lire, 1, UNKNOWN, "")
        # A measurable UNKNOWN with NULL notes stays an UNKNOWN entry (a known day).
        s.rep(pages, 19, UNKNOWN, None)
        s.rep(pages, 29, UNKNOWN, "")
    return s
