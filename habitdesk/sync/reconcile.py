"""One sync pass of one account (DESIGN.md §5): pull the server's changes, then push ours.

1. A cheap check: nothing changed, nothing fetched. It is the ctag (or the sync
   token when the server keeps no ctag), preceded by the collection's
   DAV:getlastmodified where the server has shown that this date follows every
   change (sync.probe). A pass started by a local change only pushes.
2. The delta since the stored token; a refused token means a full listing by (href, etag).
   Tasks we created after that token and the delta leaves out are checked to exist
   (a server may omit what was created and deleted between two tokens).
3. The delta is applied idempotently, three-way against the state both sides last agreed on.
4. Local changes are pushed with If-None-Match: * (create) or If-Match (update);
   a 412 reloads, merges the fields HabitDesk owns, and retries (at most 3 times).
5. The new token is stored in the same transaction as the local changes it brought.

The engine speaks to the data file only through a LocalSide (the facade's), and
to the server through a Remote.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Collection
from contextlib import AbstractContextManager
from typing import Protocol

from habitdesk.core.habit import Habit
from habitdesk.core.occurrences import ALL_DAY, WINDOW_BEFORE, occurrences, rrule, window
from habitdesk.core.reminders import Reminder
from habitdesk.sync import mapping
from habitdesk.sync.errors import SyncError
from habitdesk.sync.mapping import DONE, OPEN, SKIPPED, MalformedItem
from habitdesk.sync.probe import Baseline
from habitdesk.sync.remote import Precondition, Remote, TokenRefused, path_of

log = logging.getLogger(__name__)
MAX_RETRIES = 3
UNREADABLE = "unreadable:"  # Item.uid prefix of a server resource that is not valid iCalendar
FOREIGN = "~"  # marks Item.rendered when the server copy was last written by another client
_STATE_VERBS = {OPEN: "cleared", DONE: "checked", SKIPPED: "skipped"}
FEW_HABITS = 20  # up to this many habits changed, a push reads only theirs; more, and reading all is cheaper


class Item:
    """What HabitDesk knows of one server resource."""

    __slots__ = ("uid", "habit_uuid", "day", "href", "etag", "state", "rendered", "tombstone", "fresh", "early")

    def __init__(self, uid: str, habit_uuid: str, day: int, href: str = "", etag: str = "", state: int = OPEN,
                 rendered: str = "", tombstone: bool = False, fresh: bool = False, early: bool = False) -> None:
        self.uid, self.habit_uuid, self.day, self.href, self.etag = uid, habit_uuid, day, href, etag
        self.state, self.rendered, self.tombstone = state, rendered, bool(tombstone)
        self.fresh = bool(fresh)  # created by us after the stored sync token was taken
        self.early = bool(early)  # state was set elsewhere while the day was ahead: not recorded here yet

    def row(self) -> tuple:
        return (self.uid, self.habit_uuid, self.day, self.href, self.etag, self.state, self.rendered,
                int(self.tombstone), int(self.fresh), int(self.early))


class LocalSide(Protocol):
    """The data file as the engine sees it; the facade implements it."""

    account_id: int
    sync_token: str
    ctag: str
    window_start: int | None
    alarms: bool
    baseline: Baseline  # the collection's last-modified date when the ctag was last compared

    def transaction(self) -> AbstractContextManager[object]: ...
    def today(self) -> int: ...
    def habits(self, uuids: Collection[str] | None = None) -> list[tuple[Habit, list[Reminder]]]: ...
    def items(self, uids: Collection[str] | None = None) -> list[Item]: ...
    def save_item(self, item: Item) -> None: ...
    def drop_item(self, uid: str) -> None: ...
    def settle_fresh(self) -> None: ...
    def outbox(self) -> tuple[int, set[tuple[str, int | None]]]: ...
    def clear_outbox(self, through: int) -> None: ...
    def local_state(self, habit: Habit, day: int) -> int: ...
    def apply_state(self, habit: Habit, day: int, state: int) -> None: ...
    def save_cursor(self, token: str, ctag: str) -> None: ...
    def save_window(self, start: int) -> None: ...
    def save_baseline(self, baseline: Baseline) -> None: ...


class Report:
    """What a pass did, for the CLI and the status line."""

    def __init__(self) -> None:
        self.pushed: list[str] = []  # "created Run 2026-11-26", ...
        self.pulled: list[str] = []  # "Run 2026-11-25: checked"
        self.skipped: list[str] = []  # resources that could not be read
        self.requests = 0
        # The shared history (sync.share): objects read from and written to the data collection.
        self.shared_in = 0
        self.shared_out = 0
        self.shared_requests = 0  # apart from requests, which counts the task (and event) calendars
        self.shared_habits = 0  # habits that came from other computers
        self.shared_days = 0  # days another computer's version changed here
        self.shared_merged: list[str] = []  # habits here that joined the account's habit of the same name
        self.shared_unreadable = 0  # objects in the data collection that could not be used

    def summary(self) -> str:
        parts = [f"pushed {len(self.pushed)}", f"pulled {len(self.pulled)}"]
        if self.skipped:
            parts.append(f"skipped {len(self.skipped)} unreadable")
        return ", ".join(parts)

    def shared_summary(self) -> str:
        """The shared history's part ("" when it moved nothing): habits and years read and written."""
        if not (self.shared_in or self.shared_out or self.shared_unreadable):
            return ""
        text = f"{self.shared_in} read, {self.shared_out} written"
        if self.shared_habits or self.shared_days:
            text += f"; {counted(self.shared_habits, 'new habit')} and {counted(self.shared_days, 'day')} from other computers"
        if self.shared_merged:
            text += f"; same name here and there, now one habit: {', '.join(self.shared_merged)}"
        if self.shared_unreadable:
            text += f"; {counted(self.shared_unreadable, 'object')} left unread (damaged, or from a newer HabitDesk)"
        return text


def counted(n: int, noun: str) -> str:
    """"1 day", "2,400 days": a count with its noun (English plurals; issue 16 brings the others)."""
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def resolve(local: int, remote: int) -> int:
    """Both sides changed the same day: a check-in is never lost; otherwise this device wins."""
    return DONE if DONE in (local, remote) else local


class Engine:
    def __init__(self, local: LocalSide, remote: Remote, *, zone: str, events: Remote | None = None) -> None:
        self.local, self.remote, self.zone, self.events = local, remote, zone, events
        self.report = Report()
        self.today = local.today()
        self._habits: dict[str, tuple[Habit, list[Reminder]]] | None = None
        self._items: dict[str, Item] | None = None
        self.by_href: dict[str, Item] = {}
        self._marked_written = False

    # Loaded only when a pass has work: a sync with no changes reads nothing.
    @property
    def habits(self) -> dict[str, tuple[Habit, list[Reminder]]]:
        if self._habits is None:
            self._habits = {h.uuid: (h, r) for h, r in self.local.habits()}
        return self._habits

    @property
    def items(self) -> dict[str, Item]:
        if self._items is None:
            self._items = {i.uid: i for i in self.local.items()}
            self.by_href = {i.href: i for i in self._items.values() if i.href}
        return self._items

    def run(self, *, pull: bool = True) -> Report:
        """A pass: pull then push, or (``pull`` False, after a local change) push only.

        Pushing alone is safe: every update is conditional on the etag, so a copy
        changed elsewhere is merged (412), and the next full pass reads the rest.
        """
        try:
            if pull:
                self.pull()
            self.push()
        finally:
            self.report.requests = self.remote.requests
        return self.report

    # -- pull -------------------------------------------------------------------------
    def pull(self) -> None:
        baseline = self.local.baseline
        probed = self.remote.modified() if baseline.should_probe() else None
        if probed and baseline.vouches(probed[0], time.time()):
            return
        token, ctag = self.remote.state(with_token=not self.local.ctag)
        moved = ctag != self.local.ctag if ctag else not token or token != self.local.sync_token
        checked = baseline.checked(probed, moved, time.time())
        if not moved:
            with self.local.transaction():
                self.local.save_baseline(checked)
            return
        self.items  # noqa: B018 - loads by_href
        changed: dict[str, str]
        deleted: set[str]
        new_token = token
        try:
            if not self.local.sync_token or self.local.sync_token.startswith("fake-"):
                raise TokenRefused("no token yet")
            new_token, changed, deleted = self.remote.changes(self.local.sync_token)
        except TokenRefused as exc:
            log.info("full resync: %s", exc)
            listed_token, listing = self.remote.listing()
            new_token = listed_token or token
            changed = listing
            mine = path_of(self.remote.url)
            deleted = {href for href, item in self.by_href.items()
                       if href.startswith(mine) and href not in listing and not item.tombstone}
        else:
            deleted |= self._gone_unmentioned(changed, deleted)
        wanted = [href for href, etag in changed.items() if href not in self.by_href or self.by_href[href].etag != etag or not etag]
        fetched = self.remote.fetch(wanted)
        with self.local.transaction():
            for href, (etag, text) in sorted(fetched.items()):
                self._take(href, etag, text)
            for href in sorted(deleted):
                item = self.by_href.get(href)
                if item is not None and not item.tombstone:
                    item.tombstone = True  # deleted elsewhere: never re-created
                    self.local.save_item(item)
                    self.report.pulled.append(f"{self._name(item)} {_iso(item.day)}: deleted on the server")
            self.local.save_cursor(new_token or token, ctag)
            self.local.save_baseline(checked)
            self.local.settle_fresh()
        for item in self.items.values():
            item.fresh = False

    def _gone_unmentioned(self, changed: dict[str, str], deleted: set[str]) -> set[str]:
        """Resources we made after the token that the delta does not mention, and that are gone.

        A delta compares two states, so a resource created and deleted between
        them may be left out of it (Xandikos does): its existence is checked.
        """
        unmentioned = [item.href for item in self.items.values()
                       if item.fresh and not item.tombstone and item.href not in changed and item.href not in deleted]
        if not unmentioned:
            return set()
        present = self.remote.fetch(unmentioned)
        return {href for href in unmentioned if href not in present}

    def _take(self, href: str, etag: str, text: str) -> None:
        """Apply one server copy: the state it shows, three-way against the agreed state."""
        try:
            seen = mapping.read(text)
        except MalformedItem as exc:
            log.warning("skipped %s: %s", href, exc)
            self.report.skipped.append(f"{href}: {exc}")
            # Remembered with its etag, so it is read again only when someone rewrites it.
            junk = Item(f"{UNREADABLE}{href}", "", 0, href=href, etag=etag, tombstone=True)
            self.items[junk.uid] = junk
            self.by_href[href] = junk
            self.local.save_item(junk)
            return
        if seen is None:
            return  # not one of HabitDesk's tasks
        item = self.items.get(seen.uid)
        if item is None:  # written by another HabitDesk on this calendar (or before a reinstall)
            item = Item(seen.uid, seen.habit_uuid, seen.day, href=href, state=OPEN, rendered=seen.rendered)
            self.items[item.uid] = item
        if item.etag != etag and not item.rendered.startswith(FOREIGN):
            item.rendered = FOREIGN + item.rendered
        item.href, item.etag, item.tombstone = href, etag, False
        self.by_href[href] = item
        habit = self.habits.get(seen.habit_uuid)
        if habit is not None and seen.day <= self.today and (seen.state != item.state or item.early):
            local = self.local.local_state(habit[0], seen.day)
            agreed = OPEN if item.early else item.state  # an early state was never recorded here
            target = seen.state if local == agreed else resolve(local, seen.state)
            if target != local:
                self.local.apply_state(habit[0], seen.day, target)
                self.report.pulled.append(f"{habit[0].name} {_iso(seen.day)}: {_STATE_VERBS[target]}")
            item.state, item.early = seen.state, False
        elif seen.day > self.today:
            # A day still ahead cannot be recorded: its state waits for the day (see _take_early).
            item.state, item.early = seen.state, seen.state != OPEN
        self.local.save_item(item)

    def _take_early(self, item: Item, habit: Habit) -> None:
        """The day of a task done (or cancelled) early elsewhere has come: record it, unless this device did."""
        local = self.local.local_state(habit, item.day)
        target = item.state if local == OPEN else resolve(local, item.state)
        with self.local.transaction():
            if target != local:
                self.local.apply_state(habit, item.day, target)
                self.report.pulled.append(f"{habit.name} {_iso(item.day)}: {_STATE_VERBS[target]} (ahead of the day, elsewhere)")
            item.early = False
            self.local.save_item(item)

    # -- push -------------------------------------------------------------------------
    def push(self) -> None:
        through, queued = self.local.outbox()
        days = window(self.today)
        moved = self.local.window_start != days.start
        if not queued and not moved:
            return
        handled: set[str] = set()
        if moved or any(day is None for _, day in queued):
            # A habit queued here that this data file no longer has was deleted here.
            deleted_here = {habit_uuid for habit_uuid, day in queued if day is None and habit_uuid not in self.habits}
            handled = self._push_window(days, deleted_here)
            if self.events is not None:
                self._push_events()
        # After a few check-ins only their habits and items are read, not the whole window's.
        days_queued = {(habit_uuid, day) for habit_uuid, day in queued if day is not None}
        few = len({habit_uuid for habit_uuid, _ in days_queued}) <= FEW_HABITS
        habits = self.habits if self._habits is not None or not few else {
            h.uuid: (h, r) for h, r in self.local.habits({habit_uuid for habit_uuid, _ in days_queued})}
        known = self.items if self._items is not None or not few else {
            i.uid: i for i in self.local.items({mapping.uid(habit_uuid, day) for habit_uuid, day in days_queued})}
        for habit_uuid, day in sorted(days_queued):
            if habit_uuid not in habits:
                continue
            item = known.get(mapping.uid(habit_uuid, day))
            if item is not None and not item.tombstone and item.uid not in handled:
                habit, reminders = habits[habit_uuid]
                minute = occurrences(habit, reminders, range(day, day + 1)).get(day, mapping.render_minute(item.rendered.lstrip(FOREIGN)))
                self._update(item, habit, minute, check_render=False)
        with self.local.transaction():
            self.local.save_window(days.start)
            self.local.clear_outbox(through)

    def _push_window(self, days: range, deleted_here: set[str]) -> set[str]:
        """Make the window's tasks match the habits: create, rewrite, remove. Returns the uids handled."""
        wanted: dict[str, tuple[Habit, int, int]] = {}  # uid -> (habit, day, minute)
        for habit, reminders in self.habits.values():
            for day, minute in occurrences(habit, reminders, days).items():
                wanted[mapping.uid(habit.uuid, day)] = (habit, day, minute)
        for key, (habit, day, minute) in wanted.items():
            item = self.items.get(key)
            if item is None:
                self._create(habit, day, minute)
            elif not item.tombstone:
                self._update(item, habit, minute, check_render=True)
        for item in list(self.items.values()):
            if item.tombstone or item.uid in wanted:
                continue
            # Only the tasks of this data file's habits are its business: a habit it does not
            # have belongs to another HabitDesk on the same calendar, unless it was deleted here.
            if item.habit_uuid in deleted_here or (item.habit_uuid in self.habits and item.day > self.today):
                self._remove(item)  # a habit deleted here, or an archived habit's or unscheduled coming day
        return set(wanted)

    def _push_events(self) -> None:
        """One recurring event per active habit in the events calendar (push only: HabitDesk owns them)."""
        assert self.events is not None
        for habit, reminders in self.habits.values():
            key = mapping.event_uid(habit.uuid)
            item = self.items.get(key)
            if habit.archived:
                if item is not None:
                    self._remove(item)
                continue
            enabled = [r.minute for r in reminders if r.enabled]
            minute = min(enabled) if enabled else ALL_DAY
            rule = rrule(habit)
            rendered = mapping.render_key(f"{habit.name}\x1e{sorted(rule.items()) if rule else ''}", minute,
                                          self.local.alarms, self.zone)
            if item is not None and item.rendered == rendered:
                continue
            if item is None:
                href = self.events.href_for(f"habitdesk-{habit.uuid}-event.ics")
                item = Item(key, habit.uuid, self.today, href=href)
            text = mapping.build_event(habit.uuid, habit.name, item.day, minute, rule, alarms=self.local.alarms, zone=self.zone)
            item.etag = self.events.put(item.href, text, etag=None, unconditional=True)
            item.rendered = rendered
            self.items[key] = item
            self.local.save_item(item)
            self.report.pushed.append(f"event {habit.name}")

    def _create(self, habit: Habit, day: int, minute: int) -> None:
        state = self.local.local_state(habit, day)
        key = mapping.render_key(habit.name, minute, self.local.alarms, self.zone)
        text = mapping.build(habit.uuid, habit.name, day, minute, state, alarms=self.local.alarms, zone=self.zone)
        href = self.remote.href_for(mapping.resource_name(habit.uuid, day))
        item = Item(mapping.uid(habit.uuid, day), habit.uuid, day, href=href, state=state, rendered=key)
        try:
            item.etag = self.remote.put(href, text, etag=None)
        except Precondition:
            # Another device made it first: adopt its copy, then bring it in line.
            copy = self.remote.get(href)
            if copy is None:
                raise SyncError(f"{href} exists and does not, at once; try again") from None
            item.state, item.rendered = OPEN, ""
            self.items[item.uid] = item
            self.by_href[href] = item
            with self.local.transaction():
                self._take(href, copy[0], copy[1])
            self._update(item, habit, minute, check_render=True)
            return
        self._wrote()
        item.fresh = True
        self.items[item.uid] = item
        self.by_href[href] = item
        self.local.save_item(item)
        self.report.pushed.append(f"created {habit.name} {_iso(day)}")

    def _update(self, item: Item, habit: Habit, minute: int, *, check_render: bool) -> None:
        """Write the local state (and, for days from today on, the habit's fields) when they differ."""
        if item.early and item.day <= self.today:
            self._take_early(item, habit)
        state = self.local.local_state(habit, item.day) if item.day <= self.today else item.state
        key = mapping.render_key(habit.name, minute, self.local.alarms, self.zone)
        # Past days keep what was written then, except that a task in an older format is
        # rewritten on every day a client lists, yesterday's included (mapping.TASK_FORMAT).
        written = item.rendered.lstrip(FOREIGN)
        if written != key and mapping.same_render(key, written):  # adopted from another HabitDesk, as we would write it
            item.rendered = item.rendered.replace(written, key)
            written = key
        old_format = mapping.task_format(written) != mapping.TASK_FORMAT
        rerender = check_render and key != written and (
            item.day >= self.today or (old_format and item.day >= self.today - WINDOW_BEFORE))
        if state == item.state and not rerender:
            return
        if not rerender:
            key = item.rendered.lstrip(FOREIGN)
        # A copy last written by someone else may carry fields of theirs: start from it.
        need_copy = item.rendered.startswith(FOREIGN) or not item.rendered
        base: str | None = None
        for _attempt in range(MAX_RETRIES + 1):
            if need_copy:
                copy = self.remote.get(item.href)
                if copy is None:  # deleted on the server since: a tombstone
                    item.tombstone = True
                    self.local.save_item(item)
                    return
                item.etag, base = copy
                seen = _read_or_none(base)
                if seen is not None and seen.state != item.state:  # changed there too: merge
                    state = resolve(state, seen.state)
                    if item.day <= self.today and state != self.local.local_state(habit, item.day):
                        with self.local.transaction():
                            self.local.apply_state(habit, item.day, state)
                        self.report.pulled.append(f"{habit.name} {_iso(item.day)}: {_STATE_VERBS[state]}")
            try:
                text = mapping.build(habit.uuid, habit.name, item.day, minute, state, alarms=self.local.alarms,
                                     zone=self.zone, base=base)
            except MalformedItem as exc:
                # Someone rewrote the task into something that is not a task: it is theirs now.
                log.warning("skipped %s: %s", item.href, exc)
                self.report.skipped.append(f"{item.href}: {exc}")
                item.tombstone = True
                self.local.save_item(item)
                return
            try:
                item.etag = self.remote.put(item.href, text, etag=item.etag or None)
            except Precondition:
                need_copy = True  # reload, merge, retry
                continue
            self._wrote()
            item.state, item.rendered = state, key
            self.local.save_item(item)
            self.report.pushed.append(f"{'updated' if rerender else _STATE_VERBS[state]} {habit.name} {_iso(item.day)}")
            return
        raise SyncError(f"{habit.name} {_iso(item.day)} kept changing on the server; it will be tried again")

    def _remove(self, item: Item) -> None:
        self.remote.delete(item.href)
        self._wrote()
        self.items.pop(item.uid, None)
        self.by_href.pop(item.href, None)
        self.local.drop_item(item.uid)
        self.report.pushed.append(f"removed {self._name(item)} {_iso(item.day)}")

    def _wrote(self) -> None:
        """The collection changed by our hand: its date moved, so the next pass need not probe it."""
        if not self._marked_written:
            self._marked_written = True
            self.local.save_baseline(self.local.baseline.written())

    def _name(self, item: Item) -> str:
        habit = self.habits.get(item.habit_uuid)
        return habit[0].name if habit else item.habit_uuid[:8]


def _read_or_none(text: str) -> mapping.Observation | None:
    try:
        return mapping.read(text)
    except MalformedItem:
        return None


def _iso(day: int) -> str:
    from habitdesk.core.days import iso

    return iso(day)
