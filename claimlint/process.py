"""How a process that exists to lint (the command line, ``serve``, the daemon) is set up before it
imports anything heavy. Not for a library call: these settings belong to the caller's process.

* The garbage collector runs no young collection until the pipeline is built, then one per 50,000
  allocations instead of 700 (:func:`claimlint.engine.freeze_heap`). Importing spaCy and building
  the pipeline allocate objects that nearly all live to the end (the collections of a fresh check
  found under a thousand objects to free), and linting makes no reference cycles, so collections
  only re-walk live objects: about 250 at start-up at the default thresholds, and at 50,000 still
  2% of a small check's instructions. A command that never builds the pipeline (its findings read
  back from the cache) runs briefly, and its collector still runs once per million allocations.
* OpenBLAS starts no thread pool. claimlint never multiplies a matrix (the pipeline has no
  vectors or trained models), yet NumPy's OpenBLAS starts a thread per core at import, and those
  threads spin for a while: 0.1 s of CPU per run, taken from the cores the workers lint on.
* pydantic loads no plugins. Looking for them reads the metadata of every installed package
  (``importlib.metadata``: 12-15 ms, a tenth of a check answered from kept findings), and
  claimlint's own models have no use for one.
"""

from __future__ import annotations

import gc
import os

TYPE_CHECKING = False  # the daemon's client imports this module, and typing costs more than it
if TYPE_CHECKING:
    from typing import NoReturn

# Young-generation allocations between collections, then how many young (and middle) collections
# before the next older one (the defaults are 700, 10, 10).
LINTING_GC_THRESHOLDS = (50_000, 20, 20)
STARTUP_GC_THRESHOLDS = (1_000_000, 20, 20)  # until the pipeline is built and the heap frozen
SINGLE_THREADED_MATH = {"OPENBLAS_NUM_THREADS": "1"}
NO_PYDANTIC_PLUGINS = {"PYDANTIC_DISABLE_PLUGINS": "__all__"}


def prepare() -> None:
    """Set this process up for linting; a value the user set in the environment is kept."""
    gc.set_threshold(*STARTUP_GC_THRESHOLDS)
    for name, value in {**SINGLE_THREADED_MATH, **NO_PYDANTIC_PLUGINS}.items():
        os.environ.setdefault(name, value)


def finish(status: SystemExit) -> NoReturn:
    """End the command with ``status`` without tearing the interpreter down.

    A normal exit frees every object one by one: after a check, the pipeline, the compiled rule
    packs and the lemma table, a million objects over 100 MB, for 10-20 ms (2-4% of a small check)
    that change nothing a user can see. Here the exit handlers still run and the standard streams
    are flushed; then the process ends at once, as mypy's command line does. Anything unusual (a
    thread still running, an exit with a message, a stream that cannot be flushed) takes the
    normal exit, as before."""
    import atexit
    import sys

    code = status.code
    threading = sys.modules.get("threading")
    if not (code is None or isinstance(code, int)) or (threading is not None and threading.active_count() > 1):
        raise status
    atomic = sys.modules.get("claimlint.atomic")
    if atomic is not None:
        atomic.remove_set_aside(background=True)  # a replaced report is freed after this exit
    try:
        atexit._run_exitfuncs()  # they run once: a normal exit after a failed flush skips them
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException:  # noqa: BLE001 - e.g. a closed pipe: Python's own exit says what it always said
        raise status from None
    os._exit(code or 0)
