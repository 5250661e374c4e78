"""Single instance with real processes: a second launch wakes the first, a killed one's lock is recovered."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from habitdesk.services.single_instance import (
    SingleInstance,
    lock_holder,
    lock_path,
    notify_running,
    ping_running,
    server_name,
)

# The other process. Modes:
#   hold DIR    take the lock and serve until stdin closes (or 60 s), printing "locked" or "busy"
#   bare DIR    take only the QLockFile (no server: a hung or half-started instance)
#   launch DIR ARGS...  what a second launch does: acquire, else notify; prints the outcome
HELPER = r"""
import sys
from pathlib import Path
from PySide6.QtCore import QCoreApplication, QLockFile, QSocketNotifier, QTimer
from habitdesk.services.single_instance import SingleInstance, lock_path, notify_running

mode, folder, args = sys.argv[1], Path(sys.argv[2]), sys.argv[3:]
if mode == "launch":
    if SingleInstance().acquire(folder):
        print("acquired", flush=True)
    else:
        print("delivered" if notify_running(folder, args) else "no answer", flush=True)
    sys.exit(0)
app = QCoreApplication([])
if mode == "bare":
    lock = QLockFile(str(lock_path(folder)))
    lock.setStaleLockTime(0)
    ok = lock.tryLock(100)
else:
    instance = SingleInstance()
    ok = instance.acquire(folder)
print("locked" if ok else "busy", flush=True)
if not ok:
    sys.exit(0)
stdin = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
stdin.activated.connect(app.quit)  # the test closed our stdin
QTimer.singleShot(60_000, app.quit)
app.exec()
"""


def run_helper(mode: str, folder: Path, *args: str) -> subprocess.Popen:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.Popen(
        [sys.executable, "-c", HELPER, mode, str(folder), *args],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen]]:
    started: list[subprocess.Popen] = []
    yield started
    for proc in started:  # a clean exit removes the server's socket from the temporary folder
        if proc.poll() is None:
            proc.send_signal(signal.SIGCONT)
        try:
            proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()


def start_holder(processes: list[subprocess.Popen], mode: str, folder: Path) -> subprocess.Popen:
    proc = run_helper(mode, folder)
    processes.append(proc)
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    assert line == "locked", (line, proc.stderr.read() if proc.poll() is not None else "")
    return proc


@pytest.fixture
def instance(qtbot) -> Iterator[SingleInstance]:  # noqa: ARG001 - a QApplication must exist
    inst = SingleInstance()
    yield inst
    inst.release()


def test_second_launch_activates_the_first_and_exits(qtbot, instance: SingleInstance, data_dir: Path) -> None:
    assert instance.acquire(data_dir)
    assert instance.listening
    with qtbot.waitSignal(instance.activation_requested, timeout=10_000) as activated:
        launch = run_helper("launch", data_dir, "--theme", "dark")
    qtbot.waitUntil(lambda: launch.poll() is not None, timeout=10_000)
    out, err = launch.communicate()
    assert activated.args == [["--theme", "dark"]]
    assert out.strip() == "delivered", err
    assert launch.returncode == 0
    assert lock_holder(data_dir) == os.getpid()


def test_lock_of_a_killed_process_is_recovered(processes, instance: SingleInstance, data_dir: Path) -> None:
    holder = start_holder(processes, "hold", data_dir)
    assert lock_holder(data_dir) == holder.pid
    assert not SingleInstance().acquire(data_dir)  # while it lives, it holds
    holder.kill()  # SIGKILL: no clean-up at all
    holder.wait(timeout=10)
    assert lock_path(data_dir).exists()  # the stale lock is still there...
    started = time.monotonic()
    assert instance.acquire(data_dir)  # ...and does not block the next start
    assert time.monotonic() - started < 2
    assert lock_holder(data_dir) == os.getpid()
    assert instance.listening  # the dead server's socket was replaced


@pytest.mark.parametrize("content", [b"", b"garbage\n"])
def test_unreadable_lock_left_by_a_crash_is_recovered(instance: SingleInstance, data_dir: Path, content: bytes) -> None:
    """A crash or power loss between creating and writing the lock leaves a file that names no process."""
    lock_path(data_dir).write_bytes(content)
    os.utime(lock_path(data_dir), (time.time() - 60, time.time() - 60))
    assert lock_holder(data_dir) is None
    assert instance.acquire(data_dir)
    assert lock_holder(data_dir) == os.getpid()


def test_unreadable_lock_of_a_live_owner_is_left_alone(processes, data_dir: Path) -> None:
    """removeStaleLockFile respects the owner's flock, so even an old, empty file that is held stays."""
    code = (
        "import fcntl, sys; f = open(sys.argv[1], 'w'); fcntl.flock(f, fcntl.LOCK_EX); "
        "print('locked', flush=True); sys.stdin.read()"
    )
    owner = subprocess.Popen([sys.executable, "-c", code, str(lock_path(data_dir))],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    processes.append(owner)
    assert owner.stdout is not None and owner.stdout.readline().strip() == "locked"
    os.utime(lock_path(data_dir), (time.time() - 60, time.time() - 60))
    assert not SingleInstance().acquire(data_dir)
    assert lock_path(data_dir).exists()


def test_recovered_instance_answers_later_launches(qtbot, processes, instance: SingleInstance, data_dir: Path) -> None:
    holder = start_holder(processes, "hold", data_dir)
    holder.kill()
    holder.wait(timeout=10)
    assert instance.acquire(data_dir)
    with qtbot.waitSignal(instance.activation_requested, timeout=10_000) as activated:
        launch = run_helper("launch", data_dir)
        processes.append(launch)
    qtbot.waitUntil(lambda: launch.poll() is not None, timeout=10_000)
    assert launch.communicate()[0].strip() == "delivered"
    assert activated.args == [[]]


def test_different_data_folders_do_not_block_each_other(processes, tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    start_holder(processes, "hold", first)
    start_holder(processes, "hold", second)  # a second process on another folder starts
    assert server_name(first) != server_name(second)
    assert ping_running(first) and ping_running(second)
    assert not ping_running(tmp_path / "third")
    busy = run_helper("hold", first)
    processes.append(busy)
    assert busy.communicate(timeout=30)[0].strip() == "busy"  # the same folder is still taken


def test_held_lock_without_a_server_is_reported_quickly(processes, data_dir: Path) -> None:
    start_holder(processes, "bare", data_dir)
    assert not SingleInstance().acquire(data_dir)
    started = time.monotonic()
    assert notify_running(data_dir, ["--tray"]) is False
    assert time.monotonic() - started < 2.5


def test_hung_instance_is_not_mistaken_for_a_live_one(processes, data_dir: Path) -> None:
    """The kernel accepts the connection for a stopped process; only its answer proves it alive."""
    holder = start_holder(processes, "hold", data_dir)
    assert ping_running(data_dir)
    holder.send_signal(signal.SIGSTOP)
    try:
        started = time.monotonic()
        assert notify_running(data_dir, [], timeout_ms=500) is False
        assert time.monotonic() - started < 2
    finally:
        holder.send_signal(signal.SIGCONT)
    assert ping_running(data_dir)


def test_plain_socket_client_can_nudge_the_app(qtbot, instance: SingleInstance, data_dir: Path) -> None:
    """The protocol is one JSON line each way, so the Qt-free CLI can nudge a running app."""
    assert instance.acquire(data_dir)
    path = Path(os.environ.get("TMPDIR") or "/tmp") / server_name(data_dir)  # where QLocalServer puts it
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    client.setblocking(False)
    try:
        client.connect(str(path))
        client.send(json.dumps({"command": "reload", "args": ["reminders"]}).encode() + b"\n")
        with qtbot.waitSignal(instance.message_received, timeout=5_000) as received:
            pass
        reply = b""

        def answered() -> bool:
            nonlocal reply
            try:
                reply += client.recv(100)
            except BlockingIOError:
                pass
            return reply.endswith(b"\n")

        qtbot.waitUntil(answered, timeout=5_000)
    finally:
        client.close()
    assert received.args == ["reload", ["reminders"]]
    assert reply == b"ok\n"


def test_malformed_message_is_refused_without_activating(qtbot, instance: SingleInstance, data_dir: Path) -> None:
    assert instance.acquire(data_dir)
    path = Path(os.environ.get("TMPDIR") or "/tmp") / server_name(data_dir)
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    client.setblocking(False)
    activations: list[list] = []
    instance.activation_requested.connect(activations.append)
    reply = b""

    def answered() -> bool:
        nonlocal reply
        try:
            reply += client.recv(100)
        except BlockingIOError:
            pass
        return reply.endswith(b"\n")

    try:
        client.connect(str(path))
        client.send(b'{"command": "activate", "args": "not a list"}\n')
        qtbot.waitUntil(answered, timeout=5_000)
    finally:
        client.close()
    assert reply == b"error\n"
    assert activations == []


def test_release_frees_the_folder_for_another_process(instance: SingleInstance, data_dir: Path) -> None:
    assert instance.acquire(data_dir)
    instance.release()
    assert not lock_path(data_dir).exists()
    launch = run_helper("launch", data_dir)
    assert launch.communicate(timeout=30)[0].strip() == "acquired"


def test_a_dead_instances_pid_taken_by_another_program_is_taken_over(processes, instance: SingleInstance, data_dir: Path) -> None:
    """QLockFile calls a lock alive when its pid runs a program of the same name: here another Python."""
    holder = start_holder(processes, "hold", data_dir)
    holder.kill()
    holder.wait(timeout=10)
    stranger = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        text = lock_path(data_dir).read_text().split("\n")
        lock_path(data_dir).write_text("\n".join([str(stranger.pid), *text[1:]]))
        assert not instance.acquire(data_dir)  # Qt sees a live owner...
        assert notify_running(data_dir, []) is False  # ...that answers nothing
        assert instance.take_over(data_dir)
        assert lock_holder(data_dir) == os.getpid() and instance.listening
    finally:
        stranger.kill()
        stranger.wait()


def test_a_live_or_hung_instance_is_never_taken_over(processes, data_dir: Path) -> None:
    holder = start_holder(processes, "hold", data_dir)
    holder.send_signal(signal.SIGSTOP)
    try:
        assert notify_running(data_dir, [], timeout_ms=500) is False
        assert not SingleInstance().take_over(data_dir)  # it still holds the file lock
        assert lock_holder(data_dir) == holder.pid
    finally:
        holder.send_signal(signal.SIGCONT)
