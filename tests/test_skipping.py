"""Skipping work must never change an answer: with every rule tried on every sentence, the
findings on the labeled corpus and on generated copy are exactly the same."""

from __future__ import annotations

import sys

import pytest

from claimlint.engine import Linter, Settings
from claimlint.evaluate import read_corpus
from claimlint.nlp.matcher import CompiledRules

from conftest import ROOT


def _copy() -> list[str]:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from corpora import generate

    texts = [e.text for split in ("dev.txt", "test.txt", "holdout.txt") for e in read_corpus(ROOT / "corpus" / split)]
    return texts + [generate(4_000, 0.3, seed) for seed in range(3)]


def _findings(linter: Linter, texts: list[str]) -> list[tuple]:
    return [(i, f.rule_id, f.start, f.end, f.severity) for i, t in enumerate(texts) for f in linter.lint_text(t)]


def test_rule_skipping_changes_no_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = _copy()
    fast = _findings(Linter(Settings()), texts)

    def every_rule(self: CompiledRules, present: set[str]) -> list:
        return list(self.rules)

    monkeypatch.setattr(CompiledRules, "candidates", every_rule)
    slow = _findings(Linter(Settings()), texts)
    assert fast == slow and len(fast) > 500
