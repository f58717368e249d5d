"""Linting on several processes (``--jobs``): a stream of sources (catalog rows), or one long file.

Each worker builds (or, when forked, inherits) its own pipeline once; batches of sources go out,
findings come back in the order the sources came in. At most ``2 × jobs`` batches are in flight,
so a million-row catalog is never read ahead into memory.

A long file is cut between its blocks (paragraphs), in parts that shrink towards its end; a plain
one into runs of characters at paragraph breaks, which each worker splits itself. Claims never span
blocks, and everything a finding depends on beyond its block (footnotes, suppressions, line
numbers) is read from the whole file, which forked workers share with the parent rather than
receive by pickle.
"""

from __future__ import annotations

import copy
import multiprocessing
import os
import shutil
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from typing import TypeVar

from claimlint.engine import Linter, Settings, warm_linter
from claimlint.findings import Finding, Tally, UnusedSuppression
from claimlint.report.utf8 import PartRenderer
from claimlint.runner import (  # there: a run that forks no worker need not import this module
    LONG_FILE_CHARS,
    WorkerDied,
    parse_file,
    unused_suppressions,
)
from claimlint.sources import Source
from claimlint.sources.plain import PlainSource, cut_points, split_range

T = TypeVar("T")
S = TypeVar("S")
# A file to lint: its name, text, kind and the front-matter fields to read.
FileToLint = tuple[str, str, str, tuple[str, ...]]


_WORKER: Linter | None = None
_SHARED: Source | None = None
# A file shorter than this is linted in the parent: starting workers would cost more than it saves.
PARALLEL_MIN_CHARS = LONG_FILE_CHARS


def _init(settings: Settings) -> None:
    global _WORKER
    _WORKER = warm_linter(settings)  # inherited from the parent when forked, else built here


def _lint(batch: list[Source]) -> list[tuple[list[Finding], list[bool]]]:
    assert _WORKER is not None
    return [(findings, [s.used for s in source.suppressions]) for source, findings in _WORKER.lint_many(batch)]


def lint_parallel(
    settings: Settings, sources: Iterable[Source], jobs: int, batch: int = 256
) -> Iterator[tuple[Source, list[Finding]]]:
    for chunk, answers in _batches(settings, _chunks(sources, batch), jobs, _lint, ()):
        for source, (findings, used) in zip(chunk, answers, strict=True):
            _merge_used(source, used)
            yield source, findings


def lint_files_parallel(
    settings: Settings, files: Iterable[FileToLint], jobs: int, max_files: int, max_chars: int
) -> Iterator[tuple[list[Finding], list[UnusedSuppression]]]:
    """Each file's findings and its suppressions that silenced nothing, in order; the workers parse
    the files as well as lint them (a Markdown file's parse costs about a third of its linting).
    A batch holds up to ``max_files`` files and closes once it holds ``max_chars`` characters:
    small pages go many to a batch, through one spaCy stream, and a few large files still spread
    over every worker."""
    for _, answers in _batches(settings, _file_batches(files, max_files, max_chars), jobs, _lint_files, ()):
        yield from answers


def _file_batches(files: Iterable[FileToLint], max_files: int, max_chars: int) -> Iterator[list[FileToLint]]:
    batch: list[FileToLint] = []
    chars = 0
    for file in files:
        batch.append(file)
        chars += len(file[1])
        if len(batch) >= max_files or chars >= max_chars:
            yield batch
            batch, chars = [], 0
    if batch:
        yield batch


def _lint_files(batch: list[FileToLint]) -> list[tuple[list[Finding], list[UnusedSuppression]]]:
    assert _WORKER is not None
    sources = [parse_file(*file) for file in batch]
    return [(findings, unused_suppressions(source)) for source, findings in _WORKER.lint_many(sources)]


def can_render() -> bool:
    """Whether workers are forked, and so inherit what the parent set up (a long file's parts, a
    report's renderer for :func:`render_parallel` and :func:`render_source_parallel`)."""
    return "fork" in multiprocessing.get_all_start_methods()


def render_parallel(
    settings: Settings,
    sources: Iterable[Source],
    jobs: int,
    render: PartRenderer,
    batch: int = 256,
) -> Iterator[RenderedPart]:
    """As :func:`lint_parallel` (catalog rows), each batch's findings rendered by the worker into a
    file, as :func:`render_source_parallel` does for the parts of a long file; needs
    :func:`can_render`."""
    with _rendering(render) as directory:
        for chunk, (part, used) in _batches(settings, _chunks(sources, batch), jobs, _render_batch, (directory,)):
            for source, was_used in zip(chunk, used, strict=True):
                _merge_used(source, was_used)
            yield part


def _chunks(items: Iterable[S], size: int) -> Iterator[list[S]]:
    """Consecutive lists of ``size`` items (the last one shorter)."""
    stream = iter(items)
    while chunk := list(islice(stream, size)):
        yield chunk


def _batches(
    settings: Settings,
    chunks: Iterable[list[S]],
    jobs: int,
    task: Callable[..., T],
    extra: tuple[object, ...],
) -> Iterator[tuple[list[S], T]]:
    """``task(chunk, *extra)`` for each of ``chunks`` (of sources, or files), in a pool of workers;
    each chunk with its answer, in order. Chunks are taken as they are needed."""
    methods = multiprocessing.get_all_start_methods()
    fork = "fork" in methods
    if fork:
        warm_linter(settings)  # built once, before the fork, for every worker to inherit
    context = multiprocessing.get_context("fork" if fork else "spawn")
    # An executor, not a multiprocessing.Pool: a Pool whose worker dies waits for its answer forever.
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=_init, initargs=(settings,)) as pool:
        pending: deque[tuple[list[S], Future[T]]] = deque()
        for chunk in chunks:
            pending.append((chunk, pool.submit(task, chunk, *extra)))
            if len(pending) >= 2 * jobs:
                done, result = pending.popleft()
                yield done, _answer(result)
        while pending:
            done, result = pending.popleft()
            yield done, _answer(result)


def _answer(future: Future[T]) -> T:
    try:
        return future.result()
    except BrokenProcessPool:
        raise WorkerDied from None


def _merge_used(source: Source, used: list[bool]) -> None:
    """A suppression a worker used (on its copy of the source) is used."""
    for suppression, was_used in zip(source.suppressions, used, strict=True):
        suppression.used = suppression.used or was_used


def _lint_blocks(bounds: tuple[int, int], chars: bool = False) -> tuple[list[Finding], list[bool]]:
    """Lint a run of the shared source: blocks ``[lo, hi)``, or with ``chars`` the paragraphs of
    its plain text ``[lo, hi)``, split here."""
    assert _WORKER is not None and _SHARED is not None
    # Once per worker process, not once per part: the line index and the footnotes are of the
    # whole text, and every part's findings need them.
    _SHARED.lines  # noqa: B018
    _SHARED.document  # noqa: B018
    part = copy.copy(_SHARED)  # shares the text, its line index and its document context
    lo, hi = bounds
    part.blocks = split_range(_SHARED.text, lo, hi) if chars else _SHARED.blocks[lo:hi]
    part.suppressions = [copy.copy(s) for s in _SHARED.suppressions]
    findings = _WORKER.lint_source(part)
    return findings, [s.used for s in part.suppressions]


def block_ranges(source: Source, sizes: Iterable[int]) -> list[tuple[int, int]]:
    """Consecutive runs of the source's blocks, each about the next of ``sizes`` characters of
    copy (the rest, when they run out, is one run)."""
    ranges: list[tuple[int, int]] = []
    wanted = iter(sizes)
    start, size, chars = 0, 0, next(wanted, None)
    for i, block in enumerate(source.blocks):
        size += len(block.text)
        if chars is not None and size >= chars:
            ranges.append((start, i + 1))
            start, size, chars = i + 1, 0, next(wanted, None)
    if start < len(source.blocks):
        ranges.append((start, len(source.blocks)))
    return ranges


# Per part, a worker copies the source's suppressions and sends back its findings: a part
# smaller than this would spend more on that than it evens out.
MIN_PART = 50_000


def part_sizes(total: int, jobs: int) -> list[int]:
    """How many characters each part of a ``total``-character text gets: a quarter of what is left
    per worker, shrinking as the text is used up ("guided" scheduling), never under MIN_PART. The
    workers take parts as they free up, so they finish within one small part of each other: with
    equal parts the last worker ran on alone for up to a sixteenth of the text."""
    sizes: list[int] = []
    left = total
    while left > 0:
        size = max(left // (jobs * 4), MIN_PART)
        sizes.append(size)
        left -= size
    return sizes


def splits(source: Source, jobs: int) -> bool:
    """Whether :func:`lint_source_parallel` spreads this source over processes."""
    return jobs >= 2 and len(source.text) >= PARALLEL_MIN_CHARS and can_render()


def lint_source_parallel(linter: Linter, source: Source, jobs: int) -> Iterator[Finding]:
    """Findings for one source, in order, its blocks spread over ``jobs`` forked processes when it
    is long. Findings are yielded as each run of blocks is done, so the report is written while the
    rest is still being linted; the source's suppressions are marked used by the time it ends."""
    if not splits(source, jobs):
        yield from linter.lint_source(source)
        return
    for findings, used in _parts(linter, source, jobs, _lint_blocks, ()):
        _merge_used(source, used)
        yield from findings  # each part's findings are let go once written


@dataclass
class RenderedPart:
    """A run of a file's blocks linted and rendered by a worker: the report's bytes for its
    findings in a file, and what the report needs of them besides."""

    path: str
    count: int
    tally: Tally


def render_source_parallel(linter: Linter, source: Source, jobs: int, render: PartRenderer) -> Iterator[RenderedPart]:
    """As :func:`lint_source_parallel` (for a source it :func:`splits`), with each part's findings
    rendered to the report's bytes by ``render`` in the worker and left in a file, which the
    caller copies into the report and may then delete (the rest go when this ends).

    The report of a claim-dense file is bigger than its copy (1.7 kB of JSON a finding). Encoded
    in the parent it cost the parent as much processor time as a third of a worker's linting, all
    of it taken from the workers' two cores; passed through a pipe it cost nearly as much."""
    with _rendering(render) as directory:
        for part, used in _parts(linter, source, jobs, _render_blocks, (directory,)):
            _merge_used(source, used)
            yield part


@contextmanager
def _rendering(render: PartRenderer) -> Iterator[str]:
    """The renderer set for the workers to inherit, and a directory for their parts (removed, with
    whatever is left in it, at the end)."""
    global _RENDER
    saved = _RENDER
    _RENDER = render
    directory = tempfile.mkdtemp(prefix="claimlint-parts-")
    try:
        yield directory
    finally:
        _RENDER = saved
        shutil.rmtree(directory, ignore_errors=True)


def _parts(linter: Linter, source: Source, jobs: int, task: Callable[..., T], extra: tuple[object, ...]) -> Iterator[T]:
    """``task(bounds, chars, *extra)`` for every part of the source, in a pool of forked workers;
    the answers in order."""
    global _WORKER, _SHARED
    linter.warm()  # before the fork, so every worker inherits the pipeline
    sizes = part_sizes(len(source.text), jobs)
    # Plain text not yet split is cut into runs of characters, which the workers split.
    chars = isinstance(source, PlainSource) and not source.split
    if chars:
        cuts = cut_points(source.text, sizes)
        ranges = list(zip([0, *cuts[:-1]], cuts, strict=True))
    else:
        ranges = block_ranges(source, sizes)
    saved = _WORKER
    _WORKER, _SHARED = linter, source
    try:
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            parts = deque(pool.submit(task, bounds, chars, *extra) for bounds in ranges)
            while parts:
                yield _answer(parts.popleft())
    finally:
        _WORKER, _SHARED = saved, None


_RENDER: PartRenderer | None = None
# A part is written a finding at a time into a buffer this big: a write call per 600 findings of
# claim-dense copy, and the same few pages of memory for every part.
PART_BUFFER = 1 << 20


def _render_blocks(bounds: tuple[int, int], chars: bool, directory: str) -> tuple[RenderedPart, list[bool]]:
    findings, used = _lint_blocks(bounds, chars)
    return _write_part(findings, directory), used


def _render_batch(batch: list[Source], directory: str) -> tuple[RenderedPart, list[list[bool]]]:
    answers = _lint(batch)
    return _write_part([f for findings, _ in answers for f in findings], directory), [used for _, used in answers]


def _write_part(findings: list[Finding], directory: str) -> RenderedPart:
    assert _RENDER is not None
    tally = Tally()
    for finding in findings:
        tally.add(finding)
    fd, path = tempfile.mkstemp(dir=directory, suffix=".part")
    with os.fdopen(fd, "wb", buffering=PART_BUFFER) as out:
        _RENDER(findings, out.write)
    return RenderedPart(path, len(findings), tally)
