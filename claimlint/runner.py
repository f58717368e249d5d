"""Checking what the user named: files, directories (walked with include/exclude globs), standard
input, catalogs streamed row by row; per-file ignores, unused suppressions and a progress line."""

from __future__ import annotations

import io
import os
import stat
import sys
import time
from collections import deque
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatch
from functools import lru_cache, partial
from itertools import chain, groupby
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Protocol, runtime_checkable

from claimlint.engine import Linter, rule_matches_id
from claimlint.findings import Finding, InputError, Report, UnusedSuppression
from claimlint.sources import InputFileError, Source, kind_of, read_text, source_from_text
from claimlint.sources.base import shown
from claimlint.sources.catalog import CatalogOptions, CatalogStats, NoCopyFields, iter_sources
from claimlint.sources.markdown import FRONT_MATTER_FIELDS

if TYPE_CHECKING:
    from claimlint.parallel import RenderedPart
    from claimlint.report.utf8 import PartRenderer
    from claimlint.resultcache import Keys, Known

TEXT_SUFFIXES = (".txt", ".text")
# A file this long is linted in parts over processes (claimlint.parallel), and its findings are not
# kept between runs (claimlint.resultcache).
LONG_FILE_CHARS = 400_000
# Many files go to workers once this much of their text waits to be linted: below it, starting
# the workers costs about what they would save (measured on product copy, 180,000 characters).
MANY_FILES_CHARS = 200_000
# ... a batch at a time, of up to this many files or this many characters: small pages go many to
# a batch, linted through one spaCy stream (on 2,000 pages, batches of 32–64 took 8–10% less time than
# batches of 8), and a few large files still spread over every worker.
FILES_PER_BATCH = 64
BATCH_CHARS = 100_000
# At most this many files are read ahead, waiting to be reported in order, before those among
# them that need linting are linted here rather than on workers (few files changed in a big tree).
FILES_AHEAD = 1_000
SMALL_CATALOG_BYTES = 128 * 1024  # about a thousand rows of listings
SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        "__pycache__",
        ".venv",
        "venv",
        ".tox",
        ".mypy_cache",
        ".ruff_cache",
        "dist",
        "build",
    }
)


class WorkerDied(RuntimeError):
    """A worker process ended without an answer (killed, out of memory, crashed): one line."""

    def __str__(self) -> str:
        return "a worker process died (out of memory? killed?); run again, or with --jobs 1"


@dataclass(frozen=True)
class RunOptions:
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    stdin_filename: str | None = None
    catalog: CatalogOptions = field(default_factory=CatalogOptions)
    front_matter_fields: tuple[str, ...] = FRONT_MATTER_FIELDS
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    keep_text: bool = False  # each file's text, while its findings are reported (text excerpts)
    retain_text: bool = False  # ... and until the end of the run (the HTML report)
    progress: bool = False
    root: Path = field(default_factory=Path.cwd)
    jobs: int = 1  # processes for catalogs (rows in batches) and long files (runs of paragraphs)


@runtime_checkable
class PartSink(Protocol):
    """A report writer that can take findings rendered by the workers, a part at a time."""

    def renderer(self) -> PartRenderer: ...
    def add_part(self, path: str, count: int) -> None: ...


def run(
    linter: Linter,
    inputs: Sequence[str],
    options: RunOptions,
    stdin: BinaryIO | None = None,
    report: Report | None = None,
    parts_to: PartSink | None = None,
) -> Report:
    """Lint every input; unreadable inputs become :class:`InputError` entries, the rest go on.

    Pass a ``report`` to choose what happens to findings as they come (listeners, keep or not).
    Pass ``parts_to`` when that writer is the report's only use of the findings (no listener,
    observer or filter besides, none kept): the parts of a long file, and the batches of rows of a
    catalog, linted in parallel are then rendered by the workers and only copied into it.
    """
    from claimlint.resultcache import Keys

    report = report if report is not None else Report(markets=list(linter.settings.markets))
    keys = Keys(linter, options.front_matter_fields)
    items = _expand(inputs, options, report)
    # Runs of ordinary files go together (on the workers, when there are enough of them); standard
    # input, catalogs and long files, which have workers of their own, one at a time.
    for together, run_of in groupby(items, key=lambda item: _one_of_many(item[0], item[2])):
        if together:
            _check_files(linter, report, ((name, explicit) for name, explicit, _ in run_of), options, keys)
            continue
        for item, explicit, _ in run_of:
            if item == "-":
                name = options.stdin_filename or "<stdin>"
                buffer = stdin if stdin is not None else sys.stdin.buffer
                _check(linter, report, name, options, keys, explicit=True, stdin=buffer, parts_to=parts_to)
            else:
                _check(linter, report, item, options, keys, explicit=explicit, parts_to=parts_to)
    return report


def _one_of_many(name: str, size: int | None) -> bool:
    """Whether a file goes with the others of its run (:func:`_check_files`): not standard input, a
    catalog or a long file (its size in bytes, ``size`` when the walk found it, is at least its
    length in characters)."""
    if name == "-" or kind_of(name) == "catalog":
        return False
    if size is None:
        try:
            size = os.stat(name).st_size
        except OSError:
            return True  # reported as unreadable, in its turn
    return size < LONG_FILE_CHARS


_FORKS = hasattr(os, "fork")


def _expand(inputs: Sequence[str], options: RunOptions, report: Report) -> Iterator[tuple[str, bool, int | None]]:
    """Each file to check: its name, whether it was named (not found by walking), and its size in
    bytes when the walk has looked at it already."""
    for item in inputs:
        if item == "-":
            yield item, True, None
            continue
        path = Path(item)
        if path.is_dir():
            found = sorted(_walk(path, options))
            if not found:
                report.notices.append(f"{item}: no files to check (see --include)")
            for child in found:
                try:
                    st = os.stat(child)
                except OSError:
                    yield str(child), False, 0  # a broken link: reported as unreadable, in its turn
                    continue
                if not stat.S_ISREG(st.st_mode):
                    # A named pipe, a socket or a device would block the walk, or never end.
                    report.notices.append(f"{shown(child)}: skipped, not a regular file")
                    continue
                yield str(child), False, st.st_size
        else:
            yield item, True, None


def _walk(directory: Path, options: RunOptions) -> Iterator[Path]:
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
        for name in files:
            path = Path(root) / name
            # Resolved only for globs to match: two system calls a file, a third of walking a tree.
            rel = _relative(path, options.root) if options.exclude or options.include else ""
            if options.exclude and any(glob_match(rel, g) for g in options.exclude):
                continue
            if options.include:
                if any(glob_match(rel, g) for g in options.include):
                    yield path
            elif kind_of(name) != "text" or name.lower().endswith(TEXT_SUFFIXES):
                yield path


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def glob_match(path: str, pattern: str) -> bool:
    """``fnmatch`` where ``**/`` may also match no directory and a bare pattern matches a file name."""
    if fnmatch(path, pattern) or ("**/" in pattern and fnmatch(path, pattern.replace("**/", ""))):
        return True
    return "/" not in pattern and fnmatch(path.rsplit("/", 1)[-1], pattern)


def _check(
    linter: Linter,
    report: Report,
    name: str,
    options: RunOptions,
    keys: Keys,
    *,
    explicit: bool,
    stdin: BinaryIO | None = None,
    parts_to: PartSink | None = None,
) -> None:
    kind = kind_of(name)
    if kind == "catalog":
        try:
            _check_catalog(linter, report, name, options, stdin, parts_to)
        except (NoCopyFields, InputFileError) as exc:
            _unreadable(report, name, exc, explicit)
        return
    file = _open(report, name, kind, options, keys, explicit=explicit, stdin=stdin)
    if file is None:
        return
    if file.known is not None:
        _finish(report, file, options)
        return
    source = parse_file(file.name, file.text, file.kind, options.front_matter_fields)
    if parts_to is not None and _renders_parts(name, options) and _splits(source, options):
        from claimlint.parallel import render_source_parallel

        _begin(report, file, options)
        _copy_parts(report, render_source_parallel(linter, source, options.jobs, parts_to.renderer()), parts_to)
        _collect(report, source, (), options)  # its unused suppressions
        _end(report, file, options)
        return
    _finish(report, file, options, _lint(linter, source, options), partial(unused_suppressions, source))


def _check_files(
    linter: Linter, report: Report, items: Iterable[tuple[str, bool]], options: RunOptions, keys: Keys
) -> None:
    """Files that are neither catalogs nor long (:func:`_one_of_many`), reported in order: linted
    here while they are few, and on ``options.jobs`` workers, a batch of files each, once
    :data:`MANY_FILES_CHARS` of them wait to be linted (starting workers costs more than a few
    small files take). Files answered from their kept findings never count: an unchanged tree
    starts no worker. With ``options.progress``, a count of files done on standard error."""
    opened = (
        file
        for name, explicit in items
        if (file := _open(report, name, kind_of(name), options, keys, explicit=explicit)) is not None
    )
    progress = _FilesProgress() if options.progress else None
    workers = options.jobs > 1 and _FORKS  # forked workers start warm
    try:
        head: list[_File] = []
        to_lint = 0
        for file in opened:
            if file.known is not None and not head:
                _finish(report, file, options, progress=progress)  # nothing before it waits
                continue
            head.append(file)
            if file.known is None and workers:
                to_lint += len(file.text)
                if to_lint >= MANY_FILES_CHARS:
                    # Parsers set up here, once, for the workers to inherit (the Markdown one
                    # imports markdown-it: 40 ms, which each worker would otherwise spend).
                    for kind in {file.kind for file in head}:
                        parse_file("", "", kind, ())
                    linter.warm()  # and the pipeline, with the command line's collector settings
                    _check_files_parallel(linter, report, chain(head, opened), options, progress)
                    return
            if len(head) >= FILES_AHEAD:
                # Few files to lint among many answered from their kept findings: not worth workers.
                _finish_here(linter, report, head, options, progress)
                head, to_lint = [], 0
        _finish_here(linter, report, head, options, progress)
    finally:
        if progress is not None:
            progress.done()


def _finish_here(
    linter: Linter, report: Report, files: list[_File], options: RunOptions, progress: _FilesProgress | None
) -> None:
    # Parsed as they are linted, and linted together, a batch of files through one spaCy stream (as
    # on the workers; one stream per file cost 16% more on 2,000 pages).
    sources = (
        parse_file(file.name, file.text, file.kind, options.front_matter_fields) for file in files if file.known is None
    )
    linted = linter.lint_many(sources, chunk=FILES_PER_BATCH)
    for file in files:
        if file.known is not None:
            _finish(report, file, options, progress=progress)
            continue
        source, found = next(linted)
        _finish(report, file, options, found, partial(unused_suppressions, source), progress=progress)


def _check_files_parallel(
    linter: Linter, report: Report, files: Iterator[_File], options: RunOptions, progress: _FilesProgress | None
) -> None:
    """Files linted on the workers, which parse them too; those answered from their kept findings
    are reported here in their turn."""
    from claimlint.parallel import lint_files_parallel

    waiting: deque[_File] = deque()  # in order, until their turn comes

    def to_lint() -> Iterator[tuple[str, str, str, tuple[str, ...]]]:
        for file in files:
            waiting.append(file)
            if file.known is None:
                yield file.name, file.text, file.kind, options.front_matter_fields

    batches = lint_files_parallel(linter.settings, to_lint(), options.jobs, FILES_PER_BATCH, BATCH_CHARS)
    for findings, unused in batches:
        file = waiting.popleft()
        while file.known is not None:
            _finish(report, file, options, progress=progress)
            file = waiting.popleft()
        _finish(report, file, options, findings, unused.copy, progress=progress)
    while waiting:
        _finish(report, waiting.popleft(), options, progress=progress)


@dataclass
class _File:
    """A file read, and its findings kept from an earlier run when there are (``known``). ``key``:
    where its findings are kept, None when they are not (standard input, long files)."""

    name: str
    text: str
    kind: str
    key: Hashable | None
    known: Known | None = None


def _open(
    report: Report,
    name: str,
    kind: str,
    options: RunOptions,
    keys: Keys,
    *,
    explicit: bool,
    stdin: BinaryIO | None = None,
) -> _File | None:
    """Read a file (not a catalog) and look up its kept findings; None when it cannot be read (an
    error or a notice in ``report``)."""
    try:
        text = _decode_stdin(stdin) if stdin is not None else read_text(Path(name))
    except InputFileError as exc:
        _unreadable(report, name, exc, explicit)
        return None
    from claimlint import resultcache

    # A file's findings are kept for the next run (claimlint.resultcache); one checked before and
    # unchanged since is answered from there, without being parsed.
    name = shown(name)  # read by its own name; reported by one every report can encode
    key = keys.key(name, text, kind) if stdin is None and len(text) < LONG_FILE_CHARS else None
    return _File(name, text, kind, key, resultcache.load(key) if key is not None else None)


def parse_file(name: str, text: str, kind: str, front_matter_fields: tuple[str, ...]) -> Source:
    """The source of a file's text (Markdown, HTML or plain text; not a catalog)."""
    if kind == "markdown":
        from claimlint.sources import markdown

        return markdown.parse(name, text, front_matter_fields)
    return source_from_text(name, text, kind)


def _unreadable(report: Report, name: str, exc: Exception, explicit: bool) -> None:
    name = shown(name)
    if isinstance(exc, NoCopyFields):
        report.notices.append(f"{name}: skipped, {exc}")
    elif not explicit and str(exc).startswith("binary file"):
        report.notices.append(f"{name}: skipped, binary file")
    else:
        report.errors.append(InputError(name, str(exc)))


def _begin(report: Report, file: _File, options: RunOptions) -> None:
    report.files.append(file.name)
    if options.keep_text:
        report.texts[file.name] = file.text


def _end(report: Report, file: _File, options: RunOptions) -> None:
    if options.keep_text and not options.retain_text:
        del report.texts[file.name]


def _finish(
    report: Report,
    file: _File,
    options: RunOptions,
    findings: Iterable[Finding] = (),
    unused: Callable[[], list[UnusedSuppression]] = list,
    *,
    progress: _FilesProgress | None = None,
) -> None:
    """Report a file's findings: those kept from an earlier run, or ``findings`` just made, then its
    suppressions that silenced nothing (``unused``, asked once the findings are all made), and keep
    both for the next run."""
    _begin(report, file, options)
    if file.known is not None:
        _add(report, file.name, file.known.findings, options)
        report.unused_suppressions.extend(file.known.unused)
    elif file.key is None:
        _add(report, file.name, findings, options)  # as they come: a long file's parts
        report.unused_suppressions.extend(unused())
    else:
        from claimlint import resultcache

        found = list(findings)
        _add(report, file.name, found, options)
        left = unused()
        report.unused_suppressions.extend(left)
        resultcache.save(file.key, resultcache.Known(found, left))
    _end(report, file, options)
    if progress is not None:
        progress.tick()


def _lint(linter: Linter, source: Source, options: RunOptions) -> Iterable[Finding]:
    if options.jobs > 1:
        from claimlint.parallel import lint_source_parallel

        return lint_source_parallel(linter, source, options.jobs)
    return linter.lint_source(source)


def _copy_parts(report: Report, parts: Iterable[RenderedPart], parts_to: PartSink) -> None:
    for part in parts:
        report.tally.merge(part.tally)
        parts_to.add_part(part.path, part.count)
        os.unlink(part.path)  # the disk it takes is given back as the report grows


def _renders_parts(name: str, options: RunOptions) -> bool:
    """Whether workers may render this file's findings into the report themselves: not when some
    are to be dropped here (``per-file-ignores``), nor when workers are not forked."""
    from claimlint.parallel import can_render

    return not _ignored(name, options) and can_render()


def _splits(source: Source, options: RunOptions) -> bool:
    from claimlint.parallel import splits

    return splits(source, options.jobs)


def _decode_stdin(stream: BinaryIO) -> str:
    from claimlint.sources import decode

    return decode(stream.read())


def _check_catalog(
    linter: Linter,
    report: Report,
    name: str,
    options: RunOptions,
    stdin: BinaryIO | None,
    parts_to: PartSink | None = None,
) -> None:
    stats = CatalogStats()
    stream = io.TextIOWrapper(stdin, encoding="utf-8-sig", newline="") if stdin is not None else None
    progress = _Progress(shown(name), stats) if options.progress else None
    sources = iter_sources(Path(name), options.catalog, stats, stream=stream)
    counted = _counting(sources, stats, progress)
    try:
        parallel = options.jobs > 1 and not _small_file(name, stdin)
        if parallel:
            linter.warm()  # before the fork, with the command line's collector settings
        if parallel and parts_to is not None and _renders_parts(name, options):
            from claimlint.parallel import render_parallel

            parts = render_parallel(linter.settings, counted, options.jobs, parts_to.renderer())
            _copy_parts(report, parts, parts_to)
        else:
            if parallel:
                from claimlint.parallel import lint_parallel

                results = lint_parallel(linter.settings, counted, options.jobs)
            else:
                results = linter.lint_many(counted)
            for source, findings in results:
                _collect(report, source, findings, options)
    finally:
        if progress is not None:
            progress.done(stats.rows)
        report.rows += stats.rows
        for where, message in stats.errors:
            report.errors.append(InputError(where, message))
    report.files.append(shown(name))


def _small_file(name: str, stdin: BinaryIO | None) -> bool:
    """A catalog file this small is linted in-process: starting workers would cost more."""
    if stdin is not None:
        return False
    path = Path(name)
    try:
        return path.is_file() and path.stat().st_size < SMALL_CATALOG_BYTES
    except OSError:
        return False


def _counting(sources: Iterable[Source], stats: CatalogStats, progress: _Progress | None) -> Iterator[Source]:
    for source in sources:
        if progress is not None:
            progress.tick(stats.rows)
        yield source


@lru_cache(maxsize=256)
def _ignored_here(path: str, root: Path, per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[str, ...]:
    """The selectors ``per-file-ignores`` applies to a file: resolved once per file, not once per
    catalog field (a million-row catalog is one file)."""
    rel = _relative(Path(path), root)
    return tuple(sel for pattern, sels in per_file_ignores if glob_match(rel, pattern) for sel in sels)


def _ignored(path: str, options: RunOptions) -> tuple[str, ...]:
    if not options.per_file_ignores:
        return ()
    return _ignored_here(path, options.root, options.per_file_ignores)


def _collect(
    report: Report, source: Source, findings: Iterable[Finding], options: RunOptions
) -> list[UnusedSuppression]:
    """Report a source's findings, then its suppressions that silenced nothing (also returned)."""
    found = _add(report, source.path, findings, options)
    if options.retain_text and source.row is not None and found:
        from claimlint.report.html import text_key

        report.texts[text_key(source.path, source.row, source.field)] = source.text
    unused = unused_suppressions(source)
    report.unused_suppressions.extend(unused)
    return unused


def _add(report: Report, path: str, findings: Iterable[Finding], options: RunOptions) -> bool:
    """Report the findings of one file (or row) but those its per-file ignores drop; any left?"""
    ignored = _ignored(path, options)
    if ignored:
        findings = [f for f in findings if not any(rule_matches_id(f.rule_id, f.category, s) for s in ignored)]
    found = False
    for finding in findings:
        report.add(finding)
        found = True
    return found


def unused_suppressions(source: Source) -> list[UnusedSuppression]:
    """A file's suppression comments that silenced nothing (once its findings are all made)."""
    if source.row is not None:  # as before: a catalog's rows report none
        return []
    return [UnusedSuppression(source.path, s.line, s.text) for s in source.suppressions if not s.used]


class _Progress:
    """A progress bar on standard error, redrawn at most five times a second: how far through the
    file, rows done, rows per second and the time left (bar and time left only when the reader
    can tell how far it is, i.e. not on a pipe)."""

    WIDTH = 24

    def __init__(self, name: str, stats: CatalogStats) -> None:
        self.name = name
        self.stats = stats
        self.started = time.monotonic()
        self.shown = 0.0

    def tick(self, rows: int) -> None:
        now = time.monotonic()
        if now - self.shown < 0.2:
            return
        elapsed = max(now - self.started, 1e-9)
        line = f"{self.name}: {rows:,} rows ({rows / elapsed:,.0f}/s)"
        if self.stats.done is not None:
            done = self.stats.done()
            filled = int(done * self.WIDTH)
            left = elapsed * (1 - done) / done if done > 0 else 0.0
            bar = "█" * filled + "░" * (self.WIDTH - filled)
            line = f"{self.name} {bar} {done:4.0%}  {rows:,} rows  {rows / elapsed:,.0f}/s  {_clock(left)} left"
        sys.stderr.write("\r" + line + "\x1b[K")
        sys.stderr.flush()
        self.shown = now

    def done(self, rows: int) -> None:
        elapsed = time.monotonic() - self.started
        sys.stderr.write(f"\r{self.name}: {rows:,} rows in {elapsed:.1f} s\x1b[K\n")
        sys.stderr.flush()


class _FilesProgress:
    """How many files of a run are done, on standard error, once the run has taken a second (a
    quick run shows nothing), redrawn at most five times a second; the total is not known while
    directories are still being walked."""

    AFTER = 1.0  # seconds

    def __init__(self) -> None:
        self.count = 0
        self.started = time.monotonic()
        self.shown = 0.0

    def tick(self) -> None:
        self.count += 1
        now = time.monotonic()
        if now - self.started < self.AFTER or now - self.shown < 0.2:
            return
        rate = self.count / max(now - self.started, 1e-9)
        sys.stderr.write(f"\r{self.count:,} files checked ({rate:,.0f}/s)\x1b[K")
        sys.stderr.flush()
        self.shown = now

    def done(self) -> None:
        if self.shown:
            elapsed = time.monotonic() - self.started
            sys.stderr.write(f"\r{self.count:,} files checked in {elapsed:.1f} s\x1b[K\n")
            sys.stderr.flush()


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds + 0.5), 60)
    return f"{minutes}:{secs:02d}"
