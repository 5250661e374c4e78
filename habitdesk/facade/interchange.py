"""Import, export and restore: every file format behind one set of commands.

``import_file`` recognises the file by its content (a Loop backup, a Loop CSV
export or a HabitDesk JSON backup) and merges it: habits are matched (by uuid,
or by name for a CSV export, which has no uuids), nothing is deleted, and
importing the same file again changes nothing. ``plan_restore`` and
``restore`` replace everything with a JSON backup or an automatic backup copy,
after a safety backup.

Every import and restore runs in one transaction: a file that fails anywhere
leaves the database exactly as it was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

from habitdesk import __version__
from habitdesk.core.reminders import by_habit
from habitdesk.facade import backups
from habitdesk.facade.errors import UserError
from habitdesk.facade.importing import ImportReport, apply_bundles
from habitdesk.facade.settings import DEFAULTS as ENGINE_DEFAULTS
from habitdesk.facade.settings import validated
from habitdesk.interop import sniff
from habitdesk.interop.bundle import SOURCE_SCHEMA, HabitBundle
from habitdesk.interop.errors import FormatError
from habitdesk.interop.json_backup import Backup, read_json_backup, write_json_backup
from habitdesk.storage.connection import database_errors
from habitdesk.storage.replace import replace_everything

TYPE_CHECKING = False
if TYPE_CHECKING:
    from habitdesk.facade.tracker import Tracker

Progress = Callable[[float], None]
# The settings a backup carries; internal keys (engine_version) are not user data.
BACKED_UP_SETTINGS = tuple(ENGINE_DEFAULTS) + tuple(backups.DEFAULTS)


def _read(path: Path, progress: Progress | None) -> tuple[str, list[HabitBundle], list[str]]:
    """(kind, bundles, warnings) of any importable file; FormatError if it is none."""
    kind = sniff.detect(path)
    if kind == sniff.SQLITE:
        from habitdesk.interop.loop_db import read_loop_backup

        try:
            bundles = read_loop_backup(path, lazy_entries=True)  # copied by SQLite: see storage/bulk.py
        except FormatError:
            if _is_habitdesk_database(path):
                raise FormatError(
                    f"{path.name}: a HabitDesk database (a backup copy?), not a Loop backup; to go back to it, "
                    "restore it (File > Restore from backup, or habitdesk-cli restore)"
                ) from None
            raise
        if progress:
            progress(1.0)
        return kind, bundles, []
    if kind == sniff.ZIP:
        from habitdesk.interop.loop_csv_import import read_loop_csv_zip

        bundles, warnings = read_loop_csv_zip(path, progress)
        return kind, bundles, warnings
    return kind, read_json_backup(path).habits, []


def _is_habitdesk_database(path: Path) -> bool:
    from habitdesk.storage.database import inspect_file
    from habitdesk.storage.errors import StorageError

    try:
        return inspect_file(path) >= 1
    except StorageError:
        return False


def import_file(tracker: Tracker, path: Path, progress: Progress | None = None) -> ImportReport:
    """Merge a Loop backup (.db), Loop CSV export (.zip) or HabitDesk backup (.json) into the data."""
    from habitdesk.facade.changes import Change, ChangeKind

    path = Path(path)
    if not path.is_file():
        raise UserError(f"{path}: no such file")
    try:
        kind, bundles, warnings = _read(path, progress)
    except FormatError as exc:
        raise UserError(str(exc)) from None
    # Habits here that the import may update: keep a copy of the data as it was first
    # (an import into an empty data file has nothing to lose, and costs no copy).
    safety = backups.safety_backup(tracker) if bundles and tracker.repo.habits(archived=None) else None
    with _sources_attached(tracker, bundles), tracker._writing():
        if kind == sniff.ZIP:
            _match_by_name(tracker, bundles, path.name)
        report = apply_bundles(tracker.repo, bundles, path.name)
    report.warnings[:0] = warnings
    report.safety_copy = safety
    tracker._emit(Change(ChangeKind.IMPORT))
    return report


@contextlib.contextmanager
def _sources_attached(tracker: Tracker, bundles: list[HabitBundle]) -> Iterator[None]:
    """Attach the file that bundles' entries are still in (outside the transaction, as SQLite needs)."""
    paths = {b.source.path for b in bundles if b.source is not None}
    if not paths:
        yield
        return
    from habitdesk.storage.bulk import attached

    (path,) = paths
    try:
        context = attached(tracker.db, path, SOURCE_SCHEMA)
        context.__enter__()
    except database_errors() as exc:
        raise UserError(f"{path.name}: cannot be read ({exc})") from None
    try:
        yield
    finally:
        context.__exit__(None, None, None)


def _match_by_name(tracker: Tracker, bundles: list[HabitBundle], source: str) -> None:
    """A CSV habit takes the uuid of the habit here with its name, so that it updates it."""
    here: dict[str, list[str]] = {}
    for habit in tracker.repo.habits(archived=None):
        here.setdefault(habit.name.strip().casefold(), []).append(habit.uuid)
    for bundle in bundles:
        found = here.get(bundle.habit.name.strip().casefold(), [])
        if len(found) > 1:
            raise UserError(
                f"{source}: {len(found)} of your habits are named {bundle.habit.name!r}, so the export's "
                "habit of that name matches none of them; rename one and import again"
            )
        if found:
            bundle.habit.uuid = found[0]


# -- JSON backup -------------------------------------------------------------------
def accounts_for_backup(tracker: Tracker) -> list[dict[str, object]]:
    """Calendar account definitions, without passwords (json_backup.ACCOUNT_FIELDS)."""
    from habitdesk.storage.sync_state import SyncState

    return [
        {
            "name": row["name"], "url": row["url"], "username": row["username"],
            "calendar_url": row["calendar_url"] or None, "enabled": bool(row["enabled"]),
            "valarm": bool(row["alarms"]), "events_calendar_url": row["events_url"] or None,
            "ca_file": row["ca_file"] or None,
        }
        for row in SyncState(tracker.db).accounts()
    ]


def _account_fields(account: dict[str, object]) -> tuple[object, ...]:
    """An account as the backup describes it, with empty and missing values alike."""
    return (account.get("url") or "", account.get("username") or "", account.get("calendar_url") or "",
            bool(account.get("enabled", True)), bool(account.get("valarm", True)),
            account.get("events_calendar_url") or "", account.get("ca_file") or "")


def _login(account: dict[str, object]) -> tuple[object, ...]:
    """Where and as whom the account logs in: the server, the user name and the trusted certificate."""
    return account.get("url") or "", account.get("username") or "", account.get("ca_file") or ""


def _connects_elsewhere(old: dict[str, object], new: dict[str, object]) -> bool:
    """Whether the account would log in somewhere else, or as someone else: its stored password must not follow."""
    return _login(old) != _login(new)


def restore_accounts(tracker: Tracker, accounts: list[dict[str, object]]) -> tuple[list[str], list[str]]:
    """Put back account definitions (inside the restore's transaction); returns (warnings,
    keyring keys whose passwords no longer apply, to be deleted once the restore is committed).

    An account of the same name is updated in place and keeps its password, unless the
    backup sends it to another server, user name or certificate: then its password is
    dropped and asked for again, so that a backup file can never hand a stored password
    to a server of its choosing. A new account has none yet, so HabitDesk asks for it at
    its first sync. Accounts the backup does not name are left alone.
    """
    import uuid

    from habitdesk.storage.sync_state import SyncState

    state = SyncState(tracker.db)
    existing = {row["name"].casefold(): row for row in state.accounts()}
    current = {str(a["name"]).casefold(): a for a in accounts_for_backup(tracker)}
    warnings: list[str] = []
    dropped: list[str] = []
    for account in accounts:
        fields = {
            "name": account["name"], "url": account["url"], "username": account["username"],
            "calendar_url": account.get("calendar_url") or "", "enabled": int(bool(account.get("enabled", True))),
            "alarms": int(bool(account.get("valarm", True))), "events_url": account.get("events_calendar_url") or "",
            "ca_file": account.get("ca_file") or "",
        }
        row = existing.get(str(account["name"]).casefold())
        if row is not None:
            if fields["calendar_url"] != row["calendar_url"]:
                state.forget_items(row["id"])  # another calendar: everything is pushed again
            if _connects_elsewhere(current[row["name"].casefold()], account):
                state.rekey(row["id"], uuid.uuid4().hex)
                dropped.append(row["key"])
                warnings.append(f"calendar account {account['name']!r} now connects to {account['url']}: "
                                "its stored password was dropped; HabitDesk asks for it at the next sync")
            state.update_account(row["id"], **fields)
        else:
            state.add_account({**fields, "key": uuid.uuid4().hex})
            warnings.append(f"calendar account {account['name']!r} has no password here yet; "
                            "HabitDesk asks for it at the next sync")
    return warnings, dropped


def _forget_passwords(keys: list[str]) -> list[str]:
    """Delete passwords that no longer apply from the keyring; a keyring that fails only warns."""
    from habitdesk.sync.secrets import KeyringUnavailable, delete_password

    warnings = []
    for key in keys:
        try:
            delete_password(key)
        except KeyringUnavailable as exc:
            warnings.append(f"an old calendar password could not be removed from the keyring: {exc}")
    return warnings


def snapshot(tracker: Tracker) -> Backup:
    """Everything in the data folder as a Backup (read in one transaction, so consistent)."""
    repo = tracker.repo
    with tracker._writing():  # a transaction, so that the reads see one state
        habits = repo.habits(archived=None)
        reminders = by_habit(repo.reminders())
        bundles = [HabitBundle(h, reminders.get(h.key, []), repo.entries_with_notes(h.key)) for h in habits]
        stored = repo.settings()
        accounts = accounts_for_backup(tracker)
    settings = {k: stored[k] for k in BACKED_UP_SETTINGS if k in stored}
    created = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    return Backup(bundles, settings, accounts, created)


def export_json(tracker: Tracker, path: Path) -> int:
    """Write a JSON backup of everything; returns the number of habits."""
    backup = snapshot(tracker)
    try:
        write_json_backup(Path(path), backup, f"HabitDesk {__version__}")
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from None
    return len(backup.habits)


def export_ics(tracker: Tracker, path: Path) -> int:
    """Write every habit (archived ones too) with its schedule and history as one iCalendar
    file (no CalDAV server needed); returns the number of habits."""
    from habitdesk.interop.ics_export import build_calendar, write_ics

    habits = tracker.habits(archived=None)
    reminders = by_habit(tracker.reminders())
    items = [(h, reminders.get(h.key, []), tracker.repo.entries_with_notes(h.key)) for h in habits]
    calendar = build_calendar(items, tracker.today())
    try:
        write_ics(Path(path), calendar)
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from None
    return len(habits)


class RestorePlan:
    """What restoring a backup would change, worked out before anything is replaced."""

    def __init__(self, path: Path, backup: Backup, current: Backup) -> None:
        self.path, self.backup = Path(path), backup
        mine = {b.habit.uuid: b for b in current.habits}
        theirs = {b.habit.uuid: b for b in backup.habits}
        self.added = [b.habit.name for u, b in theirs.items() if u not in mine]
        self.removed = [b.habit.name for u, b in mine.items() if u not in theirs]
        self.changed: list[str] = []
        self.unchanged = 0
        self.entries_added = self.entries_removed = self.entries_changed = 0
        for uuid, b in theirs.items():
            old = mine.get(uuid)
            new_entries = b.entries
            old_entries = old.entries if old else {}
            self.entries_added += sum(1 for d in new_entries if d not in old_entries)
            self.entries_removed += sum(1 for d in old_entries if d not in new_entries)
            self.entries_changed += sum(1 for d, v in new_entries.items() if d in old_entries and old_entries[d] != v)
            if old is not None:
                if _same_habit(old, b):
                    self.unchanged += 1
                else:
                    self.changed.append(b.habit.name)
        for uuid, b in mine.items():
            if uuid not in theirs:
                self.entries_removed += len(b.entries)
        self.settings_changed = sorted(
            k for k in BACKED_UP_SETTINGS if current.settings.get(k) != backup.settings.get(k)
            and not (k not in backup.settings and k not in current.settings)
        )
        self.accounts = len(backup.accounts)
        accounts_now = {str(a["name"]).casefold(): a for a in current.accounts}
        self.accounts_added = [str(a["name"]) for a in backup.accounts if str(a["name"]).casefold() not in accounts_now]
        self.accounts_changed: list[str] = []
        self.accounts_moved: list[tuple[str, str]] = []  # (name, the server it would connect to)
        for account in backup.accounts:
            before = accounts_now.get(str(account["name"]).casefold())
            if before is None or _account_fields(before) == _account_fields(account):
                continue
            self.accounts_changed.append(str(account["name"]))
            if _connects_elsewhere(before, account):
                self.accounts_moved.append((str(account["name"]), str(account["url"])))

    @property
    def changes_anything(self) -> bool:
        return bool(self.added or self.removed or self.changed or self.entries_added or self.entries_removed
                    or self.entries_changed or self.settings_changed or self.accounts_added or self.accounts_changed)

    def lines(self) -> list[str]:
        """What will change, one line each, as the preview shows it."""
        def names(items: list[str]) -> str:
            shown = ", ".join(repr(n) for n in items[:3])
            return f" ({shown}{', …' if len(items) > 3 else ''})" if items else ""

        created = f" of {_local_time(self.backup.created)}" if self.backup.created else ""
        out = [f"The backup{created} holds {len(self.backup.habits)} habits."]
        out.append(f"Habits: {len(self.added)} added{names(self.added)}, {len(self.removed)} removed{names(self.removed)}, "
                   f"{len(self.changed)} changed{names(self.changed)}, {self.unchanged} unchanged.")
        out.append(f"Entries: {self.entries_added} added, {self.entries_removed} removed, {self.entries_changed} changed.")
        if self.settings_changed:
            out.append("Settings changed: " + ", ".join(s.replace("_", " ") for s in self.settings_changed) + ".")
        if self.accounts:
            out.append(f"Calendar accounts in the backup: {self.accounts}.")
        if self.accounts_added:
            out.append(f"Calendar accounts added{names(self.accounts_added)}: each asks for its password at the next sync.")
        unmoved = [name for name in self.accounts_changed if name not in dict(self.accounts_moved)]
        if unmoved:
            out.append(f"Calendar accounts changed{names(unmoved)}.")
        for name, url in self.accounts_moved:
            out.append(f"Calendar account {name!r} would connect to {url}: its stored password is dropped and asked for again.")
        if not self.changes_anything:
            out.append("Nothing would change.")
        return out


def _local_time(text: str) -> str:
    """An ISO time as local "YYYY-MM-DD HH:MM" (as written, if it is not one)."""
    try:
        return dt.datetime.fromisoformat(text).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return text


def _same_habit(a: HabitBundle, b: HabitBundle) -> bool:
    from habitdesk.interop.json_backup import habit_json

    return habit_json(a) == habit_json(b) and a.entries == b.entries


def plan_restore(tracker: Tracker, path: Path) -> RestorePlan:
    """Read a JSON backup or a database copy (an automatic backup) and work out what
    restoring it would change; changes nothing."""
    path = Path(path)
    if not path.is_file():
        raise UserError(f"{path}: no such file")
    try:
        kind = sniff.detect(path)
        if kind == sniff.SQLITE:
            backup = _database_copy(path)
        elif kind == sniff.JSON:
            backup = read_json_backup(path)
        else:
            raise FormatError(f"{path.name}: not a HabitDesk backup (to add a Loop file to your habits, import it)")
    except FormatError as exc:
        raise UserError(str(exc)) from None
    return RestorePlan(path, backup, snapshot(tracker))


def _database_copy(path: Path) -> Backup:
    """A copy of a HabitDesk database (an automatic backup) as a Backup."""
    from habitdesk.storage.errors import NewerDatabaseError, StorageError
    from habitdesk.storage.snapshot import read_copy

    try:
        habits, stored = read_copy(path)
    except NewerDatabaseError:
        raise FormatError(f"{path.name}: written by a newer HabitDesk; update HabitDesk to restore it") from None
    except StorageError as exc:
        if "another program" in str(exc):
            raise FormatError(f"{path.name}: not a HabitDesk backup (to add a Loop file to your habits, import it)") from None
        raise FormatError(f"{path.name}: {str(exc).replace(str(path), 'the file')}") from None
    taken = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).isoformat(timespec="seconds")
    settings = {k: stored[k] for k in BACKED_UP_SETTINGS if k in stored}
    return Backup([HabitBundle(h, r, e) for h, r, e in habits], settings, [], taken)


def restore(tracker: Tracker, plan: RestorePlan, now: dt.datetime | None = None) -> tuple[Path, list[str]]:
    """Replace everything with the plan's backup, after a safety backup; returns (safety copy, warnings)."""
    from habitdesk.facade.changes import Change, ChangeKind

    safety = backups.safety_backup(tracker, now)
    warnings = []
    settings: dict[str, object] = {}
    for key, value in plan.backup.settings.items():
        try:
            settings[key] = validated(key, value) if key in ENGINE_DEFAULTS else backups._check(key, value)
        except UserError as exc:
            warnings.append(f"setting {key} was not restored: {exc}")
    for i, bundle in enumerate(plan.backup.habits):
        bundle.habit.position = i
    with tracker._writing():
        replace_everything(
            tracker.repo, ((b.habit, b.reminders or [], b.entries) for b in plan.backup.habits),
            BACKED_UP_SETTINGS, settings,
        )
        account_warnings, dropped = restore_accounts(tracker, plan.backup.accounts)
    warnings += account_warnings
    warnings += _forget_passwords(dropped)
    tracker._settings = None
    tracker._emit(Change(ChangeKind.SETTINGS))
    tracker._emit(Change(ChangeKind.IMPORT))
    return safety, warnings
