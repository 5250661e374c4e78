"""Yes/no entry values as one ASCII byte per day, for C-speed passes.

code = value + 49: UNKNOWN "0", NO "1", YES_AUTO "2", YES_MANUAL "3", SKIP "4".
A dense run of days is then a bytes object: bytes.translate, count, find and
re do in C what would otherwise be a Python loop per day.
"""

from __future__ import annotations

from habitdesk.core.entries import NO, SKIP, UNKNOWN, YES_AUTO, YES_MANUAL

OFFSET = 49
C_UNKNOWN = UNKNOWN + OFFSET
C_AUTO = YES_AUTO + OFFSET
C_MANUAL = YES_MANUAL + OFFSET
C_SKIP = SKIP + OFFSET
VALID = frozenset((UNKNOWN, NO, YES_AUTO, YES_MANUAL, SKIP))


def _table(mapping: dict[int, int], default: int) -> bytes:
    return bytes(mapping.get(i, default) for i in range(256))


# 1 where the day is a manual check.
MANUAL = _table({C_MANUAL: 1}, 0)
# 1 where a yes/no day counts toward a streak (value > 0: auto, manual, skip).
STREAK = _table({C_AUTO: 1, C_MANUAL: 1, C_SKIP: 1}, 0)
# Inside an interval: manual and skip stay, everything else reads YES_AUTO.
INSIDE = _table({C_MANUAL: C_MANUAL, C_SKIP: C_SKIP}, C_AUTO)
# Off a weekday schedule: a day without an entry reads SKIP.
OFF_SCHEDULE = bytes(C_SKIP if i == C_UNKNOWN else i for i in range(256))


def encode(values: list[int]) -> bytes:
    """Codes of yes/no values; ValueError for a value that is not an entry state."""
    if values and (min(values) < UNKNOWN or max(values) > SKIP):
        bad = next(v for v in values if v not in VALID)
        raise ValueError(f"{bad} is not a yes/no entry value")
    return bytes(v + OFFSET for v in values)


def decode(codes: bytes | bytearray) -> list[int]:
    return [c - OFFSET for c in codes]
