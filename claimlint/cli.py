"""The ``claimlint`` command: check, rules, explain, schema.

Exit codes: 0 nothing reached ``--fail-on``; 1 something did; 2 usage, rule-pack or input error.
"""

from __future__ import annotations

import difflib
import json
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from claimlint import __version__
from claimlint.findings import CATEGORIES, MARKETS, PRODUCT_TYPES, Severity

if TYPE_CHECKING:
    from claimlint.rulebook import Rulebook

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
@click.argument("paths", nargs=-1, required=True, metavar="PATH... | -")
@click.option(
    "--market", "-m", "markets", multiple=True, metavar="us,eu,uk", help="Markets to check for (default: all three)."
)
@click.option(
    "--product-type",
    "-p",
    type=click.Choice(PRODUCT_TYPES),
    default="cosmetic",
    show_default=True,
    help="What the copy sells; changes what each market allows.",
)
@click.option("--select", multiple=True, metavar="RULES", help="Only these rule ids, id prefixes or categories.")
@click.option("--ignore", multiple=True, metavar="RULES", help="Skip these rule ids, id prefixes or categories.")
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON),
    default="error",
    show_default=True,
    help="Lowest severity that makes the exit code 1.",
)
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(["text", "json"]),
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
@click.option("--color/--no-color", default=None, help="Force or disable colour (default: on a terminal).")
@_rules_option
def check(
    paths: tuple[str, ...],
    markets: tuple[str, ...],
    product_type: str,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    fail_on: str,
    fmt: str,
    output: Path | None,
    color: bool | None,
    rules_dirs: tuple[Path, ...],
) -> None:
    """Check copy in PATH... (or standard input, given as -) for claims."""
    from claimlint.engine import Linter, Settings, SettingsError
    from claimlint.report import renderers
    from claimlint.sources import InputFileError
    from claimlint.sources import decode, source_from_text

    if output is not None and output.is_dir():
        _die(f"{output}: is a directory; --output expects a file")
    chosen = _split(markets) or MARKETS
    try:
        linter = Linter(
            Settings(
                markets=chosen,
                select=_split(select),
                ignore=_split(ignore),
                rules_dirs=rules_dirs,
                product_type=product_type,
            )
        )
    except SettingsError as exc:
        _die(str(exc))
    keep_text = fmt == "text"
    files = [p for p in paths if p != "-"]
    report = linter.lint_paths(files, keep_text=keep_text)
    if "-" in paths:
        try:
            text = decode(sys.stdin.buffer.read())
        except InputFileError as exc:
            from claimlint.findings import InputError

            report.errors.append(InputError("<stdin>", str(exc)))
        else:
            linter.add_source(report, source_from_text("<stdin>", text), keep_text=keep_text)
    rendered = renderers()[fmt](report, linter.rulebook)
    if output is None:
        click.echo(rendered, nl=False, color=color)
    else:
        _write_atomic(output, click.unstyle(rendered))
    for error in report.errors:
        click.echo(f"claimlint: error: {error.path}: {error.message}", err=True)
    if report.errors:
        sys.exit(2)
    worst = report.worst()
    if fail_on != "never" and worst is not None and worst.rank >= Severity(fail_on).rank:
        sys.exit(1)


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

    linter = Linter(Settings(rules_dirs=rules_dirs))
    failed = False
    for corpus in corpora:
        if not corpus.is_file():
            _die(f"{corpus}: no such corpus file")
        try:
            examples = read_corpus(corpus)
        except CorpusError as exc:
            _die(str(exc))
        ev = evaluate(linter, examples)
        click.echo(render(ev, str(corpus), show_errors) + "\n")
        failed |= min_precision is not None and ev.overall.precision < min_precision
        failed |= min_recall is not None and ev.overall.recall < min_recall
    if failed:
        sys.exit(1)


@cli.command()
def schema() -> None:
    """Print the JSON Schema of the ``--format json`` report."""
    from claimlint.report.json import json_schema

    click.echo(json.dumps(json_schema(), indent=2))


def _wrap(text: str) -> list[str]:
    import textwrap

    return textwrap.wrap(" ".join(text.split()), width=96, initial_indent="  ", subsequent_indent="  ")


def _rulebook(rules_dirs: tuple[Path, ...]) -> Rulebook:
    from claimlint.nlp.pipeline import get_pipeline

    return get_pipeline(rules_dirs)[0]


def _write_atomic(path: Path, content: str) -> None:
    """Write via a temporary file in the same directory and rename, so a reader never sees half."""
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        _die(f"{path}: directory {directory} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        _die(f"{path}: cannot write: {exc.strerror or exc}")


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: every expected failure is one line on stderr and exit code 2."""
    from claimlint.rulebook import RuleFileError

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


if __name__ == "__main__":
    main()
