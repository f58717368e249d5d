"""Where the daemon listens and how client and daemon talk: length-prefixed JSON frames over a
Unix socket, the client's standard streams passed along as file descriptors (``SCM_RIGHTS``).

Imported by the ``claimlint`` command before anything else, so it imports only what is cheap: paths
are strings, not ``pathlib``.
"""

from __future__ import annotations

import json
import os
import stat
import struct
import sys
import zlib

TYPE_CHECKING = False  # typing's costs more to import than this module
if TYPE_CHECKING:
    import socket
    from typing import Any

_HEADER = struct.Struct("!I")
OFF = frozenset({"0", "off", "no", "false"})  # values of CLAIMLINT_DAEMON that mean "never"
in_worker = False  # set in a daemon's forked worker: it must not look for (or start) a daemon
MAX_FRAME = 16 * 1024 * 1024  # a request is argv + environment: far below this


class ProtocolError(Exception):
    """The other side spoke out of turn or went away mid-frame."""


def package_dir() -> str:
    return os.path.dirname(os.path.dirname(os.path.realpath(__file__)))


def identity() -> str:
    """Which claimlint a daemon runs: a client only talks to a daemon of its own installation
    (same environment, same package directory, same version). ``sys.prefix``, not the
    interpreter's path: ``python`` and ``python3`` of one environment are one installation."""
    from claimlint import __version__

    return f"{__version__}|{package_dir()}|{sys.prefix}"


def runtime_dir() -> str:
    """A directory only this user can enter: ``$CLAIMLINT_RUNTIME_DIR``, ``$XDG_RUNTIME_DIR/claimlint``
    or ``<tmp>/claimlint-<uid>``."""
    explicit = os.environ.get("CLAIMLINT_RUNTIME_DIR")
    if explicit:
        return explicit
    xdg = os.environ.get("XDG_RUNTIME_DIR")
    if xdg and os.path.isdir(xdg):
        return os.path.join(xdg, "claimlint")
    import tempfile

    return os.path.join(tempfile.gettempdir(), f"claimlint-{os.getuid()}")


def socket_path() -> str:
    # One daemon per installation; the name only has to tell installations apart (the daemon
    # checks the full identity of every request), and zlib is cheaper to import than hashlib.
    return os.path.join(runtime_dir(), f"daemon-{zlib.crc32(identity().encode()):08x}.sock")


def private_dir(path: str, create: bool) -> bool:
    """True when ``path`` is a directory owned by this user that no one else can enter (created
    so when ``create``): another user's socket is never trusted or answered."""
    try:
        st = os.lstat(path)  # first: asked once per cache entry read or written, it mostly exists
    except FileNotFoundError:
        if not create:
            return False
        try:
            os.makedirs(path, mode=0o700, exist_ok=True)
            st = os.lstat(path)
        except OSError:
            return False
    except OSError:
        return False
    return stat.S_ISDIR(st.st_mode) and st.st_uid == os.getuid() and not st.st_mode & 0o077


# Set by CI services (``CI`` by most: GitHub Actions, GitLab, CircleCI, Travis, Buildkite…).
CI_VARIABLES = ("CI", "JENKINS_URL", "TEAMCITY_VERSION", "TF_BUILD")


def in_ci() -> bool:
    """Whether this looks like a CI job: a daemon would outlive it, and what is kept for the next
    run would go with the machine."""
    return any(os.environ.get(name, "").lower() not in ("", *OFF) for name in CI_VARIABLES)


# ``socket`` (with ``selectors``) is imported where a frame is sent or received: a command that finds
# no daemon does without it (3.6% of a check answered from kept findings; spaCy imports it anyway).


def send(sock: socket.socket, message: dict[str, Any], fds: list[int] | None = None) -> None:
    import socket

    body = json.dumps(message).encode()
    data = _HEADER.pack(len(body)) + body
    if fds:
        # The descriptors ride on the first bytes; the rest follows as plain data.
        sent = socket.send_fds(sock, [data], fds)
        data = data[sent:]
    if data:
        sock.sendall(data)


def receive(sock: socket.socket, max_fds: int = 0) -> tuple[dict[str, Any] | None, list[int]]:
    """One frame and any descriptors sent with it; ``(None, [])`` when the peer closed cleanly."""
    import socket

    fds: list[int] = []
    if max_fds:
        data, fds, _flags, _addr = socket.recv_fds(sock, _HEADER.size, max_fds)
    else:
        data = sock.recv(_HEADER.size)
    if not data:
        return None, fds
    data += _exactly(sock, _HEADER.size - len(data))
    (length,) = _HEADER.unpack(data)
    if length > MAX_FRAME:
        raise ProtocolError(f"frame of {length} bytes")
    try:
        message = json.loads(_exactly(sock, length))
    except ValueError as exc:
        raise ProtocolError(f"bad frame: {exc}") from None
    if not isinstance(message, dict):
        raise ProtocolError("bad frame: not an object")
    return message, fds


def _exactly(sock: socket.socket, n: int) -> bytes:
    chunks = []
    while n:
        chunk = sock.recv(min(n, 1 << 20))
        if not chunk:
            raise ProtocolError("connection closed mid-frame")
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)
