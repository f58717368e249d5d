"""``--format github``: GitHub Actions workflow commands, so findings annotate the pull request."""

from __future__ import annotations

from typing import TextIO

from claimlint.findings import Finding, Report, Severity

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


class GithubWriter:
    def __init__(self, out: TextIO) -> None:
        self.out = out

    def begin(self, report: Report) -> None:
        pass

    def add(self, f: Finding) -> None:
        if f.row is not None:
            position = f"line={f.row_line or 1}"
            where = f" [row {f.row}, {f.field}]"
        else:
            position = f"line={f.line},col={f.column},endLine={f.end_line},endColumn={f.end_column}"
            where = ""
        markets = ", ".join(f"{m.upper()} {v.severity.value}" for m, v in f.markets.items())
        title = _prop(f"{f.rule_id} [{f.category}]")
        message = _data(f'"{f.text}"{where}: {f.message} ({markets}) Try: {f.suggestion}')
        self.out.write(f"::{LEVELS[f.severity]} file={_prop(f.path)},{position},title={title}::{message}\n")

    def end(self, report: Report) -> None:
        for e in report.errors:
            self.out.write(f"::error file={_prop(e.path)}::{_data(e.message)}\n")
