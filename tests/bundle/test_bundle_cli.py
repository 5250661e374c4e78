"""The bundled CLI in a clean environment, and data files shared with the source install."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from habitdesk import __version__
from habitdesk.core.days import iso, to_date
from tests.conftest import TODAY
from tests.support.loop_backup import YES_MANUAL, LoopBackup

DAY = iso(TODAY)


def run(bundle: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(bundle / "habitdesk-cli"), *args], env=env, capture_output=True, text=True, timeout=60)


def test_the_cli_works_with_nothing_installed(bundle: Path, clean_env: dict[str, str], tmp_path: Path) -> None:
    assert run(bundle, clean_env, "--version").stdout == f"habitdesk-cli {__version__}\n"
    assert run(bundle, clean_env, "--today", DAY, "add", "Read").returncode == 0
    checked = run(bundle, clean_env, "--today", DAY, "check", "Read")
    assert checked.returncode == 0, checked.stderr
    status = json.loads(run(bundle, clean_env, "--today", DAY, "status", "--json").stdout)
    assert status["date"] == DAY
    assert [(h["name"], h["today"]["label"]) for h in status["habits"]] == [("Read", "YES_MANUAL")]
    data = Path(clean_env["HOME"]) / ".local" / "share" / "HabitDesk"
    assert (data / "habitdesk.sqlite3").is_file()  # the same data folder as the source install's

    backup = tmp_path / "loop.db"
    loop = LoopBackup(25)
    meditate = loop.habit("Meditate")
    loop.rep(meditate, to_date(TODAY), YES_MANUAL, notes="calm")
    loop.write(backup)
    imported = run(bundle, clean_env, "--today", DAY, "import", str(backup))
    assert imported.returncode == 0, imported.stderr
    names = [h["name"] for h in json.loads(run(bundle, clean_env, "--today", DAY, "status", "--json").stdout)["habits"]]
    assert sorted(names) == ["Meditate", "Read"]


def test_a_data_file_moves_between_the_source_install_and_the_bundle(bundle: Path, clean_env: dict[str, str], tmp_path: Path) -> None:
    data = tmp_path / "data"

    def source(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "habitdesk.cli", "--data-dir", str(data), "--today", DAY, *args],
                              capture_output=True, text=True, timeout=60)

    assert source("add", "Run").returncode == 0
    assert run(bundle, clean_env, "--data-dir", str(data), "--today", DAY, "check", "Run").returncode == 0
    assert source("add", "Swim").returncode == 0
    from_bundle = json.loads(run(bundle, clean_env, "--data-dir", str(data), "--today", DAY, "status", "--json").stdout)
    from_source = json.loads(source("status", "--json").stdout)
    assert from_bundle == from_source
    assert [(h["name"], h["today"]["done"]) for h in from_source["habits"]] == [("Run", True), ("Swim", False)]


def test_the_bundled_cli_syncs_with_a_calendar_server(bundle: Path, clean_env: dict[str, str], radicale) -> None:  # noqa: ANN001
    """The bundle's HTTP and iCalendar stack against a real server; no keyring here, so the password comes on stdin."""
    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(bundle / "habitdesk-cli"), *args], env=clean_env, input="wonderland\n",
                              capture_output=True, text=True, timeout=120)

    assert cli("add", "Run").returncode == 0
    added = cli("account", "add", "home", "--url", radicale.url, "--username", "alice", "--password-stdin")
    assert added.returncode == 0, added.stderr
    synced = cli("sync", "--password-stdin")
    assert synced.returncode == 0, synced.stderr
    assert synced.stdout.splitlines()[0] == "home: pushed 9, pulled 0"
