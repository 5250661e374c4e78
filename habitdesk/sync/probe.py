"""Has a CalDAV collection changed? A cheap last-modified probe in front of the ctag.

Radicale computes a collection's ctag or sync token by reading every member
(185 ms for the 1,800 tasks of a heavy user), but its DAV:getlastmodified only
stats them (18 ms). Not every server keeps that date by its members' changes,
so the probe may answer "nothing new" only once this server has earned it:

- Trust is learnt: the first time the ctag moved, or HabitDesk itself wrote,
  after a settled baseline, the date must have moved too. If it did, the date is
  trusted; if it did not, it is never asked again for this account.
- The date has a resolution of a second. A baseline vouches only when the ctag
  was compared while the date was SETTLE_S old by the server's own clock (its
  Date header), so no later change can fall into the baseline's second.
- The ctag is still compared every VERIFY_EVERY_S, and after each of our writes
  (when the date is known to have moved, the probe is skipped).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from email.utils import parsedate_to_datetime

log = logging.getLogger(__name__)

SETTLE_S = 10.0  # age a baseline's date must have reached, by the server's clock, when the ctag was read
VERIFY_EVERY_S = 3600.0  # the ctag is compared at least this often, whatever the date says
NEVER, LEARNING, TRUSTED = -1, 0, 1  # Baseline.trust
CLEAN, WROTE, WROTE_CHECKED = 0, 1, 2  # Baseline.wrote: HabitDesk wrote since the baseline (and the ctag was read since)


@dataclass(frozen=True)
class Baseline:
    """The collection's date when the ctag was last compared, and what it is worth."""

    modified: str = ""  # DAV:getlastmodified, as the server wrote it
    settled: bool = False
    trust: int = LEARNING
    verified_at: float = 0.0  # seconds since the epoch
    wrote: int = CLEAN

    def should_probe(self) -> bool:
        """False when the probe can tell nothing: an untrusted server, or one we just wrote to."""
        return self.trust != NEVER and self.wrote != WROTE

    def vouches(self, modified: str, now: float) -> bool:
        """True when the date alone shows that nothing changed since the ctag was compared."""
        return (self.trust == TRUSTED and self.wrote == CLEAN and self.settled and bool(modified)
                and modified == self.modified and 0 <= now - self.verified_at < VERIFY_EVERY_S)

    def checked(self, probed: tuple[str, str] | None, moved: bool, now: float) -> Baseline:
        """The baseline after the ctag was compared; ``probed`` is (date, server's Date header) or None."""
        if self.wrote == WROTE:  # the probe was skipped: keep the baseline from before our write, to judge by
            return replace(self, verified_at=now, wrote=WROTE_CHECKED)
        if not probed or not probed[0]:
            return Baseline(trust=NEVER, verified_at=now)  # this server keeps no such date
        modified, server_date = probed
        trust = self.trust
        if self.settled and self.modified and (moved or self.wrote == WROTE_CHECKED):
            if modified == self.modified:
                log.warning("the calendar changed but its last-modified date did not; comparing its ctag from now on")
                trust = NEVER
            else:
                trust = TRUSTED
        return Baseline(modified, age(modified, server_date) >= SETTLE_S, trust, now, CLEAN)

    def written(self) -> Baseline:
        """HabitDesk changed the collection: the next pass compares the ctag without probing first."""
        return replace(self, wrote=WROTE)


def age(modified: str, server_date: str) -> float:
    """Seconds from ``modified`` to ``server_date`` (HTTP dates); -1 when either is missing or unreadable."""
    try:
        return (parsedate_to_datetime(server_date) - parsedate_to_datetime(modified)).total_seconds()
    except (TypeError, ValueError, IndexError):
        return -1.0
