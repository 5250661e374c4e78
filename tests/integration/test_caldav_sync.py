"""Two-way calendar sync against a real Radicale server, with a second caldav client as "the phone"."""

from __future__ import annotations

from pathlib import Path

import pytest

from habitdesk.core.days import iso
from habitdesk.core.entries import SKIP, UNKNOWN, YES_MANUAL
from habitdesk.core.habit import Frequency, Habit
from habitdesk.core.reminders import Reminder

pytestmark = pytest.mark.slow


@pytest.fixture
def live(data_dir: Path, memory_keyring):  # noqa: ANN001, ANN201
    """A Tracker on the real date (the sync window is the real one), and its CalendarSync with an account."""
    from habitdesk.facade.sync import CalendarSync
    from habitdesk.facade.tracker import Tracker

    tracker = Tracker(data_dir)
    sync = CalendarSync(tracker, zone="Europe/Berlin", timeout=(2, 5))
    yield tracker, sync
    tracker.close()


@pytest.fixture(params=["Radicale", "Xandikos"])
def server(request, tmp_path: Path):  # noqa: ANN001, ANN201
    """Each two-way test runs against two real servers: Radicale and Xandikos (which has no login)."""
    from tests.support.radicale import RadicaleServer
    from tests.support.xandikos import XandikosServer

    kind = RadicaleServer if request.param == "Radicale" else XandikosServer
    running = kind(tmp_path / request.param.lower())
    running.start()
    yield running
    running.stop()


def add_account(sync, server, **options):  # noqa: ANN001, ANN201
    account, warning = sync.add_account("home", server.url, "alice", "wonderland", **options)
    assert warning == ""
    return account


def phone_calendar(server, account):  # noqa: ANN001, ANN201
    return server.phone().calendar(url=account.calendar_url)


def phone_todo(server, account, habit: Habit, day: int):  # noqa: ANN001, ANN201
    from habitdesk.sync.mapping import uid

    return phone_calendar(server, account).object_by_uid(uid(habit.uuid, day))


def phone_set(obj, **props: str) -> None:  # noqa: ANN001
    component = obj.icalendar_component
    for key, value in props.items():
        name = key.upper().replace("_", "-")
        if name in component:
            del component[name]
        if value:
            component.add(name, value)
    obj.save()


def status_of(server, account, habit: Habit, day: int) -> str:  # noqa: ANN001
    return str(phone_todo(server, account, habit, day).icalendar_component.get("STATUS"))


def only(outcomes):  # noqa: ANN001, ANN201
    assert len(outcomes) == 1
    assert outcomes[0].error is None, outcomes[0].error
    return outcomes[0].report


def test_push_makes_one_task_per_occurrence_in_the_window(live, server) -> None:  # noqa: ANN001
    tracker, sync = live
    today = tracker.today()
    run = tracker.add_habit(Habit("Run"), [Reminder(7 * 60 + 30)])
    tracker.add_habit(Habit("Gym", frequency=Frequency(weekdays=0b0010101)))  # Mon, Wed, Fri
    archived = tracker.add_habit(Habit("Old"))
    tracker.set_archived(archived, True)
    account = add_account(sync, server)

    report = only(sync.sync())

    cal = phone_calendar(server, account)
    todos = cal.todos(include_completed=True)
    by_uid = {str(t.icalendar_component["UID"]): t.icalendar_component for t in todos}
    from habitdesk.core.days import weekday
    from habitdesk.sync.mapping import uid

    gym_days = [d for d in range(today - 1, today + 8) if weekday(d) in (0, 2, 4)]
    assert len(by_uid) == 9 + len(gym_days) == len(report.pushed)
    first = by_uid[uid(run.uuid, today)]
    assert str(first["SUMMARY"]) == "Run"
    assert first["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert first.decoded("DTSTART").strftime("%H:%M") == "07:30"
    assert first.categories == ["HabitDesk"] or "HabitDesk" in str(first.get("CATEGORIES").to_ical())
    assert str(first["X-HABITDESK-HABIT"]) == run.uuid
    assert str(first["STATUS"]) == "NEEDS-ACTION"
    assert [c.name for c in first.subcomponents] == ["VALARM"]
    assert not any(uid(archived.uuid, d) in by_uid for d in range(today - 1, today + 8))


def test_alarms_can_be_switched_off(live, server) -> None:  # noqa: ANN001
    tracker, sync = live
    run = tracker.add_habit(Habit("Run"), [Reminder(450)])
    account = add_account(sync, server, alarms=False)
    only(sync.sync())
    assert phone_todo(server, account, run, tracker.today()).icalendar_component.subcomponents == []


def test_completing_on_the_phone_checks_in_locally(live, server) -> None:  # noqa: ANN001
    tracker, sync = live
    today = tracker.today()
    run = tracker.add_habit(Habit("Run"))
    account = add_account(sync, server)
    only(sync.sync())

    phone_set(phone_todo(server, account, run, today), status="COMPLETED")
    phone_set(phone_todo(server, account, run, today - 1), status="CANCELLED")
    report = only(sync.sync())

    assert tracker.entry(run, today)[0] == YES_MANUAL
    assert tracker.entry(run, today - 1)[0] == SKIP
    assert sorted(report.pulled) == sorted([f"Run {iso(today)}: checked", f"Run {iso(today - 1)}: skipped"])

    phone_set(phone_todo(server, account, run, today), status="NEEDS-ACTION")  # un-completed
    only(sync.sync())
    assert tracker.entry(run, today)[0] == UNKNOWN


def test_checking_in_locally_completes_on_the_phone(live, server) -> None:  # noqa: ANN001
    tracker, sync = live
    today = tracker.today()
    run = tracker.add_habit(Habit("Run"))
    account = add_account(sync, server)
    only(sync.sync())

    tracker.check(run, today)
    tracker.skip(run, today - 1)
    report = only(sync.sync())

    assert status_of(server, account, run, today) == "COMPLETED"
    assert status_of(server, account, run, today - 1) == "CANCELLED"
    assert sorted(report.pushed) == sorted([f"checked Run {iso(today)}", f"skipped Run {iso(today - 1)}"])
    tracker.clear(run, today)
    only(sync.sync())
    assert status_of(server, account, run, today) == "NEEDS-ACTION"


def test_concurrent_edits_on_both_sides_merge(live, server) -> None:  # noqa: ANN001
    tracker, sync = live
    today = tracker.today()
    run = tracker.add_habit(Habit("Run"))
    account = add_account(sync, server)
    only(sync.sync())

    # Offline, each side changes something: the phone completes yesterday and
    # writes a note on today's task; here, today is checked in.
    phone_set(phone_todo(server, account, run, today - 1), status="COMPLETED")
    phone_set(phone_todo(server, account, run, today), description="ran with Sam")
    tracker.check(run, today)
    only(sync.sync())

    assert tracker.entry(run, today - 1)[0] == YES_MANUAL
    theirs = phone_todo(server, account, run, today).icalendar_component
    assert str(theirs["STATUS"]) == "COMPLETED"
    assert str(theirs["DESCRIPTION"]) == "ran with Sam"


def test_a_412_reloads_merges_and_retries(live, server) -> None:  # noqa: ANN001
    """The phone writes between this device's read and its PUT: the PUT gets 412, and nothing is lost."""
    tracker, sync = live
    today = tracker.today()
    run = tracker.add_habit(Habit("Run"))
    account = add_account(sync, server)
    only(sync.sync())
    tracker.check(run, today)
    statuses = []

    def meddle(remote) -> None:  # noqa: ANN001
        put = remote.put

        def racing_put(href: str, text: str, *, etag: str | None):  # noqa: ANN202
            if etag and not statuses:
                phone_set(phone_todo(server, account, run, today), description="phone was here")
            try:
                new = put(href, text, etag=etag)
            except Exception as exc:
                statuses.append(type(exc).__name__)
                raise
            statuses.append("ok")
            return new

        remote.put = racing_put

    only(sync.sync(client_hook=meddle))

    assert statuses == ["Precondition", "ok"]
    theirs = phone_todo(server, account, run, today).icalendar_component
    assert (str(theirs["STATUS"]), str(theirs["DESCRIPTION"])) == ("COMPLETED", "phone was here")


def test_both_sides_change_the_same_day_and_the_check_in_wins(live, server) -> None:  # noqa: ANN001
    tracker, sync = live
    today = tracker.today()
    run = tracker.add_habit(Habit("Run"))
    account = add_account(sync, server)
    only(sync.sync())
    phone_set(phone_todo(server, account, run, today), status="COMPLETED")
    tracker.skip(run, today)
    only(sync.sync())
    assert tracker.entry(run, today)[0] == YES_MANUAL
    assert status_of(server, account, run, today) == "COMPLETED"


def test_deleting_on_the_phone_is_not_undone(live, server) -> None:  # noqa: ANN001
    tracker, sync = live
    today = tracker.today()
    run = tracker.add_habit(Habit("Run"))
    account = add_account(sync, server)
    only(sync.sync())
    phone_todo(server, account, run, today + 2).delete()

    report = only(sync.sync())
    assert report.pulled == [f"Run {iso(today + 2)}: deleted on the server"]
    tracker.edit_habit(run)  # even a queued habit change does not bring it back
    only(sync.sync())
    from caldav.lib.error import NotFoundError

    with pytest.raises(NotFoundError):
        phone_todo(server, account, run, today + 2)
    assert len(phone_calendar(server, account).todos(include_completed=True)) == 8


def test_renaming_archiving_and_deleting_habits(live, server) -> None:  # noqa: ANN001
    tracker, sync = live
    today = tracker.today()
    run = tracker.add_habit(Habit("Run"))
    read = tracker.add_habit(Habit("Read"))
    account = add_account(sync, server)
    only(sync.sync())

    run.name = "Run 5k"
    tracker.edit_habit(run)
    tracker.set_archived(read, True)
    only(sync.sync())
    todos = {str(t.icalendar_component["UID"]): t.icalendar_component for t in phone_calendar(server, account).todos(include_completed=True)}
    from habitdesk.sync.mapping import uid

    assert str(todos[uid(run.uuid, today + 3)]["SUMMARY"]) == "Run 5k"
    assert str(todos[uid(run.uuid, today - 1)]["SUMMARY"]) == "Run"  # the past is left as it was
    assert sorted(k for k in todos if read.uuid in k) == [uid(read.uuid, today - 1), uid(read.uuid, today)]

    tracker.delete_habit(run)
    only(sync.sync())
    left = [str(t.icalendar_component["UID"]) for t in phone_calendar(server, account).todos(include_completed=True)]
    assert not any(run.uuid in u for u in left)


def test_a_sync_with_no_changes_costs_at_most_two_requests(live, server) -> None:  # noqa: ANN001
    tracker, sync = live
    for name in ("Run", "Read", "Floss"):
        tracker.add_habit(Habit(name), [Reminder(480)])
    add_account(sync, server)
    only(sync.sync())
    before = server.requests_logged("PROPFIND")
    reports = [only(sync.sync()) for _ in range(3)]
    counts = [report.requests for report in reports]
    assert [report.shared_requests for report in reports] == [1, 1, 1]  # the shared history: its sync token
    # Reading back our own writes: the ctag and its delta. Then Radicale, whose
    # collection date is not trusted yet, is asked the date and the ctag (one
    # request once it is: test_caldav_probe); Xandikos keeps no such date, so
    # the ctag alone.
    assert counts == {"Radicale": [2, 2, 2], "Xandikos": [2, 1, 1]}[server.name], counts
    seen = sum(counts) - 1  # the server saw them too (and one REPORT)
    assert server.requests_logged("PROPFIND", at_least=before + seen) - before == seen


def test_recurrence_id_override_with_completed_counts(live, server) -> None:  # noqa: ANN001
    tracker, sync = live
    today = tracker.today()
    run = tracker.add_habit(Habit("Run"))
    account = add_account(sync, server)
    only(sync.sync())
    obj = phone_todo(server, account, run, today)
    text = obj.data.replace(
        "END:VCALENDAR",
        f"BEGIN:VTODO\r\nUID:{obj.icalendar_component['UID']}\r\nRECURRENCE-ID;VALUE=DATE:{iso(today).replace('-', '')}\r\n"
        "STATUS:COMPLETED\r\nSUMMARY:Run\r\nEND:VTODO\r\nEND:VCALENDAR",
    )
    obj.data = text
    obj.save()
    only(sync.sync())
    assert tracker.entry(run, today)[0] == YES_MANUAL


def test_junk_icalendar_is_skipped_and_reported(live, radicale, caplog) -> None:  # noqa: ANN001
    tracker, sync = live
    today = tracker.today()
    run = tracker.add_habit(Habit("Run"))
    account = add_account(sync, radicale)
    only(sync.sync())
    # Radicale refuses what vobject cannot read, so the junk is what it lets
    # through and a strict reader cannot: a PERCENT-COMPLETE that is no number.
    junk = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//a broken client//\r\nBEGIN:VTODO\r\nUID:junk-1\r\n"
            "SUMMARY:junk\r\nPERCENT-COMPLETE:lots\r\nEND:VTODO\r\nEND:VCALENDAR\r\n")
    answer = radicale.phone().put(account.calendar_url + "junk.ics", junk, {"Content-Type": "text/calendar"})
    assert answer.status == 201
    phone_set(phone_todo(radicale, account, run, today), status="COMPLETED")

    report = only(sync.sync())
    assert tracker.entry(run, today)[0] == YES_MANUAL  # the good change still came through
    assert len(report.skipped) == 1 and "junk.ics" in report.skipped[0]
    assert "skipped" in report.summary()
    assert any("junk.ics" in r.getMessage() for r in caplog.records)
    phone_set(phone_todo(radicale, account, run, today - 1), status="COMPLETED")
    again = only(sync.sync())
    assert again.skipped == []  # reported once; read again only if someone rewrites it
    assert again.pulled == [f"Run {iso(today - 1)}: checked"]


def test_a_deleted_collection_is_reported_and_can_be_recreated(live, server) -> None:  # noqa: ANN001
    from habitdesk.facade.sync import CollectionMissing

    tracker, sync = live
    tracker.add_habit(Habit("Run"))
    account = add_account(sync, server)
    only(sync.sync())
    phone_calendar(server, account).delete()

    [outcome] = sync.sync()
    assert isinstance(outcome.error, CollectionMissing)
    assert "no longer exists" in str(outcome.error)
    assert sync.account("home").last_ok is False

    again = sync.recreate_collection("home")
    report = only(sync.sync())
    assert len(report.pushed) == 9
    assert len(phone_calendar(server, again).todos(include_completed=True)) == 9


def test_an_existing_task_calendar_is_chosen_by_name(live, server) -> None:  # noqa: ANN001
    tracker, sync = live
    made = server.phone().principal().make_calendar(name="Chores", supported_calendar_component_set=["VTODO"])
    account = add_account(sync, server, calendar="Chores")
    assert account.calendar_url.rstrip("/") == str(made.url).rstrip("/")
    assert account.calendar_name == "Chores"


def test_a_refused_sync_token_falls_back_to_a_full_resync(live, server) -> None:  # noqa: ANN001
    tracker, sync = live
    today = tracker.today()
    run = tracker.add_habit(Habit("Run"))
    account = add_account(sync, server)
    only(sync.sync())
    sync.state.update_account(account.id, sync_token="http://server.org/ns/sync/forgotten")
    phone_set(phone_todo(server, account, run, today), status="COMPLETED")
    report = only(sync.sync())
    assert report.pulled == [f"Run {iso(today)}: checked"]
    assert sync.account("home").row["sync_token"] != "http://server.org/ns/sync/forgotten"


def test_habits_can_also_show_as_recurring_events(live, server) -> None:  # noqa: ANN001
    tracker, sync = live
    run = tracker.add_habit(Habit("Run"), [Reminder(7 * 60)])
    gym = tracker.add_habit(Habit("Gym", frequency=Frequency(weekdays=0b0010101)))
    account = add_account(sync, server, events_calendar="Habit events")
    assert account.events_url
    report = only(sync.sync())
    assert sorted(line for line in report.pushed if line.startswith("event")) == ["event Gym", "event Run"]

    events = {str(e.icalendar_component["SUMMARY"]): e.icalendar_component
              for e in server.phone().calendar(url=account.events_url).events()}
    assert events["Run"]["RRULE"].to_ical() == b"FREQ=DAILY"
    assert events["Run"].decoded("DTSTART").strftime("%H:%M") == "07:00"
    assert [c.name for c in events["Run"].subcomponents] == ["VALARM"]
    assert events["Gym"]["RRULE"].to_ical() == b"FREQ=WEEKLY;BYDAY=MO,WE,FR"

    tracker.set_archived(gym, True)
    run.name = "Run 5k"
    tracker.edit_habit(run)
    only(sync.sync())
    names = [str(e.icalendar_component["SUMMARY"]) for e in server.phone().calendar(url=account.events_url).events()]
    assert names == ["Run 5k"]
    from habitdesk.core.days import weekday

    past_gym = [d for d in (tracker.today() - 1, tracker.today()) if weekday(d) in (0, 2, 4)]
    assert len(phone_calendar(server, account).todos(include_completed=True)) == 9 + len(past_gym)  # Gym's past tasks stay


def test_a_new_reminder_time_moves_the_coming_tasks(live, server) -> None:  # noqa: ANN001
    tracker, sync = live
    today = tracker.today()
    run = tracker.add_habit(Habit("Run"), [Reminder(7 * 60)])
    account = add_account(sync, server)
    only(sync.sync())
    tracker.set_reminders(run, [Reminder(18 * 60 + 15)])
    report = only(sync.sync())
    assert sorted(report.pushed) == sorted(f"updated Run {iso(d)}" for d in range(today, today + 8))
    start = phone_todo(server, account, run, today + 1).icalendar_component.decoded("DTSTART")
    assert start.strftime("%H:%M") == "18:15"
    assert phone_todo(server, account, run, today - 1).icalendar_component.decoded("DTSTART").strftime("%H:%M") == "07:00"


@pytest.mark.parametrize("few_habits", [20, 0], ids=["reads-only-theirs", "reads-all"])
def test_a_push_only_pass_sends_each_check_in_with_one_put(live, server, monkeypatch, few_habits: int) -> None:  # noqa: ANN001
    from habitdesk.sync import reconcile

    monkeypatch.setattr(reconcile, "FEW_HABITS", few_habits)
    tracker, sync = live
    today = tracker.today()
    run, read = tracker.add_habit(Habit("Run")), tracker.add_habit(Habit("Read"))
    account = add_account(sync, server)
    only(sync.sync())
    tracker.check(run, today)
    tracker.skip(read, today - 1)

    report = only(sync.sync(pull=False))

    assert sorted(report.pushed) == [f"checked Run {iso(today)}", f"skipped Read {iso(today - 1)}"]
    assert report.requests == 2
    assert report.shared_requests == 2  # each habit's year in the shared history
    assert status_of(server, account, run, today) == "COMPLETED"
    assert status_of(server, account, read, today - 1) == "CANCELLED"
    assert sync.outbox_size() == 0


def test_a_task_done_early_on_the_phone_is_recorded_when_its_day_comes(live, server, data_dir) -> None:  # noqa: ANN001
    from habitdesk.facade.sync import CalendarSync
    from habitdesk.facade.tracker import Tracker

    tracker, sync = live
    today = tracker.today()
    run, read = tracker.add_habit(Habit("Run")), tracker.add_habit(Habit("Read"))
    account = add_account(sync, server)
    only(sync.sync())
    phone_set(phone_todo(server, account, run, today + 1), status="COMPLETED")  # done a day early
    phone_set(phone_todo(server, account, read, today + 1), status="COMPLETED")
    assert only(sync.sync()).pulled == []  # a day ahead cannot be recorded yet
    tracker.close()

    tomorrow = Tracker(data_dir, today=today + 1)
    try:
        tomorrow.skip(read, today + 1)  # this device said otherwise for Read: the check-in still wins
        report = only(CalendarSync(tomorrow, zone="Europe/Berlin", timeout=(2, 5)).sync())
        assert sorted(report.pulled) == [f"Read {iso(today + 1)}: checked (ahead of the day, elsewhere)",
                                         f"Run {iso(today + 1)}: checked (ahead of the day, elsewhere)"]
        assert tomorrow.entry(run, today + 1)[0] == YES_MANUAL
        assert tomorrow.entry(read, today + 1)[0] == YES_MANUAL
        assert status_of(server, account, run, today + 1) == "COMPLETED"  # not reopened by our copy
        assert status_of(server, account, read, today + 1) == "COMPLETED"
    finally:
        tomorrow.close()
