"""``--format text``: ruff-style lines, the copy with the claim underlined, a line per market."""

from __future__ import annotations

from typing import TextIO

import click

from claimlint.findings import Finding, Report, Severity

_COLORS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}
_CONTEXT = 60  # characters of copy shown on each side of a long line


class TextWriter:
    """Writes each finding as it is found, then unused suppressions and the summary."""

    def __init__(self, out: TextIO, color: bool = False) -> None:
        self.out = out
        self.color = color
        self.report: Report | None = None

    def _write(self, lines: list[str]) -> None:
        text = "\n".join(lines) + "\n"
        self.out.write(text if self.color else click.unstyle(text))

    def begin(self, report: Report) -> None:
        self.report = report

    def add(self, finding: Finding) -> None:
        texts = self.report.texts if self.report is not None else {}
        self._write(_finding(finding, texts.get(finding.path) if finding.row is None else None))

    def end(self, report: Report) -> None:
        lines = [
            f"{click.style(s.path, bold=True)}:{s.line}: unused suppression: {s.text}"
            for s in report.unused_suppressions
        ]
        if lines:
            lines.append("")
        lines.append(_summary(report))
        self._write(lines)


def _finding(f: Finding, text: str | None) -> list[str]:
    sev = click.style(f.severity.value, fg=_COLORS[f.severity], bold=True)
    where = f"{f.path}:{f.row}:{f.field}" if f.row is not None else f.path
    head = f"{click.style(where, bold=True)}:{f.line}:{f.column}: {click.style(f.rule_id, fg='cyan', bold=True)} [{f.category}] {sev}: {f.message}"
    lines = [head]
    if text is not None:
        lines.extend(_excerpt(f, text))
    elif f.row is not None:
        lines.append(f"  | {f.text}")
    for market, verdict in f.markets.items():
        refs = "; ".join(c.reference for c in verdict.citations)
        lines.append(f"  {market:<3}{click.style(f'{verdict.severity.value:<8}', fg=_COLORS[verdict.severity])}{refs}")
    if f.context:
        lines.append("  context: " + ", ".join(f"{k} ({v})" for k, v in f.context.items()))
    if f.quantity is not None:
        lines.append(f"  quantity: {f.quantity.text} = {f.quantity.value:g} {f.quantity.unit}")
    lines.append(f"  {click.style('try:', fg='green')} {f.suggestion}")
    lines.append("")
    return lines


def _excerpt(f: Finding, text: str) -> list[str]:
    """The claim's first line of copy with the claim underlined, trimmed around long lines."""
    line_start = f.start - (f.column - 1)
    line_end = text.find("\n", f.start)
    line = text[line_start : line_end if line_end != -1 else len(text)].rstrip("\r")
    col = f.column - 1
    width = (f.end - f.start) if f.end_line == f.line else len(line) - col
    lo = max(0, col - _CONTEXT)
    hi = min(len(line), col + width + _CONTEXT)
    prefix = "…" if lo > 0 else ""
    suffix = "…" if hi < len(line) else ""
    shown = prefix + line[lo:hi].replace("\t", " ") + suffix
    gutter = f"{f.line} | "
    pad = " " * (len(gutter) - 2) + "| "
    caret = " " * (len(prefix) + col - lo) + "^" * max(1, min(width, hi - col))
    return [f"{gutter}{shown}", f"{pad}{click.style(caret, fg=_COLORS[f.severity], bold=True)}"]


def _summary(report: Report) -> str:
    files = len(report.files)
    noun = ("file" if files == 1 else "files") + (f" ({report.rows:,} catalog rows)" if report.rows else "")
    tally = report.tally
    if not tally.total:
        return click.style(f"No claims found in {files} {noun} ({', '.join(report.markets)}).", fg="green")
    order = ("error", "warning", "info")

    def counts(counter: dict[str, int]) -> str:
        return ", ".join(f"{counter[s]} {s}{'s' if counter[s] != 1 else ''}" for s in order if counter.get(s))

    markets = " · ".join(f"{m.upper()}: {counts(tally.by_market.get(m, {}))}" for m in report.markets)
    total = tally.total
    return (
        f"Found {total} claim{'s' if total != 1 else ''} in {files} {noun}: {counts(tally.by_severity)}.\n  {markets}"
    )
