"""The bundle tier: the unpacked `make bundle` folder, run as a user would, with nothing of the checkout.

.ci/run builds the bundle once (`make bundle`) before the suite. Here the tier is
skipped, with the reason, when dist/HabitDesk is missing or older than the code
(and a skip fails CI).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "dist" / "HabitDesk"


@pytest.fixture(scope="session")
def bundle() -> Path:
    """dist/HabitDesk, or the unpacked bundle that HABITDESK_BUNDLE names (one downloaded, say)."""
    chosen = os.environ.get("HABITDESK_BUNDLE")
    folder = Path(chosen).resolve() if chosen else BUNDLE
    app = folder / "habitdesk"
    if not app.is_file():
        pytest.skip(f"the bundle tier needs {folder}: run `make bundle` first (.ci/run does)")
    newest = max(path.stat().st_mtime for path in (ROOT / "habitdesk").rglob("*.py"))
    if not chosen and newest > app.stat().st_mtime:
        pytest.skip("dist/HabitDesk is older than the code: run `make bundle` again")
    return folder


@pytest.fixture
def clean_env(tmp_path: Path) -> dict[str, str]:
    """What a double-click gets at most: a home folder and the system PATH; no venv, no Python."""
    home = tmp_path / "home"
    home.mkdir()
    return {"HOME": str(home), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
