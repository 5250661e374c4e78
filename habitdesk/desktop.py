"""Desktop integration without Qt: the launcher entry, its icons, and starting at login.

Linux (and the BSDs) follow the XDG specifications for the current user, so
``XDG_DATA_HOME`` and ``XDG_CONFIG_HOME`` decide where files go. Start at login
is an XDG autostart entry there, a LaunchAgent on macOS and the ``Run`` key on
Windows. Every function takes ``platform`` (a ``sys.platform`` value) so each
branch can be tested anywhere.
"""

from __future__ import annotations

import logging
import os
import plistlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

from habitdesk import APP_ID, APP_NAME
from habitdesk.resources import ICON_SIZES, desktop_file, icon_png, icon_svg, metainfo_file

log = logging.getLogger(__name__)

TRAY_ARGUMENT = "--tray"  # app.py starts in the tray with it
_RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"


class DesktopIntegrationError(Exception):
    """A one-line reason, fit for showing as it is."""


class UnsupportedPlatformError(DesktopIntegrationError):
    pass


# -- where things go -----------------------------------------------------------
def _kind(platform: str | None) -> str:
    platform = platform or sys.platform
    if platform.startswith(("linux", "freebsd", "openbsd", "netbsd", "dragonfly")):
        return "xdg"
    if platform == "darwin":
        return "macos"
    if platform in ("win32", "cygwin"):
        return "windows"
    return platform


def _xdg():  # noqa: ANN202 - platformdirs' Unix paths, honouring XDG_* on any OS
    from platformdirs.unix import Unix

    return Unix()


def applications_dir() -> Path:
    return _xdg().user_data_path / "applications"


def icons_dir() -> Path:
    return _xdg().user_data_path / "icons" / "hicolor"


def metainfo_dir() -> Path:
    return _xdg().user_data_path / "metainfo"


def autostart_path(platform: str | None = None) -> Path | None:
    """The file that makes HabitDesk start at login; None on Windows (a registry value)."""
    kind = _kind(platform)
    if kind == "xdg":
        return _xdg().user_config_path / "autostart" / f"{APP_ID}.desktop"
    if kind == "macos":
        return Path.home() / "Library" / "LaunchAgents" / f"{APP_ID}.plist"
    return None


# -- the command that starts HabitDesk --------------------------------------------
def launcher_command() -> list[str]:
    """The installed ``habitdesk`` launcher as an absolute path, else ``<python> -m habitdesk.app``.

    The launcher beside the running interpreter comes first: it belongs to the
    same installation (a virtual environment, say) as the code that is running.
    """
    name = "habitdesk.exe" if os.name == "nt" else "habitdesk"
    beside = Path(sys.executable).parent / name
    if beside.is_file() and os.access(beside, os.X_OK):
        return [str(beside.absolute())]
    found = shutil.which("habitdesk")
    if found:
        return [str(Path(found).absolute())]
    return [str(Path(sys.executable).absolute()), "-m", "habitdesk.app"]


def exec_line(args: list[str]) -> str:
    """A desktop entry's Exec value: quoted as the Desktop Entry specification asks."""
    return " ".join(_exec_quote(arg) for arg in args)


def _exec_quote(arg: str) -> str:
    arg = arg.replace("%", "%%")
    if arg and not re.search(r"""[\s"'\\><~|&;$*?#()`]""", arg):
        return arg
    inner = re.sub(r'(["`$\\])', r"\\\1", arg)
    # The whole value is a desktop-file string too, which unescapes backslashes once more.
    return '"' + inner.replace("\\", "\\\\") + '"'


def _entry_text(args: list[str], extra: dict[str, str] | None = None) -> str:
    """The shipped desktop entry with Exec= replaced and ``extra`` keys appended to its main group."""
    lines = desktop_file().read_text(encoding="utf-8").splitlines()
    out: list[str] = []
    for line in lines:
        if line.startswith("Exec="):
            line = "Exec=" + exec_line(args)
        out.append(line)
    for key, value in (extra or {}).items():
        out.append(f"{key}={value}")
    return "\n".join(out) + "\n"


# -- installing the launcher -------------------------------------------------------
def install_desktop_entry(*, autostart: bool | None = None, platform: str | None = None) -> list[Path]:
    """Install the launcher, its icons and the metainfo for the current user; the paths written.

    ``autostart`` True or False also switches starting at login; None leaves it on or off,
    but an entry that is on is rewritten too, so that both follow HabitDesk to where it now is.
    """
    if _kind(platform) != "xdg":
        raise UnsupportedPlatformError(
            f"installing a desktop entry is supported on Linux only, not on {platform or sys.platform}"
        )
    if autostart is None and autostart_enabled(platform=platform):
        autostart = True
    written = [_write_text(applications_dir() / f"{APP_ID}.desktop", _entry_text(launcher_command()))]
    written.append(_copy(metainfo_file(), metainfo_dir() / f"{APP_ID}.metainfo.xml"))
    written.append(_copy(icon_svg(), icons_dir() / "scalable" / "apps" / f"{APP_ID}.svg"))
    for size in ICON_SIZES:
        written.append(_copy(icon_png(size), icons_dir() / f"{size}x{size}" / "apps" / f"{APP_ID}.png"))
    _refresh_caches()
    if autostart is not None:
        path = set_autostart(autostart, platform=platform)
        if path is not None:
            written.append(path)
    log.info("desktop entry installed: %s", ", ".join(map(str, written)))
    return written


def uninstall_desktop_entry(*, platform: str | None = None) -> list[Path]:
    """Remove what install_desktop_entry wrote (and the autostart entry); the paths removed."""
    if _kind(platform) != "xdg":
        raise UnsupportedPlatformError(
            f"installing a desktop entry is supported on Linux only, not on {platform or sys.platform}"
        )
    candidates = [applications_dir() / f"{APP_ID}.desktop", metainfo_dir() / f"{APP_ID}.metainfo.xml",
                  icons_dir() / "scalable" / "apps" / f"{APP_ID}.svg"]
    candidates += [icons_dir() / f"{size}x{size}" / "apps" / f"{APP_ID}.png" for size in ICON_SIZES]
    candidates.append(_xdg().user_config_path / "autostart" / f"{APP_ID}.desktop")
    removed = [path for path in candidates if _unlink(path)]
    _refresh_caches()
    return removed


def _refresh_caches() -> None:
    """Tell the desktop about the new files, with the tools that are installed; failures do not matter."""
    commands = [["update-desktop-database", "-q", str(applications_dir())]]
    # A user icon cache is used only while it is newer than its folder, and no
    # other installer keeps it so: never create one, only refresh an existing one.
    if (icons_dir() / "icon-theme.cache").exists():
        commands.append(["gtk-update-icon-cache", "-q", "-f", "-t", str(icons_dir())])
    else:
        try:
            os.utime(icons_dir())  # desktops rescan a theme folder that changed
        except OSError:
            pass
    for command in commands:
        if shutil.which(command[0]) is None:
            continue
        try:
            subprocess.run(command, capture_output=True, timeout=30, check=False)
        except (OSError, subprocess.SubprocessError) as exc:
            log.debug("%s failed: %s", command[0], exc)


# -- starting at login ---------------------------------------------------------------
def set_autostart(enabled: bool, *, platform: str | None = None) -> Path | None:
    """Start HabitDesk in the tray at login, or stop doing so; the file written, if any."""
    kind = _kind(platform)
    args = [*launcher_command(), TRAY_ARGUMENT]
    path = autostart_path(platform)
    if kind == "xdg":
        assert path is not None
        if not enabled:
            _unlink(path)
            return None
        return _write_text(path, _entry_text(args, {"X-GNOME-Autostart-enabled": "true"}))
    if kind == "macos":
        assert path is not None
        if not enabled:
            _unlink(path)
            return None
        return _write_bytes(path, launch_agent_plist(args))
    if kind == "windows":
        _set_run_value(subprocess.list2cmdline(args) if enabled else None)
        return None
    raise UnsupportedPlatformError(f"starting at login is not supported on {platform or sys.platform}")


def autostart_enabled(*, platform: str | None = None) -> bool:
    kind = _kind(platform)
    path = autostart_path(platform)
    if kind == "xdg":
        assert path is not None
        return path.is_file() and _xdg_autostart_active(path.read_text(encoding="utf-8", errors="replace"))
    if kind == "macos":
        assert path is not None
        try:
            return bool(plistlib.loads(path.read_bytes()).get("RunAtLoad"))
        except (OSError, plistlib.InvalidFileException, ValueError):
            return False
    if kind == "windows":
        return _get_run_value() is not None
    return False


def _xdg_autostart_active(text: str) -> bool:
    """False when the entry is hidden or switched off (as GNOME's settings do, by editing it)."""
    values = dict(line.split("=", 1) for line in text.splitlines() if "=" in line and not line.startswith("#"))
    return values.get("Hidden", "false").strip() != "true" and values.get("X-GNOME-Autostart-enabled", "true").strip() != "false"


def launch_agent_plist(args: list[str]) -> bytes:
    """A LaunchAgent that runs ``args`` once at login."""
    agent = {
        "Label": APP_ID,
        "ProgramArguments": list(args),
        "RunAtLoad": True,
        "ProcessType": "Interactive",
        "LimitLoadToSessionType": "Aqua",  # the graphical login, not ssh sessions
    }
    return plistlib.dumps(agent, fmt=plistlib.FMT_XML)


def _set_run_value(command: str | None) -> None:  # pragma: no cover - Windows only
    if sys.platform != "win32":
        raise OSError("the Run key exists on Windows only")
    import winreg

    with winreg.OpenKey(winreg.HKEY_CURRENT_USER, _RUN_KEY, 0, winreg.KEY_SET_VALUE) as key:
        if command is not None:
            winreg.SetValueEx(key, APP_NAME, 0, winreg.REG_SZ, command)
            return
        try:
            winreg.DeleteValue(key, APP_NAME)
        except FileNotFoundError:
            pass


def _get_run_value() -> str | None:  # pragma: no cover - Windows only
    if sys.platform != "win32":
        return None
    import winreg

    try:
        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, _RUN_KEY) as key:
            value, _kind_ = winreg.QueryValueEx(key, APP_NAME)
    except OSError:
        return None
    return str(value)


# -- file helpers -------------------------------------------------------------------
def _write_bytes(path: Path, data: bytes) -> Path:
    """Write through a temporary file, so a desktop never reads half an entry."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except OSError as exc:
        raise DesktopIntegrationError(f"cannot write {path}: {exc.strerror or exc}") from exc
    return path


def _write_text(path: Path, text: str) -> Path:
    return _write_bytes(path, text.encode("utf-8"))


def _copy(source: Path, target: Path) -> Path:
    return _write_bytes(target, source.read_bytes())


def _unlink(path: Path) -> bool:
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise DesktopIntegrationError(f"cannot remove {path}: {exc.strerror or exc}") from exc
    return True
