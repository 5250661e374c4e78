"""Calendar sync benchmark on the heavy-user database (200 habits, 10 years), against a local Radicale.

Each case is judged against a floor measured in the same run, on the same server,
over one keep-alive session (niquests, basic auth). Target: ours <= 1.5x the floor.

  initial push       every habit's window (yesterday .. +7 days)   vs  as many raw PUTs into a fresh collection,
                     and the shared history's objects                   plus the shared history's objects
  one check-in       the app's pass after a check-in: the task and  vs  the same two requests sent raw: PUTs with
                     its habit's year in the shared history             If-Match of the same task and year
  no-change sync     the app's periodic pass once the collection's  vs  the same two requests sent raw
                     date is trusted: one getlastmodified PROPFIND,
                     and the shared history's sync REPORT

For the two small cases the floor is that one PUT, sent raw into the collection
being synced: the one request a check-in cannot do without (Radicale's cost of
a request grows with the collection it touches). Shown without a verdict, for
reference: the no-change pass against a PUT into an empty collection, the
authoritative no-change pass (the date and the ctag: while the date is learnt,
and hourly) against the same two PROPFINDs sent raw, and the full pass that
reads back a check-in.

Radicale computes a ctag or sync token by reading all ~1800 tasks, and a
getlastmodified by stat()ing them (sync/probe.py explains when the cheaper
answer is trusted). The bench waits SETTLE_S twice for dates to settle.

Xandikos (--server xandikos) keeps no date on a collection: there the periodic
pass asks the ctag, which Xandikos reads from its git branch cheaply.

Shared history (several computers on one account):

  first join         an empty data folder joins the account         vs  the same resources fetched raw: each
                     (the CLI's account add + sync, in its own          collection listed (PROPFIND depth 1), then
                     process): every habit, day and note comes down     read in multigets of 100
  join memory        the joining process's peak RSS                  vs  the app's idle memory (its first paint on
                                                                        the same data), target 2x

Run: .venv/bin/python bench/sync.py [--quick] [--server radicale|xandikos]   (needs the test extras)
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import keyring  # noqa: E402

from habitdesk.core.days import to_date  # noqa: E402
from habitdesk.core.entries import YES_MANUAL  # noqa: E402
from habitdesk.core.occurrences import occurrences, window  # noqa: E402
from habitdesk.facade.sync import CalendarSync  # noqa: E402
from habitdesk.facade.tracker import Tracker  # noqa: E402
from habitdesk.sync import mapping, probe  # noqa: E402
from tests.support.radicale import RadicaleServer  # noqa: E402
from tests.support.xandikos import XandikosServer  # noqa: E402

SERVERS = {"radicale": RadicaleServer, "xandikos": XandikosServer}
from tests.support.sync_helpers import MemoryKeyring  # noqa: E402

TARGET = 1.5


def raw_puts(server: RadicaleServer | XandikosServer, bodies: list[tuple[str, str]], collection: str) -> float:
    """Seconds to PUT ``bodies`` (name, text) into a fresh collection over one keep-alive session."""
    import niquests

    session = niquests.Session()
    session.auth = ("alice", server.users["alice"])
    url = f"{server.calendar_home}{collection}/"
    made = session.request("MKCALENDAR", url)
    assert made.status_code in (201, 405), made.status_code
    headers = {"Content-Type": "text/calendar; charset=utf-8", "If-None-Match": "*"}
    start = time.perf_counter()
    for name, text in bodies:
        answer = session.put(url + name, data=text.encode(), headers=headers)
        assert answer.status_code in (201, 204), answer.status_code
    elapsed = time.perf_counter() - start
    session.close()
    return elapsed


def raw_session(server: RadicaleServer | XandikosServer):  # noqa: ANN201 - a niquests.Session
    import niquests

    session = niquests.Session()
    session.auth = ("alice", server.users["alice"])
    return session


def timed(call, repeat: int) -> float:  # noqa: ANN001
    """Median seconds of ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def raw_rewrite(server: RadicaleServer | XandikosServer, url: str, texts: tuple[str, str], repeat: int) -> float:
    """Median of the check-in's own request sent raw: a PUT with If-Match of the same task, done and open in turn."""
    session = raw_session(server)
    headers = {"Content-Type": "text/calendar; charset=utf-8"}
    etag = [session.get(url).headers["ETag"]]
    turn = [0]

    def put() -> None:
        turn[0] += 1
        answer = session.put(url, data=texts[turn[0] % 2].encode(), headers={**headers, "If-Match": etag[0]})
        assert answer.status_code in (201, 204), answer.status_code
        etag[0] = answer.headers.get("ETag") or session.get(url).headers["ETag"]

    median = timed(put, repeat)
    session.close()
    return median


def raw_no_change(server: RadicaleServer | XandikosServer, calendar_url: str, share_url: str, token: str, repeat: int) -> float:
    """Median of the no-change pass's requests sent raw: the task calendar's PROPFIND getlastmodified,
    and the shared history's sync-collection REPORT since the stored token."""
    from xml.sax.saxutils import escape

    from habitdesk.sync.remote import _NS

    session = raw_session(server)
    xml = {"Content-Type": 'application/xml; charset="utf-8"'}
    propfind = f'<?xml version="1.0" encoding="utf-8"?><d:propfind {_NS}><d:prop><d:getlastmodified/></d:prop></d:propfind>'
    report = (f'<?xml version="1.0" encoding="utf-8"?><d:sync-collection {_NS}><d:sync-token>{escape(token)}</d:sync-token>'
              "<d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>")
    session.request("PROPFIND", calendar_url, data=propfind, headers={**xml, "Depth": "0"})  # open the connection

    def ask() -> None:
        assert session.request("PROPFIND", calendar_url, data=propfind, headers={**xml, "Depth": "0"}).status_code == 207
        assert session.request("REPORT", share_url, data=report, headers={**xml, "Depth": "0"}).status_code == 207

    median = timed(ask, repeat)
    session.close()
    return median


def raw_checks(server: RadicaleServer | XandikosServer, collection_url: str, repeat: int) -> float:
    """Median of the authoritative check sent raw: PROPFIND getlastmodified, then PROPFIND getctag."""
    from habitdesk.sync.remote import _NS

    session = raw_session(server)
    headers = {"Depth": "0", "Content-Type": 'application/xml; charset="utf-8"'}
    bodies = [f'<?xml version="1.0" encoding="utf-8"?><d:propfind {_NS}><d:prop>{prop}</d:prop></d:propfind>'
              for prop in ("<d:getlastmodified/>", "<cs:getctag/>")]
    session.request("PROPFIND", collection_url, data=bodies[0], headers=headers)  # open the connection

    def check() -> None:
        for body in bodies:
            assert session.request("PROPFIND", collection_url, data=body, headers=headers).status_code == 207

    median = timed(check, repeat)
    session.close()
    return median


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--server", choices=sorted(SERVERS), default="radicale", help="the CalDAV server (default radicale)")
    opts = parser.parse_args()
    repeat = 3 if opts.quick else 7
    from heavy_user import build_with_habitdesk, make_dataset

    keyring.set_keyring(MemoryKeyring())
    folder = Path(tempfile.mkdtemp(prefix="habitdesk-sync-bench-"))
    habits, histories = make_dataset()
    build_with_habitdesk(folder / "data", habits, histories).close()
    tracker = Tracker(folder / "data")  # the real date: the window is today's
    server = SERVERS[opts.server](folder / opts.server)
    server.start()
    try:
        sync = CalendarSync(tracker, zone="Europe/Berlin", keep_connections=True)  # as the app's sync service
        sync.add_account("bench", server.url, "alice", server.users["alice"])
        today = tracker.today()
        reminders = {}
        for r in tracker.reminders():
            reminders.setdefault(r.habit_id, []).append(r)
        bodies = []
        for habit in tracker.habits(archived=None):
            for day, minute in occurrences(habit, reminders.get(habit.id, []), window(today)).items():
                text = mapping.build(habit.uuid, habit.name, day, minute, mapping.OPEN, alarms=True, zone="Europe/Berlin")
                bodies.append((mapping.resource_name(habit.uuid, day), text))
        floor_push = raw_puts(server, bodies, "floor-initial")

        start = time.perf_counter()
        [outcome] = sync.sync()
        ours_push = time.perf_counter() - start
        assert outcome.ok, outcome.error
        assert len(outcome.report.pushed) == len(bodies), (len(outcome.report.pushed), len(bodies))
        sync.sync()  # the first pass after a push reads the delta of its own PUTs
        shared = shared_texts(sync)
        floor_push += raw_puts(server, shared, "floor-initial-data")  # the shared history's objects too

        habit = next(h for h in tracker.habits() if not h.is_measurable)
        check_in, readback, push_requests = [], [], set()
        for _ in range(repeat):
            if tracker.entry(habit, today)[0] == YES_MANUAL:
                tracker.clear(habit, today)
            else:
                tracker.check(habit, today)
            start = time.perf_counter()
            [outcome] = sync.sync(pull=False)  # what the app runs a few seconds after a check-in
            check_in.append(time.perf_counter() - start)
            assert outcome.ok and len(outcome.report.pushed) == 1, outcome.report.pushed
            push_requests.add(outcome.report.requests)
            start = time.perf_counter()
            sync.sync()  # the next full pass reads back its own change: the ctag and the delta
            readback.append(time.perf_counter() - start)
        wait_to_settle()
        sync.sync()  # the date moved with our writes: trusted from now on
        trust = sync.account("bench").row["modified_trust"]
        assert trust == (probe.TRUSTED if opts.server == "radicale" else probe.NEVER), trust  # Xandikos has no date
        no_change, requests = pass_times(sync, repeat)
        account_id = sync.account("bench").id
        verify = lambda: sync.state.update_account(account_id, verified_at=0)  # noqa: E731 - the hourly check is due
        checked, check_requests = pass_times(sync, repeat, before=verify)

        calendar = sync.account("bench").calendar_url
        minute = occurrences(habit, reminders.get(habit.id, []), range(today, today + 1))[today]
        texts = tuple(mapping.build(habit.uuid, habit.name, today, minute, state, alarms=True, zone="Europe/Berlin")
                      for state in (mapping.DONE, mapping.OPEN))
        task_url = calendar + mapping.resource_name(habit.uuid, today)
        floor_rewrite = raw_rewrite(server, task_url, texts, repeat)  # last, as it leaves our copy's etag behind
        # The check-in's second request: its habit's year in the shared history, written again as it is.
        account = sync.account("bench")
        days_url = account.share_url + f"days-{habit.uuid}-{to_date(today).year}.ics"
        days_text = raw_session(server).get(days_url).text
        floor_rewrite_days = raw_rewrite(server, days_url, (days_text, days_text), repeat)
        floor_no_change = raw_no_change(server, calendar, account.share_url, account.row["share_token"], repeat)
        floor_empty = statistics.median(raw_puts(server, bodies[:1], f"floor-one-{i}") for i in range(repeat))
        floor_checks = raw_checks(server, calendar, repeat)

        print(f"sync benchmark: {len(tracker.habits())} habits, {len(bodies)} tasks in the window, {server.name} on loopback")
        report("initial push", ours_push, floor_push, f"{len(bodies)} + {len(shared)} raw PUTs (tasks, shared history)")
        report("one check-in", statistics.median(check_in), floor_rewrite + floor_rewrite_days,
               "the same 2 PUTs, raw: the task and the year", f"requests {sorted(push_requests)}")
        report("no-change sync", no_change, floor_no_change, "the same PROPFIND + sync REPORT, raw",
               f"requests {sorted(requests)}")
        print("  for reference (no target):")
        report("  no-change sync", no_change, floor_empty, "1 raw PUT, empty collection", verdict=False)
        report("  hourly check", checked, floor_checks, "the same 2 raw PROPFINDs", f"requests {sorted(check_requests)}",
               verdict=False)
        report("  no-change sync", no_change, floor_rewrite, "one task PUT, raw (the floor before the shared history)",
               verdict=False)
        report("  read-back", statistics.median(readback), floor_rewrite, "the same PUT, raw",
               "the full pass after a check-in", verdict=False)
        join_case(server, sync, tracker, folder)
    finally:
        if "sync" in locals():
            sync.close()
        server.stop()
        tracker.close()
        shutil.rmtree(folder, ignore_errors=True)


def shared_texts(sync: CalendarSync) -> list[tuple[str, str]]:
    """(name, text) of every object in the shared-history collection, as our pass wrote them."""
    from habitdesk.sync.remote import Remote, path_of

    account = sync.account("bench")
    connection = sync.connection(account.url, account.username, sync.password(account), account.ca_file)
    remote = Remote(sync._client(account.key, connection), account.share_url)  # noqa: SLF001 - the bench's own session
    hrefs = sorted(remote.listing()[1])
    texts = []
    for first in range(0, len(hrefs), 100):
        for href, (_, text) in remote.fetch(hrefs[first:first + 100]).items():
            texts.append((path_of(href).rsplit("/", 1)[-1], text))
    return texts


def raw_read_all(server: RadicaleServer | XandikosServer, urls: list[str]) -> tuple[float, int]:
    """Seconds to list each collection and read every resource in multigets of 100, raw; and how many resources."""
    import re
    from xml.sax.saxutils import escape

    session = raw_session(server)
    headers = {"Content-Type": "application/xml; charset=utf-8"}
    listing = '<?xml version="1.0" encoding="utf-8"?><d:propfind xmlns:d="DAV:"><d:prop><d:getetag/></d:prop></d:propfind>'
    count = 0
    start = time.perf_counter()
    for url in urls:
        answer = session.request("PROPFIND", url, data=listing.encode(), headers=dict(headers, Depth="1"))
        hrefs = [h for h in re.findall(r"<(?:\w+:)?href>([^<]+)</(?:\w+:)?href>", answer.text) if h.endswith(".ics")]
        count += len(hrefs)
        for first in range(0, len(hrefs), 100):
            wanted = "".join(f"<d:href>{escape(h)}</d:href>" for h in hrefs[first:first + 100])
            body = ('<?xml version="1.0" encoding="utf-8"?><c:calendar-multiget xmlns:d="DAV:" '
                    'xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/><c:calendar-data/></d:prop>'
                    f"{wanted}</c:calendar-multiget>")
            got = session.request("REPORT", url, data=body.encode(), headers=dict(headers, Depth="1"))
            assert got.status_code == 207, got.status_code
    elapsed = time.perf_counter() - start
    session.close()
    return elapsed, count


def child_run(args: list[str], stdin: str = "") -> tuple[float, int, str]:
    """(seconds, peak RSS in KB, stdout) of a Python child; its keyring is the empty one, the password comes on stdin."""
    import os
    import subprocess

    env = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring", QT_QPA_PLATFORM="offscreen")
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             env=env, cwd=ROOT, text=True)
    assert child.stdin is not None and child.stdout is not None and child.stderr is not None
    child.stdin.write(stdin)
    child.stdin.close()
    out, err = child.stdout.read(), child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    assert child.returncode == 0, err
    return time.perf_counter() - start, usage.ru_maxrss, out


def join_case(server: RadicaleServer | XandikosServer, sync: CalendarSync, tracker: Tracker, folder: Path) -> None:
    """A second computer with an empty data folder joins the heavy user's account."""
    from tests.support.computer import dump

    account = sync.account("bench")
    joining = folder / "joining"
    password = server.users["alice"] + "\n"
    cli = ["-m", "habitdesk.cli", "--data-dir", str(joining)]
    child_run([*cli, "account", "add", "bench", "--url", server.url, "--username", "alice", "--password-stdin"], password)
    ours, join_rss, said = child_run([*cli, "sync", "--password-stdin"], password)
    assert dump(joining / "habitdesk.sqlite3") == dump(tracker.db_path), "the joined computer differs"
    floor, resources = raw_read_all(server, [account.share_url, account.calendar_url])
    _, idle_rss, _ = child_run(["-m", "habitdesk.app", "--data-dir", str(joining), "--screenshot", str(folder / "idle.png")])
    print(f"  shared history: {resources} resources in the two collections")
    report("first join", ours, floor, f"{resources} resources listed and read raw", said.splitlines()[-1].strip())
    ratio = join_rss / idle_rss
    print(f"  join memory      {join_rss / 1024:9.1f} MB   app idle  {idle_rss / 1024:9.1f} MB"
          f"{'':24s}x{ratio:4.2f} {'ok' if ratio <= 2 else 'OVER TARGET'}")


def pass_times(sync: CalendarSync, repeat: int, before=None) -> tuple[float, set[int]]:  # noqa: ANN001
    """Median seconds of ``repeat`` full passes with nothing to do (``before`` runs untimed), and their request counts."""
    requests: set[int] = set()
    times = []
    for _ in range(repeat):
        if before is not None:
            before()
        start = time.perf_counter()
        [outcome] = sync.sync()
        times.append(time.perf_counter() - start)
        assert outcome.ok and not outcome.report.pushed and not outcome.report.pulled, outcome.report.summary()
        requests.add(outcome.report.requests)
    return statistics.median(times), requests


def wait_to_settle() -> None:
    """A date can vouch only once it is SETTLE_S old by the server's clock (sync/probe.py)."""
    time.sleep(probe.SETTLE_S + 1)


def report(name: str, ours: float, floor: float, floor_name: str, note: str = "", *, verdict: bool = True) -> None:
    ratio = ours / floor
    judged = ("ok" if ratio <= TARGET else "OVER TARGET") if verdict else ""
    print(f"  {name:16s} {ours * 1000:9.1f} ms   floor {floor * 1000:9.1f} ms ({floor_name})   x{ratio:4.2f} {judged} {note}")


if __name__ == "__main__":
    main()
