"""``--format github``: GitHub Actions workflow commands, so findings annotate the pull request."""

from __future__ import annotations

from claimlint.findings import Report, Severity
from claimlint.rulebook import Rulebook

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: Report, rulebook: Rulebook | None = None) -> str:
    lines = []
    for f in report.findings:
        if f.row is not None:
            position = f"line={f.row_line or 1}"
            where = f" [row {f.row}, {f.field}]"
        else:
            position = f"line={f.line},col={f.column},endLine={f.end_line},endColumn={f.end_column}"
            where = ""
        markets = ", ".join(f"{m.upper()} {v.severity.value}" for m, v in f.markets.items())
        title = _prop(f"{f.rule_id} [{f.category}]")
        message = _data(f'"{f.text}"{where}: {f.message} ({markets}) Try: {f.suggestion}')
        lines.append(f"::{LEVELS[f.severity]} file={_prop(f.path)},{position},title={title}::{message}")
    for e in report.errors:
        lines.append(f"::error file={_prop(e.path)}::{_data(e.message)}")
    return "\n".join(lines) + ("\n" if lines else "")
