"""How a process that exists to lint (the command line, ``serve``, the daemon) is set up before it
imports anything heavy. Not for a library call: these settings belong to the caller's process.

* The garbage collector runs a young collection once per 50,000 allocations instead of 700.
  Importing spaCy and building the pipeline allocate a million objects that all live to the end,
  and linting makes no reference cycles, so the default thresholds only re-walk live objects:
  about 250 collections at start-up alone.
* OpenBLAS starts no thread pool. claimlint never multiplies a matrix (the pipeline has no
  vectors or trained models), yet NumPy's OpenBLAS starts a thread per core at import, and those
  threads spin for a while: 0.1 s of CPU per run, taken from the cores the workers lint on.
"""

from __future__ import annotations

import gc
import os

# Young-generation allocations between collections, then how many young (and middle) collections
# before the next older one (the defaults are 700, 10, 10).
LINTING_GC_THRESHOLDS = (50_000, 20, 20)
SINGLE_THREADED_MATH = {"OPENBLAS_NUM_THREADS": "1"}


def prepare() -> None:
    """Set this process up for linting; a value the user set in the environment is kept."""
    gc.set_threshold(*LINTING_GC_THRESHOLDS)
    for name, value in SINGLE_THREADED_MATH.items():
        os.environ.setdefault(name, value)
