"""The daemon: spaCy, the rule packs and the compiled matchers loaded once, then a fork per
``claimlint check``.

A forked worker starts warm (copy-on-write: nothing is rebuilt), takes over the client's standard
streams, directory, environment and umask, runs the ordinary command line and reports its exit
code. Workers share nothing afterwards, so two hooks checking at once cannot disturb each other,
and a worker that crashes takes nothing else down. The daemon itself is single-threaded (forking
is only safe so) and stops after ``idle_timeout`` seconds without a request, when its own code
changes (an upgrade), on ``claimlint daemon stop`` or on SIGTERM.

    python -m claimlint.daemon.server [--idle-timeout SECONDS]
"""

from __future__ import annotations

import argparse
import io
import os
import select
import signal
import socket
import struct
import sys
import time
import traceback
from pathlib import Path
from typing import Any, NoReturn

from claimlint import atomic
from claimlint.daemon import protocol
from claimlint.daemon.control import DEFAULT_IDLE_TIMEOUT
from claimlint.daemon.protocol import ProtocolError, identity, private_dir, receive, send, socket_path
from claimlint.diskcache import NLP_PACKAGES, code_stamp

_STREAMS = ("stdin", "stdout", "stderr")
# A client sends its request as soon as it connects; one that does not (killed mid-way, or a
# stray connection) must not hold up everyone else's checks.
REQUEST_TIMEOUT = 3.0


def warm() -> None:
    """Import and build everything a check needs, once, before the first fork: the pipeline, and
    a check of a small Markdown file in each report format, which loads what those load lazily."""
    import tempfile

    from claimlint import resultcache
    from claimlint.cli import main
    from claimlint.engine import Linter, Settings
    from claimlint.nlp.pipeline import compiled_rules
    from claimlint.report import FORMATS

    with tempfile.TemporaryDirectory() as tmp, resultcache.paused():
        sample = Path(tmp, "warm.md")
        sample.write_text("# Serum\n\nStimulates *collagen* production.\n", encoding="utf-8")
        for fmt in FORMATS:
            try:
                main(["check", "--isolated", "--jobs", "1", "-f", fmt, "-o", os.devnull, str(sample)])
            except SystemExit:
                pass
    # A check's linter takes the pipeline get_pipeline() holds now (warm_linter's cache may keep an
    # older one): its packs are compiled and its memo tables filled, the ones the forks will use.
    linter = Linter(Settings()).warm()  # the tokenizer's special cases too
    compiled_rules(linter.pipeline).prepare()
    # The memo tables (rule keys per word, per sentence, rule plans) fill as copy is linted, and
    # a fork keeps only what the daemon learnt before it: the rules' own examples teach them the
    # words the packs care about (two fifths of what a worker otherwise learns on its first
    # 370 kB of product copy).
    linter.lint_text("\n\n".join(t for rule in linter.book.rules for t in rule.examples.flag + rule.examples.pass_))


class Daemon:
    def __init__(self, path: Path, idle_timeout: float) -> None:
        self.path = path
        self.idle_timeout = idle_timeout
        self.identity = identity()
        self.code = (0, 0)  # taken when serving starts, with spaCy loaded
        self.started = time.time()
        self.served = 0
        self.workers: set[int] = set()
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._inode = -1

    def bind(self) -> bool:
        """Listen at ``path``; False when another daemon already answers there."""
        if not private_dir(str(self.path.parent), create=True):
            raise SystemExit(f"claimlint daemon: {self.path.parent} is not a private directory of this user")
        if self.path.exists():
            probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                probe.connect(str(self.path))
                return False
            except OSError:
                self.path.unlink()  # left by a daemon that was killed
            finally:
                probe.close()
        old = os.umask(0o177)
        try:
            self.listener.bind(str(self.path))
        except OSError:
            return False  # another start bound it first
        finally:
            os.umask(old)
        self.listener.listen(64)
        self._inode = self.path.stat().st_ino
        return True

    def serve(self) -> None:
        from claimlint.engine import freeze_heap

        self.code = code_stamp(NLP_PACKAGES)  # old code must not answer: spaCy's upgrades count too
        last = time.monotonic()
        freeze_heap()  # and the warm heap stays shared with every worker: no copy-on-write from the collector
        while True:
            self._reap()
            if self.idle_timeout and not self.workers and time.monotonic() - last > self.idle_timeout:
                return
            ready, _, _ = select.select([self.listener], [], [], 1.0)
            if not ready:
                continue
            conn, _ = self.listener.accept()
            conn.settimeout(REQUEST_TIMEOUT)
            last = time.monotonic()
            with conn:
                if not self._handle(conn):
                    return

    def close(self) -> None:
        self.listener.close()
        try:
            if self.path.stat().st_ino == self._inode:  # not a newer daemon's socket
                self.path.unlink()
        except OSError:
            pass

    def _handle(self, conn: socket.socket) -> bool:
        """Answer one connection; False when the daemon should stop."""
        fds: list[int] = []
        pid = 0
        try:
            # The socket's private directory already keeps other users out; where the system says
            # who is calling (Linux), check it too.
            if hasattr(socket, "SO_PEERCRED"):
                pid, uid, _gid = struct.unpack("3i", conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12))
                if uid != os.getuid():
                    return True
            message, fds = receive(conn, max_fds=3)
            if message is None:
                return True
            op = message.get("op")
            if op == "status":
                send(conn, self.status())
            elif op == "stop":
                send(conn, {"stopping": os.getpid()})
                return False
            elif op == "run":
                if message.get("identity") != self.identity or code_stamp(NLP_PACKAGES) != self.code:
                    send(conn, {"declined": "the daemon runs other code than this claimlint; it stops"})
                    print("claimlint daemon: its code changed (an upgrade?); stopping", file=sys.stderr)
                    return False
                if len(fds) != len(_STREAMS):
                    send(conn, {"declined": "no standard streams passed"})
                    return True
                worker = os.fork()
                if worker == 0:
                    try:
                        _worker(conn, fds, message, self.listener)
                    finally:  # whatever escaped, a fork never goes back into the daemon's loop
                        os._exit(2)
                self.workers.add(worker)
                self.served += 1
            else:
                send(conn, {"declined": f"unknown request {op!r}"})
        except (OSError, ProtocolError) as exc:
            print(f"claimlint daemon: request from pid {pid}: {exc}", file=sys.stderr)
        finally:
            for fd in fds:
                os.close(fd)
        return True

    def status(self) -> dict[str, Any]:
        self._reap()
        return {
            "pid": os.getpid(),
            "identity": self.identity,
            "socket": str(self.path),
            "started": self.started,
            "served": self.served,
            "running": len(self.workers),
            "idle_timeout": self.idle_timeout,
            "rss_mb": _resident_mb(),
        }

    def _reap(self) -> None:
        for worker in list(self.workers):
            try:
                done, _ = os.waitpid(worker, os.WNOHANG)
            except ChildProcessError:
                done = worker
            if done:
                self.workers.discard(worker)


def _resident_mb() -> float:
    """The daemon's resident memory now (what it holds between checks; each check's fork adds
    only the pages it writes)."""
    import resource

    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # peak, in KB on Linux


def _worker(conn: socket.socket, fds: list[int], request: dict[str, Any], listener: socket.socket) -> NoReturn:
    """In the forked child: become the client's process, run its command line, report, exit."""
    code = 1
    try:
        protocol.in_worker = True
        listener.close()
        conn.settimeout(None)  # the check may take minutes; its exit code still has to go out
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGCHLD):
            signal.signal(sig, signal.SIG_DFL)
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        os.umask(int(request["umask"]))
        _reopen_streams(request.get("streams") or {})
        send(conn, {"pid": os.getpid()})
        atomic.defer_removals()  # a big report replaced is freed after the exit code has gone out
        code = _run(list(request["argv"]))
    except BaseException:  # noqa: BLE001 - whatever happens, the client gets an exit code
        traceback.print_exc()
    finally:
        # The check is over: a Ctrl+C arriving now has nothing left to stop, and must not cut
        # the report of its exit code short.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:  # noqa: BLE001, S110 - the reader may be gone
                pass
        try:
            send(conn, {"exit": code})
        except OSError:
            pass
        atomic.remove_set_aside()  # the client has its answer
        os._exit(code)


def _reopen_streams(encodings: dict[str, list[str]]) -> None:
    """Text streams over the client's descriptors, buffered as Python would buffer them there."""
    for fd, name in enumerate(_STREAMS):
        encoding, errors = (encodings.get(name) or ["utf-8", "strict"])[:2]
        raw = io.FileIO(fd, "r" if fd == 0 else "w", closefd=False)
        buffered = io.BufferedReader(raw) if fd == 0 else io.BufferedWriter(raw)
        line_buffering = fd == 2 or (fd == 1 and raw.isatty())
        setattr(sys, name, io.TextIOWrapper(buffered, encoding, errors, line_buffering=line_buffering))


def _run(argv: list[str]) -> int:
    from claimlint.cli import main

    sys.argv = ["claimlint", *argv]
    try:
        main(argv)
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            return exc.code or 0
        print(exc.code, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("claimlint: aborted", file=sys.stderr)
        return 130
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(prog="claimlint-daemon", description=__doc__)
    parser.add_argument(
        "--idle-timeout", type=float, default=DEFAULT_IDLE_TIMEOUT, help="seconds without a request before stopping"
    )
    args = parser.parse_args()
    daemon = Daemon(Path(socket_path()), args.idle_timeout)
    if not daemon.bind():
        return  # another daemon already answers: nothing to do

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        warm()
        daemon.serve()
    finally:
        daemon.close()


if __name__ == "__main__":
    main()
