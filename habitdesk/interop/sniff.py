"""What a file is, judged by its content rather than its name."""

from __future__ import annotations

from pathlib import Path

from habitdesk.interop.errors import FormatError

SQLITE = "sqlite"  # a Loop backup (.db), or a HabitDesk database copy
ZIP = "zip"  # a Loop CSV export
JSON = "json"  # a HabitDesk JSON backup

_MAGIC = (
    (b"SQLite format 3\x00", SQLITE),
    (b"PK\x03\x04", ZIP),
    (b"PK\x05\x06", ZIP),  # an empty zip
)
_OTHER = (
    (b"\x89PNG", "a PNG image"),
    (b"%PDF", "a PDF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
)
EXPECTED = "a Loop Habit Tracker backup (.db), Loop CSV export (.zip) or HabitDesk backup (.json)"


def detect(path: Path) -> str:
    """SQLITE, ZIP or JSON; FormatError naming the file and what it seems to be otherwise."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            head = fh.read(64)
    except OSError as exc:
        raise FormatError(f"{path.name}: cannot be read ({exc.strerror or exc})") from None
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if text.startswith(b"{"):
        return JSON
    raise FormatError(f"{path.name}: not {EXPECTED}; {_looks_like(head, path)}")


def _looks_like(head: bytes, path: Path) -> str:
    if not head:
        return "the file is empty"
    what = next((name for magic, name in _OTHER if head.startswith(magic)), None)
    if what is None:
        try:
            head.decode("utf-8")
            what = "a text file"
        except UnicodeDecodeError:
            what = "a binary file of an unknown kind"
    suffix = path.suffix.lower()
    if suffix in (".db", ".zip", ".json"):
        return f"despite its {suffix} extension it is {what}"
    return f"it is {what}"
