"""spaCy's own command line, loaded when it is first used rather than when spaCy is imported.

``import spacy`` imports ``spacy.cli`` for the one function it re-exports (``spacy.info``), and with
it typer, weasel, requests and httpx: a third of spaCy's import time (0.12–0.15 s of the 0.5 s a
fresh ``claimlint check`` spends importing spaCy), for code claimlint never runs. :func:`defer`
puts stand-ins for ``spacy.cli`` and ``spacy.cli.info`` in ``sys.modules`` before spaCy is
imported (:func:`attach` then hangs the stand-in on the package); the first time anything reads
from either (``spacy.info()``, ``spacy.cli.download``, ``import spacy.cli.train``), the real modules
are imported and answer from then on.

Only the ``claimlint`` command calls it: the process is claimlint's. The library leaves a caller's
spaCy as it is.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

_NAMES = ("spacy.cli", "spacy.cli.info")


class _Deferred(types.ModuleType):
    """A stand-in module: any attribute it does not hold comes from the real module, imported then."""

    def __getattr__(self, name: str) -> Any:
        if name == "__path__" and self.__name__ != "spacy.cli":
            # The import system asks whether a module is a package; ``spacy.cli.info`` is not.
            raise AttributeError(name)
        return getattr(_real(self.__name__), name)


def _real(name: str) -> types.ModuleType:
    for stale in _NAMES:
        if isinstance(sys.modules.get(stale), _Deferred):
            del sys.modules[stale]
    module = importlib.import_module(name)
    spacy = sys.modules.get("spacy")
    if spacy is not None and isinstance(getattr(spacy, "cli", None), _Deferred):
        spacy.cli = importlib.import_module("spacy.cli")  # type: ignore[attr-defined]
    return module


def _info(*args: Any, **kwargs: Any) -> Any:
    """``spacy.info``: the real one, imported at its first call."""
    return _real("spacy.cli.info").info(*args, **kwargs)


def defer() -> None:
    """Install the stand-ins, unless spaCy (or its command line) is already imported."""
    if "spacy" in sys.modules or any(name in sys.modules for name in _NAMES):
        return
    info = _Deferred("spacy.cli.info")
    info.info = _info  # type: ignore[attr-defined]  # spacy/__init__ reads it at import
    sys.modules.update({"spacy.cli": _Deferred("spacy.cli"), "spacy.cli.info": info})


def attach(spacy: types.ModuleType) -> None:
    """Once spaCy is imported: ``spacy.cli`` names the stand-in, as an import would have made it
    name the real module (a module found in ``sys.modules`` is not set on its package)."""
    cli = sys.modules.get("spacy.cli")
    if isinstance(cli, _Deferred) and not hasattr(spacy, "cli"):
        spacy.cli = cli  # type: ignore[attr-defined]
