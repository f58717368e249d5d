"""Sentence boundaries computed on arrays are exactly spaCy's sentencizer plus the line-break rule."""

from __future__ import annotations

import sys

import pytest
import spacy
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.tokens import Doc

from claimlint.evaluate import read_corpus
from claimlint.nlp.boundaries import take_sentence_tokens
from claimlint.nlp.matcher import get_claims
from claimlint.nlp.pipeline import get_pipeline

from conftest import ROOT, sample_copy

EDGE_CASES = [
    "",
    " ",
    "\n",
    "Hi.",
    "...",
    "Hello!!! World?! “Yes.” he said. (Really.) Next\nline\n\nnew para.\r\n\r\nX",
    "a\n b",
    "  lead",
    "end.  ",
    "Clinically proven*. † Study of 30 women.\n• Boosts collagen\n• reduces wrinkles",
    "No full stop\nStarts upper\ncontinues lower.",
    "Wait... what?! 10x.\tTabs.\u00a0Non-breaking. 3.5% works!",
]


def _reference(nlp: Language) -> Language:
    ref = spacy.blank("en")
    ref.tokenizer = nlp.tokenizer
    ref.add_pipe("sentencizer")
    return ref


def _line_breaks(doc: Doc) -> Doc:
    for token in doc[:-1]:
        if token.is_space and "\n" in token.text:
            nxt = doc[token.i + 1]
            if "\n\n" in token.text.replace("\r", "") or not nxt.text[:1].islower():
                nxt.is_sent_start = True
    return doc


def _texts() -> list[str]:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from corpora import generate

    texts = [e.text for split in ("dev.txt", "test.txt", "holdout.txt") for e in read_corpus(ROOT / "corpus" / split)]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples").rglob("*.md"))]
    return texts + [generate(3_000, 0.3, seed) for seed in range(3)] + EDGE_CASES


@pytest.mark.parametrize("chunk", range(4))
def test_boundaries_equal_spacy_sentencizer_and_line_breaks(chunk: int) -> None:
    _, nlp = get_pipeline()
    ref = _reference(nlp)
    ours = nlp.get_pipe("claimlint_sentences")
    texts = _texts()[chunk::4]
    for text in texts:
        expected = [(s.start, s.end) for s in _line_breaks(ref(text)).sents] if text else []
        doc = ours(nlp.tokenizer(text))
        got = [(s.start, s.end) for s in doc.sents] if text else []
        assert got == expected, text[:80]
        # What the component hands the matcher: the same sentences, and every token's id.
        handed = take_sentence_tokens(doc)
        assert handed.starts == [start for start, _ in expected], text[:80]
        assert handed.orths == doc.to_array(ORTH).tolist()
    assert len(texts) > 100


def test_the_matcher_finds_the_same_claims_without_the_hand_over() -> None:
    """Another sentence component (a trained parser, say) hands nothing over: the matcher then
    reads the token ids and sentences from the doc itself, with the same result."""
    _, nlp = get_pipeline()
    sentences = nlp.get_pipe("claimlint_sentences")
    matcher = nlp.get_pipe("claimlint_matcher")
    seen = 0
    for text in _texts():
        handed = matcher(sentences(nlp.make_doc(text)))
        bare = sentences(nlp.make_doc(text))
        if len(bare):
            del bare.user_data["claimlint.sentence_tokens"]
        bare = matcher(bare)
        got = [(c.rule.id, c.start, c.end) for c in get_claims(handed) or []]
        assert got == [(c.rule.id, c.start, c.end) for c in get_claims(bare) or []], text[:80]
        seen += len(got)
    assert seen > 1_000


def test_sentence_final_marks_are_spacys_sentencizers() -> None:
    from spacy.pipeline import Sentencizer

    from claimlint.nlp.boundaries import PUNCT_CHARS

    assert frozenset(Sentencizer.default_punct_chars) == PUNCT_CHARS


def test_the_tokenizer_is_spacys_english_with_footnote_suffixes() -> None:
    """claimlint's English is built with its footnote suffixes; the tokens are those of spaCy's
    English tokenizer with its suffix rule replaced afterwards (the way it used to be built)."""
    from claimlint.nlp.english import FOOTNOTE_SUFFIXES

    reference = spacy.blank("en")
    suffixes = [*(reference.Defaults.suffixes or ()), *FOOTNOTE_SUFFIXES]
    reference.tokenizer.suffix_search = spacy.util.compile_suffix_regex(suffixes).search
    _, nlp = get_pipeline()
    texts = [*sample_copy(), "Clinically proven¹. Results[1] (2) wrinkles*, 90%†; see §3 “cured”!"]
    for text in texts:
        assert [t.text for t in nlp.make_doc(text)] == [t.text for t in reference.make_doc(text)], text
    assert [t.text for t in nlp.make_doc("wrinkles¹.")] == ["wrinkles", "¹", "."]
