"""``claimlint daemon start | stop | status``: start the daemon in the background, ask it things."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from claimlint.daemon import protocol
from claimlint.daemon.protocol import (
    OFF,
    ProtocolError,
    in_ci,
    package_dir,
    private_dir,
    receive,
    send,
    socket_path,
)


class DaemonError(Exception):
    """The daemon cannot be started or reached; one line."""


def supported() -> bool:
    return os.name == "posix" and hasattr(socket, "send_fds")


def log_path() -> Path:
    return Path(socket_path()).with_suffix(".log")


def ask(op: str, timeout: float = 5.0) -> dict[str, Any] | None:
    """The daemon's answer to ``op`` (``status``, ``stop``), or ``None`` when none is running."""
    path = socket_path()
    if not os.path.exists(path) or not private_dir(os.path.dirname(path), create=False):
        return None
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        sock.connect(path)
        send(sock, {"op": op})
        answer, _ = receive(sock)
    except (OSError, ProtocolError):
        return None
    finally:
        sock.close()
    return answer


DEFAULT_IDLE_TIMEOUT = 3600.0
MAX_SOCKET_PATH = 103  # sun_path holds 104 bytes on macOS (108 on Linux), with the final NUL


def spawn(idle_timeout: float = DEFAULT_IDLE_TIMEOUT) -> subprocess.Popen[bytes]:
    """Start a daemon process in the background and return at once (it warms up on its own; if
    another start won the race, this one exits quietly)."""
    if not supported():
        raise DaemonError("the daemon needs a POSIX system (Linux, macOS)")
    path = socket_path()
    if len(os.fsencode(path)) > MAX_SOCKET_PATH:
        raise DaemonError(
            f"{path}: too long for a Unix socket ({len(os.fsencode(path))} bytes, at most {MAX_SOCKET_PATH}); "
            "set CLAIMLINT_RUNTIME_DIR to a shorter directory"
        )
    directory = os.path.dirname(path)
    if not private_dir(directory, create=True):
        raise DaemonError(f"{directory} is not a private directory of this user (or cannot be created)")
    with open(log_path(), "ab") as log:
        # The daemon must import this very claimlint (a source checkout on sys.path, or the
        # installed one): its socket is named after the package directory it runs from.
        bootstrap = (
            f"import sys; sys.path.insert(0, {os.path.dirname(package_dir())!r}); "
            "from claimlint.daemon.server import main; main()"
        )
        return subprocess.Popen(
            [sys.executable, "-c", bootstrap, "--idle-timeout", str(idle_timeout)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=log,
            cwd="/",
            start_new_session=True,  # not in this terminal's process group: Ctrl+C here leaves it be
        )


def start_for_next_time() -> None:
    """``check --daemon`` running here (no daemon answered it): start one for the next check,
    unless daemons are turned off, this is a CI job or a daemon's worker; never an error for this
    check."""
    if protocol.in_worker or os.environ.get("CLAIMLINT_DAEMON", "").lower() in OFF or not supported() or in_ci():
        return
    if ask("status", timeout=1.0) is None:
        try:
            spawn()
        except (DaemonError, OSError):
            pass


def start(idle_timeout: float, wait: float = 60.0) -> dict[str, Any]:
    """Start a daemon (if none runs) and return its status once it answers."""
    running = ask("status")
    if running:
        return running
    proc = spawn(idle_timeout)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        status = ask("status", timeout=wait)
        if status:
            return status
        if proc.poll() is not None:
            again = ask("status")  # lost a race with another start: that one is ours too
            if again:
                return again
            raise DaemonError(f"the daemon exited with status {proc.returncode}; see {log_path()}")
        time.sleep(0.05)
    raise DaemonError(f"the daemon did not answer within {wait:.0f} s; see {log_path()}")


def stop(wait: float = 10.0) -> int | None:
    """Stop the daemon; its pid, or ``None`` when none was running."""
    answer = ask("stop")
    if not answer:
        return None
    deadline = time.monotonic() + wait
    while os.path.exists(socket_path()) and time.monotonic() < deadline:
        time.sleep(0.02)
    pid = answer.get("stopping")
    return pid if isinstance(pid, int) else None
