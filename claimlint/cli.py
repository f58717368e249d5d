"""The ``claimlint`` command: check, rules, explain, eval, serve, init, schema, daemon.

Exit codes: 0 nothing reached ``--fail-on``; 1 something did; 2 usage, rule-pack or input error.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO, TypeVar

import click

from claimlint import __version__
from claimlint.atomic import AtomicFile, write_atomic
from claimlint.findings import CATEGORIES, MARKETS, PRODUCT_TYPES, Severity
from claimlint.report import FORMATS, NEEDS_TEXT, STREAMING

if TYPE_CHECKING:
    from claimlint.engine import Linter
    from claimlint.findings import Report
    from claimlint.report import Writer
    from claimlint.rulebook import Rulebook
    from claimlint.runner import PartSink

FAIL_ON = ("error", "warning", "info", "never")


class _Fail(Exception):
    """A user-facing error: printed as one line, exit code 2."""


def _die(message: str) -> NoReturn:
    raise _Fail(message)


def _split(values: Sequence[str]) -> tuple[str, ...]:
    """Options may repeat and take comma lists: ``--market us,eu --market uk``."""
    return tuple(v.strip() for value in values for v in value.split(",") if v.strip())


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="claimlint")
def cli() -> None:
    """Find claims in cosmetics, hair-care and supplement copy that the law in the US, EU and UK
    does not allow, with the legal reference and a compliant rewrite.

    claimlint gives compliance guidance, not legal advice.
    """


F = TypeVar("F", bound=Callable[..., Any])


def _rules_option(f: F) -> F:
    return click.option(
        "--rules",
        "rules_dirs",
        multiple=True,
        type=click.Path(path_type=Path),
        metavar="DIR",
        help="Add a directory of your own rule packs (repeatable).",
    )(f)


@cli.command()
@click.argument("paths", nargs=-1, metavar="[PATH... | -]")
@click.option(
    "--market", "-m", "markets", multiple=True, metavar="us,eu,uk", help="Markets to check for (default: all three)."
)
@click.option(
    "--product-type",
    "-p",
    type=click.Choice(PRODUCT_TYPES),
    default=None,
    help="What the copy sells (default: cosmetic); changes what each market allows.",
)
@click.option("--select", multiple=True, metavar="RULES", help="Only these rule ids, id prefixes or categories.")
@click.option("--ignore", multiple=True, metavar="RULES", help="Skip these rule ids, id prefixes or categories.")
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON),
    default=None,
    help="Lowest severity that makes the exit code 1 (default: error).",
)
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="Report format.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Write the report to FILE instead of standard output.",
)
@click.option(
    "--report",
    "extra_reports",
    multiple=True,
    metavar="FORMAT:FILE",
    help="Also write a report in FORMAT to FILE (repeatable), e.g. --report sarif:results.sarif.",
)
@click.option("--color/--no-color", default=None, help="Force or disable colour (default: on a terminal).")
@_rules_option
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Settings file (default: the nearest .claimlint.toml or pyproject.toml).",
)
@click.option("--isolated", is_flag=True, help="Ignore every settings file.")
@click.option(
    "--no-cache",
    is_flag=True,
    help="Lint every file afresh: neither read nor keep the findings of unchanged files.",
)
@click.option(
    "--daemon/--no-daemon",
    "use_daemon",
    default=None,
    help="--daemon: if no claimlint daemon answered this check, start one in the background for the next "
    "(pre-commit; never in CI). --no-daemon: run here, even when a daemon runs.",
)
@click.option("--include", multiple=True, metavar="GLOB", help="Files to check when walking directories.")
@click.option("--exclude", multiple=True, metavar="GLOB", help="Files to leave out when walking directories.")
@click.option("--stdin-filename", metavar="NAME", help="Name (and so format) of standard input, e.g. page.md.")
@click.option(
    "--text-field",
    "text_fields",
    multiple=True,
    metavar="FIELD",
    help="Catalog field with copy (repeatable; nested: details.text, bullets[]).",
)
@click.option("--id-field", metavar="FIELD", help="Catalog field that names a row (default: its number).")
@click.option("--product-type-field", metavar="FIELD", help="Catalog field with each row's product type.")
@click.option(
    "--suppress-field", metavar="FIELD", help="Catalog field whose rule ids (or 'all') suppress that row's findings."
)
@click.option(
    "--report-unused-suppressions", is_flag=True, default=None, help="List suppressions that silenced nothing."
)
@click.option(
    "--engine",
    type=click.Choice(["local", "spark"]),
    default="local",
    show_default=True,
    help="Run catalogs (Parquet, CSV, JSON Lines) here, or on Apache Spark (the [spark] extra).",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(1, 256),
    default=None,
    help="Processes for catalogs, long files and many files (default: the number of cores).",
)
@click.option(
    "--baseline",
    "baseline_path",
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Report only findings not in this baseline.",
)
@click.option(
    "--write-baseline",
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Record every finding in FILE as the baseline.",
)
def check(
    paths: tuple[str, ...],
    markets: tuple[str, ...],
    product_type: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    fail_on: str | None,
    fmt: str,
    output: Path | None,
    extra_reports: tuple[str, ...],
    color: bool | None,
    rules_dirs: tuple[Path, ...],
    config_path: Path | None,
    isolated: bool,
    no_cache: bool,
    use_daemon: bool | None,
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    stdin_filename: str | None,
    text_fields: tuple[str, ...],
    id_field: str | None,
    product_type_field: str | None,
    suppress_field: str | None,
    report_unused_suppressions: bool | None,
    engine: str,
    jobs: int | None,
    baseline_path: Path | None,
    write_baseline: Path | None,
) -> None:
    """Check copy in PATH... (files or directories; - for standard input; default: .) for claims."""
    from claimlint import baseline, resultcache
    from claimlint.config import ConfigError, default_config, find_config, read_config
    from claimlint.engine import Linter, Settings, SettingsError
    from claimlint.findings import Report
    from claimlint.runner import RunOptions, WorkerDied, run
    from claimlint.sources.catalog import CatalogOptions

    if use_daemon:
        from claimlint.daemon.control import start_for_next_time

        start_for_next_time()
    if output is not None and output.is_dir():
        _die(f"{output}: is a directory; --output expects a file")
    outputs: list[tuple[str, Path | None]] = [(fmt, output)] + [_report_target(spec) for spec in extra_reports]
    config = default_config()
    root = Path.cwd()
    if not isolated:
        found = config_path or find_config(Path.cwd())
        if config_path is not None and not config_path.is_file():
            _die(f"{config_path}: no such settings file")
        if found is not None:
            try:
                config = read_config(found)
            except ConfigError as exc:
                _die(str(exc))
            root = found.parent
    chosen_markets = _split(markets) or tuple(config.markets or ()) or MARKETS
    pack_dirs = tuple(rules_dirs) + tuple(root / r for r in config.rules)
    try:
        linter = Linter(
            Settings(
                markets=chosen_markets,
                select=_split(select) or tuple(config.select),
                ignore=_split(ignore) or tuple(config.ignore),
                rules_dirs=pack_dirs,
                product_type=product_type or config.product_type or "cosmetic",
            ),
            freeze_heap=True,
        )
    except SettingsError as exc:
        _die(str(exc))
    catalog = config.catalog
    options = RunOptions(
        include=include or tuple(config.include),
        exclude=exclude or tuple(config.exclude),
        stdin_filename=stdin_filename,
        catalog=CatalogOptions(
            text_fields=_split(text_fields) or tuple(catalog.text_fields),
            id_field=id_field or catalog.id_field,
            product_type_field=product_type_field or catalog.product_type_field,
            suppress_field=suppress_field or catalog.suppress_field,
        ),
        front_matter_fields=tuple(config.front_matter_fields or ("title", "description", "summary")),
        per_file_ignores=tuple((glob, tuple(rules)) for glob, rules in config.per_file_ignores.items()),
        keep_text=any(f in NEEDS_TEXT for f, _ in outputs),
        retain_text=any(f == "html" for f, _ in outputs),
        progress=sys.stderr.isatty(),
        jobs=jobs or os.cpu_count() or 1,
        root=root,
    )
    if engine == "spark":
        _check_spark(list(paths), linter.settings, options.catalog, output, fail_on or config.fail_on or "error")
        return
    report = Report(markets=list(linter.settings.markets), keep_findings=any(f not in STREAMING for f, _ in outputs))
    if baseline_path is not None:
        try:
            report.accept = baseline.Filter(baseline.load(baseline_path))
        except baseline.BaselineError as exc:
            _die(str(exc))
    recorder = None
    if write_baseline is not None:
        recorder = baseline.Recorder()
        report.observers.append(recorder)
    sinks = _open_outputs(outputs, linter, color)
    unused = (
        report_unused_suppressions
        if report_unused_suppressions is not None
        else bool(config.report_unused_suppressions)
    )
    try:
        for w, _ in sinks:
            w.begin(report)
            report.listeners.append(w.add)
        try:
            with resultcache.paused() if no_cache else contextlib.nullcontext():
                run(linter, list(paths) or ["."], options, report=report, parts_to=_part_sink(sinks, report))
        except WorkerDied as exc:
            _die(str(exc))
        if not unused:
            report.unused_suppressions = []
        for w, target in sinks:
            w.end(report)
            if isinstance(target, AtomicFile):
                target.commit()
    except BaseException:
        for _, target in sinks:
            if isinstance(target, AtomicFile):
                target.abort()
        raise
    if recorder is not None:
        _write_atomic(write_baseline, recorder.dumps())  # type: ignore[arg-type]
    for notice in report.notices:
        click.echo(f"claimlint: {notice}", err=True)
    for error in report.errors:
        click.echo(f"claimlint: error: {error.path}: {error.message}", err=True)
    if report.errors:
        sys.exit(2)
    threshold = fail_on or config.fail_on or "error"
    worst = report.worst()
    if threshold != "never" and worst is not None and worst.rank >= Severity(threshold).rank:
        sys.exit(1)


def _check_spark(paths: list[str], settings: Any, catalog: Any, output: Path | None, fail_on: str) -> None:
    """``--engine spark``: lint tables where Spark runs, write findings as Parquet or JSON Lines."""
    if not paths:
        _die("--engine spark needs a table to read (Parquet, CSV or JSON Lines)")
    if not catalog.text_fields:
        _die("--engine spark needs --text-field (the columns that hold copy)")
    try:
        import pyspark  # noqa: F401

        from claimlint.spark import lint_dataframe, read_table, spark_session
    except ImportError:
        _die("the Spark engine needs pyspark and a Java runtime: pip install 'claimlint-cli[spark]'")
    try:
        spark = spark_session()
    except Exception as exc:  # noqa: BLE001 - no Java, no cluster: one line, not a JVM stack trace
        _die(f"cannot start Spark ({str(exc).splitlines()[0]}); is Java 17+ installed?")
    from claimlint.frames import FrameError

    frames = [read_table(spark, p) for p in paths]
    table = frames[0]
    for other in frames[1:]:
        table = table.unionByName(other, allowMissingColumns=True)
    try:
        findings = lint_dataframe(
            table,
            text_cols=list(catalog.text_fields),
            id_col=catalog.id_field,
            markets=settings.markets,
            product_type_col=catalog.product_type_field,
            rules=settings.rules_dirs,
            product_type=settings.product_type,
            select=settings.select,
            ignore=settings.ignore,
        ).cache()
    except FrameError as exc:
        _die(str(exc))
    if output is not None:
        target = str(output)
        writer = findings.write.mode("overwrite")
        if target.lower().endswith((".json", ".jsonl")):
            writer.json(target)
        else:
            writer.parquet(target)
    counts = {row["severity"]: row["count"] for row in findings.groupBy("severity").count().collect()}
    total = sum(counts.values())
    order = ("error", "warning", "info")
    detail = ", ".join(f"{counts[s]} {s}{'s' if counts[s] != 1 else ''}" for s in order if counts.get(s))
    rows = table.count()
    click.echo(
        f"Found {total} claim{'s' if total != 1 else ''} in {rows:,} rows"
        + (f": {detail}." if detail else ".")
        + (f" Findings written to {output}." if output else "")
    )
    ranks = {"info": 1, "warning": 2, "error": 3}
    worst = max((ranks[s] for s in counts), default=0)
    if fail_on != "never" and worst and worst >= ranks[fail_on]:
        sys.exit(1)


def _part_sink(sinks: list[tuple[Writer, AtomicFile | TextIO]], report: Report) -> PartSink | None:
    """The one writer that may take parts of the report rendered by the workers: when it is the
    only thing that sees the findings."""
    from claimlint.runner import PartSink

    if len(sinks) != 1 or report.observers or report.accept is not None or report.keep_findings:
        return None
    w = sinks[0][0]
    return w if isinstance(w, PartSink) else None


def _open_outputs(
    outputs: list[tuple[str, Path | None]], linter: Linter, color: bool | None
) -> list[tuple[Writer, AtomicFile | TextIO]]:
    """A writer per output: standard output, or a file that appears whole when the run ends."""
    from claimlint.report import writer

    sinks: list[tuple[Writer, AtomicFile | TextIO]] = []

    def book() -> Rulebook:
        return linter.rulebook

    for fmt, target in outputs:
        if target is None:
            stream = sys.stdout
            use_color = color if color is not None else stream.isatty()
            sinks.append((writer(fmt, stream, book, use_color), stream))
        else:
            try:
                handle = AtomicFile(target, report=True)
            except OSError as exc:
                _die(f"{target}: cannot write: {exc}")
            sinks.append((writer(fmt, handle, book, False), handle))  # type: ignore[arg-type]
    return sinks


def _report_target(spec: str) -> tuple[str, Path]:
    fmt, sep, path = spec.partition(":")
    if not sep or not path:
        _die(f"--report {spec!r}: expected FORMAT:FILE, e.g. sarif:results.sarif")
    if fmt not in FORMATS:
        _die(f"--report {spec!r}: unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    target = Path(path)
    if target.is_dir():
        _die(f"{target}: is a directory; --report expects a file")
    return fmt, target


@cli.command()
@click.option("--pyproject", is_flag=True, help="Add a [tool.claimlint] table to pyproject.toml instead.")
@click.option("--force", is_flag=True, help="Overwrite an existing .claimlint.toml.")
def init(pyproject: bool, force: bool) -> None:
    """Write a commented starter configuration in the current directory."""
    from claimlint.config import STARTER

    if pyproject:
        target = Path("pyproject.toml")
        existing = target.read_text(encoding="utf-8") if target.exists() else ""
        if "[tool.claimlint" in existing:
            _die(f"{target}: already has a [tool.claimlint] table")
        separator = "" if not existing else ("\n" if existing.endswith("\n") else "\n\n")
        _write_atomic(target, existing + separator + _as_pyproject_table(STARTER))
    else:
        target = Path(".claimlint.toml")
        if target.exists() and not force:
            _die(f"{target}: already exists (use --force to overwrite)")
        _write_atomic(target, STARTER)
    click.echo(f"Wrote {target}. Edit it, then run: claimlint check")


def _as_pyproject_table(starter: str) -> str:
    """The starter config as ``[tool.claimlint]`` tables for a pyproject.toml."""
    lines = [f"[tool.claimlint.{line[1:]}" if line.startswith("[") else line for line in starter.splitlines()]
    return "[tool.claimlint]\n" + "\n".join(lines) + "\n"


@cli.command(name="rules")
@click.option(
    "--format", "-f", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True
)
@click.option("--category", type=click.Choice(CATEGORIES), help="Only rules of this category.")
@_rules_option
def list_rules(fmt: str, category: str | None, rules_dirs: tuple[Path, ...]) -> None:
    """List every rule with its category and severity per market."""
    book = _rulebook(rules_dirs)
    rules = [r for r in book.rules if category is None or r.category == category]
    if fmt == "markdown":
        from dataclasses import replace

        from claimlint.docgen import rules_markdown

        click.echo(rules_markdown(replace(book, rules=rules)), nl=False)
        return
    if fmt == "json":
        rows = [
            {
                "id": r.id,
                "category": r.category,
                "title": r.title,
                "since": r.since,
                "markets": {
                    m: {"severity": r.markets.get(m).severity.value, "cite": list(r.markets.get(m).cite)}
                    for m in MARKETS
                },
            }
            for r in rules
        ]
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    width = max((len(r.id) for r in rules), default=8)
    click.echo(f"{'RULE':<{width}}  {'CATEGORY':<22} {'US':<8}{'EU':<8}{'UK':<8}TITLE")
    for r in rules:
        sev = "".join(f"{r.markets.get(m).severity.value:<8}" for m in MARKETS)
        click.echo(f"{r.id:<{width}}  {r.category:<22} {sev}{r.title}")
    click.echo(f"\n{len(rules)} rules. `claimlint explain RULE-ID` shows why, the references and examples.")


@cli.command()
@click.argument("rule_id")
@_rules_option
def explain(rule_id: str, rules_dirs: tuple[Path, ...]) -> None:
    """Explain a rule: what it catches, why, the legal references, examples and a rewrite."""
    from claimlint.ruletest import unmark

    book = _rulebook(rules_dirs)
    try:
        rule = book.rule(rule_id)
    except KeyError:
        import difflib  # for a rule id not found only

        close = difflib.get_close_matches(rule_id.upper(), [r.id for r in book.rules], n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else "; see `claimlint rules`"
        _die(f"unknown rule {rule_id!r}{hint}")
    out = [
        click.style(f"{rule.id}: {rule.title}", bold=True),
        f"category: {rule.category} · since {rule.since}",
        "",
        click.style("What it catches", bold=True),
        f"  {rule.message}",
        "",
        click.style("Why it matters", bold=True),
        *_wrap(rule.rationale),
        "",
        click.style("By market", bold=True),
    ]
    for market in MARKETS:
        mapping = rule.markets.get(market)
        out.append(f"  {market.upper()}: {mapping.severity.value}")
        for cite in mapping.cite:
            c = book.citations[cite]
            out.append(f"    {c.id} — {c.reference}")
            out.append(f"      {c.summary}")
            out.append(f"      {c.url}")
    if rule.supplement:
        out += ["", click.style("For a dietary supplement", bold=True)]
        for market, mapping in rule.supplement.items():
            disclaimed = f" ({mapping.disclaimed.value} with the FDA disclaimer)" if mapping.disclaimed else ""
            refs = "; ".join(book.citations[c].reference for c in mapping.cite)
            out.append(f"  {market.upper()}: {mapping.severity.value}{disclaimed} — {refs}")
    out += ["", click.style("Examples that are flagged", bold=True)]
    out += [f"  ✗ {unmark(e)[0]}" for e in rule.examples.flag]
    out += ["", click.style("Examples that pass", bold=True)]
    out += [f"  ✓ {e}" for e in rule.examples.pass_]
    out += ["", click.style("Write instead", bold=True), f"  {rule.suggestion}", ""]
    out.append("claimlint gives compliance guidance, not legal advice.")
    click.echo("\n".join(out))


@cli.command(name="eval")
@click.argument("corpora", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="CORPUS...")
@click.option("--show-errors", is_flag=True, help="List every missed claim and false alarm.")
@click.option("--min-precision", type=float, default=None, help="Exit 1 if overall precision is lower.")
@click.option("--min-recall", type=float, default=None, help="Exit 1 if overall recall is lower.")
@_rules_option
def evaluate_command(
    corpora: tuple[Path, ...],
    show_errors: bool,
    min_precision: float | None,
    min_recall: float | None,
    rules_dirs: tuple[Path, ...],
) -> None:
    """Measure precision and recall per category on labeled copy (see docs/accuracy.md)."""
    from claimlint.engine import Linter, Settings
    from claimlint.evaluate import CorpusError, evaluate, read_corpus, render

    linter = Linter(Settings(rules_dirs=rules_dirs), freeze_heap=True)  # the command line: its collector settings
    failed = False
    for corpus in corpora:
        if not corpus.is_file():
            _die(f"{corpus}: no such corpus file")
        try:
            examples = read_corpus(corpus)
        except CorpusError as exc:
            _die(str(exc))
        if not examples:  # scores over nothing would read as perfect
            _die(f"{corpus}: no examples (one per line; see docs/accuracy.md)")
        ev = evaluate(linter, examples)
        click.echo(render(ev, str(corpus), show_errors) + "\n")
        failed |= min_precision is not None and ev.overall.precision < min_precision
        failed |= min_recall is not None and ev.overall.recall < min_recall
    if failed:
        sys.exit(1)


LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option(
    "--token",
    envvar="CLAIMLINT_TOKEN",
    default=None,
    help="Require this token on every request (env CLAIMLINT_TOKEN); needed to listen beyond this computer.",
)
@click.option(
    "--max-body", default=1_000_000, show_default=True, type=click.IntRange(1_000), help="Largest request body, bytes."
)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Server processes (each builds its pipeline).",
)
def serve(host: str, port: int, token: str | None, max_body: int, workers: int) -> None:
    """Start the local web page and HTTP API (open the printed address in a browser)."""
    if host not in LOCAL_HOSTS and not token:
        _die(f"listening on {host} makes claimlint reachable from other computers: set --token (or CLAIMLINT_TOKEN)")
    try:
        import uvicorn

        from claimlint.server.app import create_app
    except ImportError as exc:  # pragma: no cover - both are dependencies
        _die(f"the web server needs fastapi and uvicorn: {exc}")
    import claimlint
    from claimlint.engine import freeze_heap

    claimlint.get_linter()  # build the pipeline now, not on the first request
    freeze_heap()
    shown = "localhost" if host in LOCAL_HOSTS else host
    url = f"http://{shown}:{port}/" + (f"?token={token}" if token else "")
    click.echo(
        f"claimlint {claimlint.__version__} is serving at {url}  (API docs: http://{shown}:{port}/docs; Ctrl+C to stop)"
    )
    if workers == 1:
        app = create_app(token=token, max_body=max_body)
        uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
        return
    # Several processes need the app as an import string; they read their settings from the environment.
    os.environ["CLAIMLINT_SERVE_MAX_BODY"] = str(max_body)
    if token:
        os.environ["CLAIMLINT_TOKEN"] = token
    uvicorn.run(
        "claimlint.server.app:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,
    )


@cli.group()
def daemon() -> None:
    """Keep a warm claimlint running so `claimlint check` starts in milliseconds (pre-commit, editors).

    While it runs, every `claimlint check` of this installation is answered by a fresh copy of it
    with your terminal, directory and environment: same output, same exit code. Set
    CLAIMLINT_DAEMON=off to bypass it.
    """


@daemon.command(name="start")
@click.option(
    "--idle-timeout",
    type=click.FloatRange(min=0),
    default=60.0,
    show_default=True,
    metavar="MINUTES",
    help="Stop after this long without a check (0: never).",
)
def daemon_start(idle_timeout: float) -> None:
    """Start the daemon in the background (nothing happens if it already runs)."""
    from claimlint.daemon.control import DaemonError, start

    try:
        status = start(idle_timeout * 60)
    except DaemonError as exc:
        _die(str(exc))
    click.echo(f"claimlint daemon running (pid {status['pid']}, socket {status['socket']})")


@daemon.command(name="stop")
def daemon_stop() -> None:
    """Stop the daemon."""
    from claimlint.daemon.control import stop

    pid = stop()
    click.echo("claimlint daemon was not running" if pid is None else f"claimlint daemon stopped (pid {pid})")


@daemon.command(name="status")
def daemon_status() -> None:
    """Say whether the daemon runs (exit code 0) or not (exit code 1), and what it has done."""
    import time

    from claimlint.daemon.control import ask, log_path

    status = ask("status")
    if not status:
        click.echo("claimlint daemon is not running")
        sys.exit(1)
    up = time.time() - float(status["started"])
    click.echo(
        f"claimlint daemon running: pid {status['pid']}, up {up / 60:.1f} min, {status['served']} checks answered, "
        f"{status['running']} running, {status['rss_mb']:.0f} MB resident\n"
        f"  socket {status['socket']}\n  log    {log_path()}"
    )


@cli.command()
def schema() -> None:
    """Print the JSON Schema of the ``--format json`` report."""
    from claimlint.report.json import json_schema

    click.echo(json.dumps(json_schema(), indent=2))


def _wrap(text: str) -> list[str]:
    import textwrap

    return textwrap.wrap(" ".join(text.split()), width=96, initial_indent="  ", subsequent_indent="  ")


def _rulebook(rules_dirs: tuple[Path, ...]) -> Rulebook:
    from claimlint.nlp.pipeline import load

    return load(rules_dirs)[0]


def _write_atomic(path: Path, content: str) -> None:
    """Write via a temporary file in the same directory and rename, so a reader never sees half."""
    try:
        write_atomic(path, content)
    except OSError as exc:
        _die(f"{path}: cannot write: {exc.strerror or exc}")


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: every expected failure is one line on stderr and exit code 2."""
    from claimlint.nlp import spacy_import
    from claimlint.packs import RuleFileError

    spacy_import.defer()  # this process is claimlint's: spaCy's command line and training are never run here

    try:
        cli.main(args=list(argv) if argv is not None else None, standalone_mode=False, prog_name="claimlint")
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2)
    except click.exceptions.Abort:
        click.echo("claimlint: aborted", err=True)
        sys.exit(130)
    except (RuleFileError, _Fail) as exc:
        click.echo(f"claimlint: error: {exc}", err=True)
        sys.exit(2)
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): not an error worth a traceback.
        sys.stderr.close()
        sys.exit(1)
    except OSError as exc:  # e.g. a full disk, while the report or a worker's part was written
        click.echo(f"claimlint: error: {exc}", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
