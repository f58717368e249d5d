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
from contextlib import AbstractContextManager
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
# While kept() is active: what each patched module had under the patched name before.
_saved: list[tuple[ModuleType, str, Any]] = []
_MISSING = object()


def _code(source: str, filename: str, mode: str, flags: int) -> CodeType:
    """``compile(source, filename, mode, flags, dont_inherit=True)``, from the kept code when
    there is some."""
    key = (source, filename, mode, flags)
    data = _KEPT.get(key)
    if data is not None:
        try:
            kept: object = marshal.loads(data)
            if isinstance(kept, CodeType):
                return kept
        except Exception:  # damaged: compiled afresh and replaced
            pass
    code: CodeType = builtins.compile(source, filename, mode, flags, True)
    _KEPT.put(key, marshal.dumps(code))
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


def _begin() -> None:
    for name, attribute, stand_in in _PATCHES:
        module = sys.modules.get(name) or __import__(name)
        _saved.append((module, attribute, module.__dict__.get(attribute, _MISSING)))
        setattr(module, attribute, stand_in)


def _end() -> None:
    for module, attribute, before in reversed(_saved):
        if before is _MISSING:
            module.__dict__.pop(attribute, None)
        else:
            setattr(module, attribute, before)
    _saved.clear()


# (source, filename, mode, flags) → the code compiled from it, as ``marshal`` data.
_KEPT: diskcache.KeptTable[tuple[str, str, str, int], bytes] = diskcache.KeptTable(KIND, _KEY, LIMIT, _begin, _end)


def kept() -> AbstractContextManager[None]:
    """Meanwhile, ``dataclasses`` and ``typing`` compile through the kept code (nested and threads
    alike: the outermost use loads the kept code, and saves it when it ends if any was added)."""
    return _KEPT.using()
