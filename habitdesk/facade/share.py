"""The data file as the shared history's pass sees it (sync.share.ShareLocal).

Bodies are built from the habits, entries and stamps here; another computer's
bodies are checked as strictly as a restored backup before anything is written,
and written with the stamps they came with.
"""

from __future__ import annotations

import datetime as dt
import secrets
import socket
from contextlib import AbstractContextManager
from typing import Any

from habitdesk.core.days import LATEST_DAY, OLDEST_DAY, from_date, to_date
from habitdesk.core.entries import UNKNOWN
from habitdesk.core.habit import Habit
from habitdesk.facade.tracker import Tracker
from habitdesk.interop.bundle import HabitBundle, entries_problem
from habitdesk.interop.errors import FormatError
from habitdesk.interop.json_backup import habit_from_json, habit_json
from habitdesk.storage.share_state import HABIT_DAY, ShareState
from habitdesk.storage.sync_state import SyncState
from habitdesk.sync.reconcile import counted
from habitdesk.sync.share_format import (
    Cell,
    cells_of,
    computer_body,
    computer_name,
    days_body,
    days_name,
    habit_body,
    habit_name,
    merge_cell,
    split_name,
)

PARKED = "parked"  # the digest of a days object whose habit is deleted here


def start_sharing(tracker: Tracker) -> None:
    """Stamp changes from now on (once per data file; the first account that shares starts it)."""
    state = ShareState(tracker.db)
    with tracker.db.atomic():
        if state.node() is None:
            state.start(secrets.token_hex(4))


def computer_label() -> str:
    """How this computer is called in the other computers' account lists."""
    return socket.gethostname().split(".")[0] or "a computer"


def _uuid_of(name: str) -> str:
    return (split_name(name) or ("", "", 0))[1]


def name_key(name: str) -> str:
    """Names that a person would call the same: case and surrounding spaces ignored."""
    return " ".join(name.split()).casefold()


def has_joined(tracker: Tracker, account_id: int, token: str) -> bool:
    """Whether this computer has read the account's shared history before (its first pass is the join)."""
    return bool(token) or ShareState(tracker.db).seen_any(account_id)


def unshared_by_name(tracker: Tracker, habits: list[Habit]) -> dict[str, Habit]:
    """Of these habits, those no account shares yet, by name_key (the first of equal names): what a join
    may make one with the account's habit of the same name."""
    shares = ShareState(tracker.db)
    found: dict[str, Habit] = {}
    for habit in habits:
        if not shares.shared_anywhere(habit.uuid):
            found.setdefault(name_key(habit.name), habit)
    return found


def year_span(year: int) -> tuple[int, int]:
    return from_date(dt.date(year, 1, 1)), from_date(dt.date(year, 12, 31))


class ShareLocal:
    """One account's view of the shared history in the data file."""

    def __init__(self, tracker: Tracker, account_id: int, token: str, pushed_seq: int, *, join_by_name: bool = False) -> None:
        self.tracker, self.account_id = tracker, account_id
        self.shares, self.accounts = ShareState(tracker.db), SyncState(tracker.db)
        self.token, self.pushed_seq = token, pushed_seq
        self.node = self.shares.node() or ""
        self.touched: set[int] = set()  # habits another computer changed here in this pass
        self.parked: set[str] = set()  # days objects of habits deleted here, read in this pass
        self.habits_in = 0  # habits that came from elsewhere in this pass (not merged by name)
        self.days_in = 0  # days another computer's version changed here in this pass
        self.merged: list[str] = []  # habits here that became the account's habit of the same name
        # On the account's first pass, habits here that no account shares yet, by name: one the
        # account has under the same name becomes that habit (issue 24: joining merges namesakes).
        self.namesakes: dict[str, Habit] | None = None
        if join_by_name and not has_joined(tracker, account_id, token):
            self.namesakes = unshared_by_name(tracker, tracker.repo.habits(archived=None))

    def transaction(self) -> AbstractContextManager[object]:
        return self.tracker.db.atomic()

    def save_token(self, token: str) -> None:
        self.token = token
        self.accounts.update_account(self.account_id, share_token=token)

    def objects(self) -> dict[str, tuple[str, str, str]]:
        """What the collection holds, as last seen; the days of a habit deleted here are marked PARKED."""
        known = self.shares.objects(self.account_id)
        here = self._habit_uuids()
        for name, (href, etag, digest) in list(known.items()):
            if name.startswith("days-") and digest != PARKED and _uuid_of(name) not in here:
                self.shares.put_object(self.account_id, name, href, etag, PARKED)
                known[name] = (href, etag, PARKED)
        return known

    def listed(self, names: set[str]) -> None:
        """The objects the collection holds: a habit here that is already on the account
        under its own uuid (a restored backup) is never merged into a namesake."""
        if self.namesakes:
            for key, habit in list(self.namesakes.items()):
                if habit_name(habit.uuid) in names:
                    del self.namesakes[key]

    def unparked(self, known: dict[str, tuple[str, str, str]]) -> list[str]:
        """The hrefs of parked days whose habit is back (an undo here, or another computer's edit,
        perhaps in this very pass): they are read again."""
        here = self._habit_uuids()
        return [href for name, (href, _, digest) in known.items() if digest == PARKED and _uuid_of(name) in here]

    def _habit_uuids(self) -> set[str]:
        return {habit.uuid for habit in self.tracker.repo.habits(archived=None)}

    def save_object(self, name: str, href: str, etag: str, digest: str) -> None:
        self.shares.put_object(self.account_id, name, href, etag, PARKED if name in self.parked else digest)

    def drop_object(self, name: str) -> None:
        self.shares.drop_object(self.account_id, name)

    def pending(self) -> tuple[int, set[str]]:
        seq = self.shares.seq()
        keys = self.shares.changed_since(self.pushed_seq)
        names = {habit_name(uuid) if day == HABIT_DAY else days_name(uuid, to_date(day).year) for uuid, day in keys}
        return seq, names | {computer_name(self.node)}  # written when its day changed (once a day at most)

    def pushed(self, seq: int) -> None:
        self.pushed_seq = seq
        self.accounts.update_account(self.account_id, share_seq=seq)

    # -- what this computer has ----------------------------------------------------------
    def body(self, name: str) -> tuple[dict[str, Any], str] | None:
        kind, uuid, year = split_name(name) or ("", "", 0)
        if kind == "computer":
            today = dt.datetime.now(dt.UTC).date().isoformat()
            return (computer_body(uuid, computer_label(), today), computer_label()) if uuid == self.node else None
        habit = self.tracker.repo.habit_by_uuid(uuid)
        if kind == "habit":
            stamp = self.shares.habit_stamp(uuid)
            if stamp is None:
                return None
            if habit is None:
                return habit_body(uuid, *stamp, None), "deleted habit"
            item = habit_json(HabitBundle(habit, self.tracker.repo.reminders(habit.key), {}))
            item.pop("updated_at", None)  # when it was last written here, not part of the habit
            return habit_body(uuid, *stamp, item), habit.name
        if kind != "days" or habit is None:
            return None  # a deleted habit's days stay as they were
        first, last = year_span(year)
        stamps = self.shares.stamps(uuid, first, last)
        entries = self.shares.entries_between(habit.key, first, last)
        cells = {day: Cell(*entries.get(day, (UNKNOWN, "")), *stamp) for day, stamp in stamps.items()}
        return days_body(uuid, year, cells), f"{habit.name} {year}"

    # -- what another computer wrote -----------------------------------------------------
    def merge(self, name: str, body: dict[str, Any]) -> bool:
        """Merge an object from the server; False when it cannot be used (yet)."""
        kind, uuid, year = split_name(name) or ("", "", 0)
        if body.get("uuid") != uuid:
            return False
        if kind == "computer":
            label, day = body.get("name"), body.get("day")
            if not isinstance(label, str) or not isinstance(day, str) or len(label) > 200 or len(day) != 10:
                return False
            if uuid != self.node:
                self.shares.put_computer(self.account_id, uuid, label, day)
            return True
        self.shares.applying(True)
        try:
            return self._merge_habit(uuid, body) if kind == "habit" else self._merge_days(uuid, year, body)
        finally:
            self.shares.applying(False)

    def _merge_habit(self, uuid: str, body: dict[str, Any]) -> bool:
        stamp, prev, item = body.get("stamp"), body.get("prev", ""), body.get("habit")
        if not isinstance(stamp, str) or not isinstance(prev, str) or not (item is None or isinstance(item, dict)):
            return False
        mine = self.shares.habit_stamp(uuid)
        if mine is not None and mine[0] >= stamp:
            return True  # what is here is as new or newer
        repo = self.tracker.repo
        here = repo.habit_by_uuid(uuid)
        if here is None and item is not None:
            here = self._namesake(uuid, item)
        elif here is not None and self.namesakes:
            self.namesakes.pop(name_key(here.name), None)  # already the same habit on both sides
        if item is None:
            if here is not None:
                repo.delete_habit(here.key)
                self.touched.add(here.key)
        else:
            try:
                bundle = habit_from_json(dict(item, uuid=uuid), "a habit from another computer")
            except FormatError:
                return False
            habit = bundle.habit
            if here is None:
                repo.add_habit(habit)
                self.habits_in += 1
            else:
                habit.id, habit.created_at = here.id, here.created_at
                repo.update_habit(habit)
            for old in repo.reminders(habit.key):
                repo.delete_reminder(habit.key, old.minute)
            for reminder in bundle.reminders or ():
                repo.put_reminder(habit.key, reminder)
            self.touched.add(habit.key)
        self.shares.observe(stamp)
        self.shares.put_stamps(uuid, [(HABIT_DAY, stamp, prev)])
        return True

    def _namesake(self, uuid: str, item: dict[str, Any]) -> Habit | None:
        """The habit here that becomes the account's habit ``uuid`` of the same name, if any."""
        name = item.get("name")
        if not self.namesakes or not isinstance(name, str):
            return None
        mine = self.namesakes.pop(name_key(name), None)
        if mine is None:
            return None
        created = item.get("created_at")
        self.shares.adopt_uuid(mine.uuid, uuid, created if isinstance(created, str) else "")
        self.merged.append(mine.name)
        return self.tracker.repo.habit_by_uuid(uuid)

    def _merge_days(self, uuid: str, year: int, body: dict[str, Any]) -> bool:
        habit = self.tracker.repo.habit_by_uuid(uuid)
        if habit is None:
            # A habit deleted here: its days are parked until it comes back. One not yet here: read again later.
            gone = self.shares.habit_stamp(uuid) is not None
            if gone:
                self.parked.add(days_name(uuid, year))
            return gone
        cells = cells_of(body)
        first, last = year_span(year)
        if cells is None or any(not first <= day <= last for day in cells):
            return False
        kept = {day: (c.value, c.notes) for day, c in cells.items() if c.value != UNKNOWN or c.notes}
        if entries_problem(habit, kept):
            return False
        stamps = self.shares.stamps(uuid, first, last)
        entries = self.shares.entries_between(habit.key, first, last)

        def here(day: int) -> Cell | None:
            return Cell(*entries.get(day, (UNKNOWN, "")), *stamps[day]) if day in stamps else None

        verdicts = {day: merge_cell(here(day), remote) for day, remote in cells.items()}
        changed = {day: cell for day, (verdict, cell) in verdicts.items() if verdict != "keep"}
        if not changed:
            return True
        self.shares.observe(max(cells[day].stamp for day in changed))
        merges = [day for day, (verdict, _) in verdicts.items() if verdict == "merge"]
        if merges:  # both notes kept: a change made here (stamped after theirs), which goes back out
            ours = self.shares.local_stamp()
            changed.update({day: changed[day]._replace(stamp=ours) for day in merges})
        self.shares.write_entries(habit.key, [(day, cell.value, cell.notes) for day, cell in changed.items()])
        self.shares.put_stamps(uuid, [(day, cell.stamp, cell.prev) for day, cell in changed.items()])
        self.touched.add(habit.key)
        self.days_in += len(changed)
        return True


class JoinPreview:
    """What an account's first shared-history pass would do here (issue 24: joining)."""

    def __init__(self) -> None:
        self.habits_down = 0  # habits the account has that this computer does not
        self.days_down = 0
        self.habits_up = 0  # habits here the account does not have yet
        self.days_up = 0
        self.same_names: list[str] = []  # habits on both sides under one name, different habits so far
        self.merge = True  # same-named habits become one (False: both kept)

    def lines(self) -> list[str]:
        """The preview in words, one line each."""
        down = f"{counted(self.habits_down, 'habit')} and {counted(self.days_down, 'day')} of history"
        up = f"{counted(self.habits_up, 'habit')} and {counted(self.days_up, 'day')}"
        lines = [f"This account already holds habits from another computer. At the next sync this computer gets "
                 f"{down} from the account, and the account gets {up} from here."]
        if self.same_names:
            names = ", ".join(self.same_names)
            if self.merge:
                lines.append(f"On both sides under the same name, made one habit with the days of both: {names}.")
            else:
                lines.append(f"On both sides under the same name, kept apart (two habits each): {names}.")
        lines.append("Nothing is deleted by joining.")
        return lines


def preview_join(tracker: Tracker, bodies: dict[str, dict[str, Any]]) -> dict[bool, JoinPreview] | None:
    """What joining the account whose collection holds ``bodies`` would do, merging same-named habits (True)
    or keeping them apart (False); None when the account holds no habit."""
    remote: dict[str, dict[str, Any]] = {}  # uuid -> the habit's fields, for the habits the account has
    for name, body in bodies.items():
        kind, uuid, _ = split_name(name) or ("", "", 0)
        if kind == "habit" and isinstance(body.get("habit"), dict):
            remote[uuid] = body["habit"]
    if not remote:
        return None
    remote_days: dict[str, set[int]] = {uuid: set() for uuid in remote}
    for name, body in bodies.items():
        kind, uuid, _ = split_name(name) or ("", "", 0)
        cells = cells_of(body) if kind == "days" and uuid in remote else None
        if cells:
            remote_days[uuid].update(day for day, cell in cells.items() if cell.value != UNKNOWN or cell.notes)
    local = tracker.repo.habits(archived=None)
    shares = ShareState(tracker.db)
    local_days = {habit.key: set(shares.entries_between(habit.key, OLDEST_DAY, LATEST_DAY)) for habit in local}
    same = {habit.key: habit.uuid for habit in local if habit.uuid in remote}  # local key -> account uuid, by uuid
    namesakes = unshared_by_name(tracker, [habit for habit in local if habit.uuid not in remote])
    by_name: dict[int, str] = {}  # local key -> account uuid, by name
    same_names: list[str] = []
    for uuid, item in sorted(remote.items(), key=lambda pair: str(pair[1].get("name", ""))):
        mine = None if uuid in same.values() else namesakes.pop(name_key(str(item.get("name", ""))), None)
        if mine is not None:
            by_name[mine.key] = uuid
            same_names.append(mine.name)
    choices = {}
    for merge in (True, False):
        pairs = same | by_name if merge else same
        preview = choices[merge] = JoinPreview()
        preview.merge, preview.same_names = merge, list(same_names)
        for uuid in set(remote) - set(pairs.values()):
            preview.habits_down += 1
            preview.days_down += len(remote_days[uuid])
        for habit in local:
            days = local_days[habit.key]
            if habit.key in pairs:
                theirs = remote_days[pairs[habit.key]]
                preview.days_down += len(theirs - days)
                preview.days_up += len(days - theirs)
            else:
                preview.habits_up += 1
                preview.days_up += len(days)
    return choices
