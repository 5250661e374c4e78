"""Desktop integration: the shipped launcher files, installing them into XDG folders, start at login."""

from __future__ import annotations

import configparser
import plistlib
import shutil
import struct
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import habitdesk
from habitdesk import APP_ID, APP_NAME, desktop
from habitdesk.desktop import (
    UnsupportedPlatformError,
    autostart_enabled,
    exec_line,
    install_desktop_entry,
    launch_agent_plist,
    launcher_command,
    set_autostart,
    uninstall_desktop_entry,
)
from habitdesk.resources import ICON_SIZES, desktop_file, icon_png, icon_svg, metainfo_file, resources_dir

ROOT = Path(__file__).resolve().parents[2]
# Desktop Entry main categories (specification, "Registered Categories").
MAIN_CATEGORIES = {"AudioVideo", "Audio", "Video", "Development", "Education", "Game", "Graphics",
                   "Network", "Office", "Science", "Settings", "System", "Utility"}


@pytest.fixture
def xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """XDG_DATA_HOME, XDG_CONFIG_HOME and HOME inside the test's folder."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path


def read_entry(path: Path) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive
    parser.read_string(path.read_text(encoding="utf-8"))
    return dict(parser["Desktop Entry"])


def exec_args(value: str) -> list[str]:
    """Undo the Exec quoting as the specification reads: string escapes first, then the quoting."""
    value = value.replace("\\\\", "\\")
    args: list[str] = []
    current: str | None = None
    quoted, i = False, 0
    while i < len(value):
        char = value[i]
        if quoted and char == "\\" and i + 1 < len(value) and value[i + 1] in '"`$\\':
            current, i = (current or "") + value[i + 1], i + 2
            continue
        if char == '"':
            quoted, current = not quoted, current or ""
        elif char == " " and not quoted:
            if current is not None:
                args.append(current)
            current = None
        else:
            current = (current or "") + char
        i += 1
    assert not quoted, f"unbalanced quotes in {value!r}"
    if current is not None:
        args.append(current)
    return [arg.replace("%%", "%") for arg in args]


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", data[16:24])


def require_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:  # CI installs it, and turns this skip into a failure
        pytest.skip(f"{name} is not installed (Debian: {'appstream' if name == 'appstreamcli' else 'desktop-file-utils'})")
    return found


def validate_desktop_file(path: Path, tool: str | None = None) -> None:
    result = subprocess.run([tool or require_tool("desktop-file-validate"), str(path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "error" not in result.stdout, result.stdout + result.stderr


# -- the files shipped in resources/ ------------------------------------------------
def test_shipped_desktop_entry_carries_the_app_id() -> None:
    assert desktop_file() == resources_dir() / f"{APP_ID}.desktop"
    entry = read_entry(desktop_file())
    assert entry["Type"] == "Application"
    assert entry["Name"] == APP_NAME
    assert entry["GenericName"] == "Habit Tracker"
    assert entry["Icon"] == APP_ID
    assert entry["Exec"] == "habitdesk"
    assert entry["Terminal"] == "false"
    # Qt names the X11 window class after the application name app.py sets.
    assert entry["StartupWMClass"] == APP_NAME
    categories = [c for c in entry["Categories"].split(";") if c]
    assert MAIN_CATEGORIES & set(categories)
    assert "habit" in entry["Keywords"].split(";")


def test_shipped_metainfo_carries_the_app_id_and_this_release() -> None:
    root = ET.parse(metainfo_file()).getroot()
    assert root.tag == "component" and root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.findtext("name") == APP_NAME
    assert root.findtext("metadata_license") == "CC0-1.0"
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert root.findtext("project_license") == project["license"]
    launchable = root.find("launchable")
    assert launchable is not None and launchable.get("type") == "desktop-id"
    assert launchable.text == f"{APP_ID}.desktop"
    assert (resources_dir() / launchable.text).is_file()
    releases = root.findall("releases/release")
    assert releases and releases[0].get("version") == habitdesk.__version__
    assert root.find("content_rating") is not None
    image = root.findtext("screenshots/screenshot/image") or ""
    assert image.endswith("docs/main-window.png") and (ROOT / "docs" / "main-window.png").is_file()


def test_shipped_icons_have_every_size() -> None:
    svg = ET.parse(icon_svg()).getroot()
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    for size in ICON_SIZES:
        assert icon_png(size).name == f"{APP_ID}.png"
        assert png_size(icon_png(size)) == (size, size)
    with pytest.raises(ValueError, match="sizes are"):
        icon_png(20)


def test_package_reaches_the_resources_and_ships_them_all() -> None:
    """habitdesk/_resources points at resources/, and the package-data globs cover every file in it."""
    package = ROOT / "habitdesk"
    assert (package / "_resources").resolve() == (ROOT / "resources").resolve()
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]["habitdesk"]
    shipped = {path.relative_to(package / "_resources") for pattern in patterns for path in package.glob(pattern)}
    present = {path.relative_to(ROOT / "resources") for path in (ROOT / "resources").rglob("*") if path.is_file()}
    assert present and shipped == present


def test_shipped_desktop_entry_validates() -> None:
    validate_desktop_file(desktop_file())


def test_shipped_metainfo_validates() -> None:
    result = subprocess.run(
        [require_tool("appstreamcli"), "validate", "--no-net", str(metainfo_file())],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# -- installing for the current user -----------------------------------------------
def test_install_writes_the_entry_icons_and_metainfo_under_xdg_data_home(xdg: Path) -> None:
    written = install_desktop_entry()
    data = xdg / "data"
    entry_path = data / "applications" / f"{APP_ID}.desktop"
    expected = {entry_path, data / "metainfo" / f"{APP_ID}.metainfo.xml",
                data / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"}
    expected |= {data / "icons" / "hicolor" / f"{n}x{n}" / "apps" / f"{APP_ID}.png" for n in ICON_SIZES}
    assert set(written) == expected
    assert all(path.is_file() for path in expected)

    entry = read_entry(entry_path)
    assert entry["Icon"] == APP_ID
    command = exec_args(entry["Exec"])
    assert command == launcher_command()
    assert Path(command[0]).is_absolute() and Path(command[0]).exists()
    for size in ICON_SIZES:
        assert png_size(data / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png") == (size, size)
    assert (data / "metainfo" / f"{APP_ID}.metainfo.xml").read_bytes() == metainfo_file().read_bytes()
    assert not (xdg / "config" / "autostart").exists()  # autostart=None leaves it alone
    validate_desktop_file(entry_path)


def test_launcher_is_the_script_beside_the_interpreter() -> None:
    beside = Path(sys.executable).parent / "habitdesk"
    assert beside.is_file(), "the test environment installs the habitdesk launcher"
    assert launcher_command() == [str(beside.absolute())]


def test_without_a_launcher_the_entry_runs_the_module_with_quoting(xdg: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    validator = require_tool("desktop-file-validate")  # before shutil.which is replaced
    python = xdg / "My Python $HOME" / "python3"
    monkeypatch.setattr(desktop.sys, "executable", str(python))
    monkeypatch.setattr(desktop.shutil, "which", lambda name: None)
    assert launcher_command() == [str(python), "-m", "habitdesk.app"]
    install_desktop_entry()
    entry_path = xdg / "data" / "applications" / f"{APP_ID}.desktop"
    assert exec_args(read_entry(entry_path)["Exec"]) == [str(python), "-m", "habitdesk.app"]
    validate_desktop_file(entry_path, validator)


def test_exec_quoting_follows_the_specification() -> None:
    assert exec_line(["/usr/bin/habitdesk", "--tray"]) == "/usr/bin/habitdesk --tray"
    assert exec_line(["/opt/My Apps/habitdesk"]) == '"/opt/My Apps/habitdesk"'
    assert exec_line(["/a$b/100%"]) == '"/a\\\\$b/100%%"'
    assert exec_line(["C:\\x y"]) == '"C:\\\\\\\\x y"'


def test_install_with_autostart_switches_it_on_and_off(xdg: Path) -> None:
    autostart = xdg / "config" / "autostart" / f"{APP_ID}.desktop"
    assert autostart in install_desktop_entry(autostart=True)
    assert autostart_enabled()
    assert autostart not in install_desktop_entry(autostart=False)
    assert not autostart.exists() and not autostart_enabled()


def test_uninstall_removes_what_install_wrote(xdg: Path) -> None:
    written = install_desktop_entry(autostart=True)
    removed = uninstall_desktop_entry()
    assert set(removed) == set(written)
    assert not any(path.exists() for path in written)
    assert uninstall_desktop_entry() == []


def test_install_elsewhere_says_it_is_not_supported() -> None:
    with pytest.raises(UnsupportedPlatformError) as error:
        install_desktop_entry(platform="darwin")
    message = str(error.value)
    assert "Linux" in message and "darwin" in message and "\n" not in message


# -- starting at login ---------------------------------------------------------------
def test_xdg_autostart_round_trips(xdg: Path) -> None:
    assert not autostart_enabled()
    path = set_autostart(True)
    assert path == xdg / "config" / "autostart" / f"{APP_ID}.desktop"
    entry = read_entry(path)
    assert exec_args(entry["Exec"]) == [*launcher_command(), "--tray"]
    assert entry["X-GNOME-Autostart-enabled"] == "true"
    assert entry["Icon"] == APP_ID
    assert autostart_enabled()
    validate_desktop_file(path)
    assert set_autostart(True) == path  # idempotent
    assert set_autostart(False) is None
    assert not path.exists() and not autostart_enabled()
    assert set_autostart(False) is None  # already off


def test_autostart_switched_off_by_the_desktop_reads_as_off(xdg: Path) -> None:
    path = set_autostart(True)
    assert path is not None
    path.write_text(path.read_text().replace("X-GNOME-Autostart-enabled=true", "X-GNOME-Autostart-enabled=false"))
    assert not autostart_enabled()
    path.write_text(path.read_text().replace("X-GNOME-Autostart-enabled=false", "Hidden=true"))
    assert not autostart_enabled()


def test_macos_launch_agent(xdg: Path) -> None:
    path = set_autostart(True, platform="darwin")
    assert path == xdg / "home" / "Library" / "LaunchAgents" / f"{APP_ID}.plist"
    with path.open("rb") as file:
        agent = plistlib.load(file)
    assert agent["Label"] == APP_ID
    assert agent["ProgramArguments"] == [*launcher_command(), "--tray"]
    assert agent["RunAtLoad"] is True
    assert autostart_enabled(platform="darwin")
    assert not autostart_enabled()  # the Linux entry was not touched
    assert set_autostart(False, platform="darwin") is None
    assert not path.exists() and not autostart_enabled(platform="darwin")


def test_launch_agent_plist_is_xml_with_the_arguments_in_order() -> None:
    data = launch_agent_plist(["/Applications/HabitDesk.app/Contents/MacOS/habitdesk", "--tray"])
    assert data.startswith(b"<?xml")
    assert plistlib.loads(data)["ProgramArguments"] == ["/Applications/HabitDesk.app/Contents/MacOS/habitdesk", "--tray"]


def test_unknown_platform_autostart_is_refused(xdg: Path) -> None:
    with pytest.raises(UnsupportedPlatformError, match="sunos5"):
        set_autostart(True, platform="sunos5")
    assert autostart_enabled(platform="sunos5") is False


def test_desktop_module_imports_no_qt() -> None:
    code = "import sys, habitdesk.desktop; print(sorted(m for m in sys.modules if m.startswith('PySide6')))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.strip() == "[]"
