"""What one run worked out and the next can reuse, kept in the user's cache directory: the rule
packs as loaded and checked, their terms as tokenized, the lemma table (the bytes of a
:class:`claimlint.nlp.lemmas.LemmaTable`), the tokenizer's affix expressions as compiled
(:mod:`claimlint.nlp.tokenizer`).

A fresh ``claimlint check`` spends about half a second starting. Reading and cross-checking the
YAML packs, tokenizing their 2,000 terms and decompressing the lemma table is a tenth of it, and
gives the same answer every run until a pack, claimlint or spaCy changes. Each entry is stored
with its whole key (the packs' paths, sizes and modification times, the code that built it, the
library versions) and is used only when that key is equal, so a stale entry is never read: it is
rebuilt and replaced.

The cache lives in ``$CLAIMLINT_CACHE_DIR``, else ``$XDG_CACHE_HOME/claimlint``, else
``~/.cache/claimlint``; ``CLAIMLINT_NO_CACHE=1`` turns it off. It is only read from a directory
that this user owns and no one else can enter (the entries are pickles), and a cache that cannot
be read or written is simply not used: a run never fails because of it.
"""

from __future__ import annotations

import os
import pickle
import sys
import threading
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any, Generic, TypeVar, cast

from claimlint.atomic import mkstemp
from claimlint.daemon.protocol import OFF, package_dir, private_dir

try:
    # CPython's own BLAKE2, not hashlib, which loads OpenSSL (2 ms; a check answered from kept
    # findings never needs it).
    from _blake2 import blake2b as blake2b
except ImportError:  # pragma: no cover - a Python built without it
    from hashlib import blake2b as blake2b

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
# Installed packages whose upgrade changes claimlint's answers: the tokenizer and the lemma table.
NLP_PACKAGES = ("spacy", "spacy_lookups_data")
KEEP = 8  # entries per kind: a pack being edited makes a new one per save, and old ones go
_SAVES: dict[str, int] = {}  # per kind, in this process
_STAGING: set[str] = set()  # staging directories made (or found) by this process


def cache_dir() -> str | None:
    """The cache directory, created if need be; None when the cache is off or cannot be private."""
    env = os.environ
    path = _where(
        env.get("CLAIMLINT_NO_CACHE"), env.get("CLAIMLINT_CACHE_DIR"), env.get("XDG_CACHE_HOME"), env.get("HOME")
    )
    # Checked at every use, not once: the directory may have gone, or been made by someone else.
    return path if path is not None and private_dir(path, create=True) else None


@lru_cache(maxsize=8)
def _where(no_cache: str | None, cache_dir: str | None, xdg_cache_home: str | None, home: str | None) -> str | None:
    """Where the cache directory is, from the environment (asked once per cache entry a run reads
    or writes: a tree of 2,000 unchanged files asks 2,000 times). ``home``: what ``~`` expands to."""
    if (no_cache or "").strip().lower() not in OFF | {""}:
        return None
    if not hasattr(os, "getuid"):  # no owner check to make (Windows): never load a pickle
        return None
    if cache_dir:
        return cache_dir
    base = xdg_cache_home or os.path.expanduser(os.path.join("~", ".cache"))
    if not os.path.isabs(base):  # no home directory to expand "~" to
        return None
    return os.path.join(base, "claimlint")


def code_stamp(dependencies: tuple[str, ...] = ()) -> tuple[int, int]:
    """How many source files the package has and the sum of their modification times, plus those of
    the named installed packages: an upgrade (or any edit in a development checkout) changes it.
    About half a millisecond."""
    count = total = 0
    for root, _dirs, files in os.walk(package_dir()):
        for name in files:
            if name.endswith((".py", ".so", ".pyd")):  # sources, and the modules compiled from them
                count += 1
                total += os.stat(os.path.join(root, name)).st_mtime_ns
    for _where, _size, mtime in installed(dependencies):
        total += max(mtime, 0)
    return count, total


def installed(packages: tuple[str, ...]) -> tuple[tuple[str, int, int], ...]:
    """Where each named top-level package is installed, with the size and modification time of its
    ``__init__`` (an upgrade rewrites it); found without importing it. ``(name, -1, -1)`` for one
    that is not installed."""
    import importlib.util

    stamp = []
    for name in packages:
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec is not None else None
        if origin is None:
            stamp.append((name, -1, -1))
            continue
        st = os.stat(origin)
        stamp.append((origin, st.st_size, st.st_mtime_ns))
    return tuple(stamp)


@lru_cache(maxsize=1)
def _running_code() -> tuple[int, int]:
    # Taken once, near import: a long-lived process (serve) whose files are upgraded under it
    # still runs, and labels what it builds with, the code it started with.
    return code_stamp()


def _entry(kind: str, key: Hashable) -> tuple[str, tuple[Any, ...]] | None:
    directory = cache_dir()
    if directory is None:
        return None
    whole = (kind, key, _running_code(), sys.version)
    digest = blake2b(repr(whole).encode("utf-8", "surrogatepass"), digest_size=10).hexdigest()
    return os.path.join(directory, f"{kind}-{digest}.pickle"), whole


def load(kind: str, key: Hashable, *, touch: bool = False) -> Any | None:
    """The value saved under ``key``, or None (nothing saved, a stale or unreadable entry).
    ``touch``: mark a found entry as just used, so that pruning keeps it over older ones."""
    entry = _entry(kind, key)
    if entry is None:
        return None
    path, whole = entry
    try:
        with open(path, "rb") as fh:
            saved_key, value = pickle.load(fh)
            if touch and saved_key == whole:
                os.utime(fh.fileno())
    except Exception:  # missing, truncated, or pickled by code that has changed: rebuilt instead
        return None
    return value if saved_key == whole else None


def save(kind: str, key: Hashable, value: object, keep: int = KEEP) -> None:
    """Keep ``value`` under ``key`` (written whole or not at all); the oldest entries beyond
    ``keep`` of the same kind are removed (looked for at the first save of a kind in a process,
    then every ``keep // 8`` saves: a run that saves a thousand files does not list the
    directory a thousand times)."""
    entry = _entry(kind, key)
    if entry is None:
        return
    path, whole = entry
    directory = os.path.dirname(path)
    try:
        # Written beside the entries, in a directory of its own: creating a file in a directory of
        # thousands (the findings of every file checked) cost a millisecond of kernel time on
        # ext4, ten times the rest of the save; renaming into it does not.
        staging = os.path.join(directory, "tmp")
        if staging not in _STAGING:  # made once per process, not tried at every save
            _make_staging(staging)
        try:
            fd, tmp = mkstemp(staging, f".{kind}-")
        except FileNotFoundError:  # the cache was deleted meanwhile
            _make_staging(staging)
            fd, tmp = mkstemp(staging, f".{kind}-")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump((whole, value), fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
        saves = _SAVES[kind] = _SAVES.get(kind, 0) + 1
        if keep < 16 or saves % (keep // 8) == 1:
            _prune(directory, kind, keep)
    except Exception:  # a full disk or a read-only home: the next run builds again, that is all
        return


def _make_staging(staging: str) -> None:
    try:
        os.mkdir(staging, mode=0o700)
    except FileExistsError:
        pass
    _STAGING.add(staging)


@contextmanager
def growing(kind: str, key: Hashable) -> Iterator[dict[Any, Any]]:
    """The dict saved under ``key`` (empty if none), for the block to add to; saved again when the
    block ends, if it grew (not if it raised)."""
    found = load(kind, key)
    table: dict[Any, Any] = found if isinstance(found, dict) else {}
    known = len(table)
    yield table
    if len(table) != known:
        save(kind, key, table)


def remember(kind: str, key: Hashable, build: Callable[[], T]) -> T:
    """The value saved under ``key``, else ``build()``, saved for the next run."""
    cached = load(kind, key)
    if cached is not None:
        return cast(T, cached)
    value = build()
    save(kind, key, value)
    return value


class KeptTable(Generic[K, V]):
    """A table that grows while in use and is kept for the next run: the outermost of nested or
    concurrent uses (:meth:`using`) loads it and runs ``begin``, and when it ends runs ``end`` and
    saves the table if anything was added. Outside any use it is empty."""

    def __init__(
        self, kind: str, key: Hashable, limit: int, begin: Callable[[], None], end: Callable[[], None]
    ) -> None:
        self.kind, self.key, self.limit = kind, key, limit
        self._begin, self._end = begin, end
        self._lock = threading.Lock()
        self._active = 0  # how deeply in use
        self._table: dict[K, V] = {}
        self._changed = False

    def get(self, key: K) -> V | None:
        return self._table.get(key)

    def put(self, key: K, value: V) -> None:
        """Keep ``value`` under ``key`` (once the table holds ``limit`` entries, nothing more)."""
        if len(self._table) < self.limit:
            self._table[key] = value
            self._changed = True

    @contextmanager
    def using(self) -> Iterator[None]:
        with self._lock:
            if self._active == 0:
                found = load(self.kind, self.key)
                self._table = found if isinstance(found, dict) else {}  # a fresh dict: unpickled
                self._changed = False
                self._begin()
            self._active += 1
        try:
            yield
        finally:
            with self._lock:
                self._active -= 1
                if self._active == 0:
                    self._end()
                    if self._changed:
                        save(self.kind, self.key, self._table)
                    self._table = {}


def _prune(directory: str, kind: str, keep: int) -> None:
    entries = []
    with os.scandir(directory) as it:
        for item in it:
            if item.name.startswith(f"{kind}-") and item.name.endswith(".pickle"):
                entries.append((item.stat().st_mtime_ns, item.path))
    for _mtime, path in sorted(entries, reverse=True)[keep:]:
        try:
            os.unlink(path)
        except FileNotFoundError:  # another run pruned it first
            pass
