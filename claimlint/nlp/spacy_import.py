"""spaCy imported by the ``claimlint`` command without what it imports for code never run here.

``import spacy`` imports, besides what a claimlint process uses:

- ``spacy.cli``, for the one function spaCy re-exports (``spacy.info``), and with it typer,
  weasel, requests and httpx: a third of spaCy's import time (0.12–0.15 s of the 0.5 s a fresh
  ``claimlint check`` spends importing spaCy);
- pydantic, and ``pydantic.v1`` (its second copy, kept for old code), which confection imports only
  to recognise configuration schemas written as pydantic models and to catch their errors; nothing
  a check runs validates with it. With its compiled core, pydantic's import (and the rule models
  that were built on it) took a sixth of a small fresh check's time (37 of 219 ms);
- ``tqdm``, for the progress bars of spaCy's training loop;
- every built-in pipeline component (``spacy.pipeline``: parser, tagger, entity recognizer, text
  classifiers, ... 65 modules, 5% of a fresh check's instructions), of which a claimlint pipeline,
  run without a spaCy ``Language`` (:class:`claimlint.nlp.pipeline.ClaimPipeline`), uses none;
- thinc's neural network layers, losses, shims, backends, model and optimizers (``thinc.api``
  imports all of thinc: 99 modules), of which spaCy's import reads some twenty names: its
  configuration, schedules and utilities are read from the modules that define them, and the
  rest are held until used (:data:`_HELD`): the backends (thinc's operations on NumPy and
  CuPy arrays, with the BLAS library blis) are called once in a check, for an array module that is
  NumPy's. Seven of thinc's modules are imported;
- srsly's YAML functions, and with them its vendored copy of ruamel.yaml (40 modules, 3% of a fresh
  check's instructions), with which spaCy reads and writes YAML files a check never touches;
- NumPy's linear algebra (``numpy.linalg``, and with it NumPy's typing aliases: 13 modules, 3.5% of
  a fresh check's instructions), which NumPy's own import reads four functions of (for matrices and
  polynomials) and nothing in a check calls;
- ``packaging.requirements`` (with its parser and environment markers), for the one function of
  spaCy's utilities that splits a requirement string;
- ``spacy.language``, and with it the pipeline analysis, training (its corpora, batchers, loggers,
  pretraining), the token and dependency matchers, English's ``Language`` class and lemmatizer,
  the sentencizer, tagger and their base classes, and the registrations of spaCy's functions:
  35 modules (with ``tarfile`` and ``timeit``), 6% of a fresh check's instructions. A check needs
  spaCy's core (docs, vocabulary, tokenizer) and English's language data, which import none of
  that, but spaCy's ``__init__`` imports ``spacy.language``;
- ``spacy.schemas``, some fifty pydantic models of spaCy's configuration, training data and
  patterns (8% of a fresh check's instructions), which its docs read to validate JSON and its
  phrase matcher to check the attribute it is made on (the tokenizer's is ORTH: :func:`_token_pattern`);
- NumPy's docstrings: ``numpy._core._add_newdocs`` and ``_add_newdocs_scalars`` only set the
  docstrings (and scalar types' text signatures) of NumPy's compiled functions and types, for
  ``help()`` and documentation tools: 5% of a fresh check's instructions;
- ``importlib.metadata``, for the entry points catalogue reads at import and spaCy's import looks
  two groups up in, that no installed package fills (:mod:`claimlint.nlp.entry_points`);
- ``spacy.scorer`` and spaCy's training examples with their alignments, which spaCy's tokenizer
  imports for ``Tokenizer.score`` alone;
- srsly's pickling functions, and with them its copy of cloudpickle, with which spaCy pickles docs
  and vocabularies;
- ``multiprocessing`` (with ``socket``, ``selectors`` and signal handling), which wasabi's printer
  imports for the spinner of spaCy's downloads, and ``socket``, which spaCy's utilities import to
  find a free port (these three items: 78 million instructions, a tenth of a fresh check's; thinc's
  backends and model 37 million more);
- ``tempfile``, ``shutil``, ``random`` and ``difflib``, which spaCy's utilities, thinc and wasabi
  import for functions a check never calls (6 million).

:func:`defer` puts stand-ins for ``spacy.cli``, ``spacy.cli.info``, ``tqdm``, ``spacy.pipeline``,
``thinc.api``, ``thinc.backends``, ``srsly._yaml_api``, ``srsly._pickle_api``, ``numpy.linalg``,
``packaging.requirements``, ``spacy.schemas``, NumPy's docstrings and ``importlib.metadata`` in
``sys.modules`` before spaCy is imported, and makes ``spacy`` itself a stand-in when it is first
imported (:class:`_SpacyCore`: it imports the core, in spaCy's order, with stand-ins for
``spacy.training``, ``spacy.matcher``, ``spacy.lang.en``, ``spacy.scorer`` and the standard
library's modules of ``_STANDARD``); :func:`attach` then hangs the stand-ins on their packages, and
takes the standard library's out of ``sys.modules``, for claimlint's own code to import the real
ones. The first time anything reads from one
(``spacy.info()``, ``spacy.cli.download``, ``import spacy.cli.train``, ``tqdm.tqdm``,
``spacy.pipeline.Tagger``, ``thinc.api.chain``, ``srsly.read_yaml()``, ``numpy.linalg.norm``,
``spacy.blank``, ``spacy.lang.en.English``, ``numpy._core._add_newdocs.add_newdoc``), the real
module is imported and answers from then on.
The names read at import come from the modules that define them (``_NAMES``), the very objects
the whole module would give, or are functions that import the real module at their first call
(``_FUNCTIONS``: those that packages import by name), or stand-ins for a function or class that
import the real module when used (:class:`_Later`); once spaCy is imported, those functions
leave the stand-ins, so that a later import by name gets the real object. The stand-ins of
packages have their packages' real paths, so that their modules can be imported one by one
(``spacy.pipeline.lemmatizer``, ``spacy.lang.en.tokenizer_exceptions``, ``spacy.tokens``).
And while confection is imported, and only then, pydantic is not found: confection takes that as
it would without pydantic installed. When anything imports pydantic later, confection gets
pydantic's two classes it looks for, as its import would have found them (``pydantic.v1``'s stay
unset, as on a Python without it). Anything else that imports pydantic or ``pydantic.v1`` gets it.

Only the ``claimlint`` command calls it: the process is claimlint's. The library leaves a caller's
spaCy as it is.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
import os
import sys
import types
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, cast

from claimlint.nlp import entry_points

if TYPE_CHECKING:
    from importlib.abc import Loader

# spaCy's command-line package and its module ``info`` go together: when either is really
# imported, both stand-ins leave.
_SPACY_CLI = ("spacy.cli", "spacy.cli.info")
_PACKAGES = ("spacy.cli", "tqdm")
_PIPELINE = "spacy.pipeline"
_THINC_API = "thinc.api"
_YAML = "srsly._yaml_api"
_LINALG = "numpy.linalg"
_REQUIREMENTS = "packaging.requirements"
_SCHEMAS = "spacy.schemas"
_PICKLE = "srsly._pickle_api"
_MULTIPROCESSING = "multiprocessing"
# Modules of the standard library that spaCy's import binds and uses only in functions a check
# never calls (``spacy.util`` opens a socket to find a free port, copies and removes directories,
# makes temporary ones; wasabi's printer starts a process for the spinner of spaCy's downloads and
# compares texts with difflib; thinc seeds ``random``): stand-ins while spaCy is imported, which
# leave once it is (:func:`attach`), for claimlint's own code to import the real ones.
_STANDARD = ("socket", _MULTIPROCESSING, "shutil", "tempfile", "random", "difflib")
# What spaCy's core (its docs, vocabulary and tokenizer) imports for code a check never runs, left to
# stand-ins while the core is imported without spaCy's ``__init__`` (:class:`_SpacyCore`): training
# and scoring (for ``Tokenizer.score``), the token matchers (the tokenizer uses only the phrase
# matcher) and English's ``Language`` class (for its language data alone).
_SPACY_PARTS = ("spacy.training", "spacy.matcher", "spacy.lang.en", "spacy.scorer")
_BACKENDS = "thinc.backends"
# Functions and classes that spaCy's import reads by name from a stand-in's module, each held by
# the stand-in (:class:`_Later`, answered by the module that defines it) until spaCy is imported:
# - what spaCy's tokenizer reads for ``Tokenizer.score`` alone (scoring imports spaCy's training
#   examples and their alignments), and wasabi's ``Process``;
# - the nine names spaCy's core reads from thinc's backends (its operations on NumPy and CuPy
#   arrays, with the BLAS library blis), model and optimizers, which import the backends, for
#   annotations, type checks and code a check never runs: 37 million instructions, 5% of a fresh
#   check's. The one spaCy calls, ``get_current_ops``, is :func:`_current_ops`.
_HELD: dict[str, dict[str, str]] = {
    "spacy.training": {"validate_examples": "spacy.training"},
    "spacy.scorer": {"Scorer": "spacy.scorer"},
    _MULTIPROCESSING: {"Process": _MULTIPROCESSING},
    _THINC_API: {
        **dict.fromkeys(("Model", "set_dropout_rate"), "thinc.model"),
        **dict.fromkeys(("Ops", "NumpyOps", "CupyOps", "set_gpu_allocator"), _BACKENDS),
        **dict.fromkeys(("Optimizer", "Adam"), "thinc.optimizers"),
    },
    _BACKENDS: {"get_array_ops": _BACKENDS},  # read by spacy.vectors
}
_METADATA = entry_points.METADATA
# Names read from the stand-in of ``importlib.metadata`` while spaCy is imported (by catalogue).
_METADATA_NAMES = {"entry_points": entry_points.entry_points, "EntryPoint": entry_points.EntryPoint}
# NumPy's docstrings, in the package NumPy 2 (``_core``) or NumPy 1 (``core``) imports them from.
_NUMPY_DOCS = tuple(
    f"numpy.{core}.{docs}" for core in ("_core", "core") for docs in ("_add_newdocs", "_add_newdocs_scalars")
)
# Functions that a package imports by name, while spaCy is imported, from a module it imports for
# nothing else; with the package that must not be imported yet for the module to be left out (it
# imports the module itself).
_FUNCTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    _YAML: ("srsly", ("read_yaml", "write_yaml", "yaml_dumps", "yaml_loads", "is_yaml_serializable")),
    # read by numpy.matrixlib and numpy.lib's polynomials
    _LINALG: ("numpy", ("eigvals", "inv", "lstsq", "matrix_power")),
    _REQUIREMENTS: ("packaging", ("Requirement",)),  # read by spacy.util
    _SCHEMAS: ("spacy", ("TokenPattern",)),  # read by spacy.matcher.phrasematcher: _token_pattern
    # read by srsly, for spaCy's pickling of docs and vocabularies (with cloudpickle)
    _PICKLE: ("srsly", ("pickle_dumps", "pickle_loads")),
}
# Stand-ins an import found in ``sys.modules``, and so did not set on their packages.
_ATTACHED = ("spacy.cli", _THINC_API, _BACKENDS, *_FUNCTIONS, *_SPACY_PARTS, *_NUMPY_DOCS)
# Names read from a stand-in while spaCy (and its English) is imported, and the module that defines
# each: read from there, they need none of the rest. (Another spaCy or thinc that moves one still
# works: the name then comes from the whole module.)
_NAMES: dict[str, dict[str, str]] = {
    "spacy.training": dict.fromkeys(("Example", "validate_get_examples"), "spacy.training.example"),
    _PIPELINE: {"Lemmatizer": "spacy.pipeline.lemmatizer", "Sentencizer": "spacy.pipeline.sentencizer"},
    _THINC_API: {
        **dict.fromkeys(("Config", "ConfigValidationError"), "thinc.config"),
        **dict.fromkeys(("compounding", "decaying"), "thinc.schedules"),
        "SequenceCategoricalCrossentropy": "thinc.loss",
        **dict.fromkeys(
            ("get_array_module", "fix_random_seed", "prefer_gpu", "require_cpu", "require_gpu"), "thinc.util"
        ),
    },
}


class _Deferred(types.ModuleType):
    """A stand-in module: any attribute it does not hold comes from the real module, imported then
    (a name of ``_NAMES`` from the module that defines it)."""

    def __getattr__(self, name: str) -> Any:
        module = _NAMES.get(self.__name__, {}).get(name)
        if module is not None:
            try:
                found = getattr(importlib.import_module(module), name)
            except (ImportError, AttributeError):
                pass
            else:
                setattr(self, name, found)
                return found
        if name == "__path__" and self.__name__ not in _PACKAGES:
            # The import system asks whether a module is a package; ``spacy.cli.info`` is not.
            raise AttributeError(name)
        if isinstance(self, _DeferredPackage) and sys.modules.get(self.__name__) is self and name[:2] != "__":
            # A module of the package, read by a sibling imported alone (``from numpy.linalg import
            # _umath_linalg``), is imported alone too: the package's own import would import that
            # sibling again, half made.
            module = f"{self.__name__}.{name}"
            found = sys.modules.get(module)
            if found is not None:  # a stand-in (``from .. import schemas``)
                return found
            if importlib.util.find_spec(module) is not None:
                return importlib.import_module(module)
        return getattr(real_module(self.__name__), name)


class _DeferredPackage(_Deferred):
    """The stand-in of a package (``spacy.pipeline``, ``numpy.linalg``) whose modules import one by
    one."""


def _where(name: str) -> list[str] | None:
    """Where the module or package ``name`` would be, under its top-level package's real locations,
    found without importing any package on the way; None if the top-level package is not installed."""
    top, _, rest = name.partition(".")
    spec = importlib.util.find_spec(top)
    if spec is None or not spec.submodule_search_locations:
        return None
    return [os.path.join(location, *rest.split(".")) for location in spec.submodule_search_locations]


def _stand_in(name: str) -> _Deferred | None:
    """A stand-in for the module ``name``, found without importing its parent (whose own import must
    meet the stand-in); a package's has the package's real path. None if it is not installed."""
    path = _where(name)
    if path is None:
        # a module at the top level (socket), or nothing installed
        return _Deferred(name) if "." not in name and importlib.util.find_spec(name) is not None else None
    if not any(os.path.isdir(directory) for directory in path):
        return _Deferred(name)
    package = _DeferredPackage(name)
    package.__path__ = path
    package.__spec__ = importlib.machinery.ModuleSpec(name, None, is_package=True)
    package.__spec__.submodule_search_locations = path
    return package


def _installed(name: str) -> bool:
    """Whether the module ``name`` (not a package) is a file of its installed package."""
    suffixes = importlib.machinery.all_suffixes()
    return any(os.path.isfile(stem + suffix) for stem in _where(name) or () for suffix in suffixes)


# The finders and the loader below are plain classes, with the methods the import system calls:
# ``importlib.abc`` imports ``importlib.resources`` and its typing for two base classes (5 million
# instructions of a fresh check; 20 million imported alone).
class _WithoutPydantic:
    """Finds no pydantic (nor ``pydantic.v1``) while ``confection.validation`` is being imported;
    once pydantic is imported anyway, sets confection's names for its classes, as confection's
    import would have had it found pydantic then (:class:`_TellingConfection`).

    Every confection spaCy 3 installs takes a missing pydantic in its stride: those before 1.1 have
    no ``confection.validation`` (and the finder then hides nothing), and from 1.1 that module
    imports pydantic only to recognise schemas written as pydantic models."""

    def __init__(self) -> None:
        self.hid_pydantic = False

    def find_spec(
        self, fullname: str, path: Sequence[str] | None = None, target: types.ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != "pydantic" and not fullname.startswith("pydantic."):
            return None
        importing = sys.modules.get("confection.validation")
        if importing is not None and getattr(importing.__spec__, "_initializing", False):
            self.hid_pydantic = self.hid_pydantic or fullname == "pydantic"
            raise ModuleNotFoundError(f"{fullname} is not imported for confection here", name=fullname)
        if fullname != "pydantic" or not self.hid_pydantic:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is not None and spec.loader is not None:
            spec.loader = cast("Loader", _TellingConfection(spec.loader))
        return spec


class _TellingConfection:
    """pydantic's own loader, which then gives confection pydantic's ``BaseModel`` and
    ``ValidationError``: confection recognises a pydantic schema by them (spaCy's configuration
    schemas, when a trained pipeline is loaded) and catches a pydantic error by the second."""

    def __init__(self, loader: Loader) -> None:
        self.loader = loader

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType | None:
        return self.loader.create_module(spec)

    def exec_module(self, module: types.ModuleType) -> None:
        # The module is pydantic's as if found without the finder, which has no more to do.
        module.__loader__ = self.loader
        if module.__spec__ is not None:
            module.__spec__.loader = self.loader
        if _FINDER in sys.meta_path:
            sys.meta_path.remove(_FINDER)
        self.loader.exec_module(module)
        validation = sys.modules.get("confection.validation")
        if validation is not None and vars(validation).get("_PydanticV2BaseModel", False) is None:
            validation._PydanticV2BaseModel = module.BaseModel  # type: ignore[attr-defined]
            validation._PydanticV2ValidationError = module.ValidationError  # type: ignore[attr-defined]


class _SpacyCore:
    """Makes the first ``import spacy`` (or ``import spacy.tokens``, ...) give a stand-in for the
    package, with its real path, instead of running spaCy's ``__init__``, which imports
    ``spacy.language`` and so everything spaCy has for building, training and scoring pipelines.
    The stand-in imports the core first, in the order spaCy's own import does (its warning filters,
    then ``spacy.tokens`` before the vocabulary and tokenizer, which import each other), with the
    modules of ``_SPACY_PARTS`` left to stand-ins. Anything else read from the package
    (``spacy.load``, ``spacy.blank``) imports the real one, ``__init__`` and all."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None = None, target: types.ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != "spacy":
            return None
        real = importlib.machinery.PathFinder.find_spec(fullname)
        if real is None or not real.submodule_search_locations:
            return None
        # The real origin, for what finds where spaCy is installed (the disk cache's stamps).
        spec = importlib.machinery.ModuleSpec(fullname, cast("Loader", self), origin=real.origin, is_package=True)
        spec.submodule_search_locations = list(real.submodule_search_locations)
        return spec

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        package = _DeferredPackage(spec.name)
        # Set here, not by the import system, which would look them up on the stand-in first, and a
        # name the stand-in lacks imports the real package.
        package.__path__ = list(spec.submodule_search_locations or ())
        package.__file__ = spec.origin
        return package

    def exec_module(self, module: types.ModuleType) -> None:
        if self in sys.meta_path:
            sys.meta_path.remove(self)  # once: the real package, when asked for, is found as always
        for name in (*_SPACY_PARTS, *_STANDARD):
            if name not in sys.modules:
                stand_in = _stand_in(name)
                if stand_in is not None:
                    sys.modules[name] = _holding(stand_in)
        importlib.import_module("spacy.errors").setup_default_warnings()
        importlib.import_module("spacy.tokens")


_FINDER = _WithoutPydantic()
_CORE = _SpacyCore()


def real_module(name: str) -> types.ModuleType:
    """The real module ``name``, imported in place of its stand-in (if it has one)."""
    stand_in = sys.modules.get(name)
    for stale in _SPACY_CLI if name in _SPACY_CLI else (name,):
        if isinstance(sys.modules.get(stale), _Deferred):
            del sys.modules[stale]
    module = importlib.import_module(name)
    if isinstance(stand_in, _DeferredPackage):
        # Modules imported through the stand-in are attributes of the stand-in; the real package's
        # own imports of them found them already imported and did not set them on it.
        for child, sub in vars(stand_in).items():
            if isinstance(sub, types.ModuleType) and not hasattr(module, child):
                setattr(module, child, sub)
    spacy = sys.modules.get("spacy")
    if name in _SPACY_CLI and spacy is not None and isinstance(getattr(spacy, "cli", None), _Deferred):
        spacy.cli = importlib.import_module("spacy.cli")  # type: ignore[attr-defined]
    return module


def _calling(module: str, name: str) -> Callable[..., Any]:
    """A function of a deferred module that a package re-exports at import (``spacy.info``,
    ``srsly.read_yaml``): the real one, imported at its first call."""

    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(real_module(module), name)(*args, **kwargs)

    call.__name__ = call.__qualname__ = name
    call.__module__ = module
    return call


class _Later:
    """A function or class of a deferred module, read by name at import (``from .scorer import
    Scorer``): calling it, reading from it (``Scorer.score_tokenization``) or testing against it
    (``isinstance``) imports the real module and asks the real one."""

    def __init__(self, module: str, name: str) -> None:
        self._module, self._name = module, name

    def _real(self) -> Any:
        return getattr(real_module(self._module), self._name)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._real()(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        if name in ("_module", "_name"):  # not set yet (a copy being made)
            raise AttributeError(name)
        return getattr(self._real(), name)

    def __getitem__(self, item: Any) -> Any:  # ``Model[InT, OutT]``
        return self._real()[item]

    def __mro_entries__(self, bases: tuple[Any, ...]) -> tuple[Any, ...]:  # ``class Tagger(Model)``
        return (self._real(),)

    def __instancecheck__(self, instance: object) -> bool:
        return isinstance(instance, self._real())

    def __subclasscheck__(self, subclass: type) -> bool:
        return issubclass(subclass, self._real())

    def __repr__(self) -> str:
        return f"<{self._module}.{self._name}, imported when used>"


def _holding(stand_in: _Deferred) -> _Deferred:
    """``stand_in``, holding its module's names of ``_HELD``."""
    for name, module in _HELD.get(stand_in.__name__, {}).items():
        setattr(stand_in, name, _Later(module, name))
    return stand_in


def _current_ops() -> Any:
    """thinc's ``get_current_ops`` for spaCy's core, which calls it at a check's start to make a
    vocabulary's empty vectors table with the ops' array module: while thinc's backends are not
    imported, :class:`_CpuOps`; once they are, thinc's own current ops."""
    backends = sys.modules.get(_BACKENDS)
    if backends is None or isinstance(backends, _Deferred):
        return _CpuOps()
    return backends.get_current_ops()


class _CpuOps:
    """The current ops before thinc's backends are imported: those of the CPU (thinc's default, and
    all that a process can have set without importing them), whose array module is NumPy's.
    Anything else asked of them is asked of thinc's current ops, imported then."""

    @property
    def xp(self) -> Any:
        import numpy

        return numpy

    def __getattr__(self, name: str) -> Any:
        return getattr(real_module(_BACKENDS).get_current_ops(), name)


def _token_pattern(*args: Any, **kwargs: Any) -> Any:
    """``spacy.schemas.TokenPattern`` for spaCy's phrase matcher, which reads it at import and calls
    it in one place: ``attr.lower() in TokenPattern().model_dump()``, the check of the attribute a
    new matcher matches on. The tokenizer makes its matcher on ORTH, a field of every spaCy's
    ``TokenPattern``: that answer needs no schema. spaCy's schemas (some fifty pydantic models,
    8% of a fresh check's instructions) are imported for anything else."""
    if args or kwargs:
        return _real_token_pattern()(*args, **kwargs)
    return _EmptyPattern()


def _real_token_pattern() -> Any:
    return real_module(_SCHEMAS).TokenPattern


class _EmptyPattern:
    """``TokenPattern()``, whose ``model_dump()`` (the pattern's fields) holds "orth"."""

    def model_dump(self, **kwargs: Any) -> Any:
        return _real_token_pattern()().model_dump(**kwargs) if kwargs else _PatternFields()

    def __getattr__(self, name: str) -> Any:
        return getattr(_real_token_pattern()(), name)


class _PatternFields:
    """``TokenPattern().model_dump()``: "orth" is in it; anything else asks the real one."""

    def __contains__(self, name: object) -> bool:
        return name == "orth" or name in _real_token_pattern()().model_dump()

    def __getattr__(self, name: str) -> Any:
        return getattr(_real_token_pattern()().model_dump(), name)

    def __iter__(self) -> Any:
        return iter(_real_token_pattern()().model_dump())

    def __len__(self) -> int:
        return len(_real_token_pattern()().model_dump())


def defer() -> None:
    """Install the stand-ins and the finder, unless spaCy (or what they stand for) is already imported."""
    if "spacy" in sys.modules:
        return
    if not any(name in sys.modules for name in _SPACY_CLI):
        info = _Deferred("spacy.cli.info")
        info.info = _calling("spacy.cli.info", "info")  # type: ignore[attr-defined]  # spacy/__init__ reads it at import
        sys.modules.update({"spacy.cli": _Deferred("spacy.cli"), "spacy.cli.info": info})
    if "tqdm" not in sys.modules:
        sys.modules["tqdm"] = _Deferred("tqdm")
    if _PIPELINE not in sys.modules:
        pipeline = _stand_in(_PIPELINE)
        if pipeline is not None:
            sys.modules[_PIPELINE] = pipeline
    if _THINC_API not in sys.modules and importlib.util.find_spec("thinc") is not None:
        sys.modules[_THINC_API] = api = _holding(_Deferred(_THINC_API))
        api.get_current_ops = _current_ops  # type: ignore[attr-defined]
        backends = None if "thinc" in sys.modules else _stand_in(_BACKENDS)
        if backends is not None:
            sys.modules[_BACKENDS] = _holding(backends)
    for module, (package, functions) in _FUNCTIONS.items():
        stand_in = None if package in sys.modules or module in sys.modules else _stand_in(module)
        if stand_in is None:
            continue
        for name in functions:
            setattr(stand_in, name, _token_pattern if module == _SCHEMAS else _calling(module, name))
        sys.modules[module] = stand_in
    if "numpy" not in sys.modules:
        for name in _NUMPY_DOCS:
            if _installed(name):
                sys.modules[name] = _Deferred(name)
    if _METADATA not in sys.modules and "catalogue" not in sys.modules:
        metadata = _stand_in(_METADATA)
        if metadata is not None:
            vars(metadata).update(_METADATA_NAMES)
            sys.modules[_METADATA] = metadata
            importlib.metadata = metadata  # as its import would have set it
    if "confection" not in sys.modules and "pydantic.v1" not in sys.modules and _FINDER not in sys.meta_path:
        sys.meta_path.insert(0, _FINDER)
    if _CORE not in sys.meta_path:
        sys.meta_path.insert(0, _CORE)  # last: the stand-ins above were found through spaCy's real spec


def attach() -> None:
    """Once spaCy is imported: ``spacy.cli``, ``thinc.api``, ``srsly._yaml_api``, ``numpy.linalg``
    and ``packaging.requirements`` name the stand-ins, as an import would have made them name the
    real modules (a module found in ``sys.modules`` is not set on its package); the functions the
    stand-ins held for spaCy's import leave them (what imports one by name from now on gets the
    real object: ``packaging.requirements.Requirement`` is a class, and
    ``importlib.metadata.entry_points`` the real function); and the finder, its work done,
    leaves the import system, unless it hid pydantic from confection and pydantic is still to be
    imported (it then leaves as confection is given pydantic's classes)."""
    for name in _ATTACHED:
        stand_in = sys.modules.get(name)
        package, _, child = name.rpartition(".")
        parent = sys.modules.get(package)
        if isinstance(stand_in, _Deferred) and parent is not None and child not in vars(parent):
            setattr(parent, child, stand_in)
    held = {name: names for name, (_, names) in _FUNCTIONS.items()}
    held[_METADATA] = tuple(_METADATA_NAMES)
    held.update({name: tuple(names) for name, names in _HELD.items()})
    held[_THINC_API] += ("get_current_ops",)
    for name, functions in held.items():
        stand_in = sys.modules.get(name)
        if isinstance(stand_in, _Deferred):
            for function in functions:
                vars(stand_in).pop(function, None)
    # The standard library's stand-ins leave: what imports one next gets the real module, imported
    # whole and in its own order, unless a module of it was imported through the stand-in.
    for name in _STANDARD:
        prefix = name + "."
        if isinstance(sys.modules.get(name), _Deferred) and not any(n.startswith(prefix) for n in sys.modules):
            del sys.modules[name]
    if _FINDER in sys.meta_path and not (_FINDER.hid_pydantic and "pydantic" not in sys.modules):
        sys.meta_path.remove(_FINDER)
