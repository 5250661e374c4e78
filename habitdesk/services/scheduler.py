"""The reminder scheduler: one single-shot QTimer aimed at the next thing due.

The rules are pure (core/schedule.py); this service only keeps time. It
recomputes after every change the Tracker reports, when a new habit day starts,
and when the wall clock jumps (sleep and resume, a manual change, DST), which
it notices by comparing wall time with monotonic time on a coarse timer.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Iterable

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from habitdesk.core.schedule import (
    Occurrence,
    day_start,
    local_day,
    missed_occurrences,
    next_day_start,
    next_occurrences,
    parse_key,
)
from habitdesk.facade.changes import Affects, Change
from habitdesk.facade.tracker import Tracker
from habitdesk.services.tracker_events import tracker_events

log = logging.getLogger(__name__)

JUMP_CHECK_MS = 30_000  # how often wall time is compared with monotonic time
JUMP_THRESHOLD = 10.0  # seconds of disagreement that count as a jump
LONGEST_WAIT_MS = 6 * 3600 * 1000  # re-aim at least this often, whatever happens
RECOMPUTE_DELAY_MS = 100


def local_zone() -> dt.tzinfo:
    """The system's time zone with its DST rules (TZ or /etc/localtime; the OS's elsewhere)."""
    from dateutil import tz

    return tz.gettz() or tz.tzlocal()


class Clock:
    """The instant now (UTC), the local zone, and monotonic time; ``offset`` shifts the wall clock (tests)."""

    def __init__(self, tz: dt.tzinfo | None = None, offset: dt.timedelta = dt.timedelta()) -> None:
        self.tz = tz if tz is not None else local_zone()
        self.offset = offset

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC) + self.offset

    def monotonic(self) -> float:
        return time.monotonic()


class ReminderScheduler(QObject):
    """Emits ``fire`` with the reminder occurrences to show now.

    Signals:
        fire(list): list[Occurrence]
        day_started(int): a new habit day began (sleep and clock changes included)
    """

    fire = Signal(list)  # list[Occurrence]
    day_started = Signal(int)  # a new habit day began (sleep and clock changes included)

    def __init__(self, tracker: Tracker, clock: Clock | None = None, parent: QObject | None = None,
                 *, jump_check_ms: int = JUMP_CHECK_MS) -> None:
        super().__init__(parent)
        self.tracker = tracker
        self.clock = clock or Clock()
        self._timer = QTimer(self, singleShot=True, timerType=Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self.tick)
        self._jump_timer = QTimer(self, interval=jump_check_ms, timerType=Qt.TimerType.VeryCoarseTimer)
        self._jump_timer.timeout.connect(self._check_for_jump)
        # A burst of changes (an import, fast clicking) recomputes once.
        self._recompute_soon = QTimer(self, singleShot=True, interval=RECOMPUTE_DELAY_MS)
        self._recompute_soon.timeout.connect(self.tick)
        self._fired: set[str] = set()
        self._snoozed: dict[str, dt.datetime] = {}
        self._quiet_until: dt.datetime | None = None
        self._checked_until: dt.datetime | None = None
        self._references = (0.0, 0.0)
        self._today: int | None = None
        self.next_fire: dt.datetime | None = None  # where the timer is aimed (for the UI and tests)

    # -- lifetime -------------------------------------------------------------------
    def start(self, fired: Iterable[str] = ()) -> None:
        """Begin: today's latest missed reminder of each open habit fires now; then the timer runs.

        ``fired``: keys already shown by an earlier run (see fired_keys), never shown again.
        """
        for key in fired:
            try:
                parse_key(key)
            except ValueError:
                continue
            self._fired.add(key)
        now = self.clock.now()
        today = local_day(now, self.clock.tz, self._day_start_hour())
        self._checked_until = day_start(today, self._day_start_hour(), self.clock.tz) - dt.timedelta(seconds=1)
        self._take_references()
        tracker_events(self.tracker).listen(self._on_change)
        self._jump_timer.start()
        self.tick()

    def stop(self) -> None:
        tracker_events(self.tracker).stop_listening(self._on_change)
        self._timer.stop()
        self._jump_timer.stop()
        self._recompute_soon.stop()

    def _on_change(self, change: Change) -> None:
        if Affects.REMINDERS in change.kind.affects:
            self._recompute_soon.start()

    # -- snoozing -----------------------------------------------------------------
    def snooze(self, key: str, minutes: int) -> dt.datetime:
        """Show an occurrence again in ``minutes``; returns when."""
        parse_key(key)
        when = self.clock.now() + dt.timedelta(minutes=minutes)
        self._snoozed[key] = when
        self.tick()
        return when

    def snooze_all(self, minutes: int, shown: list[str]) -> dt.datetime:
        """Keep quiet for ``minutes``; then show ``shown`` again and whatever fell due meanwhile."""
        until = self.clock.now() + dt.timedelta(minutes=minutes)
        self._quiet_until = until
        for key in shown:
            self._snoozed[key] = until
        self.tick()
        return until

    @property
    def fired_keys(self) -> list[str]:
        """The occurrences shown today and yesterday, for the next run's start()."""
        return sorted(self._fired)

    @property
    def quiet_until(self) -> dt.datetime | None:
        return self._quiet_until

    # -- the work -----------------------------------------------------------------
    def tick(self) -> None:
        """Fire what is due, then aim the timer at the next thing."""
        if self._checked_until is None:
            return  # not started
        now = self.clock.now()
        tz = self.clock.tz
        hour = self._day_start_hour()
        try:
            reminders = self.tracker.reminders()
            every_habit = self.tracker.habits(archived=None)
            habits = {h.key: h for h in every_habit}
            due = self.tracker.due_today(every_habit)
        except Exception:  # a database that went away must not stop the clock
            log.exception("reminders: could not read the reminders; trying again in a minute")
            self._aim(now, now + dt.timedelta(minutes=1))
            return
        today = local_day(now, tz, hour)
        if self._today is not None and today != self._today:
            log.info("reminders: a new day began")
            self.day_started.emit(today)
        self._today = today
        self._fired = {k for k in self._fired if parse_key(k)[1] >= today - 1}
        if self._quiet_until is not None and now >= self._quiet_until:
            self._quiet_until = None
        if self._quiet_until is None:
            found = missed_occurrences(reminders, habits, self._checked_until, now, tz, hour, due, fired=self._fired)
            found += self._snoozes_due(now, habits, due, today, {o.key for o in found})
            self._checked_until = max(self._checked_until, now)
            if found:
                self._fired.update(o.key for o in found)
                log.info("reminders: %s", ", ".join(habits[o.habit_id].name for o in found))
                self.fire.emit(found)
        upcoming = next_occurrences(reminders, habits, now, tz, hour, due, fired=self._fired)
        targets = [next_day_start(now, tz, hour)]
        targets += [upcoming[0].at] if upcoming else []
        targets += list(self._snoozed.values())
        targets += [self._quiet_until] if self._quiet_until is not None else []
        self._aim(now, min(targets))

    def _snoozes_due(self, now: dt.datetime, habits: dict, due: set[int], today: int, taken: set[str]) -> list[Occurrence]:
        found = []
        for key, when in list(self._snoozed.items()):
            if when > now:
                continue
            del self._snoozed[key]
            habit_id, day, minute = parse_key(key)
            habit = habits.get(habit_id)
            still_open = habit is not None and not habit.archived and (day != today or habit_id in due)
            if still_open and key not in taken and day <= today:
                found.append(Occurrence(habit_id, day, minute, when))
        return found

    def _aim(self, now: dt.datetime, target: dt.datetime) -> None:
        self.next_fire = target
        wait_ms = int((target - now).total_seconds() * 1000) + 1
        self._timer.start(max(0, min(wait_ms, LONGEST_WAIT_MS)))

    def _day_start_hour(self) -> int:
        try:
            return self.tracker.settings.day_start_hour
        except Exception:
            return 0

    # -- clock jumps ----------------------------------------------------------------
    def _take_references(self) -> None:
        self._references = (self.clock.now().timestamp(), self.clock.monotonic())

    def _check_for_jump(self) -> None:
        wall0, mono0 = self._references
        self._take_references()
        wall1, mono1 = self._references
        drift = (wall1 - wall0) - (mono1 - mono0)
        if abs(drift) > JUMP_THRESHOLD:
            log.info("reminders: the wall clock jumped by %+.0f s (sleep, or a clock change); recomputing", drift)
            if drift < 0 and self._checked_until is not None:
                # Set back: nothing was missed. Keys already fired stay fired.
                self._checked_until = min(self._checked_until, self.clock.now())
            self.tick()

