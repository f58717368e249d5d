"""Linting a stream of sources on several processes (``--jobs``), in order and in bounded memory.

Each worker builds (or, when forked, inherits) its own pipeline once; batches of sources go out,
findings come back in the order the sources came in. At most ``2 × jobs`` batches are in flight,
so a million-row catalog is never read ahead into memory.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import islice

from claimlint.engine import Linter, Settings
from claimlint.findings import Finding
from claimlint.sources import Source

_WORKER: Linter | None = None


def _init(settings: Settings) -> None:
    global _WORKER
    _WORKER = Linter(settings)


def _lint(batch: list[Source]) -> list[tuple[list[Finding], list[bool]]]:
    assert _WORKER is not None
    return [(findings, [s.used for s in source.suppressions]) for source, findings in _WORKER.lint_many(batch)]


def lint_parallel(
    settings: Settings, sources: Iterable[Source], jobs: int, batch: int = 256
) -> Iterator[tuple[Source, list[Finding]]]:
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    stream = iter(sources)
    with context.Pool(jobs, initializer=_init, initargs=(settings,)) as pool:
        pending: deque[
            tuple[list[Source], multiprocessing.pool.AsyncResult[list[tuple[list[Finding], list[bool]]]]]
        ] = deque()

        def drain() -> Iterator[tuple[Source, list[Finding]]]:
            chunk, result = pending.popleft()
            for source, (findings, used) in zip(chunk, result.get(), strict=True):
                for suppression, was_used in zip(source.suppressions, used, strict=True):
                    suppression.used = was_used
                yield source, findings

        while True:
            chunk = list(islice(stream, batch))
            if not chunk:
                break
            pending.append((chunk, pool.apply_async(_lint, (chunk,))))
            if len(pending) >= 2 * jobs:
                yield from drain()
        while pending:
            yield from drain()
