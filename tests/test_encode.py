"""The JSON report's finding encoder writes exactly what pydantic's serializer writes."""

from __future__ import annotations

import dataclasses
import pickle

from claimlint.engine import Linter
from claimlint.findings import CitationRef, Finding, MarketVerdict, Quantity, Severity
from claimlint.report.encode import FindingEncoder
from claimlint.report.json import _finding_adapter

from conftest import ROOT, sample_copy


def _pydantic(finding: Finding) -> bytes:
    return _finding_adapter().dump_json(finding)


def _findings(linter: Linter) -> list[Finding]:
    found = linter.lint_paths([ROOT / "examples"]).findings  # files, Markdown, HTML and catalog rows
    found += [f for text in sample_copy()[:600] for f in linter.lint_text(text, path="copy/“sample” \\ 1.txt")]
    return found


def test_every_finding_is_encoded_as_pydantic_encodes_it(linter: Linter) -> None:
    findings = _findings(linter)
    assert any(f.row is not None for f in findings) and any(f.quantity for f in findings)
    assert any(f.context for f in findings)
    encode = FindingEncoder(_pydantic)
    assert [encode(f) for f in findings] == [_pydantic(f) for f in findings]
    # Again, from the caches, and on copies read back from another process (verdicts not shared).
    assert [encode(f) for f in findings] == [_pydantic(f) for f in findings]
    copies = pickle.loads(pickle.dumps(findings))
    assert [encode(f) for f in copies] == [_pydantic(f) for f in copies]


def test_awkward_values_are_encoded_as_pydantic_encodes_them(linter: Linter) -> None:
    base = linter.lint_text("Clinically proven: 10,000 times more exosomes than other brands.")[0]
    odd = 'tab\there, new\nline, quote " back\\slash \x00\x1f\x7f é ✓ \u2028 😀'
    verdict = MarketVerdict(Severity.ERROR, [CitationRef("X-1", odd, 'https://example.com/?a=1&b="2"')])
    variants = [
        dataclasses.replace(base, text=odd, path=odd, context={"quoted": odd, odd: "x"}),
        dataclasses.replace(base, markets={"us": verdict, "eu": verdict}, row='SKU "1"', field="desc", row_line=7),
        dataclasses.replace(base, markets={}, quantity=None, title=odd, message="", suggestion=odd),
        *(dataclasses.replace(base, quantity=Quantity(v, "times", "x")) for v in (0.0, 0.5, 1e15, 123.456, -2.0)),
        # pydantic's own ways: exponents, infinity, text that is not Unicode (handed to pydantic)
        *(dataclasses.replace(base, quantity=Quantity(v, "times", "x")) for v in (1e16, 1e-7, float("inf"))),
    ]
    encode = FindingEncoder(_pydantic)
    for finding in variants:
        assert encode(finding) == _pydantic(finding)
    lone = dataclasses.replace(base, text="bad \udc80 text")
    fell_back: list[Finding] = []

    def fallback(finding: Finding) -> bytes:
        fell_back.append(finding)
        return b"{}"

    assert FindingEncoder(fallback)(lone) == b"{}" and fell_back == [lone]


def test_the_report_tail_is_encoded_as_pydantic_encodes_it(linter: Linter) -> None:
    """Errors, unused suppressions and the summary, written by the standard library's encoder,
    are byte for byte what pydantic's serializers write."""
    from pydantic import TypeAdapter

    from claimlint.findings import InputError, Report, UnusedSuppression
    from claimlint.report.json import Summary, summarize, tail

    def with_pydantic(report: Report) -> tuple[str, str, str]:
        return (
            TypeAdapter(list[InputError]).dump_json(report.errors).decode(),
            TypeAdapter(list[UnusedSuppression]).dump_json(report.unused_suppressions).decode(),
            TypeAdapter(Summary).dump_json(summarize(report), indent=2).decode(),
        )

    odd = 'tab\there, new\nline, quote " back\\slash \x00\x1f\x7f é ✓ \u2028 😀'
    report = linter.lint_paths([ROOT / "examples"])
    assert report.findings and report.tally.by_market
    report.errors += [InputError("missing.md", "no such file"), InputError(odd, odd)]
    report.unused_suppressions += [UnusedSuppression(odd, 3, odd), UnusedSuppression("a.md", 1, "x")]
    for case in (report, Report(), Report(markets=["uk"], rows=12)):
        assert tail(case) == with_pydantic(case)
