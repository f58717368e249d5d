"""Accuracy on the labeled corpus: the held-out split must meet the targets, per category too."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimlint.engine import Linter, Settings
from claimlint.evaluate import CorpusError, evaluate, read_corpus

from conftest import ROOT

CORPUS = ROOT / "corpus"


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter(Settings())


def test_corpus_is_big_enough_with_hard_negatives() -> None:
    examples = [e for split in ("dev.txt", "test.txt") for e in read_corpus(CORPUS / split)]
    assert len(examples) >= 400
    assert sum(1 for e in examples if not e.gold) >= 150
    assert {c for e in examples for g in e.gold for c in g.categories} == {
        "disease", "structure_function", "prohibited_ingredient", "medical_procedure",
        "quantified", "absolute", "proof", "testimonial",
    }  # fmt: skip


@pytest.mark.parametrize("split", ["test.txt", "dev.txt"])
def test_precision_and_recall_meet_the_targets(linter: Linter, split: str) -> None:
    ev = evaluate(linter, read_corpus(CORPUS / split))
    assert ev.overall.precision >= 0.95, ev.overall
    assert ev.overall.recall >= 0.95, ev.overall
    for category, counts in ev.by_category.items():
        assert counts.precision >= 0.85, (category, counts)
        assert counts.recall >= 0.85, (category, counts)


def test_corpus_format_errors_name_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("fine line\n[[treats acne|diseases]]\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"bad\.txt:2: unknown category 'diseases'"):
        read_corpus(bad)
    bad.write_text("[[treats acne|disease]\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"bad\.txt:1: unbalanced"):
        read_corpus(bad)


def test_eval_command_prints_the_table_and_gates(run, tmp_path: Path) -> None:
    corpus = tmp_path / "mini.txt"
    corpus.write_text(
        "Our serum [[treats acne|disease]].\nA lovely scent.\nIt stimulates collagen.\n", encoding="utf-8"
    )
    result = run(["eval", str(corpus), "--show-errors"])
    assert result.code == 0
    assert "disease" in result.out and "overall" in result.out
    assert "FALSE" in result.out and "SF-COLLAGEN" in result.out  # the unlabeled claim is a false alarm
    assert run(["eval", str(corpus), "--min-precision", "0.9"]).code == 1
    assert run(["eval", str(tmp_path / "none.txt")]).code == 2
    empty = tmp_path / "empty.txt"
    empty.write_text("# only a comment\n\n", encoding="utf-8")
    result = run(["eval", str(empty), "--min-precision", "0.9"])  # not a perfect score over nothing
    assert (
        result.code == 2
        and result.err.strip() == f"claimlint: error: {empty}: no examples (one per line; see docs/accuracy.md)"
    )
