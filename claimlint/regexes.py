"""Regular expressions compiled once and kept: what Python's ``re`` hands to ``_sre`` for a
pattern, kept on disk and handed to ``_sre`` directly the next time.

A fresh ``claimlint check`` imports spaCy and builds the pipeline, and on the way ``re`` parses and
compiles some 200 regular expressions, the same ones every run: the English tokenizer's prefix,
suffix and infix expressions (character classes of thousands of ranges), spaCy's URL matcher,
the version specifiers of ``packaging`` (which spaCy imports), markdown-it's and claimlint's own.
That is 40–70 ms of every fresh run. Meanwhile (:func:`kept`: the whole ``claimlint`` command,
and a pipeline's build in any process), ``re`` compiles through this module: a pattern compiled
in an earlier run is rebuilt from its kept code (a few microseconds), any other is compiled as
usual and its code kept.

The code is ``re``'s own for this Python build (the version and ``_sre.MAGIC`` are the entry's
key), and a pattern's is only kept once a pattern rebuilt from it has been seen to equal the one
``re`` compiled; one that cannot be rebuilt is compiled afresh and replaced. If ``re``'s internals
ever differ, nothing is kept and ``re`` compiles as it always does.
"""

from __future__ import annotations

import importlib
import re
import sys
from contextlib import AbstractContextManager
from typing import Any

from claimlint import diskcache

# ``re``'s own parser and code generator: ``re._parser``/``re._compiler`` since 3.11, before that
# ``sre_parse``/``sre_compile`` (importing those on 3.11+ warns).
try:
    _parser: Any = importlib.import_module("re._parser")
    _compiler: Any = importlib.import_module("re._compiler")
except ImportError:  # Python 3.10
    _parser = importlib.import_module("sre_parse")
    _compiler = importlib.import_module("sre_compile")
_sre: Any = importlib.import_module("_sre")

KIND = "regex"
LIMIT = 2_000  # patterns kept: those of the imports and the build, with room
_KEY = (sys.version, _sre.MAGIC)
# re's own compile function, while kept() has replaced it.
_original: Any = None


def sre_arguments(pattern: re.Pattern[str]) -> tuple[Any, ...] | None:
    """The arguments ``re`` gives ``_sre.compile`` for ``pattern`` (as ``re._compiler.compile``
    works them out), or None unless a pattern rebuilt from them equals ``pattern``."""
    try:
        parsed = _parser.parse(pattern.pattern, pattern.flags & ~re.UNICODE)
        code = [int(op) for op in _compiler._code(parsed, pattern.flags & ~re.UNICODE)]
        groupindex = dict(parsed.state.groupdict)
        indexgroup: list[str | None] = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        arguments = (
            pattern.pattern,
            pattern.flags & ~re.UNICODE | parsed.state.flags,
            code,
            parsed.state.groups - 1,
            groupindex,
            tuple(indexgroup),
        )
        rebuilt = _sre.compile(*arguments)
    except Exception:  # internals that changed: nothing kept, ``re`` compiles every run as it did
        return None
    same = (rebuilt.pattern, rebuilt.flags, rebuilt.groups, rebuilt.groupindex) == (
        pattern.pattern,
        pattern.flags,
        pattern.groups,
        pattern.groupindex,
    )
    return arguments if same else None


def _compile(p: Any, flags: Any = 0) -> Any:
    """``re._compiler.compile``, from the kept code when there is some."""
    if type(p) is not str or flags & re.DEBUG:  # bytes, a parsed pattern, or a debug print: as re does
        return _original(p, flags)
    key = (p, int(flags))
    arguments = _KEPT.get(key)
    if arguments is not None:
        try:
            return _sre.compile(*arguments)
        except Exception:  # kept by another build, or damaged: compiled afresh and replaced
            pass
    pattern = _original(p, flags)
    arguments = sre_arguments(pattern)
    if arguments is not None:
        _KEPT.put(key, arguments)
    return pattern


def _begin() -> None:
    global _original
    _original = _compiler.compile
    _compiler.compile = _compile


def _end() -> None:
    _compiler.compile = _original


# (pattern, flags) → the arguments ``_sre.compile`` takes for it.
_KEPT: diskcache.KeptTable[tuple[str, int], tuple[Any, ...]] = diskcache.KeptTable(KIND, _KEY, LIMIT, _begin, _end)


def kept() -> AbstractContextManager[None]:
    """Meanwhile, ``re`` compiles through the kept code (nested and threads alike: the outermost
    use loads the kept patterns, and saves them when it ends if any was added)."""
    return _KEPT.using()
