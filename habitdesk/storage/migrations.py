"""Numbered schema migrations. Each runs in one transaction with its user_version.

Migrations are plain SQL so that they stay fixed while the models evolve. Never
edit a released migration: add the next number instead.
"""

from __future__ import annotations

from collections.abc import Callable

Executor = Callable[[str], object]


def _v1_initial(sql: Executor) -> None:
    sql(
        """CREATE TABLE habit (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            question TEXT NOT NULL DEFAULT '',
            description TEXT NOT NULL DEFAULT '',
            kind INTEGER NOT NULL DEFAULT 0,
            unit TEXT NOT NULL DEFAULT '',
            target_value REAL NOT NULL DEFAULT 0,
            target_type INTEGER NOT NULL DEFAULT 0,
            freq_num INTEGER NOT NULL DEFAULT 1,
            freq_den INTEGER NOT NULL DEFAULT 1,
            weekdays INTEGER NOT NULL DEFAULT 0,
            color INTEGER NOT NULL DEFAULT 8,
            position INTEGER NOT NULL DEFAULT 0,
            archived INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL DEFAULT '',
            updated_at TEXT NOT NULL DEFAULT ''
        )"""
    )
    sql("CREATE INDEX habit_position ON habit (position)")
    # day: days since 1970-01-01 (the engine's day numbers); one row per habit and day.
    sql(
        """CREATE TABLE entry (
            habit_id INTEGER NOT NULL REFERENCES habit (id) ON DELETE CASCADE,
            day INTEGER NOT NULL,
            value INTEGER NOT NULL,
            notes TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (habit_id, day)
        ) WITHOUT ROWID"""
    )
    # minute: minutes after local midnight; weekdays: bit 0 = Monday.
    sql(
        """CREATE TABLE reminder (
            id INTEGER PRIMARY KEY,
            habit_id INTEGER NOT NULL REFERENCES habit (id) ON DELETE CASCADE,
            minute INTEGER NOT NULL,
            weekdays INTEGER NOT NULL DEFAULT 127,
            enabled INTEGER NOT NULL DEFAULT 1,
            UNIQUE (habit_id, minute)
        )"""
    )
    sql("CREATE TABLE setting (key TEXT PRIMARY KEY, value TEXT NOT NULL)")


def _v2_stats_cache(sql: Executor) -> None:
    # Per-habit statistics as of day `through`, so start-up reads 200 rows instead
    # of ten years of entries. `anchor` (JSON) lets a change recompute only recent days.
    sql(
        """CREATE TABLE habit_stats (
            habit_id INTEGER PRIMARY KEY REFERENCES habit (id) ON DELETE CASCADE,
            through INTEGER NOT NULL,
            score REAL NOT NULL,
            streak INTEGER NOT NULL,
            best_streak INTEGER NOT NULL,
            total INTEGER NOT NULL,
            today_value INTEGER NOT NULL,
            window_sum INTEGER NOT NULL,
            anchor TEXT
        )"""
    )


def _v3_recent_days(sql: Executor) -> None:
    # The habit table shows the last RECENT_DAYS computed values of every habit;
    # caching them keeps the first paint from reading any history. Old rows lack
    # them, so they are recomputed.
    sql("ALTER TABLE habit_stats ADD COLUMN recent TEXT NOT NULL DEFAULT ''")
    sql("DELETE FROM habit_stats")


# Days whose check-ins reach a calendar: the sync window starts yesterday; the
# margin covers time zones and the hour at which a new day starts.
_RECENT = "CAST(julianday('now') - 2440587.5 AS INTEGER) - 3"


def _v4_calendar_sync(sql: Executor) -> None:
    # CalDAV accounts. The password is never here: it goes to the OS keyring
    # under `key`. sync_token/ctag are stored only after the local commit.
    sql(
        """CREATE TABLE calendar_account (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            key TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL UNIQUE,
            url TEXT NOT NULL,
            username TEXT NOT NULL,
            calendar_url TEXT NOT NULL DEFAULT '',
            calendar_name TEXT NOT NULL DEFAULT '',
            events_url TEXT NOT NULL DEFAULT '',
            ca_file TEXT NOT NULL DEFAULT '',
            enabled INTEGER NOT NULL DEFAULT 1,
            alarms INTEGER NOT NULL DEFAULT 1,
            sync_token TEXT NOT NULL DEFAULT '',
            ctag TEXT NOT NULL DEFAULT '',
            window_start INTEGER,
            last_sync TEXT NOT NULL DEFAULT '',
            last_result TEXT NOT NULL DEFAULT '',
            last_ok INTEGER NOT NULL DEFAULT 1
        )"""
    )
    # One row per calendar resource HabitDesk made or adopted. state is what both
    # sides last agreed on (0 open, 1 done, 2 skipped); rendered is the key of the
    # fields HabitDesk owns as last written; a tombstone is a resource deleted
    # elsewhere, never re-created.
    sql(
        """CREATE TABLE sync_item (
            account_id INTEGER NOT NULL REFERENCES calendar_account (id) ON DELETE CASCADE,
            uid TEXT NOT NULL,
            habit_uuid TEXT NOT NULL,
            day INTEGER NOT NULL,
            href TEXT NOT NULL DEFAULT '',
            etag TEXT NOT NULL DEFAULT '',
            state INTEGER NOT NULL DEFAULT 0,
            rendered TEXT NOT NULL DEFAULT '',
            tombstone INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (account_id, uid)
        ) WITHOUT ROWID"""
    )
    sql("CREATE INDEX sync_item_habit ON sync_item (account_id, habit_uuid, day)")
    # Local changes waiting for each enabled account; day NULL = the whole habit.
    # Triggers fill it, so every writer (GUI, CLI, import) queues its changes.
    sql(
        """CREATE TABLE sync_outbox (
            id INTEGER PRIMARY KEY,
            account_id INTEGER NOT NULL REFERENCES calendar_account (id) ON DELETE CASCADE,
            habit_uuid TEXT NOT NULL,
            day INTEGER
        )"""
    )
    queue = "INSERT INTO sync_outbox (account_id, habit_uuid, day) SELECT a.id, {uuid}, {day} FROM calendar_account a{join} WHERE a.enabled{where};"
    for event, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
        entry = queue.format(uuid="h.uuid", day=f"{row}.day", join=f" JOIN habit h ON h.id = {row}.habit_id", where="")
        sql(f"CREATE TRIGGER sync_entry_{event.lower()} AFTER {event} ON entry WHEN {row}.day >= {_RECENT} BEGIN {entry} END")
        reminder = queue.format(uuid="h.uuid", day="NULL", join=f" JOIN habit h ON h.id = {row}.habit_id", where="")
        sql(f"CREATE TRIGGER sync_reminder_{event.lower()} AFTER {event} ON reminder BEGIN {reminder} END")
    habit = "CREATE TRIGGER sync_habit_{name} AFTER {event} ON habit {when}BEGIN " + queue.format(uuid="{row}.uuid", day="NULL", join="", where="") + " END"
    sql(habit.format(name="insert", event="INSERT", when="", row="NEW"))
    sql(habit.format(name="delete", event="DELETE", when="", row="OLD"))
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in ("name", "question", "archived", "freq_num", "freq_den", "weekdays", "kind"))
    sql(habit.format(name="update", event="UPDATE", when=f"WHEN {changed} ", row="NEW"))


def _v5_change_probe(sql: Executor) -> None:
    # What a cheap DAV:getlastmodified probe of the collection last showed, and
    # whether this server's value has been seen to follow changes of its members
    # (trust: -1 never use it, 0 still learning, 1 trusted). verified_at is when
    # the ctag was last compared (seconds since the epoch); wrote says whether
    # HabitDesk itself changed the collection since (sync.probe.Baseline).
    for column in ("modified TEXT NOT NULL DEFAULT ''", "modified_settled INTEGER NOT NULL DEFAULT 0",
                   "modified_trust INTEGER NOT NULL DEFAULT 0", "verified_at REAL NOT NULL DEFAULT 0",
                   "wrote INTEGER NOT NULL DEFAULT 0"):
        sql(f"ALTER TABLE calendar_account ADD COLUMN {column}")
    # A resource HabitDesk created after the stored sync token was taken: a server
    # may leave it out of the next delta altogether if it is deleted meanwhile
    # (created and gone since the token), so its existence is checked then.
    sql("ALTER TABLE sync_item ADD COLUMN fresh INTEGER NOT NULL DEFAULT 0")
    # A state another device gave a task for a day still ahead (done early): it is
    # recorded here when that day comes, instead of being reverted by our copy.
    sql("ALTER TABLE sync_item ADD COLUMN early INTEGER NOT NULL DEFAULT 0")


def _v6_outbox_by_window(sql: Executor) -> None:
    # Which check-ins reach the outbox was decided by SQLite's own clock, not the
    # app's today (its day-start hour, a --today, a moved test clock). Each account's
    # sync window says it instead: from two days before the window's first day, the
    # same margin as before; everything before the account's first pass.
    queue = (
        "INSERT INTO sync_outbox (account_id, habit_uuid, day) SELECT a.id, h.uuid, {row}.day "
        "FROM calendar_account a JOIN habit h ON h.id = {row}.habit_id "
        "WHERE a.enabled AND (a.window_start IS NULL OR {row}.day >= a.window_start - 2);"
    )
    for event, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
        sql(f"DROP TRIGGER IF EXISTS sync_entry_{event.lower()}")
        sql(f"CREATE TRIGGER sync_entry_{event.lower()} AFTER {event} ON entry BEGIN {queue.format(row=row)} END")


def _v7_write_the_window_again(sql: Executor) -> None:
    # Before this version a HabitDesk that joined a calendar another one filled deleted
    # every task whose habit it did not have, and the owner took those deletions for the
    # user's and never wrote the tasks again. Its record of tasks deleted on the server is
    # dropped once, so the owner writes its window back at the next sync (a task the user
    # did delete on a phone within those days comes back once). Unreadable resources stay
    # remembered: they are someone else's.
    sql("DELETE FROM sync_item WHERE tombstone = 1 AND uid NOT LIKE 'unreadable:%'")
    # The window is written again at the next sync: the tasks above, and every task in
    # the new format (an all-day task due on its own day: sync.mapping.TASK_FORMAT).
    sql("UPDATE calendar_account SET window_start = NULL")


def _v8_shared_history(sql: Executor) -> None:
    # Several HabitDesks share one account's habits and history (sync.share). Every
    # habit definition (day -1) and every day of every habit carries a stamp: a hybrid
    # logical clock "<milliseconds, 15 digits>-<computer id>", so that the later edit
    # wins everywhere, and prev, the stamp it replaced (a note edited on two computers
    # without seeing each other's is kept twice, not lost). seq orders local changes:
    # an account pushes those after its share_seq. The clock has one row, made when
    # the first account starts sharing; until then the triggers below cost nothing.
    # While a sync applies another computer's changes, applying is 1 and they stay as
    # stamped there.
    sql(
        """CREATE TABLE share_clock (
            only INTEGER PRIMARY KEY CHECK (only = 1),
            ms INTEGER NOT NULL,
            node TEXT NOT NULL,
            seq INTEGER NOT NULL DEFAULT 0,
            applying INTEGER NOT NULL DEFAULT 0
        )"""
    )
    sql(
        """CREATE TABLE share_stamp (
            habit_uuid TEXT NOT NULL,
            day INTEGER NOT NULL,
            stamp TEXT NOT NULL,
            prev TEXT NOT NULL DEFAULT '',
            seq INTEGER NOT NULL,
            PRIMARY KEY (habit_uuid, day)
        ) WITHOUT ROWID"""
    )
    sql("CREATE INDEX share_stamp_seq ON share_stamp (seq)")
    # What each account's data collection holds, as last read or written: its href,
    # etag and the digest of its content (an unchanged object is not written again).
    sql(
        """CREATE TABLE share_object (
            account_id INTEGER NOT NULL REFERENCES calendar_account (id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            href TEXT NOT NULL,
            etag TEXT NOT NULL DEFAULT '',
            digest TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (account_id, name)
        ) WITHOUT ROWID"""
    )
    for column in ("share_url TEXT NOT NULL DEFAULT ''", "share_token TEXT NOT NULL DEFAULT ''",
                   "share_seq INTEGER NOT NULL DEFAULT 0"):
        sql(f"ALTER TABLE calendar_account ADD COLUMN {column}")
    now_ms = "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)"
    stamp = (
        f"UPDATE share_clock SET ms = MAX(ms, {now_ms}), seq = seq + 1; "
        "INSERT INTO share_stamp (habit_uuid, day, stamp, prev, seq) "
        "SELECT {uuid}, {day}, printf('%015d-%s', c.ms, c.node), '', c.seq FROM share_clock c{join} WHERE {where} "
        "ON CONFLICT (habit_uuid, day) DO UPDATE SET prev = stamp, stamp = excluded.stamp, seq = excluded.seq;"
    )
    sharing = "(SELECT applying FROM share_clock) = 0"
    for event, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
        body = stamp.format(uuid="h.uuid", day=f"{row}.day", join=f" JOIN habit h ON h.id = {row}.habit_id", where="true")
        sql(f"CREATE TRIGGER share_entry_{event.lower()} AFTER {event} ON entry WHEN {sharing} BEGIN {body} END")
        body = stamp.format(uuid="h.uuid", day="-1", join=f" JOIN habit h ON h.id = {row}.habit_id", where="true")
        sql(f"CREATE TRIGGER share_reminder_{event.lower()} AFTER {event} ON reminder WHEN {sharing} BEGIN {body} END")
        body = stamp.format(uuid=f"{row}.uuid", day="-1", join="", where="true")
        sql(f"CREATE TRIGGER share_habit_{event.lower()} AFTER {event} ON habit WHEN {sharing} BEGIN {body} END")
    # A deleted habit's days go with it, stamps included, whoever deleted it: should a
    # later edit elsewhere bring the habit back, its days come back from there.
    sql("CREATE TRIGGER share_habit_days_gone AFTER DELETE ON habit BEGIN "
        "DELETE FROM share_stamp WHERE habit_uuid = OLD.uuid AND day >= 0; END")


def _v9_joining(sql: Executor) -> None:
    """How an account's first shared-history pass treats habits named alike on both sides
    ('merge', the default, or 'apart'), and the computers that share an account."""
    sql("ALTER TABLE calendar_account ADD COLUMN share_join TEXT NOT NULL DEFAULT 'merge'")
    # The other computers that share the account, as their own objects in the collection say.
    sql(
        """CREATE TABLE share_computer (
            account_id INTEGER NOT NULL REFERENCES calendar_account (id) ON DELETE CASCADE,
            node TEXT NOT NULL,
            name TEXT NOT NULL,
            day TEXT NOT NULL,
            PRIMARY KEY (account_id, node)
        ) WITHOUT ROWID"""
    )


MIGRATIONS: tuple[Callable[[Executor], None], ...] = (
    _v1_initial, _v2_stats_cache, _v3_recent_days, _v4_calendar_sync, _v5_change_probe, _v6_outbox_by_window,
    _v7_write_the_window_again, _v8_shared_history, _v9_joining,
)
LATEST = len(MIGRATIONS)
