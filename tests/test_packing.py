"""Blocks of copy parsed several to a doc (to spare spaCy's cost per doc) give exactly the findings
they give parsed one by one: sentences, claims and their context never reach across blocks."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from claimlint.engine import Linter, Settings
from claimlint.findings import Finding
from claimlint.nlp.boundaries import BLOCK_SEPARATOR, set_block_starts
from claimlint.nlp.matcher import get_claims
from claimlint.sources import Source, source_from_text

from conftest import ROOT, sample_copy

# Paragraph breaks of every kind copy has: the blocks they make start or end in whitespace or not.
BREAKS = ["\n\n", "\n\n\n", " \n\n", "\n\n  ", "\r\n\r\n", "\n \n"]


def _documents() -> list[tuple[str, str]]:
    texts = sample_copy()
    docs = []
    for n, start in enumerate(range(0, len(texts), 9)):
        docs.append((f"copy{n}.txt", BREAKS[n % len(BREAKS)].join(texts[start : start + 9])))
    docs += [(str(p), p.read_text(encoding="utf-8")) for p in sorted((ROOT / "examples").rglob("*.md"))]
    docs += [(str(p), p.read_text(encoding="utf-8")) for p in sorted((ROOT / "examples").rglob("*.html"))]
    return docs


def _sources(docs: list[tuple[str, str]]) -> Iterator[Source]:
    return (source_from_text(path, text) for path, text in docs)


def _lint(linter: Linter, docs: list[tuple[str, str]]) -> list[Finding]:
    return [f for _, findings in linter.lint_many(_sources(docs)) for f in findings]


def test_blocks_parsed_together_find_what_blocks_parsed_alone_find(monkeypatch: pytest.MonkeyPatch) -> None:
    docs = _documents()
    alone = Linter(Settings())
    alone.doc_chars = 0
    expected = _lint(alone, docs)

    packed = Linter(Settings())
    made: list[int] = []
    make_doc = packed.pipeline.make_doc
    monkeypatch.setattr(packed.pipeline, "make_doc", lambda text: made.append(len(text)) or make_doc(text))
    found = _lint(packed, docs)
    monkeypatch.undo()

    assert found == expected and len(expected) > 1000  # every field, the fingerprint too
    # And blocks were joined: far fewer docs than blocks, none longer than the limit allows
    # (a block that long on its own is parsed alone).
    blocks = sum(1 for source in _sources(docs) for _ in source.blocks)
    assert len(made) < blocks / 3
    assert sum(1 for n in made if n > packed.doc_chars) == sum(
        1 for source in _sources(docs) for b in source.blocks if len(b.text) > packed.doc_chars
    )


# Context a leak across blocks would change: a question answered in the next paragraph, quote
# marks opened in one and closed in another, a footnote marker opening the next paragraph. (Every
# block holds a claim: a block in which no rule can match is not parsed at all.)
CROSSING = [
    "Can this serum cure acne?\n\nYes, and it heals eczema.",
    "Does it stimulate collagen production?\n\nNo, but it treats rosacea.",
    "“Amazing, it treats rosacea.\n\nThis serum cures acne.” Jane, 34",
    '"I love it, it heals eczema.\n\nClinically proven to reduce wrinkles by 81%." Try it.',
    "Reduces wrinkles by 81% in 12 weeks.\n\n*Clinically proven to cure acne.\n\n¹ Treats rosacea.",
    "Boosts collagen\n\nrepairs damaged skin cells\n\nheals eczema overnight",
    "Treats hair loss.\n\n\u00a0\n\nWhat does it treat?\n\nAcne and rosacea, cured.",
]


@pytest.mark.parametrize("text", CROSSING)
def test_context_stays_within_its_block(text: str) -> None:
    alone = Linter(Settings())
    alone.doc_chars = 0
    expected = alone.lint_text(text)
    assert expected
    assert Linter(Settings()).lint_text(text) == expected


def test_an_unanswered_question_is_not_answered_by_the_next_paragraph() -> None:
    found = Linter(Settings()).lint_text(CROSSING[0])
    assert [f.context.get("question") for f in found if f.category == "disease"] == ["Can this serum cure acne?", None]
    # In the same paragraph, the answer counts.
    found = Linter(Settings()).lint_text(CROSSING[0].replace("\n\n", " "))
    assert [f.context.get("question") for f in found if f.category == "disease"] == ["answered yes", None]


def test_quote_marks_pair_within_a_paragraph_only() -> None:
    found = Linter(Settings()).lint_text(CROSSING[2])
    assert [(f.text, f.context.get("testimonial")) for f in found if f.category == "disease"] == [
        ("treats rosacea", None),
        ("cures acne", None),
    ]
    found = Linter(Settings()).lint_text(CROSSING[2].replace("\n\n", " "))
    assert [f.context.get("testimonial") for f in found if f.category == "disease"] == ["quoted", "quoted"]


def test_a_joined_doc_has_the_sentences_and_claims_of_its_blocks() -> None:
    linter = Linter(Settings())
    nlp = linter.nlp
    blocks = [
        "Stimulates collagen production",
        "Treats acne. Cures eczema!",
        "“Repairs skin",
        "cells.” Heals wounds",
        "x",
        "Cures acne.\n\nA blank line within a block: heals eczema",
        "Can it cure acne?",
    ]
    text = BLOCK_SEPARATOR.join(blocks)
    starts = []
    at = 0
    for block in blocks:
        starts.append(at)
        at += len(block) + len(BLOCK_SEPARATOR)
    joined = nlp.make_doc(text)
    set_block_starts(joined, starts)
    joined = nlp(joined)
    sentences = [(s.start_char, s.text) for s in joined.sents if not s.text.isspace()]
    claims = [(c.rule.id, joined[c.start].idx, c.context) for c in get_claims(joined) or []]
    expected_sentences = []
    expected_claims = []
    for block, start in zip(blocks, starts, strict=True):
        doc = nlp(block)
        expected_sentences += [(start + s.start_char, s.text) for s in doc.sents if not s.text.isspace()]
        expected_claims += [(c.rule.id, start + doc[c.start].idx, c.context) for c in get_claims(doc) or []]
    assert sentences == expected_sentences
    assert claims == expected_claims and len(claims) >= 5
    # Each separator is a sentence of its own, holding nothing else; so is the blank line within a
    # block, as in the block parsed alone.
    spaces = [s.start_char for s in joined.sents if s.text.isspace()]
    inner = text.index("\n\nA blank")
    assert spaces == sorted([start - len(BLOCK_SEPARATOR) for start in starts[1:]] + [inner])
