"""``--format html``: one self-contained page for people — a summary with a small SVG chart, then
each document's copy with every claim highlighted in place; clicking a highlight shows the rule,
the reason, each market's severity with its references, and the rewrite. A market filter changes
what is shown. Rendered with jinja2 (autoescaped); copy is always text, never markup."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from claimlint.findings import CATEGORIES, Finding, Report, Severity, worst_of
from claimlint.rulebook import Rulebook


def text_key(path: str, row: str | None = None, field_name: str | None = None) -> str:
    """Where a report keeps the copy a finding points into (a file, or a catalog row's field)."""
    return path if row is None else f"{path}\x1f{row}\x1f{field_name}"


@dataclass
class _Part:
    label: str
    html: Markup
    findings: list[int]


@dataclass
class _Document:
    title: str
    subtitle: str
    parts: list[_Part] = field(default_factory=list)
    worst: str = "info"


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("claimlint.report", "templates"),
        autoescape=select_autoescape(["html", "j2"], default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def render(report: Report, rulebook: Rulebook | None = None, now: dt.datetime | None = None) -> str:
    from claimlint import __version__

    findings = report.findings
    data = [_finding_data(i, f) for i, f in enumerate(findings)]
    documents = _documents(report)
    by_category = Counter(f.category for f in findings)
    by_market = {
        m: {s.value: sum(1 for f in findings if m in f.markets and f.markets[m].severity is s) for s in Severity}
        for m in report.markets
    }
    template = _environment().get_template("report.html.j2")
    return template.render(
        version=__version__,
        generated=(now or dt.datetime.now(dt.timezone.utc)).strftime("%Y-%m-%d %H:%M UTC"),
        report=report,
        total=len(findings),
        severities={s.value: sum(1 for f in findings if f.severity is s) for s in Severity},
        by_market=by_market,
        categories=[(c, by_category[c]) for c in CATEGORIES],
        chart_max=max(by_category.values(), default=1),
        documents=documents,
        data=data,
    )


def _finding_data(i: int, f: Finding) -> dict[str, Any]:
    return {
        "i": i,
        "rule": f.rule_id,
        "title": f.title,
        "category": f.category,
        "severity": f.severity.value,
        "text": f.text,
        "message": f.message,
        "suggestion": f.suggestion,
        "where": f"{f.path}:{f.line}:{f.column}"
        if f.row is None
        else f"{f.path} · row {f.row} · {f.field} {f.line}:{f.column}",
        "context": f.context,
        "markets": {
            m: {
                "severity": v.severity.value,
                "citations": [{"id": c.id, "reference": c.reference, "url": c.url} for c in v.citations],
            }
            for m, v in f.markets.items()
        },
    }


def _documents(report: Report) -> list[_Document]:
    """Files in order, then catalog rows (grouped by row id, one part per field)."""
    groups: dict[tuple[str, str | None], dict[str | None, list[tuple[int, Finding]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for i, f in enumerate(report.findings):
        groups[(f.path, f.row)][f.field].append((i, f))
    documents: list[_Document] = []
    for path in report.files:
        if (path, None) not in groups and path in report.texts:
            documents.append(
                _Document(path, "no claims found", [_Part("", _highlight(report.texts[path], []), [])], "none")
            )
    for (path, row), fields in groups.items():
        doc = _Document(path, "" if row is None else f"row {row}")
        worst = worst_of(f.severity for items in fields.values() for _, f in items)
        doc.worst = worst.value
        for field_name, items in fields.items():
            text = report.texts.get(text_key(path, row, field_name))
            if text is None:  # copy not kept: show the claims alone
                html = Markup(" · ").join(_highlight(f.text, [(i, 0, len(f.text))]) for i, f in items)
            else:
                html = _highlight(text, [(i, f.start, f.end) for i, f in items])
            doc.parts.append(_Part(field_name or "", html, [i for i, _ in items]))
        documents.append(doc)
    return documents


def _highlight(text: str, spans: list[tuple[int, int, int]]) -> Markup:
    """The copy, escaped, with exactly one ``<mark>`` per finding: nested where one claim lies
    inside another; a claim that only partly overlaps the previous one is marked from its end."""
    out: list[str] = []
    pos = 0
    stack: list[int] = []  # ends of the open marks, innermost last

    def close() -> None:
        nonlocal pos
        end = stack.pop()
        out.append(str(escape(text[pos:end])))
        out.append("</mark>")
        pos = end

    for index, start, end in sorted(spans, key=lambda s: (s[1], -s[2])):
        while stack and (stack[-1] <= start or end > stack[-1]):
            if stack[-1] <= start:
                close()
            else:
                start = stack[-1]  # partial overlap: begin where the enclosing mark ends
        end = max(end, start)
        out.append(str(escape(text[pos:start])))
        pos = start
        out.append(f'<mark class="claim" data-i="{index}" tabindex="0">')
        stack.append(end)
    while stack:
        close()
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))
