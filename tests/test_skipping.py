"""Skipping work must never change an answer: with every block parsed and every rule tried on
every sentence, the findings on the labeled corpus and on generated copy are exactly the same."""

from __future__ import annotations

import dataclasses
import types
import typing

import pytest

from claimlint.engine import Linter, Settings
from claimlint.findings import Finding, Quantity, build_finding
from claimlint.nlp.matcher import CompiledPattern, CompiledRule, CompiledRules
from claimlint.nlp.relevance import Relevance

from conftest import sample_copy


def _findings(linter: Linter, texts: list[str]) -> list[tuple]:
    return [(i, f.rule_id, f.start, f.end, f.severity) for i, t in enumerate(texts) for f in linter.lint_text(t)]


def test_rule_skipping_changes_no_finding(monkeypatch: pytest.MonkeyPatch, on_sources: bool) -> None:
    if on_sources:
        return
    texts = sample_copy()
    fast = _findings(Linter(Settings()), texts)

    def every_rule(self: CompiledRules, keys: frozenset[str]) -> list[tuple[CompiledRule, list[CompiledPattern]]]:
        return [(c, c.patterns) for c in self.rules]

    monkeypatch.setattr(CompiledRules, "plan", every_rule)
    monkeypatch.setattr(CompiledRules, "may_match", lambda self, keys: True)
    monkeypatch.setattr(Relevance, "text_may_match", lambda self, text: True)
    monkeypatch.setattr(Relevance, "sentence_may_match", lambda self, hits, text: True)
    slow_linter = Linter(Settings())
    # Sentence views index every word's keys, not only those some rule can ask for.
    words = slow_linter.nlp.get_pipe("claimlint_matcher").words
    assert words._keys is not None and len(words._keys) > 100
    monkeypatch.setattr(words, "_keys", None)
    monkeypatch.setattr(words, "_known", {})
    slow = _findings(slow_linter, texts)
    assert fast == slow and len(fast) > 500


def test_gates_stay_exact_when_their_tables_overflow(monkeypatch: pytest.MonkeyPatch, on_sources: bool) -> None:
    """Bounded memo tables are emptied as they fill; no text may be skipped because of it."""
    if on_sources:
        return
    from claimlint.nlp import matcher, relevance

    texts = sample_copy()[::3]
    expected = _findings(Linter(Settings()), texts)
    monkeypatch.setattr(relevance, "MEMO_LIMIT", 8)
    monkeypatch.setattr(matcher, "PLAN_LIMIT", 4)
    linter = Linter(Settings())
    for table in (linter.relevance._chunks.keys, linter.relevance._chunks.relevant, linter.relevance._chunks.known):
        table.clear()  # as the table empties itself: every part at once
    assert _findings(linter, texts) == expected and len(expected) > 150


def test_linting_leaves_nothing_for_the_garbage_collector() -> None:
    """A parsed paragraph and its claims are freed as soon as its findings are made (by reference
    counting): a cycle between a doc and its claims would keep every doc of a long file alive until
    a collection walked them all."""
    import gc

    text = "\n\n".join(sample_copy()[:400])
    linter = Linter(Settings())
    assert linter.lint_text(text)
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        assert linter.lint_text(text)
        unreachable = gc.collect()
        kinds = sorted({type(o).__name__ for o in gc.garbage})
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert unreachable == 0, kinds


def test_the_claims_slot_is_doc_underscore_claims() -> None:
    """The matcher writes the claims straight into the place spaCy keeps ``doc._.claims``; what a
    spaCy user reads through the extension is what the matcher found, and the engine's findings
    are those of the extension path."""
    from claimlint.nlp import matcher
    from claimlint.nlp.pipeline import get_pipeline

    _, nlp = get_pipeline()
    assert matcher._slot["direct"]  # spaCy still keeps extension values in doc.user_data
    doc = nlp("Our serum cures acne. It smells of roses.")
    assert [c.rule.id for c in doc._.claims] == ["DIS-SKIN"]
    assert matcher.get_claims(doc) is doc._.claims
    texts = sample_copy()[:300]
    direct = _findings(Linter(Settings()), texts)
    matcher._slot["direct"] = False
    try:
        assert _findings(Linter(Settings()), texts) == direct
    finally:
        matcher.use_claims_slot(nlp.make_doc(""))
    assert matcher._slot["direct"]


def _conforms(value: object, hint: object) -> bool:
    """Whether a value is of a field's declared type (the types Finding's fields use)."""
    origin = typing.get_origin(hint)
    if origin is typing.Literal:
        return value in typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return any(_conforms(value, arg) for arg in typing.get_args(hint))
    if origin is not None:
        return isinstance(value, origin)
    return isinstance(value, hint)  # type: ignore[arg-type]


def test_the_engine_builds_the_finding_the_dataclass_would() -> None:
    """A finding is made by handing a new instance its whole dictionary (as unpickling does), not
    through the frozen dataclass's ``__init__``: every field, in the dataclass's order, of its
    declared type, the same finding ``Finding(*values)`` makes, and still frozen. So is one made
    by ``build_finding`` (findings read back from the result cache)."""
    names = [f.name for f in dataclasses.fields(Finding)]
    hints = typing.get_type_hints(Finding)
    made = Linter(Settings()).lint_text(
        "Clinically proven to cure acne in 7 days, 100% guaranteed. Cures 9 in 10 cases."
    )
    assert len(made) >= 3
    assert any(f.quantity is not None for f in made)
    for finding in made:
        assert list(vars(finding)) == names
        for name in names:
            assert _conforms(getattr(finding, name), hints[name]), (name, getattr(finding, name))
        values = [getattr(finding, name) for name in names]
        assert finding == Finding(*values)
        assert vars(finding) == vars(Finding(*values))
        assert build_finding(values) == finding
        assert vars(build_finding(values)) == vars(finding)
        assert len(finding.fingerprint) == 20
        if finding.quantity is not None:
            quantity = finding.quantity
            quantity_names = [f.name for f in dataclasses.fields(Quantity)]
            assert list(vars(quantity)) == quantity_names
            quantity_hints = typing.get_type_hints(Quantity)
            assert all(_conforms(getattr(quantity, n), quantity_hints[n]) for n in quantity_names)
            assert quantity == Quantity(*[getattr(quantity, n) for n in quantity_names])
        with pytest.raises(dataclasses.FrozenInstanceError):
            finding.line = 0  # type: ignore[misc]
    assert not _conforms("3", hints["line"]) and not _conforms("claim", hints["category"])
    with pytest.raises(ValueError):
        build_finding(values[:-1])  # one value short: refused, not a finding without a fingerprint


def test_findings_travel_between_processes_and_copy_unchanged() -> None:
    """Read back from a worker (pickle), or copied, a finding is equal, frozen, and has a
    dictionary of its own."""
    import copy
    import dataclasses
    import pickle

    made = Linter(Settings()).lint_text("Clinically proven to cure acne in 7 days, 100% guaranteed.")
    back = pickle.loads(pickle.dumps(made))
    assert back == made and [vars(f) for f in back] == [vars(f) for f in made]
    for original in made:
        for twin in (copy.copy(original), copy.deepcopy(original), pickle.loads(pickle.dumps(original))):
            assert twin == original and vars(twin) is not vars(original)
            with pytest.raises(dataclasses.FrozenInstanceError):
                twin.line = 0  # type: ignore[misc]


def test_the_whole_text_test_skips_short_texts_only() -> None:
    """A short text with no word a rule could use is never parsed; a long one is parsed whatever
    it holds (there the test costs more than it spares) and its sentences are skipped one by one."""
    from claimlint.nlp.relevance import LONG_TEXT

    linter = Linter(Settings())
    may_match = linter.relevance.text_may_match
    plain = "A light cream for everyday use, with a soft floral scent."
    assert not may_match(plain)
    assert may_match("Stimulates collagen production.")
    long_plain = " ".join([plain] * (LONG_TEXT // len(plain) + 1))
    assert len(long_plain) > LONG_TEXT and may_match(long_plain)
    assert linter.lint_text(long_plain) == []
