"""claimlint's pipeline runs without a spaCy ``Language`` (``load``), and the ``Language`` made
around it on request (``get_pipeline``, ``Linter.nlp``) is the same pipeline: same tokens, same
sentences, same claims with the same context, on the labeled corpus and generated copy."""

from __future__ import annotations

import subprocess
import sys

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from claimlint.nlp.matcher import get_claims
from claimlint.nlp.pipeline import ClaimPipeline, get_pipeline, load

from conftest import sample_copy


def _read(doc: Doc) -> tuple[list[str], list[int], list[tuple[str, int, int, tuple[tuple[str, str], ...]]]]:
    claims = get_claims(doc) or []
    return (
        [t.text for t in doc],
        [s.start for s in doc.sents],
        [(c.rule.id, c.start, c.end, tuple(sorted(c.context.items()))) for c in claims],
    )


def test_the_language_runs_the_same_pipeline() -> None:
    book, pipeline = load()
    same_book, nlp = get_pipeline()
    assert isinstance(pipeline, ClaimPipeline) and isinstance(nlp, Language)
    assert same_book is book and get_pipeline()[1] is nlp  # made once
    assert nlp.pipe_names == pipeline.pipe_names == ["claimlint_sentences", "claimlint_matcher", "claimlint_context"]
    assert nlp.tokenizer is pipeline.tokenizer and nlp.vocab is pipeline.vocab
    texts = sample_copy()
    with_claims = 0
    for text in texts:
        ours = _read(pipeline(text))
        assert ours == _read(nlp(text)), text
        with_claims += bool(ours[2])
    assert with_claims > len(texts) / 4  # the comparison covers claims, not only tokens


def test_a_linter_parses_without_making_a_language() -> None:
    code = (
        "from claimlint.engine import Linter, Settings\n"
        "linter = Linter(Settings())\n"
        "found = linter.lint_text('Our serum stimulates collagen production and cures acne.')\n"
        "made = linter.pipeline._language is not None\n"
        "print(made, sorted({f.rule_id for f in found} & {'SF-COLLAGEN', 'DIS-SKIN'}),\n"
        "      linter.nlp is linter.pipeline.language(), linter.nlp.pipe_names[-1])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "['DIS-SKIN',", "'SF-COLLAGEN']", "True", "claimlint_context"]


def test_a_text_longer_than_spacy_allows_is_refused_as_spacy_refuses_it() -> None:
    pipeline = load()[1]
    with pytest.raises(ValueError, match="longer than"):
        pipeline.make_doc("x" * (pipeline.max_length + 1))
