"""Window preferences: one table; each read with its type whatever QSettings gives back; unknown names refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QSettings

from habitdesk.services.sync_service import DEFAULT_INTERVAL_MIN
from habitdesk.ui import preferences


def ini(path: Path) -> QSettings:
    return QSettings(str(path), QSettings.Format.IniFormat)


def test_defaults_when_nothing_is_stored(tmp_path: Path) -> None:
    settings = ini(tmp_path / "window.ini")
    assert {name: preferences.read(settings, name) for name in ("theme", "show_archived", "snooze_minutes", "reminders_shown")} == {
        "theme": "system", "show_archived": False, "snooze_minutes": 10, "reminders_shown": []}
    assert preferences.read(settings, "geometry") == QByteArray()
    assert preferences.read(settings, "sync_interval_minutes") == DEFAULT_INTERVAL_MIN


def test_values_come_back_with_their_types_after_the_file_is_read_again(tmp_path: Path) -> None:
    settings = ini(tmp_path / "window.ini")
    preferences.write(settings, "show_archived", True)
    preferences.write(settings, "snooze_minutes", 30)
    preferences.write(settings, "reminders_shown", ["1:20000:420"])  # a one-item list: QSettings reads it as text
    preferences.write(settings, "geometry", QByteArray(b"\x01\x02"))
    settings.sync()
    again = ini(tmp_path / "window.ini")
    assert preferences.read(again, "show_archived") is True
    assert preferences.read(again, "snooze_minutes") == 30
    assert preferences.read(again, "reminders_shown") == ["1:20000:420"]
    assert preferences.read(again, "geometry") == QByteArray(b"\x01\x02")


def test_a_hand_edited_file_reads_as_the_defaults(tmp_path: Path) -> None:
    (tmp_path / "window.ini").write_text("[reminders]\nsnooze_minutes=soon\nshown=@Invalid()\n[table]\nshow_archived=maybe\n")
    settings = ini(tmp_path / "window.ini")
    assert preferences.read(settings, "snooze_minutes") == 10
    assert preferences.read(settings, "show_archived") is False
    assert preferences.read(settings, "reminders_shown") == []


def test_an_unknown_name_is_refused(tmp_path: Path) -> None:
    settings = ini(tmp_path / "window.ini")
    with pytest.raises(preferences.UnknownPreference, match="no window preference named 'colour'"):
        preferences.read(settings, "colour")
    with pytest.raises(preferences.UnknownPreference):
        preferences.write(settings, "colour", "red")
