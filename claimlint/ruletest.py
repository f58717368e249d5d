"""Runs a rule's own examples: ``flag`` must fire at the ``[[marked]]`` span, ``pass`` must not."""

from __future__ import annotations

from dataclasses import dataclass, replace

from claimlint import marks
from claimlint.engine import Linter
from claimlint.rulebook import Rule


@dataclass(frozen=True)
class ExampleResult:
    rule_id: str
    kind: str  # "flag", "pass" or "todo"
    text: str
    ok: bool
    detail: str


def unmark(example: str) -> tuple[str, list[tuple[int, int]]]:
    """Remove ``[[…]]`` markers; return the clean text and the marked spans in it."""
    text, spans = marks.unmark(example)
    return text, [(start, end) for start, end, _ in spans]


def check_example(linter: Linter, rule: Rule, kind: str, example: str) -> ExampleResult:
    text, spans = unmark(example)
    hits = [f for f in linter.lint_text(text) if f.rule_id == rule.id]
    got = [(f.start, f.end) for f in hits]
    shown = ", ".join(repr(text[s:e]) for s, e in got) or "nothing"
    if kind == "pass":
        return ExampleResult(rule.id, kind, example, not hits, f"flagged {shown}")
    if spans:
        ok = sorted(got) == sorted(spans)
        want = ", ".join(repr(text[s:e]) for s, e in spans)
        return ExampleResult(rule.id, kind, example, ok, f"expected {want}, got {shown}")
    return ExampleResult(rule.id, kind, example, bool(hits), "expected a finding, got nothing")


def check_rule(linter: Linter, rule: Rule) -> list[ExampleResult]:
    """Run a rule's examples with that rule alone selected, so other rules cannot mask it."""
    linter = Linter(replace(linter.settings, select=(rule.id,), ignore=()))
    results = [check_example(linter, rule, "flag", e) for e in rule.examples.flag]
    results += [check_example(linter, rule, "pass", e) for e in rule.examples.pass_]
    results += [check_example(linter, rule, "todo", e) for e in rule.examples.todo]
    return results
