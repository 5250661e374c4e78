"""One HabitDesk per data folder: a QLockFile says who runs, a QLocalServer lets a second launch wake it.

Start-up, in the composition root::

    instance = SingleInstance(app)            # after the QApplication exists
    if not instance.acquire(folder):
        if notify_running(folder, sys.argv[1:]):
            return 0                          # the running window was raised
        ...                                   # "HabitDesk is running but does not respond"
    instance.activation_requested.connect(raise_the_window)
    app.aboutToQuit.connect(instance.release)

The lock has ``setStaleLockTime(0)``: it never expires by age, so a long-running
instance is never mistaken for a dead one. A lock left by a crashed or killed
process is still recovered, because QLockFile checks that the pid written in it
belongs to a live process of the same name. (QSharedMemory is not used: its
segment outlives a crash on Unix.)

The protocol is one JSON line each way: ``{"command": "activate", "args": [...]}``
and the answer ``ok``. Waiting for the answer, not just for the bytes to leave,
is what tells a live instance from a hung one: the kernel accepts connections
on behalf of a frozen process.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
import os
import time
from pathlib import Path

from PySide6.QtCore import QByteArray, QLockFile, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

LOCK_NAME = "habitdesk.lock"
TIMEOUT_MS = 1000
_UNREADABLE_GRACE_S = 2.0
_MAX_MESSAGE = 64 * 1024  # a command line, not a file
_OK = b"ok\n"
_ERROR = b"error\n"
# Passed on so that the running instance may take focus (Wayland, X11 startup notification).
_ACTIVATION_ENV = ("XDG_ACTIVATION_TOKEN", "DESKTOP_STARTUP_ID")


def server_name(data_dir: Path) -> str:
    """The local server's name for this user and data folder: short enough for a Unix socket path."""
    try:
        user = getpass.getuser()
    except (OSError, KeyError):  # no login name and no passwd entry, as in some containers
        user = str(getattr(os, "getuid", lambda: "user")())
    folder = os.path.normcase(str(Path(data_dir).expanduser().resolve()))
    digest = hashlib.sha256(f"{user}\0{folder}".encode()).hexdigest()[:20]
    return f"habitdesk-{digest}"


def lock_path(data_dir: Path) -> Path:
    return Path(data_dir) / LOCK_NAME


def lock_holder(data_dir: Path) -> int | None:
    """The pid written in the data folder's lock file, or None when there is none."""
    lock = QLockFile(str(lock_path(data_dir)))
    pid, _host, _app = lock.getLockInfo()  # PySide6 returns (0, "", "") when there is no lock
    return pid if pid > 0 else None


class SingleInstance(QObject):
    """The first instance's side: hold the lock and answer later launches.

    Signals:
        activation_requested(list)
        message_received(str, list)
    """

    # The second launch's command-line arguments.
    activation_requested = Signal(list)
    # Every well-formed message: the command ("activate", "ping", ...) and its arguments.
    message_received = Signal(str, list)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock: QLockFile | None = None
        self._server: QLocalServer | None = None
        self._buffers: dict[QLocalSocket, bytearray] = {}
        # The launcher's activation token from the last "activate", if it sent one.
        self.activation_env: dict[str, str] = {}

    @property
    def listening(self) -> bool:
        return self._server is not None and self._server.isListening()

    def acquire(self, data_dir: Path, timeout_ms: int = 100) -> bool:
        """Take the data folder's lock and start listening; False when another live instance holds it.

        Raises OSError when the lock file cannot be written at all (a read-only folder, say).
        """
        if self._lock is not None:
            raise RuntimeError("this SingleInstance already holds a lock")
        folder = Path(data_dir).expanduser()
        folder.mkdir(parents=True, exist_ok=True)
        lock = QLockFile(str(lock_path(folder)))
        lock.setStaleLockTime(0)  # never stale by age; a dead owner's pid still frees it
        if not lock.tryLock(timeout_ms) and not self._recover_unreadable(lock, folder, timeout_ms):
            if lock.error() == QLockFile.LockError.LockFailedError:
                return False
            raise OSError(f"cannot create the lock file {lock_path(folder)} ({lock.error().name})")
        self._lock = lock
        self._listen(server_name(folder))
        return True

    @staticmethod
    def _recover_unreadable(lock: QLockFile, folder: Path, timeout_ms: int) -> bool:
        """Take over a lock file that names no process: empty or garbled by a crash or power loss.

        QLockFile never calls such a file stale when staleLockTime is 0. Removing it
        is safe all the same: removeStaleLockFile fails while a live owner holds the
        file's flock, and the age test covers the moment between creating and writing it.
        """
        path = lock_path(folder)
        if lock.error() != QLockFile.LockError.LockFailedError or lock_holder(folder) is not None:
            return False
        try:
            age = time.time() - path.stat().st_mtime
        except OSError:
            return False
        if age < _UNREADABLE_GRACE_S or not lock.removeStaleLockFile():
            return False
        log.warning("single instance: replaced the unreadable lock file %s", path)
        return lock.tryLock(timeout_ms)

    def take_over(self, data_dir: Path, timeout_ms: int = 100) -> bool:
        """Take a lock whose holder answered nothing and holds no file lock; False otherwise.

        That is a HabitDesk that died without a trace while another program of the
        same name now has its pid, so QLockFile takes it for alive. A live instance,
        even a hung one, keeps the file's flock, and then removeStaleLockFile fails.
        """
        if self._lock is not None:
            raise RuntimeError("this SingleInstance already holds a lock")
        folder = Path(data_dir).expanduser()
        lock = QLockFile(str(lock_path(folder)))
        lock.setStaleLockTime(0)
        holder = lock_holder(folder)
        if not lock.removeStaleLockFile() or not lock.tryLock(timeout_ms):
            return False
        log.warning("single instance: took over the lock of process %s, which is not HabitDesk", holder)
        self._lock = lock
        self._listen(server_name(folder))
        return True

    def release(self) -> None:
        """Stop listening and unlock (also done when the process ends)."""
        if self._server is not None:
            self._server.close()
            self._server.deleteLater()
            self._server = None
        for socket in list(self._buffers):
            socket.abort()
        self._buffers.clear()
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None

    # -- the server -----------------------------------------------------------
    def _listen(self, name: str) -> None:
        # We hold the lock, so a socket by this name belongs to a dead instance.
        QLocalServer.removeServer(name)
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        server.newConnection.connect(self._accept)
        if not server.listen(name):
            # Keep running: later launches will say that we do not answer.
            log.warning("single instance: cannot listen on %s: %s", name, server.errorString())
            server.deleteLater()
            return
        self._server = server
        log.debug("single instance: listening on %s", server.fullServerName())

    def _accept(self) -> None:
        while self._server is not None and (socket := self._server.nextPendingConnection()) is not None:
            self._buffers[socket] = bytearray()
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(lambda s=socket: self._forget(s))
            self._read(socket)  # bytes may have arrived with the connection

    def _forget(self, socket: QLocalSocket) -> None:
        self._buffers.pop(socket, None)
        socket.deleteLater()

    def _read(self, socket: QLocalSocket) -> None:
        buffer = self._buffers.get(socket)
        if buffer is None:
            return
        buffer += socket.readAll().data()
        if b"\n" not in buffer:
            if len(buffer) > _MAX_MESSAGE:
                self._answer(socket, _ERROR)
            return
        line = bytes(buffer.split(b"\n", 1)[0])
        buffer.clear()
        self._answer(socket, _OK if self._handle(line) else _ERROR)

    def _answer(self, socket: QLocalSocket, reply: bytes) -> None:
        self._buffers.pop(socket, None)
        socket.write(QByteArray(reply))
        socket.flush()
        socket.disconnectFromServer()

    def _handle(self, line: bytes) -> bool:
        try:
            message = json.loads(line)
        except ValueError:
            log.warning("single instance: ignored a message that is not JSON")
            return False
        if not isinstance(message, dict):
            return False
        command, args = message.get("command"), message.get("args", [])
        if not isinstance(command, str) or not isinstance(args, list) or not all(isinstance(a, str) for a in args):
            log.warning("single instance: ignored a malformed message")
            return False
        log.debug("single instance: received %s %s", command, args)
        if command == "activate":
            env = message.get("env")
            self.activation_env = {k: v for k, v in env.items() if isinstance(v, str)} if isinstance(env, dict) else {}
            self.activation_requested.emit(args)
        self.message_received.emit(command, args)
        return True


# -- the second launch's side ----------------------------------------------------
def send_message(data_dir: Path, command: str, args: list[str] | None = None, *, timeout_ms: int = TIMEOUT_MS, **extra: object) -> bool:
    """Send one command to the instance running on this data folder; True once it has answered "ok".

    Blocking, and needs no event loop. Gives up after about ``timeout_ms``: when
    nothing listens, or when the listener is hung and never answers.
    """
    name = server_name(Path(data_dir).expanduser())
    payload = json.dumps({"command": command, "args": list(args or []), **extra}).encode() + b"\n"
    deadline = time.monotonic() + timeout_ms / 1000
    socket = QLocalSocket()
    try:
        # The first instance takes the lock a moment before it listens: retry a refused connection.
        while True:
            socket.connectToServer(name)
            if socket.waitForConnected(_remaining_ms(deadline)):
                break
            socket.abort()
            if time.monotonic() + 0.05 >= deadline:
                log.debug("single instance: nobody answers on %s", name)
                return False
            time.sleep(0.05)
        socket.write(QByteArray(payload))
        while socket.bytesToWrite() > 0:
            if not socket.waitForBytesWritten(_remaining_ms(deadline)):
                return False
        reply = b""
        while b"\n" not in reply:
            if not socket.waitForReadyRead(_remaining_ms(deadline)):
                return False
            reply += socket.readAll().data()
        return reply.split(b"\n", 1)[0] == _OK.strip()
    finally:
        socket.abort()


def notify_running(data_dir: Path, args: list[str], *, timeout_ms: int = TIMEOUT_MS) -> bool:
    """Ask the running instance to show its window; False when it does not answer in time."""
    env = {key: os.environ[key] for key in _ACTIVATION_ENV if os.environ.get(key)}
    return send_message(data_dir, "activate", args, timeout_ms=timeout_ms, env=env)


def ping_running(data_dir: Path, *, timeout_ms: int = TIMEOUT_MS) -> bool:
    """True when an instance runs on this data folder and answers."""
    return send_message(data_dir, "ping", timeout_ms=timeout_ms)


def _remaining_ms(deadline: float) -> int:
    return max(1, int((deadline - time.monotonic()) * 1000))
