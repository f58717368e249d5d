"""Every rule's own examples run as tests: ``flag`` fires at the marked span, ``pass`` stays silent,
``todo`` (known misses) still misses — when one starts to pass, promote it to ``flag``."""

from __future__ import annotations

import pytest

from claimlint.engine import Linter
from claimlint.nlp.pipeline import get_pipeline
from claimlint.ruletest import check_example

BOOK = get_pipeline()[0]
CASES = [
    pytest.param(rule.id, kind, text, id=f"{rule.id}:{kind}:{i}")
    for rule in BOOK.rules
    for kind, examples in (("flag", rule.examples.flag), ("pass", rule.examples.pass_), ("todo", rule.examples.todo))
    for i, text in enumerate(examples)
]


@pytest.mark.parametrize(("rule_id", "kind", "example"), CASES)
def test_rule_example(linter: Linter, rule_id: str, kind: str, example: str) -> None:
    from dataclasses import replace

    rule = BOOK.rule(rule_id)
    solo = Linter(replace(linter.settings, select=(rule_id,)))
    result = check_example(solo, rule, "flag" if kind == "todo" else kind, example)
    if kind == "todo":
        assert not result.ok, f"known miss now detected, move it to flag: {example!r} ({result.detail})"
    else:
        assert result.ok, result.detail


def test_every_rule_has_both_kinds_of_example() -> None:
    for rule in BOOK.rules:
        assert rule.examples.flag and rule.examples.pass_, rule.id
        assert all("[[" in e for e in rule.examples.flag), f"{rule.id}: mark the expected span with [[…]]"
