"""Calendar accounts and sync passes, for the GUI's worker thread and the CLI.

Network calls (test_connection, add_account, sync) block: the GUI runs them on
its sync worker thread, never on the GUI thread. caldav and icalendar are
imported only when a network call needs them.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid as uuid_module
from collections.abc import Callable, Collection, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from habitdesk.core.entries import SKIP, UNKNOWN, YES_MANUAL
from habitdesk.core.habit import Habit
from habitdesk.core.reminders import Reminder, by_habit
from habitdesk.facade.errors import UserError
from habitdesk.facade.tracker import Tracker
from habitdesk.storage.sync_state import SyncState
from habitdesk.sync.errors import AuthFailed, CollectionMissing, NoPassword, SyncError, Unreachable

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from habitdesk.facade.share import JoinPreview
    from habitdesk.sync.discovery import Collection as Calendar
    from habitdesk.sync.probe import Baseline
    from habitdesk.sync.reconcile import Item, Report
    from habitdesk.sync.remote import Connection, Remote
    from habitdesk.sync.share import ShareReport

    ClientHook = Callable[[Remote], None]  # tests wrap the remote's requests

log = logging.getLogger(__name__)

__all__ = [
    "AccountInfo", "AuthFailed", "CalendarSync", "CollectionMissing", "NoPassword", "Outcome", "SyncError", "Unreachable",
]
DEFAULT_CALENDAR = "HabitDesk"
NO_SHARE = "-"
OPEN, DONE, SKIPPED = 0, 1, 2  # as sync.mapping


NO_SHARE_TEXT = ("Tasks only: this server keeps no journal collection, so other computers on the account "
                 "get the tasks but not the habits and their history.")


class AccountInfo:
    """One calendar account as the user sees it (no password: that is in the keyring)."""

    def __init__(self, row: dict[str, Any]) -> None:
        self.id: int = row["id"]
        self.key: str = row["key"]
        self.name: str = row["name"]
        self.url: str = row["url"]
        self.username: str = row["username"]
        self.calendar_url: str = row["calendar_url"]
        self.calendar_name: str = row["calendar_name"]
        self.events_url: str = row["events_url"]
        # The data collection the account's computers share habits and history in
        # ("" not set up yet, "-" the server keeps no journals: tasks only).
        self.share_url: str = row["share_url"]
        self.ca_file: str = row["ca_file"]
        self.enabled = bool(row["enabled"])
        self.alarms = bool(row["alarms"])
        self.last_sync: str = row["last_sync"]
        self.last_result: str = row["last_result"]
        self.last_ok = bool(row["last_ok"])
        self.computers: list[tuple[str, str]] = []  # the other computers sharing it: (name, day of last sync)
        self.row = row

    def __repr__(self) -> str:
        return f"AccountInfo({self.name!r}, {self.url!r}, calendar={self.calendar_name!r})"

    @property
    def status_text(self) -> str:
        text = f"Last sync {self.last_sync}: {self.last_result}" if self.last_sync else "Not synced yet"
        if self.computers:
            text += "\nShared with: " + ", ".join(f"{name} (last sync {day})" for name, day in self.computers)
        return f"{text}\n{NO_SHARE_TEXT}" if self.share_url == NO_SHARE else text


class Outcome:
    """One account's sync: a Report, or the error that stopped it."""

    def __init__(self, account: AccountInfo, report: Report | None = None, error: SyncError | None = None) -> None:
        self.account, self.report, self.error = account, report, error

    @property
    def ok(self) -> bool:
        return self.error is None


class CalendarSync:
    """Accounts (rows in the data file, passwords in the keyring) and sync passes."""

    def __init__(self, tracker: Tracker, *, timeout: tuple[float, float] | None = None, zone: str | None = None,
                 keep_connections: bool = False) -> None:
        self.tracker = tracker
        self.state = SyncState(tracker.db)
        self.timeout = timeout
        self.zone = zone
        # Passwords given this session when no keyring works: memory only, never on disk.
        self._session: dict[str, str] = {}
        # With keep_connections (the app's sync service, which closes them): one
        # DAVClient per server and login kept between passes, so its connection (and
        # TLS session) stays open and the pass after a check-in is one request.
        self.keep_connections = keep_connections
        self._clients: dict[str, tuple[tuple[object, ...], Any]] = {}  # account key -> (its settings, the DAVClient)
        self.keyring_problem: str | None = None

    # -- accounts -----------------------------------------------------------------------
    def accounts(self) -> list[AccountInfo]:
        return [self._with_computers(row) for row in self.state.accounts()]

    def _info(self, account_id: int) -> AccountInfo:
        row = self.state.account(account_id)
        if row is None:
            raise UserError("the calendar account was removed meanwhile")
        return self._with_computers(row)

    def _with_computers(self, row: dict[str, Any]) -> AccountInfo:
        from habitdesk.storage.share_state import ShareState

        account = AccountInfo(row)
        account.computers = [(name, day) for _node, name, day in ShareState(self.tracker.db).computers(account.id)]
        return account

    def account(self, name: str) -> AccountInfo:
        key = name.strip().casefold()
        for account in self.accounts():
            if account.name.casefold() == key:
                return account
        raise UserError(f"no calendar account named {name!r}")

    def connection(self, url: str, username: str, password: str, ca_file: str = "") -> Connection:
        from habitdesk.sync.remote import TIMEOUT, Connection

        return Connection(url, username, password, ca_file=ca_file, timeout=self.timeout or TIMEOUT)

    def test_connection(self, url: str, username: str, password: str, ca_file: str = "") -> list[Calendar]:
        """The user's calendars (network: run off the GUI thread); raises SyncError."""
        from habitdesk.sync.discovery import collections

        _check_url(url)
        _check_ca_file(ca_file)
        return collections(self.connection(url, username, password, ca_file))

    def add_account(self, name: str, url: str, username: str, password: str, *, calendar: str = DEFAULT_CALENDAR,
                    ca_file: str = "", alarms: bool = True, events_calendar: str = "",
                    merge_names: bool = True) -> tuple[AccountInfo, str]:
        """Connect, choose (or create) the calendar, save the account; returns it and a warning ("" if none).

        ``merge_names``: when the account already holds another computer's habits, a
        habit here with the same name as one there becomes that habit at the first sync.

        The warning says why the password could not go to the keyring; it is then
        kept for this session only.
        """
        from habitdesk.sync.discovery import create_collection

        name = name.strip()
        if not name:
            raise UserError("the account needs a name")
        if any(a.name.casefold() == name.casefold() for a in self.accounts()):
            raise UserError(f"an account named {name!r} exists already")
        if not password:
            raise UserError("the password is empty")
        ca_file = str(Path(ca_file).resolve()) if ca_file else ""
        found = self.test_connection(url, username, password, ca_file)
        connection = self.connection(url, username, password, ca_file)
        chosen = _pick(found, calendar) or create_collection(connection, calendar.strip() or DEFAULT_CALENDAR)
        events_url = ""
        if events_calendar:
            events = _pick(found, events_calendar) or create_collection(connection, events_calendar, kind="VEVENT")
            events_url = events.url
        share_url = _share_collection(connection, found)
        key = uuid_module.uuid4().hex
        with self.tracker.db.atomic():
            account_id = self.state.add_account({
                "key": key, "name": name, "url": url, "username": username, "calendar_url": chosen.url,
                "calendar_name": chosen.name, "events_url": events_url, "ca_file": ca_file, "alarms": int(alarms),
                "share_url": share_url, "share_join": "merge" if merge_names else "apart",
            })
        warning = self.remember_password(key, password)
        return self._info(account_id), warning

    def edit_connection(self, name: str, *, url: str, username: str, password: str = "", ca_file: str = "",
                        calendar: str = "") -> tuple[AccountInfo, str]:
        """Change where and as whom an account connects (network: off the GUI thread); returns it and a warning.

        Nothing is saved unless the server accepts the new settings. An empty
        password keeps the stored one. The account keeps its calendar (found
        again by name when the server moved), or moves to ``calendar`` (a name or
        URL); a calendar that changes is filled from scratch, and tasks already
        there are adopted, not doubled.
        """
        from habitdesk.sync.discovery import create_collection
        from habitdesk.sync.remote import path_of

        account = self.account(name)
        typed = password
        password = password or self.password(account)
        ca_file = str(Path(ca_file).resolve()) if ca_file else ""
        found = self.test_connection(url, username, password, ca_file)
        fields: dict[str, object] = {"url": url, "username": username, "ca_file": ca_file}
        if calendar:  # the one asked for, made when missing
            chosen = _pick(found, calendar)
            if chosen is None and "/" in calendar:
                raise UserError(f"no calendar at {calendar} on the server")
            new_name = calendar
        else:  # the same one, by its address or (the server moved) by its name
            chosen = _pick(found, account.calendar_url) or _pick(found, account.calendar_name or DEFAULT_CALENDAR)
            new_name = account.calendar_name or DEFAULT_CALENDAR
        if chosen is None:
            chosen = create_collection(self.connection(url, username, password, ca_file), new_name)
        if chosen.url != account.calendar_url:
            fields |= {"calendar_url": chosen.url, "calendar_name": chosen.name}
        if account.events_url:  # kept when the server still has it at the same place
            same = [c.url for c in found if path_of(c.url).rstrip("/") == path_of(account.events_url).rstrip("/")]
            fields["events_url"] = same[0] if same else ""
        if account.share_url not in ("", NO_SHARE):  # the shared history too; found or made again at the next sync
            same = [c.url for c in found if path_of(c.url).rstrip("/") == path_of(account.share_url).rstrip("/")]
            fields["share_url"] = same[0] if same else ""
        updated = self.update_account(account.name, **fields)
        warning = self.remember_password(account.key, typed) if typed else ""
        return updated, warning

    def update_account(self, name: str, **fields: object) -> AccountInfo:
        """Change enabled, alarms, events_url, calendar_url/calendar_name or the connection fields."""
        account = self.account(name)
        allowed = {"enabled", "alarms", "events_url", "calendar_url", "calendar_name", "url", "username", "ca_file", "name",
                   "share_url", "share_join"}
        if fields.get("share_join", "merge") not in ("merge", "apart"):
            raise UserError("share_join is 'merge' or 'apart'")
        if set(fields) - allowed:
            raise UserError(f"cannot change {sorted(set(fields) - allowed)}")
        with self.tracker.db.atomic():
            if "calendar_url" in fields and fields["calendar_url"] != account.calendar_url:
                self.state.forget_items(account.id)  # a new collection: push everything again
            if "share_url" in fields and fields["share_url"] != account.share_url:
                self.state.forget_shared(account.id)  # the same for the shared history
            self.state.update_account(account.id, **{k: int(v) if isinstance(v, bool) else v for k, v in fields.items()})
        return self._info(account.id)

    def join_preview(self, name: str) -> JoinPreview | None:
        """What the account's first shared-history pass would bring and send, as the account is set;
        None when it has joined already, keeps no shared history, or holds no other computer's habits."""
        choices = self.join_choices(name)
        return None if choices is None else choices[self.account(name).row["share_join"] != "apart"]

    def join_choices(self, name: str) -> dict[bool, JoinPreview] | None:
        """The join's preview both ways, merging same-named habits (True) or keeping them apart (False)."""
        from habitdesk.facade.share import has_joined, preview_join
        from habitdesk.sync.remote import Remote
        from habitdesk.sync.share import survey

        account = self.account(name)
        if account.share_url in ("", NO_SHARE) or has_joined(self.tracker, account.id, account.row["share_token"]):
            return None
        with self._connected(account) as (client, _):
            bodies = survey(Remote(client, account.share_url))
        return preview_join(self.tracker, bodies)

    def remove_account(self, name: str) -> AccountInfo:
        """Forget the account and its password; the server's calendar is left as it is."""
        from habitdesk.sync.secrets import KeyringUnavailable, delete_password

        account = self.account(name)
        with self.tracker.db.atomic():
            self.state.delete_account(account.id)
        self._session.pop(account.key, None)
        try:
            delete_password(account.key)
        except KeyringUnavailable:
            pass
        return account

    # -- passwords ------------------------------------------------------------------------
    def remember_password(self, key: str, password: str) -> str:
        """Keyring first; when none works, memory for this session. Returns why not the keyring ("" when stored)."""
        from habitdesk.sync.secrets import KeyringUnavailable, save_password

        try:
            save_password(key, password)
        except KeyringUnavailable as exc:
            self.keyring_problem = str(exc)
            self._session[key] = password
            return (f"The password was not saved: {exc}. HabitDesk never writes passwords to disk, "
                    "so it asks for this one each time it starts.")
        self._session.pop(key, None)
        return ""

    def set_session_password(self, account: AccountInfo, password: str) -> None:
        """A password typed in answer to a prompt: kept in memory, and in the keyring when one works."""
        self._session[account.key] = password
        self.remember_password(account.key, password)

    def password(self, account: AccountInfo) -> str:
        """The account's password: this session's, else the keyring's; NoPassword says why there is none."""
        from habitdesk.sync.secrets import KeyringUnavailable, load_password

        if account.key in self._session:
            return self._session[account.key]
        try:
            found = load_password(account.key)
        except KeyringUnavailable as exc:
            self.keyring_problem = str(exc)
            raise NoPassword(f"no password for {account.name!r}: {exc}") from None
        if not found:
            raise NoPassword(f"no password for {account.name!r} in the system keyring")
        return found

    # -- syncing --------------------------------------------------------------------------
    def outbox_size(self) -> int:
        return self.state.outbox_size()

    def sync(self, name: str | None = None, *, pull: bool = True, client_hook: ClientHook | None = None) -> list[Outcome]:
        """Sync one account (by name) or every enabled one; each outcome is recorded on its account.

        ``pull`` False only pushes the outbox (the pass after a local change); the
        server's changes are read by the next full pass.
        """
        accounts = [self.account(name)] if name else [a for a in self.accounts() if a.enabled]
        outcomes = []
        for account in accounts:
            try:
                report = self._sync_one(account, client_hook, pull=pull)
            except SyncError as exc:
                outcomes.append(Outcome(account, error=exc))
                self._record(account, str(exc), ok=False)
            else:
                outcomes.append(Outcome(account, report=report))
                self._record(account, report.summary(), ok=True)
        return outcomes

    def _sync_one(self, account: AccountInfo, client_hook: ClientHook | None, *, pull: bool = True) -> Report:
        from habitdesk.sync.mapping import local_zone
        from habitdesk.sync.reconcile import Engine
        from habitdesk.sync.remote import Remote

        if not account.calendar_url:
            raise CollectionMissing(f"{account.name!r} has no calendar chosen")
        with self._connected(account) as (client, connection):
            remote = Remote(client, account.calendar_url)
            events = Remote(client, account.events_url) if account.events_url else None
            if client_hook is not None:
                client_hook(remote)
            shared = self._share(account, client, connection, pull=pull)
            engine = Engine(_Local(self, account), remote, zone=self.zone or local_zone(), events=events)
            report = engine.run(pull=pull)
            if shared is not None:
                report.shared_in, report.shared_out, report.shared_requests = shared.pulled, shared.pushed, shared.requests
                report.shared_habits, report.shared_days = shared.habits, shared.days
                report.shared_merged, report.shared_unreadable = shared.merged, shared.unreadable
        if events is not None:
            report.requests += events.requests
        return report

    @contextmanager
    def _connected(self, account: AccountInfo) -> Iterator[tuple[Any, Connection]]:
        """The account's client (a caldav.DAVClient) and connection for one pass: dropped when the pass
        fails (its connection may be broken: the next pass opens a new one), closed after it unless kept."""
        from habitdesk.sync.remote import close_client

        connection = self.connection(account.url, account.username, self.password(account), account.ca_file)
        client = self._client(account.key, connection)
        try:
            yield client, connection
        except BaseException:
            self._drop_client(account.key)
            raise
        finally:
            if not self.keep_connections:
                close_client(client)

    def _share(self, account: AccountInfo, client: Any, connection: Connection, *, pull: bool) -> ShareReport | None:
        """The shared history's pass, first: habits from other computers are here before their tasks are."""
        from habitdesk.facade.share import ShareLocal, start_sharing
        from habitdesk.sync.remote import Remote
        from habitdesk.sync.share import ShareEngine

        share_url = account.share_url
        if not share_url:
            share_url = _share_collection(connection, None)
            with self.tracker.db.atomic():
                self.state.update_account(account.id, share_url=share_url)
        if share_url == NO_SHARE:
            return None
        start_sharing(self.tracker)
        local = ShareLocal(self.tracker, account.id, account.row["share_token"], account.row["share_seq"],
                           join_by_name=account.row["share_join"] != "apart")
        try:
            report = ShareEngine(local, Remote(client, share_url)).run(pull=pull)
            report.habits, report.days, report.merged = local.habits_in, local.days_in, local.merged
            return report
        finally:
            if local.touched:
                self.tracker.changed_elsewhere(local.touched)

    def _client(self, key: str, connection: Connection) -> Any:  # a caldav.DAVClient
        """The account's kept client when its settings are unchanged, else a new one (kept with keep_connections)."""
        settings = (connection.url, connection.username, connection.password, connection.ca_file, connection.timeout)
        kept = self._clients.get(key)
        if kept is not None and kept[0] == settings:
            return kept[1]
        self._drop_client(key)  # a new password or server: a new connection
        client = connection.client()
        if self.keep_connections:
            self._clients[key] = (settings, client)
        return client

    def _drop_client(self, key: str) -> None:
        from habitdesk.sync.remote import close_client

        kept = self._clients.pop(key, None)
        if kept is not None:
            close_client(kept[1])

    def close(self) -> None:
        """Close the connections kept open between passes."""
        for key in list(self._clients):
            self._drop_client(key)

    def _record(self, account: AccountInfo, result: str, *, ok: bool) -> None:
        when = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
        with self.tracker.db.atomic():
            self.state.update_account(account.id, last_sync=when, last_result=result, last_ok=int(ok))

    def recreate_collection(self, name: str) -> AccountInfo:
        """The account's calendar was deleted on the server (404): make it again and push everything."""
        from habitdesk.sync.discovery import create_collection

        account = self.account(name)
        connection = self.connection(account.url, account.username, self.password(account), account.ca_file)
        made = create_collection(connection, account.calendar_name or DEFAULT_CALENDAR)
        return self.update_account(account.name, calendar_url=made.url, calendar_name=made.name)


class _Local:
    """The engine's view of the data file (sync.engine.LocalSide), through the Tracker."""

    def __init__(self, owner: CalendarSync, account: AccountInfo) -> None:
        from habitdesk.sync.probe import Baseline

        self.owner, self.tracker, self.state = owner, owner.tracker, owner.state
        self.account_id = account.id
        self.sync_token = account.row["sync_token"]
        self.ctag = account.row["ctag"]
        self.window_start = account.row["window_start"]
        self.alarms = account.alarms
        row = account.row
        self.baseline = Baseline(row["modified"], bool(row["modified_settled"]), row["modified_trust"],
                                 row["verified_at"], row["wrote"])

    def transaction(self) -> AbstractContextManager[object]:
        return self.tracker.db.atomic()

    def today(self) -> int:
        return self.tracker.today()

    def habits(self, uuids: Collection[str] | None = None) -> list[tuple[Habit, list[Reminder]]]:
        if uuids is not None:  # a few, by uuid: each with its own reminders
            found = [h for h in map(self.tracker.habit_by_uuid, sorted(uuids)) if h is not None]
            return [(h, self.tracker.reminders(h)) for h in found]
        reminders = by_habit(self.tracker.reminders())
        return [(h, reminders.get(h.key, [])) for h in self.tracker.habits(archived=None)]

    def items(self, uids: Collection[str] | None = None) -> list[Item]:
        from habitdesk.sync.reconcile import Item

        return [Item(*row) for row in self.state.items(self.account_id, uids)]

    def save_item(self, item: Item) -> None:
        self.state.put_item(self.account_id, item.row())

    def drop_item(self, uid: str) -> None:
        self.state.drop_item(self.account_id, uid)

    def settle_fresh(self) -> None:
        self.state.settle_fresh(self.account_id)

    def outbox(self) -> tuple[int, set[tuple[str, int | None]]]:
        return self.state.outbox(self.account_id)

    def clear_outbox(self, through: int) -> None:
        self.state.clear_outbox(self.account_id, through)

    def local_state(self, habit: Habit, day: int) -> int:
        value = self.tracker.entry(habit, day)[0]
        if value == SKIP:
            return SKIPPED
        if habit.is_measurable:
            return DONE if value >= 0 else OPEN
        return DONE if value == YES_MANUAL else OPEN

    def apply_state(self, habit: Habit, day: int, state: int) -> None:
        if state == DONE:
            if habit.is_measurable:
                at_most = habit.target_type.key == "at_most"
                self.tracker.check(habit, day, amount=0.0 if at_most else max(habit.target_value, 0.0))
            else:
                self.tracker.check(habit, day)
        elif state == SKIPPED:
            self.tracker.skip(habit, day)
        elif self.tracker.entry(habit, day)[0] != UNKNOWN:
            self.tracker.clear(habit, day)

    def save_cursor(self, token: str, ctag: str) -> None:
        self.sync_token, self.ctag = token, ctag
        self.state.update_account(self.account_id, sync_token=token, ctag=ctag)

    def save_window(self, start: int) -> None:
        self.window_start = start
        self.state.update_account(self.account_id, window_start=start)

    def save_baseline(self, baseline: Baseline) -> None:
        self.baseline = baseline
        self.state.update_account(self.account_id, modified=baseline.modified, modified_settled=int(baseline.settled),
                                  modified_trust=baseline.trust, verified_at=baseline.verified_at, wrote=baseline.wrote)


def _share_collection(connection: Connection, found: list[Calendar] | None) -> str:
    """The URL of the account's data collection, found or made; NO_SHARE when the server keeps no journals."""
    from habitdesk.sync.discovery import collections, create_collection
    from habitdesk.sync.share_format import COLLECTION_NAME

    try:
        for collection in collections(connection) if found is None else found:
            if collection.name == COLLECTION_NAME and collection.journals:
                return collection.url
        return create_collection(connection, COLLECTION_NAME, kind="VJOURNAL").url
    except (AuthFailed, Unreachable):
        raise
    except SyncError as exc:
        log.warning("the server keeps no shared history (%s): this account syncs tasks only", exc)
        return NO_SHARE


def _pick(found: list[Calendar], wanted: str) -> Calendar | None:
    """The collection named (or at the URL) ``wanted`` that takes tasks."""
    key = wanted.strip().casefold()
    for collection in found:
        if collection.url.rstrip("/") == wanted.strip().rstrip("/") or collection.name.casefold() == key:
            if not collection.tasks:
                raise UserError(f"the calendar {collection.name!r} does not take tasks (VTODO); choose another")
            return collection
    return None


def _check_url(url: str) -> None:
    from urllib.parse import urlsplit

    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UserError(f"not a server address: {url!r} (expected https://...)")


def _check_ca_file(path: str) -> None:
    if path and not Path(path).is_file():
        raise UserError(f"the CA file {path} does not exist")
