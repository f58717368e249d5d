"""Files written whole or not at all: a temporary file beside the target, renamed over it on success."""

from __future__ import annotations

import atexit
import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

WRITE_BUFFER = 1 << 20
COPY_CHUNK = 1 << 24

# Replacing a report of 80 MB by one rename held the command 40-60 ms: the file system writes the
# new file out before a rename replaces an existing one (ext4's auto_da_alloc, for the safety of
# programs that write without fsync), and the old file is freed there and then. A report (see
# ``AtomicFile``) this big, in a process that says so (:func:`defer_removals`: the command line, a
# daemon's check), is replaced by two renames instead (the old file aside, the new one in: 0.1 ms),
# and the old file is removed once the command has answered.
SET_ASIDE_BYTES = 16 << 20
_set_aside: list[str] | None = None  # None: old files go at once
_NULL_STREAMS = (
    [(os.POSIX_SPAWN_OPEN, fd, os.devnull, os.O_RDWR, 0) for fd in (0, 1, 2)] if hasattr(os, "POSIX_SPAWN_OPEN") else []
)


# tempfile.mkstemp's flags: a new file (never one that exists, nor one a symbolic link points at),
# not inherited by processes this one starts.
_NEW_FILE = os.O_RDWR | os.O_CREAT | os.O_EXCL
_NEW_FILE |= getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def mkstemp(directory: str | Path, prefix: str) -> tuple[int, str]:
    """``tempfile.mkstemp(prefix=prefix, dir=directory)``: a new file only this user can read,
    opened, and its absolute path. Without tempfile, which imports random, weakref and shutil with
    its archive formats, for what a check never does (spaCy's own import of it waits for a
    stand-in: :mod:`claimlint.nlp.spacy_import`)."""
    for _ in range(100):
        name = os.path.join(directory, prefix + os.urandom(6).hex())
        try:
            return os.open(name, _NEW_FILE, 0o600), os.path.abspath(name)
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no unused temporary file name found", str(directory))


def defer_removals() -> None:
    """From now on a big report a commit replaces is set aside, and removed by
    :func:`remove_set_aside` (which the process calls once it has answered; at exit it runs
    anyway, so nothing is left behind)."""
    global _set_aside
    if _set_aside is None:
        _set_aside = []
        atexit.register(remove_set_aside)


def remove_set_aside(background: bool = False) -> None:
    """Remove the old files commits set aside; with ``background``, by an ``rm`` that nobody waits
    for (where processes spawn), so that this one can exit at once."""
    if not _set_aside:
        return
    paths = _set_aside[:]
    del _set_aside[:]
    if background and hasattr(os, "posix_spawnp"):
        # posix_spawn starts rm without copying this process (vfork): 0.5 ms, where the fork of a
        # 100 MB process, and another for an orphan nobody reaps, took 7-15 ms. Its standard
        # streams are /dev/null (a reader of this command's output sees the end when it ends), its
        # process group its own (a Ctrl+C in the terminal does not cut it short).
        try:
            os.posix_spawnp("rm", ["rm", "-f", "--", *paths], os.environ, file_actions=_NULL_STREAMS, setpgroup=0)
            return
        except OSError:
            pass  # no rm on the path: removed here
    _remove(paths)


def _remove(paths: list[str]) -> None:
    for path in paths:
        try:
            os.unlink(path)
        except OSError:
            pass


class Utf8Writer:
    """Text written to a binary stream as UTF-8; bytes already UTF-8 as they are; files appended."""

    def __init__(self, handle: BinaryIO) -> None:
        self._handle = handle

    def write(self, text: str) -> int:
        return self._handle.write(text.encode("utf-8"))

    def write_utf8(self, data: bytes) -> int:
        """Write text that is already UTF-8 (a serializer's output), without decoding it first."""
        return self._handle.write(data)

    def append_file(self, path: str) -> None:
        """Append the bytes of the file at ``path``, copied by the kernel where it can."""
        self._handle.flush()
        with open(path, "rb") as src:
            copy_file(src, self._handle)

    def flush(self) -> None:
        self._handle.flush()


class AtomicFile(Utf8Writer):
    """A UTF-8 text file that appears at ``path`` only when :meth:`commit` is called.

    A file that exists keeps its permissions, and a symbolic link stays a link (the file it points
    to is replaced); a new file gets the permissions the umask allows, as ``open`` would give it.
    A target that is not a regular file (``/dev/null``, ``/dev/stdout``, a named pipe) is written
    to directly: a device or pipe cannot be replaced, and must not be (renaming a file over
    ``/dev/null`` as root would replace the device with that file).

    ``report``: the file is a report, which a reader may find missing for the microseconds
    between two renames when it replaces a big one (see ``SET_ASIDE_BYTES``); copy the user owns
    (``--fix``) is always replaced by one rename."""

    def __init__(self, path: Path, *, report: bool = False) -> None:
        self.path = path
        self._quick = report  # may be replaced by two renames (see SET_ASIDE_BYTES)
        self._tmp: str | None = None
        try:
            found = os.stat(path)
        except FileNotFoundError:
            found = None
        except OSError as exc:
            raise OSError(exc.strerror or str(exc)) from exc
        self._old_size = found.st_size if found is not None else 0
        if found is not None and not stat.S_ISREG(found.st_mode):
            if stat.S_ISDIR(found.st_mode):
                raise OSError("is a directory")
            super().__init__(open(path, "wb", buffering=WRITE_BUFFER))  # noqa: SIM115 - closed by commit/abort
            return
        target = Path(os.path.realpath(path)) if path.is_symlink() else path
        directory = target.parent if str(target.parent) else Path(".")
        if not directory.is_dir():
            raise OSError(f"directory {directory} does not exist")
        fd, self._tmp = mkstemp(directory, f".{target.name}.")
        self._target = target
        os.chmod(self._tmp, stat.S_IMODE(found.st_mode) if found is not None else 0o666 & ~_umask())
        # A report of a big catalog is written a finding at a time: large buffers mean a few
        # hundred system calls for 100 MB instead of ten thousand (2.7x faster writing).
        super().__init__(os.fdopen(fd, "wb", buffering=WRITE_BUFFER))

    def commit(self) -> None:
        self._handle.close()
        if self._tmp is None:
            return
        if not (self._quick and _set_aside is not None and self._old_size >= SET_ASIDE_BYTES):
            os.replace(self._tmp, self._target)
            return
        target = self._target
        aside = str(target.parent / f".{target.name}.{os.urandom(8).hex()}.old")
        try:
            os.rename(target, aside)
        except OSError:  # gone meanwhile: nothing to set aside
            os.replace(self._tmp, target)
            return
        try:
            os.replace(self._tmp, target)
        except BaseException:
            os.rename(aside, target)  # the old report back where it was
            raise
        _set_aside.append(aside)

    def abort(self) -> None:
        if not self._handle.closed:
            self._handle.close()
        if self._tmp is not None:
            Path(self._tmp).unlink(missing_ok=True)


def _umask() -> int:
    # Read by setting it (there is no other way) and putting it back at once.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def copy_file(src: BinaryIO, dst: BinaryIO) -> None:
    """The rest of ``src`` to the end of ``dst`` (both unbuffered, or flushed): by ``sendfile``,
    with no copy through this process, where the system allows it (Linux), else read and written."""
    sent = 0
    try:
        while n := os.sendfile(dst.fileno(), src.fileno(), None, COPY_CHUNK):
            sent += n
    except OSError:
        if sent:  # failed half-way: what is written cannot be taken back
            raise
        import shutil  # rarely: where sendfile cannot copy between these two

        shutil.copyfileobj(src, dst, COPY_CHUNK)


def write_atomic(path: Path, text: str) -> None:
    f = AtomicFile(path)
    try:
        f.write(text)
        f.commit()
    except BaseException:
        f.abort()
        raise
