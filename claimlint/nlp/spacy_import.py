"""spaCy imported by the ``claimlint`` command without what it imports for code never run here.

``import spacy`` imports, besides what a claimlint process uses:

- ``spacy.cli``, for the one function spaCy re-exports (``spacy.info``), and with it typer,
  weasel, requests and httpx: a third of spaCy's import time (0.12–0.15 s of the 0.5 s a fresh
  ``claimlint check`` spends importing spaCy);
- ``pydantic.v1``, a second copy of pydantic kept for old code, which confection imports only to
  recognise configuration schemas written for it (spaCy's are pydantic 2's): 4% of a fresh check's
  instructions;
- ``tqdm``, for the progress bars of spaCy's training loop.

:func:`defer` puts stand-ins for ``spacy.cli``, ``spacy.cli.info`` and ``tqdm`` in ``sys.modules``
before spaCy is imported (:func:`attach` then hangs the ``spacy.cli`` stand-in on the package);
the first time anything reads from one (``spacy.info()``, ``spacy.cli.download``,
``import spacy.cli.train``, ``tqdm.tqdm``), the real module is imported and answers from then on.
And while confection is imported, and only then, ``pydantic.v1`` is not found: confection takes
that as it would on a Python without it. Anything else that imports ``pydantic.v1`` gets it.

Only the ``claimlint`` command calls it: the process is claimlint's. The library leaves a caller's
spaCy as it is.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
import types
from collections.abc import Sequence
from typing import Any

# spaCy's command-line package and its module ``info`` go together: when either is really
# imported, both stand-ins leave.
_SPACY_CLI = ("spacy.cli", "spacy.cli.info")
_PACKAGES = ("spacy.cli", "tqdm")


class _Deferred(types.ModuleType):
    """A stand-in module: any attribute it does not hold comes from the real module, imported then."""

    def __getattr__(self, name: str) -> Any:
        if name == "__path__" and self.__name__ not in _PACKAGES:
            # The import system asks whether a module is a package; ``spacy.cli.info`` is not.
            raise AttributeError(name)
        return getattr(_real(self.__name__), name)


class _WithoutPydanticV1(importlib.abc.MetaPathFinder):
    """Finds no ``pydantic.v1`` while ``confection.validation`` is being imported."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None = None, target: types.ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname == "pydantic.v1":
            importing = sys.modules.get("confection.validation")
            if importing is not None and getattr(importing.__spec__, "_initializing", False):
                raise ModuleNotFoundError("pydantic.v1 is not imported for confection here", name=fullname)
        return None


_FINDER = _WithoutPydanticV1()


def _real(name: str) -> types.ModuleType:
    for stale in _SPACY_CLI if name in _SPACY_CLI else (name,):
        if isinstance(sys.modules.get(stale), _Deferred):
            del sys.modules[stale]
    module = importlib.import_module(name)
    spacy = sys.modules.get("spacy")
    if name in _SPACY_CLI and spacy is not None and isinstance(getattr(spacy, "cli", None), _Deferred):
        spacy.cli = importlib.import_module("spacy.cli")  # type: ignore[attr-defined]
    return module


def _info(*args: Any, **kwargs: Any) -> Any:
    """``spacy.info``: the real one, imported at its first call."""
    return _real("spacy.cli.info").info(*args, **kwargs)


def defer() -> None:
    """Install the stand-ins and the finder, unless spaCy (or what they stand for) is already imported."""
    if "spacy" in sys.modules:
        return
    if not any(name in sys.modules for name in _SPACY_CLI):
        info = _Deferred("spacy.cli.info")
        info.info = _info  # type: ignore[attr-defined]  # spacy/__init__ reads it at import
        sys.modules.update({"spacy.cli": _Deferred("spacy.cli"), "spacy.cli.info": info})
    if "tqdm" not in sys.modules:
        sys.modules["tqdm"] = _Deferred("tqdm")
    if "confection" not in sys.modules and "pydantic.v1" not in sys.modules:
        sys.meta_path.insert(0, _FINDER)


def attach(spacy: types.ModuleType) -> None:
    """Once spaCy is imported: ``spacy.cli`` names the stand-in, as an import would have made it
    name the real module (a module found in ``sys.modules`` is not set on its package); and the
    finder, its work done, leaves the import system."""
    cli = sys.modules.get("spacy.cli")
    if isinstance(cli, _Deferred) and not hasattr(spacy, "cli"):
        spacy.cli = cli  # type: ignore[attr-defined]
    if _FINDER in sys.meta_path:
        sys.meta_path.remove(_FINDER)
