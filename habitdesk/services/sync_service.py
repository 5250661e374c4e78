"""Calendar sync off the GUI thread: a worker QThread with its own CalDAV clients, and when to run it.

A full pass runs at start-up, every N minutes and on request; a few seconds
after a local change (debounced) a push-only pass sends it, since its
conditional PUTs merge whatever changed on the server meanwhile. After a
failure that may pass (server down, timeout) the next try backs off
exponentially; the outbox in the data file keeps every change meanwhile. The status line shows the last result; an error shows only
when it persists.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

from habitdesk.facade.changes import Affects, Change
from habitdesk.facade.sync import AuthFailed, CalendarSync, CollectionMissing, NoPassword, Outcome

log = logging.getLogger(__name__)
Result = TypeVar("Result")

DEBOUNCE_MS = 3_000
DEFAULT_INTERVAL_MIN = 15
BACKOFF_FIRST_S = 30
BACKOFF_MAX_S = 30 * 60
PERSISTENT_FAILURES = 3  # an error reaches the status line only after this many passes in a row
OUTBOX_POLL_MS = 30_000  # changes other processes (the CLI) queued


class _Job:
    __slots__ = ("work", "done", "failed")

    def __init__(self, work: Callable[[], Any], done: Callable[[Any], None], failed: Callable[[Exception], None]) -> None:
        self.work, self.done, self.failed = work, done, failed


class _Worker(QObject):
    """Lives on the sync thread: every network call happens here.

    Signals:
        submitted(object): a _Job, from the GUI thread
        finished(object, object, object): job, result, error (to the GUI thread)
    """

    submitted = Signal(object)  # a _Job, from the GUI thread
    finished = Signal(object, object, object)  # job, result, error (to the GUI thread)

    def __init__(self) -> None:
        super().__init__()
        self.submitted.connect(self._run)
        self.ident: int | None = None

    @Slot(object)
    def _run(self, job: _Job) -> None:
        self.ident = threading.get_ident()
        try:
            result = job.work()
        except Exception as exc:  # noqa: BLE001 - handed to the GUI thread, which reports it
            self.finished.emit(job, None, exc)
        else:
            self.finished.emit(job, result, None)


class SyncService(QObject):
    """Runs CalendarSync passes on a worker thread and decides when.

    Signals:
        status_changed(str): the status-bar text
        password_needed(object, str): AccountInfo, why
        collection_missing(object, str): AccountInfo, the message
        pass_finished(object): list[Outcome]
        busy_changed(bool)
    """

    status_changed = Signal(str)  # the status-bar text
    password_needed = Signal(object, str)  # AccountInfo, why
    collection_missing = Signal(object, str)  # AccountInfo, the message
    pass_finished = Signal(object)  # list[Outcome]
    busy_changed = Signal(bool)

    def __init__(self, sync: CalendarSync, interval_minutes: int = DEFAULT_INTERVAL_MIN, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.sync = sync
        sync.keep_connections = True  # one open connection per server between passes; stop() closes them
        self.busy = False
        self.failures = 0
        self.status = ""
        self._pending = False
        self._pull_wanted = False  # the next debounced pass also reads the server's changes
        self._asked: set[str] = set()  # accounts asked for a password this session
        self._thread: QThread | None = None
        self._worker: _Worker | None = None
        self._outbox_seen = -1
        self.debounce = self._timer(DEBOUNCE_MS, self._debounced)
        self.periodic = self._timer(interval_minutes * 60_000, self.sync_now, single=False)
        self.retry = self._timer(BACKOFF_FIRST_S * 1000, self.sync_now)
        self.poll = self._timer(OUTBOX_POLL_MS, self._poll_outbox, single=False)
        sync.tracker.subscribe(self._on_change)

    def _timer(self, msecs: int, slot: Callable, *, single: bool = True) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(single)
        timer.setInterval(msecs)
        timer.timeout.connect(slot)
        return timer

    # -- life -------------------------------------------------------------------------
    def start(self) -> None:
        """Begin: a first pass soon, then every interval."""
        self.periodic.start()
        self.poll.start()
        self._show_last()
        if self._has_accounts():
            self._pull_wanted = True
            self.debounce.start(500)

    def stop(self) -> None:
        """Stop the timers and the worker thread (waits for a pass in progress to end)."""
        for timer in (self.debounce, self.periodic, self.retry, self.poll):
            timer.stop()
        self.sync.tracker.unsubscribe(self._on_change)
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait()
            self._thread = None
            self._worker = None
        self.sync.close()  # the worker is gone: its kept connections can close

    def set_interval(self, minutes: int) -> None:
        self.periodic.setInterval(max(1, minutes) * 60_000)
        if self.periodic.isActive():
            self.periodic.start()

    def _ensure_worker(self) -> _Worker:
        if self._worker is None:
            self._thread = QThread(self)
            self._thread.setObjectName("calendar sync")
            self._worker = _Worker()
            self._worker.moveToThread(self._thread)
            self._worker.finished.connect(self._job_finished)
            self._thread.start()
        return self._worker

    # -- running work on the worker thread -------------------------------------------------
    def submit(self, work: Callable[[], Result], done: Callable[[Result], None], failed: Callable[[Exception], None]) -> None:
        """Run ``work`` on the sync thread; ``done``/``failed`` run on the GUI thread."""
        self._ensure_worker().submitted.emit(_Job(work, done, failed))

    @Slot(object, object, object)
    def _job_finished(self, job: _Job, result: object, error: Exception | None) -> None:
        if error is None:
            job.done(result)
        else:
            job.failed(error)

    # -- passes ---------------------------------------------------------------------------
    def request_soon(self) -> None:
        """A local change: sync in a few seconds, once however many changes follow."""
        if self._has_accounts():
            self.debounce.start()

    def sync_now(self, account: str | None = None, *, pull: bool = True) -> None:
        """A pass now (after the one running): full, or with ``pull`` False only pushing local changes."""
        if self.busy:
            self._pending = True
            self._pull_wanted = self._pull_wanted or pull
            return
        self.debounce.stop()
        self.retry.stop()
        self.busy = True
        self.busy_changed.emit(True)
        self.status_changed.emit("Syncing…")
        self.submit(lambda: self.sync.sync(account, pull=pull), self._finished, self._crashed)

    def _debounced(self) -> None:
        pull, self._pull_wanted = self._pull_wanted, False
        self.sync_now(pull=pull)

    def _finished(self, outcomes: list[Outcome]) -> None:
        self.busy = False
        self.busy_changed.emit(False)
        retry = False
        for outcome in outcomes:
            error = outcome.error
            if isinstance(error, (NoPassword, AuthFailed)):
                if isinstance(error, AuthFailed) or outcome.account.name not in self._asked:
                    self._asked.add(outcome.account.name)
                    self.password_needed.emit(outcome.account, str(error))
            elif isinstance(error, CollectionMissing):
                self.collection_missing.emit(outcome.account, str(error))
            elif error is not None and error.retry_later:
                retry = True
        failed = [o for o in outcomes if not o.ok]
        self.failures = self.failures + 1 if failed else 0
        if retry:
            delay = min(BACKOFF_FIRST_S * 2 ** (self.failures - 1), BACKOFF_MAX_S)
            self.retry.start(delay * 1000)
            log.info("sync failed (%s); next try in %d s", failed[0].error, delay)
        self._outbox_seen = self._outbox_now()
        self._show(outcomes)
        self.pass_finished.emit(outcomes)
        if self._pending:
            self._pending = False
            self.debounce.start()

    def _crashed(self, exc: Exception) -> None:
        self.busy = False
        self.busy_changed.emit(False)
        log.error("calendar sync failed unexpectedly", exc_info=(type(exc), exc, exc.__traceback__))
        self.failures += 1
        self._set_status(f"Calendar sync failed: {exc}")

    def give_password(self, account, password: str) -> None:  # noqa: ANN001 - an AccountInfo
        """A password the user typed: to the keyring (on the worker thread), then sync."""
        self.submit(lambda: self.sync.set_session_password(account, password), lambda _: self.sync_now(), self._crashed)

    # -- status -----------------------------------------------------------------------------
    def _show(self, outcomes: list[Outcome]) -> None:
        now = dt.datetime.now().strftime("%H:%M")
        failed = [o for o in outcomes if not o.ok]
        if not outcomes:
            self._set_status("")
        elif not failed:
            self._set_status(f"Calendar synced {now}")
        elif self.failures >= PERSISTENT_FAILURES or not (failed[0].error and failed[0].error.retry_later):
            self._set_status(f"Calendar sync: {failed[0].account.name}: {failed[0].error}")
        else:
            self._set_status("Calendar: offline, will retry (changes are kept)")

    def _show_last(self) -> None:
        accounts = [a for a in self.sync.accounts() if a.enabled and a.last_sync]
        if accounts:
            latest = max(accounts, key=lambda a: a.last_sync)
            self._set_status(f"Calendar synced {latest.last_sync}" if latest.last_ok else "Calendar: last sync failed")

    def _set_status(self, text: str) -> None:
        self.status = text
        self.status_changed.emit(text)

    # -- changes ------------------------------------------------------------------------------
    def _on_change(self, change: Change) -> None:
        # Subscribed to the Tracker itself, not through the shared Qt bridge (services/
        # tracker_events.py): only on the emitting thread can it tell the sync's own writes.
        worker = self._worker
        if worker is not None and worker.ident == threading.get_ident():
            return  # the sync itself recorded what it pulled
        if Affects.SYNC in change.kind.affects:
            QTimer.singleShot(0, self, self.request_soon)  # the timer belongs to the GUI thread

    def _poll_outbox(self) -> None:
        now = self._outbox_now()
        if now > 0 and now != self._outbox_seen and not self.busy:
            self._outbox_seen = now
            self.request_soon()

    def _outbox_now(self) -> int:
        try:
            return self.sync.outbox_size()
        except Exception:  # noqa: BLE001 - a poll must never break the app
            return -1

    def _has_accounts(self) -> bool:
        return any(a.enabled for a in self.sync.accounts())
