"""Code that libraries compile from strings as they are imported, compiled once and kept: the
next run loads the compiled code from disk instead of parsing and compiling the text again.

Importing spaCy and building the pipeline parses Python source given as strings some 1,400 times:
``dataclasses`` writes every ``__init__``, ``__repr__`` and ``__eq__`` of a dataclass (spaCy,
thinc, confection, pydantic, annotated_types and claimlint itself define hundreds) and runs it
with ``exec``, and ``typing`` compiles every string annotation it resolves (pydantic resolves
a thousand). The same strings every run: 8% of a fresh start's instructions. Meanwhile
(:func:`kept`: the whole ``claimlint`` command, and a pipeline's build in any process), those
two modules find, under the names ``exec`` and ``compile`` in their own globals, stand-ins that
take code compiled in an earlier run when the source is the same, and compile and keep it
otherwise. Nothing of ``builtins`` changes, and no other module's code is touched.

A stand-in does what the builtin would do in the caller's place: the caller's ``from __future__``
flags are passed on as the builtin would inherit them, and any call it does not understand goes
to the builtin unchanged. The entries are ``marshal`` data, keyed by the Python build, the
bytecode magic number and the optimisation level, so code kept by another interpreter is never
loaded; an entry that cannot be loaded is compiled afresh and replaced.
"""

from __future__ import annotations
import __future__

import builtins
import importlib.util
import marshal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import CodeType, ModuleType
from typing import Any

from claimlint import diskcache

KIND = "code"
LIMIT = 5_000  # sources kept: those of the imports and the build, with room
_KEY = (sys.version, importlib.util.MAGIC_NUMBER, sys.flags.optimize)
# The flags a compilation inherits from the code that asks for it (``from __future__`` imports).
_FUTURE = 0
for _feature in __future__.all_feature_names:
    _FUTURE |= getattr(__future__, _feature).compiler_flag
_LOCK = threading.Lock()
# While kept() is active: how deeply, the code known ((source, filename, mode, flags) → marshal
# data), whether any was added, and what each patched module had under the patched name before.
_active = 0
_table: dict[tuple[str, str, str, int], bytes] = {}
_changed = False
_saved: list[tuple[ModuleType, str, Any]] = []
_MISSING = object()


def _code(source: str, filename: str, mode: str, flags: int) -> CodeType:
    """``compile(source, filename, mode, flags, dont_inherit=True)``, from the kept code when
    there is some."""
    global _changed
    key = (source, filename, mode, flags)
    data = _table.get(key)
    if data is not None:
        try:
            kept: object = marshal.loads(data)
            if isinstance(kept, CodeType):
                return kept
        except Exception:  # damaged: compiled afresh and replaced
            pass
    code: CodeType = builtins.compile(source, filename, mode, flags, True)
    if len(_table) < LIMIT:
        _table[key] = marshal.dumps(code)
        _changed = True
    return code


def _caller_flags() -> int:
    """The ``from __future__`` flags of the code that called the stand-in (which a builtin called
    there would have inherited)."""
    return sys._getframe(2).f_code.co_flags & _FUTURE


def _exec(source: Any, globals: Any = None, locals: Any = None, /, **kwargs: Any) -> None:
    """``exec`` as the module that calls it would run it."""
    if globals is None:  # the caller's own namespaces, as the builtin would take them
        frame = sys._getframe(1)
        globals, locals = frame.f_globals, frame.f_locals if locals is None else locals
    if type(source) is str and not kwargs:
        source = _code(source, "<string>", "exec", _caller_flags())
    builtins.exec(source, globals, locals, **kwargs)


def _compile(
    source: Any, filename: Any, mode: str, flags: int = 0, dont_inherit: bool = False, optimize: int = -1
) -> Any:
    """``compile`` as the module that calls it would run it."""
    inherited = 0 if dont_inherit else _caller_flags()
    if type(source) is str and type(filename) is str and flags == 0 and optimize == -1:
        return _code(source, filename, mode, inherited)
    return builtins.compile(source, filename, mode, flags | inherited, True, optimize)


# Module → the name under which it calls the builtin that compiles its strings.
_PATCHES = (("dataclasses", "exec", _exec), ("typing", "compile", _compile))


@contextmanager
def kept() -> Iterator[None]:
    """Meanwhile, ``dataclasses`` and ``typing`` compile through the kept code (nested and threads
    alike: the outermost use loads the kept code, and saves it when it ends if any was added)."""
    global _active, _table, _changed
    with _LOCK:
        if _active == 0:
            found = diskcache.load(KIND, _KEY)
            _table = dict(found) if isinstance(found, dict) else {}
            _changed = False
            for name, attribute, stand_in in _PATCHES:
                module = sys.modules.get(name) or __import__(name)
                _saved.append((module, attribute, module.__dict__.get(attribute, _MISSING)))
                setattr(module, attribute, stand_in)
        _active += 1
    try:
        yield
    finally:
        with _LOCK:
            _active -= 1
            if _active == 0:
                for module, attribute, before in reversed(_saved):
                    if before is _MISSING:
                        module.__dict__.pop(attribute, None)
                    else:
                        setattr(module, attribute, before)
                _saved.clear()
                if _changed:
                    diskcache.save(KIND, _KEY, _table)
                _table = {}
