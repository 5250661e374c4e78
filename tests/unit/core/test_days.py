"""Day numbers, the logical today and weekday parsing."""

from __future__ import annotations

import datetime as dt

import pytest

from habitdesk.core import days


def test_day_numbers():
    assert days.from_date(dt.date(1970, 1, 1)) == 0
    assert days.from_date(dt.date(1970, 1, 2)) == 1
    assert days.from_date(dt.date(1969, 12, 31)) == -1
    assert days.from_date(dt.date(2015, 1, 25)) == 16460
    for n in (-1000, 0, 16460, 20000):
        assert days.from_date(days.to_date(n)) == n


def test_iso():
    assert days.iso(0) == "1970-01-01"
    assert days.iso(16460) == "2015-01-25"
    assert days.parse_iso("2015-01-25") == 16460
    assert days.parse_iso(" 2015-01-25\n") == 16460
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        days.parse_iso("25/01/2015")
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        days.parse_iso("2015-02-30")


def test_weekday_monday_is_zero():
    assert days.weekday(0) == days.THURSDAY  # 1970-01-01
    assert days.weekday(days.from_date(dt.date(2024, 1, 1))) == days.MONDAY
    assert days.weekday(days.from_date(dt.date(2024, 1, 7))) == days.SUNDAY
    assert days.weekday(-1) == days.WEDNESDAY
    for n in range(-20, 20):
        assert days.weekday(n) == days.to_date(n).weekday()


def test_loop_timestamps():
    assert days.to_loop_timestamp(16460) == 16460 * 86_400_000
    assert days.from_loop_timestamp(16460 * 86_400_000) == 16460
    assert days.from_loop_timestamp(16460 * 86_400_000 + 86_399_999) == 16460  # truncated


def test_month_and_week_helpers():
    feb10 = days.from_date(dt.date(2016, 2, 10))
    assert days.month_length(feb10) == 29
    assert days.month_start(feb10) == days.from_date(dt.date(2016, 2, 1))
    assert days.quarter_start(feb10) == days.from_date(dt.date(2016, 1, 1))
    assert days.year_start(feb10) == days.from_date(dt.date(2016, 1, 1))
    wed = days.from_date(dt.date(2024, 1, 3))
    assert days.iso(days.week_start(wed, days.MONDAY)) == "2024-01-01"
    assert days.iso(days.week_start(wed, days.SUNDAY)) == "2023-12-31"
    assert days.iso(days.week_start(wed, days.SATURDAY)) == "2023-12-30"
    assert days.iso(days.week_start(wed, days.WEDNESDAY)) == "2024-01-03"
    assert days.iso(days.week_start(wed, days.THURSDAY)) == "2023-12-28"


# --- the logical today ---------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "hour", "expected"),
    [
        (dt.datetime(2024, 3, 5, 2, 30), 3, "2024-03-04"),  # before the day starts: still yesterday
        (dt.datetime(2024, 3, 5, 2, 59, 59), 3, "2024-03-04"),
        (dt.datetime(2024, 3, 5, 3, 0), 3, "2024-03-05"),
        (dt.datetime(2024, 3, 5, 23, 59), 3, "2024-03-05"),
        (dt.datetime(2024, 3, 5, 0, 0), 0, "2024-03-05"),
        (dt.datetime(2024, 3, 5, 23, 59), 0, "2024-03-05"),
        (dt.datetime(2024, 3, 1, 1, 0), 4, "2024-02-29"),  # across a month, leap year
        (dt.datetime(2024, 1, 1, 5, 0), 6, "2023-12-31"),  # across a year
    ],
)
def test_logical_today(now, hour, expected):
    assert days.iso(days.logical_today(now, hour)) == expected


def test_logical_today_default_hour_is_midnight():
    assert days.iso(days.logical_today(dt.datetime(2024, 3, 5, 0, 1))) == "2024-03-05"


def test_logical_today_keeps_local_wall_time():
    tz = dt.timezone(dt.timedelta(hours=-5))
    now = dt.datetime(2024, 3, 5, 1, 30, tzinfo=tz)  # 06:30 UTC, but 01:30 locally
    assert days.iso(days.logical_today(now, 2)) == "2024-03-04"
    assert days.iso(days.logical_today(now, 0)) == "2024-03-05"


# --- weekday parsing -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "mask"),
    [
        ("mon", 0b0000001),
        ("sun", 0b1000000),
        ("mon,wed,fri", 0b0010101),
        ("Mon, Wed, Fri", 0b0010101),
        ("monday,tuesday", 0b0000011),
        ("SAT,SUN", 0b1100000),
        ("fri,mon,fri", 0b0010001),
        ("mon,,tue,", 0b0000011),
        ("mon,tue,wed,thu,fri,sat,sun", 0b1111111),
    ],
)
def test_parse_weekdays(text, mask):
    assert days.parse_weekdays(text) == mask


@pytest.mark.parametrize("text", ["", ",", " , ", "funday", "mon,xyz", "mo", "1"])
def test_parse_weekdays_rejects(text):
    with pytest.raises(ValueError):
        days.parse_weekdays(text)


def test_format_weekdays_round_trip():
    assert days.format_weekdays(0b0010101) == "mon,wed,fri"
    assert days.format_weekdays(0b1100000) == "sat,sun"
    for mask in range(1, 128):
        assert days.parse_weekdays(days.format_weekdays(mask)) == mask


def test_month_length_matches_the_calendar_module():
    import calendar

    for year in (1900, 1999, 2000, 2024, 2026, 2100):
        for month in range(1, 13):
            for day in (1, 15, 28):
                expected = calendar.monthrange(year, month)[1]
                assert days.month_length(days.from_date(dt.date(year, month, day))) == expected, (year, month)
