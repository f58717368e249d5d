"""``--format json``: the findings, a summary and input errors; schema in ``docs/report.schema.json``."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from pydantic import TypeAdapter

from claimlint.findings import Finding, InputError, Report, UnusedSuppression
from claimlint.rulebook import Rulebook

SCHEMA_VERSION = 2


@dataclass(frozen=True)
class Summary:
    """Counts over the whole run; ``by_market`` counts findings by severity in each market."""

    files: int
    findings: int
    input_errors: int
    rows: int = 0
    by_severity: dict[str, int] = field(default_factory=dict)
    by_category: dict[str, int] = field(default_factory=dict)
    by_market: dict[str, dict[str, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class JsonReport:
    """The document ``claimlint check --format json`` writes."""

    tool: str
    version: str
    schema_version: int
    markets: list[str]
    summary: Summary
    findings: list[Finding]
    errors: list[InputError]
    unused_suppressions: list[UnusedSuppression] = field(default_factory=list)


@lru_cache(maxsize=1)
def _adapter() -> TypeAdapter[JsonReport]:
    return TypeAdapter(JsonReport)


def summarize(report: Report) -> Summary:
    by_market: dict[str, dict[str, int]] = {m: {} for m in report.markets}
    for f in report.findings:
        for market, verdict in f.markets.items():
            counts = by_market.setdefault(market, {})
            counts[verdict.severity.value] = counts.get(verdict.severity.value, 0) + 1
    return Summary(
        files=len(report.files),
        findings=len(report.findings),
        input_errors=len(report.errors),
        rows=report.rows,
        by_severity=dict(Counter(f.severity.value for f in report.findings)),
        by_category=dict(Counter(f.category for f in report.findings)),
        by_market=by_market,
    )


def to_document(report: Report) -> JsonReport:
    from claimlint import __version__

    return JsonReport(
        tool="claimlint",
        version=__version__,
        schema_version=SCHEMA_VERSION,
        markets=list(report.markets),
        summary=summarize(report),
        findings=report.findings,
        errors=report.errors,
        unused_suppressions=report.unused_suppressions,
    )


def render(report: Report, rulebook: Rulebook | None = None) -> str:
    return _adapter().dump_json(to_document(report), indent=2).decode() + "\n"


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the report document, generated from the models above."""
    schema = _adapter().json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "claimlint JSON report"
    return schema
