"""A habit's stored entries: days in order with their values.

Reading ten years of entries as tuples or dicts costs more than analysing
them. The repository hands over parallel sequences straight from SQLite: the
days (a range when every day has an entry) and either the values or, for
yes/no habits, their one-byte codes (see codes.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import repeat

from habitdesk.core.codes import C_UNKNOWN, decode, encode
from habitdesk.core.entries import UNKNOWN


class Stored:
    """Days (ascending) and their stored values (or codes)."""

    __slots__ = ("days", "_values", "_codes", "_days_set")

    def __init__(
        self,
        days: list[int] | range,
        values: list[int] | None = None,
        *,
        codes: bytes | None = None,
    ) -> None:
        if values is None and codes is None:
            raise ValueError("Stored needs values or codes")
        self.days = days
        self._values = values
        self._codes = codes
        self._days_set: set[int] | None = None

    @classmethod
    def of(cls, entries: Stored | Mapping[int, int]) -> Stored:
        """A Stored from itself or from a day -> value mapping."""
        if isinstance(entries, Stored):
            return entries
        days = sorted(entries)
        return cls(days, [entries[d] for d in days])

    @property
    def values(self) -> list[int]:
        if self._values is None:
            self._values = decode(self._codes)  # type: ignore[arg-type]
        return self._values

    @property
    def codes(self) -> bytes:
        if self._codes is None:
            self._codes = encode(self._values)  # type: ignore[arg-type]
        return self._codes

    def __len__(self) -> int:
        return len(self.days)

    def __bool__(self) -> bool:
        return len(self.days) > 0

    def __contains__(self, day: object) -> bool:
        if isinstance(self.days, range):
            return day in self.days
        if self._days_set is None:
            self._days_set = set(self.days)
        return day in self._days_set

    def __repr__(self) -> str:
        return f"Stored({len(self.days)} entries)"

    @property
    def first(self) -> int:
        return self.days[0]

    @property
    def last(self) -> int:
        return self.days[-1]

    @property
    def contiguous(self) -> bool:
        return isinstance(self.days, range) or (
            len(self.days) > 0 and self.days[-1] - self.days[0] + 1 == len(self.days)
        )

    def dense(self, lo: int, hi: int) -> list[int]:
        """Values for every day in [lo, hi], UNKNOWN where nothing is stored."""
        if self.contiguous and self.first == lo and self.last == hi:
            return list(self.values)
        lookup = dict(zip(self.days, self.values)).get
        return list(map(lookup, range(lo, hi + 1), repeat(UNKNOWN)))

    def dense_codes(self, lo: int, hi: int) -> bytearray:
        """Codes for every day in [lo, hi] (which holds every stored day), "0" where nothing is stored."""
        codes = self.codes
        out = bytearray([C_UNKNOWN]) * (hi - lo + 1)
        if not self.days:
            return out
        if self.contiguous:
            out[self.first - lo : self.last - lo + 1] = codes
        else:
            for day, code in zip(self.days, codes):
                out[day - lo] = code
        return out
