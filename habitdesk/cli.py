"""habitdesk-cli: the scripting face of HabitDesk (no Qt).

Output and exit codes are a contract (DESIGN.md §7): 0 success, 1 wrong input,
2 usage, 3 unusable data file, 4 sync or network failure. Every error is one
line on stderr.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from habitdesk.core.entries import amount_text

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_DATA, EXIT_SYNC, EXIT_BUG = 0, 1, 2, 3, 4, 70
PROG = "habitdesk-cli"
LATEST_TODAY = "9998-12-31"


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error in one line, with exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message} (see {self.prog} --help)")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog=PROG, description="Track habits from the terminal, with Loop Habit Tracker's rules.")
    p.add_argument("--data-dir", metavar="DIR", help="data folder (default: $HABITDESK_DATA_DIR or the user data folder)")
    p.add_argument("--today", metavar="YYYY-MM-DD", help="treat this date as today (reproducible reports)")
    p.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    add = sub.add_parser("add", help="create a habit")
    add.add_argument("name")
    _habit_options(add)
    add.add_argument("--reminder", metavar="HH:MM", action="append", default=[], help="a daily reminder time")

    lst = sub.add_parser("list", help="list habits")
    lst.add_argument("--archived", action="store_true", help="include archived habits")
    lst.add_argument("--json", action="store_true")

    edit = sub.add_parser("edit", help="change a habit")
    edit.add_argument("name")
    edit.add_argument("--name", dest="new_name", metavar="NEW", help="rename the habit")
    _habit_options(edit)

    for verb, text in (("archive", "hide a habit from the list, keeping its history"), ("unarchive", "bring an archived habit back")):
        sp = sub.add_parser(verb, help=text)
        sp.add_argument("name")
    delete = sub.add_parser("delete", help="delete a habit and its whole history")
    delete.add_argument("name")
    delete.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    check = sub.add_parser("check", help="record a day as done (or an amount)")
    check.add_argument("name")
    check.add_argument("--date", metavar="YYYY-MM-DD")
    check.add_argument("--value", metavar="N", type=float, help="the amount, for a measurable habit")
    check.add_argument("--note", metavar="TEXT")
    skip = sub.add_parser("skip", help="record a day as skipped")
    skip.add_argument("name")
    skip.add_argument("--date", metavar="YYYY-MM-DD")
    skip.add_argument("--note", metavar="TEXT")
    clear = sub.add_parser("clear", help="clear a day's value (its note stays)")
    clear.add_argument("name")
    clear.add_argument("--date", metavar="YYYY-MM-DD")

    status = sub.add_parser("status", help="today's habits: state, streak and score")
    status.add_argument("--json", action="store_true")

    show = sub.add_parser("show", help="one habit's streaks, scores and overview")
    show.add_argument("name")
    show.add_argument("--json", action="store_true")

    remind = sub.add_parser("remind", help="list, add or remove a habit's reminders")
    actions = remind.add_subparsers(dest="remind_action", metavar="ACTION", parser_class=_Parser)
    actions.required = True
    rlist = actions.add_parser("list", help="every reminder, or one habit's")
    rlist.add_argument("name", nargs="?")
    rlist.add_argument("--json", action="store_true")
    radd = actions.add_parser("add", help="remind at HH:MM (every day unless --days)")
    radd.add_argument("name")
    radd.add_argument("time", metavar="HH:MM")
    radd.add_argument("--days", metavar="mon,tue,...", help="only on these weekdays")
    rremove = actions.add_parser("remove", help="remove the reminder at HH:MM")
    rremove.add_argument("name")
    rremove.add_argument("time", metavar="HH:MM")

    imp = sub.add_parser("import", help="import a Loop backup (.db), Loop CSV export (.zip) or HabitDesk backup (.json); "
                                           "a file with a record out of range is refused whole, naming it; "
                                           "a copy of your data is kept first")
    imp.add_argument("path")

    exp = sub.add_parser("export", help="export data: loop-csv (Loop's CSV zip), json (a HabitDesk backup) or ics (habits and history for calendar apps)")
    exp.add_argument("format", choices=["loop-csv", "json", "ics"])
    exp.add_argument("path")

    restore = sub.add_parser("restore", help="replace everything with a HabitDesk backup (.json, or a copy from `backups`), after a safety copy")
    restore.add_argument("path")
    restore.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    sub.add_parser("backup", help="copy the database into the backup folder now (and rotate old copies)")
    sub.add_parser("backups", help="list the backups in the backup folder")
    _sync_commands(sub)
    return p


def _sync_commands(sub) -> None:  # noqa: ANN001 - the subparsers action
    account = sub.add_parser("account", help="calendar (CalDAV) accounts")
    verbs = account.add_subparsers(dest="verb", metavar="VERB", parser_class=_Parser)
    verbs.required = True
    add = verbs.add_parser("add", help="connect a CalDAV account (the password goes to the system keyring)")
    add.add_argument("name")
    add.add_argument("--url", required=True, help="the server, such as https://cloud.example.org/remote.php/dav")
    add.add_argument("--username", required=True)
    add.add_argument("--password-stdin", action="store_true", required=True, help="read the password from standard input")
    add.add_argument("--calendar", default="HabitDesk", metavar="NAME", help="the task calendar to use or create (default HabitDesk)")
    add.add_argument("--ca-file", metavar="PEM", help="trust this CA certificate (a self-signed server)")
    add.add_argument("--no-alarms", action="store_true", help="no VALARM reminders on the tasks")
    add.add_argument("--keep-apart", action="store_true",
                     help="when the account already holds another computer's habits, keep a habit here apart from "
                          "the account's habit of the same name (by default they become one)")
    edit = verbs.add_parser("edit", help="change an account's server, user name, password, CA file or calendar "
                                         "(tried first, saved only if the server accepts them)")
    edit.add_argument("name")
    edit.add_argument("--url", help="the server's new address")
    edit.add_argument("--username")
    edit.add_argument("--password-stdin", action="store_true", help="a new password, read from standard input")
    edit.add_argument("--calendar", metavar="NAME", help="move to this task calendar (made if missing; filled from scratch)")
    edit.add_argument("--ca-file", metavar="PEM", help="trust this CA certificate ('' to stop)")
    lst = verbs.add_parser("list", help="list accounts and their last sync")
    lst.add_argument("--json", action="store_true")
    remove = verbs.add_parser("remove", help="forget an account and its password (the server's calendar stays)")
    remove.add_argument("name")
    sync = sub.add_parser("sync", help="sync with your calendar accounts")
    sync.add_argument("--account", metavar="NAME", help="only this account")
    sync.add_argument("--password-stdin", action="store_true", help="the password, when no system keyring holds it")


def _habit_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--kind", choices=["yes-no", "measurable"])
    p.add_argument("--unit")
    p.add_argument("--target", type=float, metavar="N", help="target amount per period (measurable)")
    p.add_argument("--target-type", choices=["at-least", "at-most"])
    p.add_argument("--times", type=int, metavar="X", help="X times ...")
    p.add_argument("--per", type=int, metavar="Y", help="... in Y days (7 = a week, 30 = a month)")
    p.add_argument("--weekdays", metavar="mon,wed,fri", help="due on these weekdays only")
    p.add_argument("--every-day", action="store_true", help="due every day")
    p.add_argument("--question")
    p.add_argument("--description")
    p.add_argument("--color", help="palette index 0-19, colour name, or #RRGGBB of the palette")


def _version() -> str:
    from habitdesk import __version__

    return __version__


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except UsageError as exc:
        return _fail(EXIT_USAGE, f"usage: {exc}")
    except SystemExit as exc:  # --help and --version
        return int(exc.code or 0)
    from habitdesk.facade.errors import UserError
    from habitdesk.storage.errors import StorageError
    from habitdesk.sync.errors import SyncError

    try:
        return run(args)
    except UserError as exc:
        return _fail(EXIT_INPUT, str(exc))
    except SyncError as exc:
        return _fail(EXIT_SYNC, str(exc))
    except StorageError as exc:
        return _fail(EXIT_DATA, str(exc))
    except KeyboardInterrupt:
        return _fail(130, "interrupted")
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # a bug: say so in one line, keep the detail for debugging
        if os.environ.get("HABITDESK_DEBUG"):
            raise
        return _fail(EXIT_BUG, f"unexpected error: {type(exc).__name__}: {exc} (set HABITDESK_DEBUG=1 for details)")


def run(args: argparse.Namespace) -> int:
    """Open the data folder and run one command."""
    from habitdesk.core.days import OLDEST_DAY, parse_iso
    from habitdesk.facade.errors import UserError
    from habitdesk.facade.tracker import Tracker
    from habitdesk.paths import data_dir

    today = None
    if args.today:
        try:
            today = parse_iso(args.today)
        except ValueError as exc:
            raise UserError(f"--today: {exc}") from None
        # Figures reach past today (streaks to today + 30, longer intervals):
        # keep a year of room below date's limit of 9999-12-31.
        if not OLDEST_DAY <= today <= parse_iso(LATEST_TODAY):
            raise UserError(f"--today: {args.today} is out of range (1900-01-01 to {LATEST_TODAY})")
    tracker = Tracker(data_dir(args.data_dir), today=today)
    try:
        return COMMANDS[args.command](tracker, args)
    finally:
        tracker.close()


def _day(tracker, text: str | None) -> int:  # noqa: ANN001
    from habitdesk.core.days import parse_iso
    from habitdesk.facade.errors import UserError

    if text is None:
        return tracker.today()
    try:
        day = parse_iso(text)
    except ValueError as exc:
        raise UserError(f"--date: {exc}") from None
    tracker.check_day(day)
    return day


def _apply_habit_options(habit, args: argparse.Namespace, *, creating: bool) -> None:  # noqa: ANN001
    """Copy the habit options given on the command line onto a habit."""
    from habitdesk.core.days import parse_weekdays
    from habitdesk.core.habit import Frequency, Kind, TargetType
    from habitdesk.facade.errors import UserError

    if args.kind:
        habit.kind = Kind.MEASURABLE if args.kind == "measurable" else Kind.YES_NO
    if args.target_type:
        habit.target_type = TargetType.AT_MOST if args.target_type == "at-most" else TargetType.AT_LEAST
    for option, field in (("unit", "unit"), ("target", "target_value"), ("question", "question"), ("description", "description")):
        if getattr(args, option) is not None:
            setattr(habit, field, getattr(args, option))
    if args.color is not None:
        habit.color = _color(args.color)
    chosen = [args.weekdays is not None, args.times is not None or args.per is not None, args.every_day]
    if sum(chosen) > 1:
        raise UserError("give one of --weekdays, --times/--per or --every-day")
    if args.weekdays is not None:
        try:
            habit.frequency = Frequency(1, 1, parse_weekdays(args.weekdays))
        except ValueError as exc:
            raise UserError(f"--weekdays: {exc}") from None
    elif args.times is not None or args.per is not None:
        habit.frequency = Frequency(args.times if args.times is not None else 1, args.per if args.per is not None else 7)
    elif args.every_day:
        habit.frequency = Frequency(1, 1)
    if creating and habit.is_measurable and args.target is None:
        raise UserError("a measurable habit needs a --target")
    if not habit.is_measurable and (args.unit or args.target is not None or args.target_type):
        raise UserError("--unit, --target and --target-type are for measurable habits (add --kind measurable)")


def _color(text: str) -> int:
    from habitdesk.core.habit import PALETTE, PALETTE_NAMES
    from habitdesk.facade.errors import UserError

    key = text.strip().lower()
    if key.isdigit() and int(key) < len(PALETTE):
        return int(key)
    if key in PALETTE_NAMES:
        return PALETTE_NAMES.index(key)
    hexes = [c.lower() for c in PALETTE]
    if key in hexes:
        return hexes.index(key)
    raise UserError(f"--color: {text!r} is not in the palette (0-19, a name such as 'teal', or its #RRGGBB)")


def cmd_add(tracker, args: argparse.Namespace) -> int:  # noqa: ANN001
    from habitdesk.core.habit import Habit
    from habitdesk.core.reminders import Reminder, parse_time
    from habitdesk.facade.errors import UserError

    habit = Habit(name=args.name)
    _apply_habit_options(habit, args, creating=True)
    try:
        reminders = [Reminder(parse_time(t)) for t in args.reminder]
    except ValueError as exc:
        raise UserError(f"--reminder: {exc}") from None
    tracker.add_habit(habit, reminders)
    print(f"Added {habit.name!r} ({_frequency_text(habit)}), uuid {habit.uuid}")
    return 0


def cmd_edit(tracker, args: argparse.Namespace) -> int:  # noqa: ANN001
    habit = tracker.find_habit(args.name)
    if args.new_name is not None:
        habit.name = args.new_name
    _apply_habit_options(habit, args, creating=False)
    tracker.edit_habit(habit)
    print(f"Updated {habit.name!r}")
    return 0


def cmd_archive(tracker, args: argparse.Namespace) -> int:  # noqa: ANN001
    habit = tracker.find_habit(args.name)
    archived = args.command == "archive"
    tracker.set_archived(habit, archived)
    print(f"{'Archived' if archived else 'Unarchived'} {habit.name!r}")
    return 0


def cmd_delete(tracker, args: argparse.Namespace) -> int:  # noqa: ANN001
    from habitdesk.facade.errors import UserError

    habit = tracker.find_habit(args.name)
    if not args.yes:
        if not sys.stdin.isatty():
            raise UserError(f"not deleting {habit.name!r}: confirm with --yes when not at a terminal")
        try:
            answer = input(f"Delete {habit.name!r} and its whole history? This cannot be undone. [y/N] ")
        except EOFError:  # Ctrl-D at the prompt: the default, no
            print()
            answer = ""
        if answer.strip().lower() not in ("y", "yes"):
            print("Nothing was deleted.")
            return 0
    tracker.delete_habit(habit)
    print(f"Deleted {habit.name!r}")
    return 0


def cmd_entry(tracker, args: argparse.Namespace) -> int:  # noqa: ANN001
    from habitdesk.core.days import iso

    habit = tracker.find_habit(args.name)
    day = _day(tracker, args.date)
    if args.command == "check":
        summary = tracker.check(habit, day, amount=args.value, notes=args.note)
        what = "checked" if args.value is None else f"recorded {amount_text(args.value)}{' ' + habit.unit if habit.unit else ''}"
    elif args.command == "skip":
        summary = tracker.skip(habit, day, notes=args.note)
        what = "skipped"
    else:
        summary = tracker.clear(habit, day)
        what = "cleared"
    print(f"{habit.name}: {what} on {iso(day)} (streak {summary.streak}, score {summary.score:.0%})")
    return 0


def cmd_list(tracker, args: argparse.Namespace) -> int:  # noqa: ANN001
    habits = tracker.habits(archived=None if args.archived else False)
    if args.json:
        _print_json([_habit_json(tracker, h) for h in habits])
        return 0
    if not habits:
        text = _no_habits_text(tracker)
        print(text[0].upper() + text[1:])
        return 0
    rows = [("#", "NAME", "KIND", "FREQUENCY", "TARGET", "")]
    for i, h in enumerate(habits, start=1):
        target = ""
        if h.is_measurable:
            sign = "<=" if h.target_type.key == "at_most" else ">="
            target = f"{sign} {amount_text(h.target_value)}{' ' + h.unit if h.unit else ''}"
        rows.append((str(i), h.name, "measurable" if h.is_measurable else "yes/no", _frequency_text(h), target, "archived" if h.archived else ""))
    _print_table(rows)
    return 0


def cmd_status(tracker, args: argparse.Namespace) -> int:  # noqa: ANN001
    from habitdesk.core.days import iso

    habits = tracker.habits()
    summaries = tracker.summaries(habits)
    today = tracker.today()
    if args.json:
        items = []
        for h in habits:
            s = summaries[h.id]
            st = s.status(h)
            items.append({
                "uuid": h.uuid,
                "name": h.name,
                "kind": h.kind.key,
                "due": st.due,
                "today": {"value": None if st.value == -1 else st.value, "label": st.label, "amount": st.amount, "done": st.done},
                "streak": s.streak,
                "best_streak": s.best_streak,
                "score": round(s.score, 6),
            })
        _print_json({"date": iso(today), "habits": items})
        return 0
    if not habits:
        print(f"{iso(today)}: {_no_habits_text(tracker)}")
        return 0
    done = due = 0
    rows = [("STATE", "HABIT", "TODAY", "STREAK", "BEST", "SCORE")]
    for h in habits:
        s = summaries[h.id]
        st = s.status(h)
        done += st.done
        due += st.due
        state = "due" if st.due else "done" if st.done else "-"
        if h.is_measurable:
            amount = "-" if st.amount is None else amount_text(st.amount)
            today_text = f"{amount} / {amount_text(h.target_value)}{' ' + h.unit if h.unit else ''}"
        else:
            today_text = _DAY_TEXT[st.label]
        rows.append((state, h.name, today_text, str(s.streak), str(s.best_streak), f"{s.score:.0%}"))
    print(f"{iso(today)}: {done} of {len(habits)} done, {due} due")
    _print_table(rows)
    return 0


_DAY_TEXT = {"YES_MANUAL": "done", "YES_AUTO": "done (auto)", "NO": "not done", "SKIP": "skipped", "UNKNOWN": "-"}


def cmd_show(tracker, args: argparse.Namespace) -> int:  # noqa: ANN001
    from habitdesk.core.days import iso
    from habitdesk.core.history import overview, score_series

    habit = tracker.find_habit(args.name)
    analysis = tracker.analysis(habit)
    ov = overview(analysis)
    current = analysis.current
    if args.json:
        data = _habit_json(tracker, habit)
        data["streaks"] = [{"start": iso(s.start), "end": iso(s.end), "length": s.length} for s in analysis.best]
        data["current_streak"] = None if current is None else {"start": iso(current.start), "end": iso(current.end), "length": current.length}
        data["scores"] = [[iso(day), round(score, 6)] for day, score in score_series(analysis)]
        data["notes"] = [{"date": iso(day), "note": note} for day, note in sorted(tracker.notes(habit).items(), reverse=True)]
        data["overview"] = {
            "score": round(ov.score, 6),
            "month_change": round(ov.month_change, 6),
            "year_change": round(ov.year_change, 6),
            "total": ov.total,
        }
        _print_json(data)
        return 0
    print(habit.name + (" (archived)" if habit.archived else ""))
    if habit.question:
        print(habit.question)
    print(f"{_frequency_text(habit)}; colour {habit.color_hex}")
    print()
    print(f"Score      {ov.score:.0%}  ({ov.month_change:+.0%} in 30 days, {ov.year_change:+.0%} in a year)")
    print(f"Total      {ov.total}")
    print(f"Streak     {current.length if current else 0}")
    print()
    best = analysis.best
    if best:
        print("Best streaks")
        _print_table([("FROM", "TO", "DAYS")] + [(iso(s.start), iso(s.end), str(s.length)) for s in best], indent="  ")
    else:
        print("No streaks yet.")
    notes = sorted(tracker.notes(habit).items(), reverse=True)
    if notes:
        print()
        print("Notes" + (f" (latest 10 of {len(notes)})" if len(notes) > 10 else ""))
        _print_table([(iso(day), " ".join(note.split())) for day, note in notes[:10]], indent="  ")
    series = score_series(analysis)
    if len(series) > 1:
        from habitdesk.core.history import Bucket

        print()
        print("Score by month")
        monthly = score_series(analysis, Bucket.MONTH)[-12:]
        _print_table([("MONTH", "SCORE")] + [(iso(day)[:7], f"{score:.0%}") for day, score in monthly], indent="  ")
    return 0


def cmd_remind(tracker, args: argparse.Namespace) -> int:  # noqa: ANN001
    from habitdesk.core.days import WEEKDAY_NAMES, parse_weekdays
    from habitdesk.core.reminders import EVERY_DAY, Reminder, parse_time
    from habitdesk.facade.errors import UserError

    if args.remind_action == "list":
        habits = [tracker.find_habit(args.name)] if args.name else tracker.habits(archived=None)
        by_id = {h.id: h for h in habits}
        reminders = [r for r in tracker.reminders(habits[0] if args.name else None) if r.habit_id in by_id]
        reminders.sort(key=lambda r: (by_id[r.habit_id].position, r.minute))
        if args.json:
            _print_json([
                {"uuid": by_id[r.habit_id].uuid, "habit": by_id[r.habit_id].name, "time": r.time_text,
                 "days": [n for i, n in enumerate(WEEKDAY_NAMES) if r.weekdays >> i & 1], "enabled": r.enabled}
                for r in reminders
            ])
        elif not reminders:
            print(f"{by_id[habits[0].id].name} has no reminders." if args.name else "No reminders.")
        else:
            rows = [("HABIT", "TIME", "DAYS", "STATE")]
            for r in reminders:
                habit = by_id[r.habit_id]
                state = "archived" if habit.archived else "on" if r.enabled else "off"
                rows.append((habit.name, r.time_text, r.days_text, state))
            _print_table(rows)
        return 0
    habit = tracker.find_habit(args.name)
    try:
        minute = parse_time(args.time)
        days = getattr(args, "days", None)  # remove has no --days
        weekdays = parse_weekdays(days) if days is not None else EVERY_DAY
    except ValueError as exc:
        raise UserError(str(exc)) from None
    reminder = Reminder(minute, weekdays)
    if args.remind_action == "add":
        tracker.add_reminder(habit, reminder)
        print(f"{habit.name}: reminder at {reminder.time_text}, {reminder.days_text}")
    else:
        tracker.remove_reminder(habit, minute)
        print(f"{habit.name}: removed the reminder at {reminder.time_text}")
    return 0


def cmd_import(tracker, args: argparse.Namespace) -> int:  # noqa: ANN001
    from pathlib import Path

    from habitdesk.facade.interchange import import_file

    report = import_file(tracker, Path(args.path))
    print(f"Imported {report.source}: {report.counts()}")
    if report.safety_copy is not None:
        print(f"  your data as it was before: {report.safety_copy}")
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return 0


def cmd_export(tracker, args: argparse.Namespace) -> int:  # noqa: ANN001
    from pathlib import Path

    if args.format == "ics":
        from habitdesk.facade.interchange import export_ics

        count = export_ics(tracker, Path(args.path))
    elif args.format == "json":
        from habitdesk.facade.interchange import export_json

        count = export_json(tracker, Path(args.path))
    else:
        count = tracker.export_loop_csv(Path(args.path))
    print(f"Exported {count} habits to {args.path}")
    return 0


def _read_password() -> str:
    from habitdesk.facade.errors import UserError

    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise UserError("--password-stdin: no password on standard input")
    return password


def cmd_account(tracker, args: argparse.Namespace) -> int:  # noqa: ANN001
    from habitdesk.facade.sync import NO_SHARE, NO_SHARE_TEXT, CalendarSync

    sync = CalendarSync(tracker)
    if args.verb == "add":
        account, warning = sync.add_account(
            args.name, args.url, args.username, _read_password(), calendar=args.calendar,
            ca_file=args.ca_file or "", alarms=not args.no_alarms, merge_names=not args.keep_apart,
        )
        print(f"Added {account.name!r}: calendar {account.calendar_name!r} at {account.calendar_url}")
        if account.share_url == NO_SHARE:
            print(f"  {NO_SHARE_TEXT}")
        if warning:
            print(f"warning: {warning} Give it to `sync` with --password-stdin.", file=sys.stderr)
        _print_join_preview(sync, account.name)
    elif args.verb == "edit":
        before = sync.account(args.name)
        account, warning = sync.edit_connection(
            before.name, url=args.url or before.url, username=args.username or before.username,
            password=_read_password() if args.password_stdin else "",
            ca_file=before.ca_file if args.ca_file is None else args.ca_file, calendar=args.calendar or "",
        )
        print(f"Changed {account.name!r}: {account.username} at {account.url}, calendar {account.calendar_name!r}")
        if warning:
            print(f"warning: {warning} Give it to `sync` with --password-stdin.", file=sys.stderr)
    elif args.verb == "remove":
        account = sync.remove_account(args.name)
        print(f"Removed {account.name!r} (its calendar on the server was left as it is)")
    elif args.json:
        _print_json([{"name": a.name, "url": a.url, "username": a.username, "calendar": a.calendar_name,
                      "calendar_url": a.calendar_url, "enabled": a.enabled, "alarms": a.alarms,
                      "last_sync": a.last_sync or None, "last_result": a.last_result or None, "last_ok": a.last_ok}
                     for a in sync.accounts()])
    else:
        accounts = sync.accounts()
        if not accounts:
            print("No calendar accounts. Add one with: habitdesk-cli account add NAME --url URL --username USER --password-stdin")
            return 0
        rows = [("NAME", "SERVER", "USER", "CALENDAR", "ENABLED", "LAST SYNC")]
        rows += [(a.name, a.url, a.username, a.calendar_name, "yes" if a.enabled else "no",
                  f"{a.last_sync} {'ok' if a.last_ok else 'failed'}" if a.last_sync else "never") for a in accounts]
        _print_table(rows)
    return 0


def _print_join_preview(sync, name: str) -> None:  # noqa: ANN001 - a CalendarSync
    """What the first sync of a just-added account will bring and send, when another computer uses it."""
    from habitdesk.sync.errors import SyncError

    try:
        preview = sync.join_preview(name)
    except SyncError as exc:
        print(f"warning: could not look at the account's shared history yet ({exc}); the first sync joins it all the same", file=sys.stderr)
        return
    for line in preview.lines() if preview else ():
        print(f"  {line}")


def cmd_sync(tracker, args: argparse.Namespace) -> int:  # noqa: ANN001
    from habitdesk.facade.sync import CalendarSync

    sync = CalendarSync(tracker)
    if args.password_stdin:
        password = _read_password()
        for account in [sync.account(args.account)] if args.account else sync.accounts():
            sync.set_session_password(account, password)
    outcomes = sync.sync(args.account)
    if not outcomes:
        print("No calendar accounts are enabled; add one with: habitdesk-cli account add")
        return 0
    failed = 0
    for outcome in outcomes:
        if outcome.error is not None:
            failed += 1
            hint = " (give it with --password-stdin)" if type(outcome.error).__name__ == "NoPassword" else ""
            _fail(EXIT_SYNC, f"{outcome.account.name}: {outcome.error}{hint}")
            continue
        report = outcome.report
        assert report is not None  # an outcome holds a report or an error
        print(f"{outcome.account.name}: {report.summary()}")
        for label, lines in (("pushed", report.pushed), ("pulled", report.pulled), ("skipped", report.skipped)):
            for line in lines[:20]:
                print(f"  {label}: {line}")
            if len(lines) > 20:
                print(f"  {label}: ... and {len(lines) - 20} more")
        if report.shared_summary():
            print(f"  shared history: {report.shared_summary()}")
    return EXIT_SYNC if failed else EXIT_OK


def cmd_restore(tracker, args: argparse.Namespace) -> int:  # noqa: ANN001
    from pathlib import Path

    from habitdesk.facade.errors import UserError
    from habitdesk.facade.interchange import plan_restore, restore

    plan = plan_restore(tracker, Path(args.path))
    print(f"Restoring {plan.path.name} replaces everything in HabitDesk:")
    for line in plan.lines():
        print(f"  {line}")
    if not args.yes:
        if not sys.stdin.isatty():
            raise UserError(f"not restoring {plan.path.name}: confirm with --yes when not at a terminal")
        try:
            answer = input("Replace your data with this backup? A safety copy is taken first. [y/N] ")
        except EOFError:
            print()
            answer = ""
        if answer.strip().lower() not in ("y", "yes"):
            print("Nothing was restored.")
            return 0
    safety, warnings = restore(tracker, plan)
    print(f"Restored {plan.path.name}; your previous data is in {safety}")
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return 0


def cmd_backup(tracker, args: argparse.Namespace) -> int:  # noqa: ANN001
    from habitdesk.facade.backups import backup_now

    path = backup_now(tracker)
    print(f"Backed up to {path}")
    return 0


def cmd_backups(tracker, args: argparse.Namespace) -> int:  # noqa: ANN001
    from habitdesk.facade.backups import backups, folder

    found = backups(tracker)
    if not found:
        print(f"No backups yet in {folder(tracker)}. Take one with: habitdesk-cli backup")
        return 0
    rows = [("TAKEN", "SIZE", "KIND", "FILE")]
    for b in found:
        rows.append((b.taken.strftime("%Y-%m-%d %H:%M:%S"), f"{b.size / 1024:.0f} KiB",
                     "before restore" if b.safety else "daily", str(b.path)))
    _print_table(rows)
    return 0


COMMANDS = {
    "add": cmd_add, "edit": cmd_edit, "archive": cmd_archive, "unarchive": cmd_archive,
    "delete": cmd_delete, "check": cmd_entry, "skip": cmd_entry, "clear": cmd_entry,
    "list": cmd_list, "status": cmd_status, "show": cmd_show, "remind": cmd_remind, "import": cmd_import,
    "export": cmd_export, "restore": cmd_restore, "backup": cmd_backup, "backups": cmd_backups,
    "account": cmd_account, "sync": cmd_sync,
}


def _no_habits_text(tracker) -> str:  # noqa: ANN001
    archived = len(tracker.habits(archived=True))
    if archived:
        return f"all {archived} habits are archived; see them with: habitdesk-cli list --archived"
    return "no habits yet. Add one with: habitdesk-cli add NAME"


def _frequency_text(habit) -> str:  # noqa: ANN001
    return habit.frequency.label()


def _habit_json(tracker, habit) -> dict:  # noqa: ANN001
    from habitdesk.core.days import format_weekdays

    freq = habit.frequency
    return {
        "uuid": habit.uuid,
        "name": habit.name,
        "question": habit.question,
        "description": habit.description,
        "kind": habit.kind.key,
        "unit": habit.unit,
        "target_value": habit.target_value,
        "target_type": habit.target_type.key,
        "frequency": {
            "num": freq.num,
            "den": freq.den,
            "weekdays": format_weekdays(freq.weekdays).split(",") if freq.weekdays else None,
            "label": freq.label(),
        },
        "color": habit.color,
        "color_hex": habit.color_hex,
        "position": habit.position,
        "archived": habit.archived,
        "reminders": [
            {"time": r.time_text, "weekdays": format_weekdays(r.weekdays).split(",") if r.weekdays else [], "enabled": r.enabled}
            for r in tracker.reminders(habit)
        ],
        "created_at": habit.created_at,
        "updated_at": habit.updated_at,
    }


def _print_json(data: object) -> None:
    import json

    print(json.dumps(data, ensure_ascii=False, indent=2))


def _print_table(rows: Sequence[Sequence[str]], indent: str = "") -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print(indent + "  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())



def _fail(code: int, message: str) -> int:
    print(f"{PROG}: {message}", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
