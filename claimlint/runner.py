"""Checking what the user named: files, directories (walked with include/exclude globs), standard
input, catalogs streamed row by row; per-file ignores, unused suppressions and a progress line."""

from __future__ import annotations

import io
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatch
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Protocol, runtime_checkable

from claimlint.engine import Linter, rule_matches_id
from claimlint.findings import Finding, InputError, Report, UnusedSuppression
from claimlint.sources import InputFileError, Source, kind_of, read_text, source_from_text
from claimlint.sources.catalog import CatalogOptions, CatalogStats, NoCopyFields, iter_sources
from claimlint.sources.markdown import FRONT_MATTER_FIELDS

if TYPE_CHECKING:
    from claimlint.parallel import RenderedPart
    from claimlint.resultcache import Keys

TEXT_SUFFIXES = (".txt", ".text")
# A file this long is linted in parts over processes (claimlint.parallel), and its findings are not
# kept between runs (claimlint.resultcache).
LONG_FILE_CHARS = 400_000
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

    def renderer(self) -> Callable[[list[Finding]], bytes]: ...
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
    keys = Keys(linter.settings, options.front_matter_fields)
    for item, explicit in _expand(inputs, options, report):
        if item == "-":
            name = options.stdin_filename or "<stdin>"
            buffer = stdin if stdin is not None else sys.stdin.buffer
            _check(linter, report, name, options, keys, explicit=True, stdin=buffer, parts_to=parts_to)
        else:
            _check(linter, report, item, options, keys, explicit=explicit, parts_to=parts_to)
    return report


def _expand(inputs: Sequence[str], options: RunOptions, report: Report) -> Iterator[tuple[str, bool]]:
    for item in inputs:
        if item == "-":
            yield item, True
            continue
        path = Path(item)
        if path.is_dir():
            found = sorted(_walk(path, options))
            if not found:
                report.notices.append(f"{item}: no files to check (see --include)")
            for child in found:
                yield str(child), False
        else:
            yield item, True


def _walk(directory: Path, options: RunOptions) -> Iterator[Path]:
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
        for name in files:
            path = Path(root) / name
            rel = _relative(path, options.root)
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
    try:
        if kind == "catalog":
            _check_catalog(linter, report, name, options, stdin, parts_to)
            return
        text = _decode_stdin(stdin) if stdin is not None else read_text(Path(name))
    except NoCopyFields as exc:
        report.notices.append(f"{name}: skipped, {exc}")
        return
    except InputFileError as exc:
        if not explicit and str(exc).startswith("binary file"):
            report.notices.append(f"{name}: skipped, binary file")
        else:
            report.errors.append(InputError(name, str(exc)))
        return
    from claimlint import resultcache

    report.files.append(name)
    if options.keep_text:
        report.texts[name] = text
    # A file's findings are kept for the next run (claimlint.resultcache); one checked before and
    # unchanged since is answered from there, without being parsed.
    key = keys.key(name, text, kind) if stdin is None and len(text) < LONG_FILE_CHARS else None
    known = resultcache.load(key) if key is not None else None
    if known is not None:
        _add(report, name, known.findings, options)
        report.unused_suppressions.extend(known.unused)
    else:
        if kind == "markdown":
            from claimlint.sources import markdown

            source = markdown.parse(name, text, options.front_matter_fields)
        else:
            source = source_from_text(name, text, kind)
        if parts_to is not None and _renders_parts(name, options) and _splits(source, options):
            from claimlint.parallel import render_source_parallel

            _copy_parts(report, render_source_parallel(linter, source, options.jobs, parts_to.renderer()), parts_to)
            _collect(report, source, (), options)  # its unused suppressions
        elif key is None:
            _collect(report, source, _lint(linter, source, options), options)
        else:
            found = list(_lint(linter, source, options))
            resultcache.save(key, resultcache.Known(found, _collect(report, source, found, options)))
    if options.keep_text and not options.retain_text:
        del report.texts[name]


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
    progress = _Progress(name, stats) if options.progress else None
    sources = iter_sources(Path(name), options.catalog, stats, stream=stream)
    counted = _counting(sources, stats, progress)
    try:
        parallel = options.jobs > 1 and not _small_file(name, stdin)
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
    report.files.append(name)


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
    unused = _unused(source)
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


def _unused(source: Source) -> list[UnusedSuppression]:
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


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds + 0.5), 60)
    return f"{minutes}:{secs:02d}"
