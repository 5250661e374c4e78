"""Calendar sync benchmark on the heavy-user database (200 habits, 10 years), against a local Radicale.

Each case is judged against a floor measured in the same run, on the same server:
raw keep-alive HTTP PUTs of the same task bodies (niquests session, basic auth,
If-None-Match: *). Target: ours <= 1.5x the floor.

  initial push     every habit's window (yesterday .. +7 days)  vs  the same number of raw PUTs
  no-change sync   the cheap token check and nothing else       vs  1 raw PUT, and the same raw PROPFIND
  one check-in     token check, one conditional PUT             vs  2 raw PUTs, and the same raw PROPFIND + PUT

Radicale answers the token check (PROPFIND of sync-token and ctag) by hashing
every item of the collection, so on a collection of ~1800 tasks that one request
costs far more than a PUT into an empty one: the second floor sends the same
requests raw, over a kept-alive connection, to the same collection.

Run: .venv/bin/python bench/sync.py [--quick]   (needs the test extras: radicale)
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import keyring  # noqa: E402

from habitdesk.core.entries import YES_MANUAL  # noqa: E402
from habitdesk.core.occurrences import occurrences, window  # noqa: E402
from habitdesk.facade.sync import CalendarSync  # noqa: E402
from habitdesk.facade.tracker import Tracker  # noqa: E402
from habitdesk.sync import mapping  # noqa: E402
from tests.support.radicale import RadicaleServer  # noqa: E402
from tests.support.sync_helpers import MemoryKeyring  # noqa: E402

TARGET = 1.5


def raw_puts(server: RadicaleServer, bodies: list[tuple[str, str]], collection: str) -> float:
    """Seconds to PUT ``bodies`` (name, text) into a fresh collection over one keep-alive session."""
    import niquests

    session = niquests.Session()
    session.auth = ("alice", server.users["alice"])
    url = f"{server.url}alice/{collection}/"
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


def raw_same_requests(server: RadicaleServer, collection_url: str, body: tuple[str, str], repeat: int) -> tuple[float, float]:
    """Medians of a raw token check, and of a token check plus one PUT, on the synced collection (keep-alive)."""
    import niquests

    from habitdesk.sync.remote import _NS

    session = niquests.Session()
    session.auth = ("alice", server.users["alice"])
    check = f'<?xml version="1.0" encoding="utf-8"?><d:propfind {_NS}><d:prop><d:sync-token/><cs:getctag/></d:prop></d:propfind>'
    headers = {"Depth": "0", "Content-Type": 'application/xml; charset="utf-8"'}
    session.request("PROPFIND", collection_url, data=check, headers=headers)  # open the connection
    alone, with_put = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        assert session.request("PROPFIND", collection_url, data=check, headers=headers).status_code == 207
        alone.append(time.perf_counter() - start)
    name, text = body
    for _ in range(repeat):
        start = time.perf_counter()
        session.request("PROPFIND", collection_url, data=check, headers=headers)
        answer = session.put(collection_url + "raw-floor-" + name, data=text.replace("@habitdesk", "-raw@habitdesk").encode(),
                             headers={"Content-Type": "text/calendar; charset=utf-8"})
        assert answer.status_code in (201, 204), answer.status_code
        with_put.append(time.perf_counter() - start)
    session.close()
    return statistics.median(alone), statistics.median(with_put)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    opts = parser.parse_args()
    repeat = 3 if opts.quick else 7
    from heavy_user import build_with_habitdesk, make_dataset

    keyring.set_keyring(MemoryKeyring())
    folder = Path(tempfile.mkdtemp(prefix="habitdesk-sync-bench-"))
    habits, histories = make_dataset()
    build_with_habitdesk(folder / "data", habits, histories).close()
    tracker = Tracker(folder / "data")  # the real date: the window is today's
    server = RadicaleServer(folder / "radicale")
    server.start()
    try:
        sync = CalendarSync(tracker, zone="Europe/Berlin")
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

        one_put = [raw_puts(server, bodies[:1], f"floor-one-{i}") for i in range(repeat)]
        floor_one = statistics.median(one_put)
        no_change, requests = [], set()
        for _ in range(repeat):
            start = time.perf_counter()
            [outcome] = sync.sync()
            no_change.append(time.perf_counter() - start)
            requests.add(outcome.report.requests)

        habit = next(h for h in tracker.habits() if not h.is_measurable)
        check_in, check_requests = [], set()
        for _ in range(repeat):
            if tracker.entry(habit, today)[0] == YES_MANUAL:
                tracker.clear(habit, today)
            else:
                tracker.check(habit, today)
            start = time.perf_counter()
            [outcome] = sync.sync()
            check_in.append(time.perf_counter() - start)
            assert outcome.ok and len(outcome.report.pushed) == 1, outcome.report.pushed
            check_requests.add(outcome.report.requests)
            sync.sync()  # reads back its own change, outside the timing
        two_puts = statistics.median(raw_puts(server, bodies[:2], f"floor-two-{i}") for i in range(repeat))
        same_check, same_check_put = raw_same_requests(server, sync.account("bench").calendar_url, bodies[0], repeat)

        print(f"sync benchmark: {len(tracker.habits())} habits, {len(bodies)} tasks in the window, Radicale on loopback")
        report("initial push", ours_push, floor_push, f"{len(bodies)} raw PUTs")
        report("no-change sync", statistics.median(no_change), floor_one, "1 raw PUT", f"requests {sorted(requests)}")
        report("", statistics.median(no_change), same_check, "the same raw PROPFIND")
        report("one check-in", statistics.median(check_in), two_puts, "2 raw PUTs", f"requests {sorted(check_requests)}")
        report("", statistics.median(check_in), same_check_put, "the same raw PROPFIND + PUT")
    finally:
        server.stop()
        tracker.close()


def report(name: str, ours: float, floor: float, floor_name: str, note: str = "") -> None:
    ratio = ours / floor
    verdict = "ok" if ratio <= TARGET else "OVER TARGET"
    print(f"  {name:15s} {ours * 1000:9.1f} ms   floor {floor * 1000:9.1f} ms ({floor_name})   x{ratio:4.2f} {verdict} {note}")


if __name__ == "__main__":
    main()
