"""The ``claimlint`` command's entry point: ``claimlint check`` goes to a running daemon when there
is one (``claimlint daemon start``), else runs here.

The daemon forks a warm copy of itself for each check and hands it this process's standard
streams, working directory, environment and umask, so the check behaves exactly as it would here
(colours, progress bar, ``-`` for standard input, relative paths, reports written with ``-o``),
only without the half second of start-up. ``CLAIMLINT_DAEMON=off``, or ``check --no-daemon``, always
runs here.
"""

from __future__ import annotations

import os
import signal
import sys

from claimlint import process
from claimlint.daemon.protocol import OFF, ProtocolError, identity, private_dir, receive, send, socket_path

TYPE_CHECKING = False  # typing's costs more to import than this module
if TYPE_CHECKING:
    import socket
    from collections.abc import Sequence
    from types import FrameType

STARTED_TIMEOUT = 30.0
NO_DAEMON = "--no-daemon"  # `claimlint check --no-daemon`: always run here
_FORWARDED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT)


def main() -> None:
    argv = sys.argv[1:]
    process.prepare()  # before anything heavy is imported, and inherited by the daemon's forks
    code = run_in_daemon(argv)
    if code is not None:
        sys.exit(code)
    from claimlint import atomic, regexes, stringcode

    atomic.defer_removals()  # a big report replaced is freed after the command has answered

    try:
        # Through the whole command: the modules it imports compile their regular expressions,
        # define their dataclasses and resolve their annotations as they are first needed, and
        # any the command never needed before are kept at its end, for the next.
        with regexes.kept(), stringcode.kept():
            from claimlint.cli import main as run_here

            run_here(argv)
    except SystemExit as status:
        process.finish(status)
    process.finish(SystemExit(0))


def run_in_daemon(argv: Sequence[str]) -> int | None:
    """The exit code of ``claimlint ARGV`` run by the daemon, or ``None`` when no daemon took it
    (none running, another installation's, turned off, not a ``check``): then nothing has run."""
    if not argv or argv[0] != "check" or os.environ.get("CLAIMLINT_DAEMON", "").lower() in OFF:
        return None
    if NO_DAEMON in _options(argv):
        return None
    path = socket_path()
    if not os.path.exists(path) or not private_dir(os.path.dirname(path), create=False):
        return None
    import socket  # only now: a command that finds no daemon does without it

    if not hasattr(socket, "send_fds"):  # not a POSIX system
        return None
    try:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.connect(path)
    except OSError:
        return None  # a socket left by a daemon that was killed
    with sock:
        # A daemon still warming up answers within a couple of seconds; one that does not answer
        # at all must not hang the commit: then nothing has run, and the check runs here.
        sock.settimeout(STARTED_TIMEOUT)
        try:
            send(sock, _request(argv), fds=[0, 1, 2])
            started, _ = receive(sock)
        except (OSError, ProtocolError):
            return None
        if not started or not isinstance(started.get("pid"), int):
            return None  # declined (e.g. its code changed since it started): nothing ran
        sock.settimeout(None)  # the check itself may take as long as it takes
        return _wait(sock, started["pid"])


def _options(argv: Sequence[str]) -> Sequence[str]:
    """The command's arguments before ``--`` (after it, ``--no-daemon`` would be a file name)."""
    try:
        return argv[: list(argv).index("--")]
    except ValueError:
        return argv


def _request(argv: Sequence[str]) -> dict[str, object]:
    umask = os.umask(0o022)
    os.umask(umask)
    streams = {
        name: [getattr(stream, "encoding", None) or "utf-8", getattr(stream, "errors", None) or "strict"]
        for name, stream in (("stdin", sys.stdin), ("stdout", sys.stdout), ("stderr", sys.stderr))
    }
    return {
        "op": "run",
        "identity": identity(),
        "argv": list(argv),
        "cwd": os.getcwd(),
        "env": dict(os.environ),
        "umask": umask,
        "streams": streams,
    }


def _wait(sock: socket.socket, pid: int) -> int:
    """Relay Ctrl+C and friends to the worker (it is not in this terminal's process group) and
    return its exit code."""

    def forward(signum: int, frame: FrameType | None) -> None:
        try:
            os.kill(pid, signum)
        except ProcessLookupError:
            pass

    for sig in _FORWARDED:
        signal.signal(sig, forward)
    try:
        done, _ = receive(sock)
    except (OSError, ProtocolError):
        done = None
    if not done or not isinstance(done.get("exit"), int):
        sys.stderr.write(
            "claimlint: error: the daemon's worker ended without a result (see `claimlint daemon status`)\n"
        )
        return 2
    return int(done["exit"])
