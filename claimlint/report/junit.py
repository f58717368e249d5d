"""``--format junit``: JUnit XML for CI dashboards — a test case per file (per catalog row with
findings, plus one per catalog), failing with the findings it carries."""

from __future__ import annotations

from collections import defaultdict
from xml.etree import ElementTree as ET

from claimlint.findings import Finding, Report
from claimlint.rulebook import Rulebook


def render(report: Report, rulebook: Rulebook | None = None) -> str:
    cases: dict[tuple[str, str | None], list[Finding]] = defaultdict(list)
    for path in report.files:
        cases[(path, None)]
    for f in report.findings:
        cases[(f.path, f.row)].append(f)
    suite = ET.Element("testsuite", name="claimlint", tests=str(len(cases) + len(report.errors)))
    failures = 0
    for (path, row), findings in cases.items():
        name = path if row is None else f"{path} row {row}"
        case = ET.SubElement(suite, "testcase", classname="claimlint", name=name)
        if findings:
            failures += 1
            worst = max(findings, key=lambda f: f.severity.rank)
            failure = ET.SubElement(
                case,
                "failure",
                message=f"{len(findings)} claim{'s' if len(findings) != 1 else ''}, worst: {worst.severity.value}",
                type=worst.rule_id,
            )
            failure.text = "\n".join(_line(f) for f in findings)
    for e in report.errors:
        case = ET.SubElement(suite, "testcase", classname="claimlint", name=e.path)
        error = ET.SubElement(case, "error", message=e.message, type="input")
        error.text = e.message
    suite.set("failures", str(failures))
    suite.set("errors", str(len(report.errors)))
    suites = ET.Element("testsuites", name="claimlint", tests=suite.get("tests", "0"), failures=str(failures))
    suites.append(suite)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


def _line(f: Finding) -> str:
    where = f"{f.field}:{f.line}:{f.column}" if f.row is not None else f"{f.line}:{f.column}"
    markets = ", ".join(f"{m.upper()} {v.severity.value}" for m, v in f.markets.items())
    return f'{where} {f.rule_id} [{f.category}] {f.severity.value}: "{f.text}" — {f.message} ({markets}) Try: {f.suggestion}'
