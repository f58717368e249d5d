"""The installed packages' entry points, as catalogue reads them while spaCy is imported, answered
without ``importlib.metadata`` when no package has any in the group asked for.

catalogue (spaCy's and thinc's registries) calls ``importlib.metadata.entry_points()`` when it is
imported, and spaCy's import looks up srsly's msgpack encoders and decoders through it: two groups
that no installed package fills. Importing ``importlib.metadata`` (with ``email``, ``zipfile`` and
``csv``) and reading every package's metadata is 4% of a fresh check's instructions. The names of
the groups that do have entry points are kept on disk (:mod:`claimlint.diskcache`), under a stamp
of what is installed where Python looks for packages (:func:`installation`); a group among them,
or any other use of the answer, reads the real entry points.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

METADATA = "importlib.metadata"
KIND = "entry-point-groups"
# What marks an installed distribution in a directory of ``sys.path`` (importlib.metadata's
# ``Prepared`` searches for the first two; a development install leaves the third).
_MARKS = (".dist-info", ".egg-info", ".egg-link")


def installation() -> tuple[Any, ...]:
    """Every directory (or zip file) of ``sys.path`` with the distributions installed there, each
    with its modification time (an install, upgrade or removal makes, renames or removes them), and
    the finders that can find distributions elsewhere. About 0.4 ms."""
    stamp: list[Any] = []
    for entry in sys.path:
        where = entry or "."
        try:
            with os.scandir(where) as found:
                marks = sorted((item.name, item.stat().st_mtime_ns) for item in found if item.name.endswith(_MARKS))
        except NotADirectoryError:
            try:
                marks = [("", os.stat(where).st_mtime_ns)]
            except OSError:
                marks = []
        except OSError:
            marks = []
        stamp.append((entry, tuple(marks)))
    finders = tuple(
        getattr(finder, "__qualname__", type(finder).__qualname__)
        for finder in sys.meta_path
        if hasattr(finder, "find_distributions")
    )
    return tuple(stamp), finders


@lru_cache(maxsize=1)
def _groups() -> frozenset[str]:
    """The groups in which some installed package has entry points."""
    from claimlint import diskcache

    return diskcache.remember(KIND, installation(), lambda: frozenset(_real().groups))


@lru_cache(maxsize=1)
def _real() -> Any:
    """The real ``importlib.metadata.entry_points()``."""
    from claimlint.nlp import spacy_import  # (which imports this module)

    return spacy_import.real_module(METADATA).entry_points()


class EntryPoints:
    """``importlib.metadata.entry_points()``: ``select(group=...)`` of a group in which no package
    has entry points is empty; anything else is the real answer's."""

    def select(self, **params: Any) -> Any:
        if params.keys() == {"group"} and params["group"] not in _groups():
            return ()
        return _real().select(**params)

    def __getattr__(self, name: str) -> Any:
        return getattr(_real(), name)

    def __iter__(self) -> Iterator[Any]:
        return iter(_real())

    def __len__(self) -> int:
        return len(_real())

    def __getitem__(self, key: Any) -> Any:
        return _real()[key]


def entry_points(**params: Any) -> Any:
    """``importlib.metadata.entry_points``, held by its stand-in while spaCy is imported."""
    return EntryPoints() if not params else EntryPoints().select(**params)


class EntryPoint:
    """Stands for ``importlib.metadata.EntryPoint`` while spaCy is imported, for catalogue, which reads
    it then for an annotation alone."""
