"""``--format json``: the findings, a summary and input errors; schema in ``docs/report.schema.json``.

Written as a stream: the header, then one finding per line as it is found, then errors and the
summary, so a million-finding catalog never sits in memory as one document.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from json import JSONEncoder
from typing import TYPE_CHECKING, Any, Final, TextIO

from claimlint.findings import Finding, InputError, Report, UnusedSuppression
from claimlint.report.encode import FindingEncoder
from claimlint.report.utf8 import ArrayItems, PartRenderer, append_part, end_report, utf8_target

if TYPE_CHECKING:
    from pydantic import TypeAdapter

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
    """The document ``claimlint check --format json`` writes (its keys may come in any order)."""

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
    from pydantic import TypeAdapter

    return TypeAdapter(JsonReport)


def tail(report: Report) -> tuple[str, str, str]:
    """The report's errors, unused suppressions and summary (indented), as pydantic's serializer
    writes them (the tests compare the two). Encoded by the standard library: pydantic's
    serializers for them cost 25 ms to build, a sixth of a run that answers a small file from its
    kept findings."""
    return (
        _compact([{"path": e.path, "message": e.message} for e in report.errors]),
        _compact([{"path": u.path, "line": u.line, "text": u.text} for u in report.unused_suppressions]),
        _indented(asdict(summarize(report))),
    )


_compact: Final[Callable[[object], str]] = JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_indented: Final[Callable[[object], str]] = JSONEncoder(ensure_ascii=False, indent=2).encode


@lru_cache(maxsize=1)
def _finding_adapter() -> TypeAdapter[Finding]:
    from pydantic import TypeAdapter

    return TypeAdapter(Finding)


def _dump_with_pydantic(finding: Finding) -> bytes:
    # The encoder's fallback, rarely needed: pydantic's serializer is built only then (4 ms), not
    # for every run that writes JSON.
    return _finding_adapter().dump_json(finding)


def summarize(report: Report) -> Summary:
    tally = report.tally
    return Summary(
        files=len(report.files),
        findings=tally.total,
        input_errors=len(report.errors),
        rows=report.rows,
        by_severity=dict(tally.by_severity),
        by_category=dict(tally.by_category),
        by_market={m: dict(tally.by_market.get(m, {})) for m in report.markets},
    )


class JsonWriter:
    def __init__(self, out: TextIO) -> None:
        self.out = utf8_target(out)
        self.findings = ArrayItems(4)
        # A report file, or standard output, takes the serializer's UTF-8 as it is: 84 MB of
        # findings are not decoded only to be encoded again.
        self._write_utf8: Callable[[bytes], object] | None = getattr(self.out, "write_utf8", None)
        self._encode = FindingEncoder(_dump_with_pydantic)

    def begin(self, report: Report) -> None:
        from claimlint import __version__

        head = {
            "tool": "claimlint",
            "version": __version__,
            "schema_version": SCHEMA_VERSION,
            "markets": report.markets,
        }
        self.out.write(
            "{\n" + "".join(f"  {json.dumps(k)}: {json.dumps(v)},\n" for k, v in head.items()) + '  "findings": ['
        )

    def add(self, finding: Finding) -> None:
        data = self._encode(finding)
        head = self.findings.head()
        if self._write_utf8 is not None:
            self._write_utf8(head + data)
        else:
            self.out.write((head + data).decode())

    def renderer(self) -> PartRenderer:
        """Renders findings as :meth:`add` writes them after the first: for workers that render
        parts of the report in parallel (:meth:`add_part`)."""
        return self.findings.part_renderer(self._encode)

    def add_part(self, path: str, count: int) -> None:
        """Append ``count`` findings rendered by :meth:`renderer` into the file at ``path``."""
        if count:
            append_part(self.out, self.findings.head(), path)

    def end(self, report: Report) -> None:
        errors, unused, summary = tail(report)
        summary = summary.replace("\n", "\n  ")
        self.out.write(
            self.findings.close()
            + ",\n"
            + f'  "errors": {errors},\n'
            + f'  "unused_suppressions": {unused},\n'
            + f'  "summary": {summary}\n'
            + "}\n"
        )
        end_report(self.out)


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the report document, generated from the models above."""
    schema = _adapter().json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "claimlint JSON report"
    return schema
