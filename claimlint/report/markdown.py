"""``--format markdown``: a summary for a pull-request comment — counts per market and a table of
claims (the first 50), each with its rewrite."""

from __future__ import annotations

from collections import Counter

from claimlint.findings import Report, Severity
from claimlint.rulebook import Rulebook

LIMIT = 50
ICONS = {Severity.ERROR: "🔴", Severity.WARNING: "🟠", Severity.INFO: "🔵"}
ORDER = (Severity.ERROR, Severity.WARNING, Severity.INFO)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ").strip()


def render(report: Report, rulebook: Rulebook | None = None) -> str:
    total = len(report.findings)
    files = len(report.files)
    if not total:
        out = [f"### ✅ claimlint: no claims found in {files} file{'s' if files != 1 else ''}"]
        return "\n".join(out) + "\n"
    counts = Counter(f.severity for f in report.findings)
    summary = ", ".join(f"{counts[s]} {s.value}{'s' if counts[s] != 1 else ''}" for s in ORDER if counts[s])
    out = [
        f"### claimlint: {total} claim{'s' if total != 1 else ''} in {files} file{'s' if files != 1 else ''} ({summary})",
        "",
    ]
    out += ["| market | errors | warnings | info |", "|---|---:|---:|---:|"]
    for market in report.markets:
        m = Counter(f.markets[market].severity for f in report.findings if market in f.markets)
        out.append(f"| {market.upper()} | {m[Severity.ERROR]} | {m[Severity.WARNING]} | {m[Severity.INFO]} |")
    out += ["", "| | where | rule | claim | why | write instead |", "|---|---|---|---|---|---|"]
    for f in sorted(report.findings, key=lambda f: (-f.severity.rank, f.path, f.row or "", f.line))[:LIMIT]:
        where = f"`{f.path}` row {f.row} ({f.field})" if f.row is not None else f"`{f.path}:{f.line}`"
        out.append(
            f"| {ICONS[f.severity]} | {where} | `{f.rule_id}` | {_cell(f.text)} | {_cell(f.message)} | {_cell(f.suggestion)} |"
        )
    if total > LIMIT:
        out += ["", f"…and {total - LIMIT} more. Run `claimlint check` locally for the full report."]
    if report.errors:
        out += [
            "",
            f"⚠️ {len(report.errors)} input error(s): " + "; ".join(f"`{e.path}`: {e.message}" for e in report.errors),
        ]
    return "\n".join(out) + "\n"
