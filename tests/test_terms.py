"""The term language (``rules/`` terms) as the compiled automaton matches it, against a plain
reading of the language slot by slot: on hand-picked cases and on random terms over random
sentences, from every start position, the longest end."""

from __future__ import annotations

import pickle
import random
from collections.abc import Set

import pytest
from spacy.attrs import ORTH

from claimlint.nlp.lemmas import lookup_table
from claimlint.nlp.matcher import tokenizer_words
from claimlint.nlp.pipeline import get_pipeline, lemmatizer
from claimlint.nlp.sentence import SentenceView, WordTable
from claimlint.nlp.terms import Slot, Term, TermCompiler, TermIndex


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    return get_pipeline()[1]


def _views(nlp, text: str) -> list[SentenceView]:  # type: ignore[no-untyped-def]
    doc = nlp.get_pipe("claimlint_sentences")(nlp.make_doc(text))
    words = WordTable(nlp.vocab, lemmatizer().lemma)
    orths = doc.to_array(ORTH).tolist()
    return [SentenceView.build(doc, sent.start, sent.end, words, orths, 0, 0, len(doc)) for sent in doc.sents]


def _compiler(nlp, vocabularies: dict[str, list[str]]) -> TermCompiler:  # type: ignore[no-untyped-def]
    return TermCompiler(tokenizer_words(nlp.tokenizer), lemmatizer().lemma, vocabularies)


# The language read literally: each slot, from each position reached so far, in turn.
def _slot_ends(slot: Slot, view: SentenceView, p: int) -> set[int]:
    ends: set[int] = set()
    if view.lemmas[p] in slot.words or view.lowers[p] in slot.exact or (slot.wildcard and view.is_word[p]):
        ends.add(p + 1)
    for seq in slot.sequences:
        if p + len(seq) <= len(view) and all(view.lemmas[p + k] in forms for k, forms in enumerate(seq)):
            ends.add(p + len(seq))
    for vocab in slot.vocabularies:
        ends |= _index_ends(vocab, view, p)
    ends |= {q.end for q in view.quantities.get(p, ()) if q.slot in slot.specials}
    return ends


def _term_ends(term: Term, view: SentenceView, i: int) -> set[int]:
    positions = {i}
    for slot in term.slots:
        reached = {e for p in positions if p < len(view) for e in _slot_ends(slot, view, p)}
        positions = reached | positions if slot.optional else reached
    return positions


def _index_ends(index: TermIndex, view: SentenceView, i: int) -> set[int]:
    ends = {e for term in index.terms for e in _term_ends(term, view, i)}
    return {e for e in ends if e > i and view.segments[e - 1] == view.segments[i]}


def _check(index: TermIndex, views: list[SentenceView]) -> int:
    """Compare every start of every sentence; return how many matches were seen."""
    seen = 0
    for view in views:
        expected = []
        for i in range(len(view)):
            ends: Set[int] = _index_ends(index, view, i)
            assert index.longest_at(view, i) == max(ends, default=0), (view.lowers, i, [t.text for t in index.terms])
            if ends:
                expected.append((i, max(ends)))
        assert index.find(view) == expected, (view.lowers, [t.text for t in index.terms])
        seen += len(expected)
    return seen


CASES = [
    # (terms, vocabularies, text, expected (start word, end word) of each longest match)
    (["stimulate collagen"], {}, "It stimulates collagen daily.", [(1, 3)]),
    (["stimulate collagen? production"], {}, "Stimulating production and collagen production.", [(0, 2)]),
    (["hair_loss"], {}, "Stops hair loss and hair-loss.", [(1, 3), (4, 6)]),
    (["=purest"], {}, "The purest and the pure.", [(1, 2)]),
    (["#pct more"], {}, "With 90 % more and 10 per cent more.", [(1, 4), (5, 9)]),
    (["clinically * proven"], {}, "Clinically and proven, clinically proven.", [(0, 3)]),
    (
        ["@cond free"],
        {"cond": ["acne", "hair_loss", "@deep"], "deep": ["skin cancer"]},
        "Acne free, skin cancer free.",
        [(0, 2), (3, 6)],
    ),
    (["treat @cond"], {"cond": ["acne"]}, "It treats, acne.", []),  # a clause boundary ends the term
]


@pytest.mark.parametrize(("terms", "vocabularies", "text", "expected"), CASES)
def test_terms_match_as_documented(nlp, terms, vocabularies, text, expected) -> None:  # type: ignore[no-untyped-def]
    index = _compiler(nlp, vocabularies).index(terms)
    views = _views(nlp, text)
    assert [m for view in views for m in index.find(view)] == expected
    _check(index, views)


WORDS = ["skin", "collagen", "boost", "boosts", "hair", "loss", "acne", "free", "a", "month", "two", "weeks",
         "more", "%", ",", "and", "it", "proven", "purest", "pure", "cells", "stem", "of"]  # fmt: skip
ALTERNATIVES = ["skin", "collagen", "boost", "hair_loss", "stem_cells", "acne", "free", "more", "*", "=purest",
                "pure", "#pct", "#dur", "#num", "#mult", "of", "and"]  # fmt: skip


def _random_term(rng: random.Random, vocab_names: list[str]) -> str:
    slots = []
    for k in range(rng.randint(1, 4)):
        alts = rng.sample(ALTERNATIVES + [f"@{v}" for v in vocab_names], rng.randint(1, 3))
        if k == 0:
            alts = [a for a in alts if a != "*"] or ["skin"]
        slots.append("|".join(alts) + ("?" if k and rng.random() < 0.3 else ""))
    return " ".join(slots)


def test_random_terms_match_as_the_language_reads(nlp) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(5)
    text = " ".join(
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 14))) + rng.choice([".", "!", "?"]) for _ in range(300)
    )
    views = _views(nlp, text)
    seen = 0
    for _ in range(120):
        inner = [_random_term(rng, []) for _ in range(rng.randint(1, 4))]
        outer = [_random_term(rng, ["inner"]) for _ in range(rng.randint(1, 4))]
        compiler = _compiler(nlp, {"inner": inner, "outer": outer})
        index = compiler.index([_random_term(rng, ["inner", "outer"]) for _ in range(rng.randint(1, 5))])
        seen += _check(index, views)
    assert seen > 1_000  # the random terms do match, often


def test_a_run_of_letters_is_one_token_unless_a_special_case(nlp) -> None:  # type: ignore[no-untyped-def]
    """``tokenizer_words`` answers a run of letters without the tokenizer: the tokenizer must
    agree, on words of the lemma table (with capitals, and every non-ASCII one) and on the
    special cases, which it must still send through (a sample: the whole table takes seconds)."""
    words = tokenizer_words(nlp.tokenizer)
    table = lookup_table()
    letters = sorted({w for k, v in table.items() for w in (k, v) if isinstance(w, str) and w.isalpha()})
    rng = random.Random(3)
    sample = rng.sample(letters, 6_000) + [w for w in letters if not w.isascii()]
    sample += [w.capitalize() for w in sample[:2_000]] + [w.upper() for w in sample[:2_000]]
    sample += ["cannot", "Cannot", "gonna", "wanna", "Dont"]
    for word in sample:
        expected = [t.text for t in nlp.tokenizer(word) if not t.is_space]
        assert words(word) == expected, word
    assert words("cannot") == ["can", "not"]


def test_indexes_kept_on_disk_compile_to_the_same_matches(nlp) -> None:  # type: ignore[no-untyped-def]
    """The term indexes one compilation keeps, pickled as the cache keeps them, are a later
    compilation's: nothing is tokenized or lemmatised again, and they find what was compiled."""
    rng = random.Random(11)
    text = " ".join(
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 14))) + rng.choice([".", "!", "?"]) for _ in range(200)
    )
    views = _views(nlp, text)
    inner = [_random_term(rng, []) for _ in range(3)]
    vocabularies = {"inner": inner, "outer": [_random_term(rng, ["inner"]) for _ in range(3)]}
    term_sets = [[_random_term(rng, ["inner", "outer"]) for _ in range(rng.randint(1, 5))] for _ in range(40)]
    kept: dict[tuple[str, ...], TermIndex] = {}
    fresh = TermCompiler(tokenizer_words(nlp.tokenizer), lemmatizer().lemma, vocabularies, kept)
    compiled = [fresh.index(terms) for terms in term_sets]
    assert fresh.index(term_sets[0]) is compiled[0]  # the same terms, the same index

    def never(word: str) -> list[str]:
        raise AssertionError(f"compiled again: {word!r}")

    loaded = pickle.loads(pickle.dumps(kept, pickle.HIGHEST_PROTOCOL))
    again = TermCompiler(never, never, vocabularies, loaded)  # type: ignore[arg-type]
    seen = 0
    for terms, index in zip(term_sets, compiled, strict=True):
        other = again.index(terms)
        assert [t.text for t in other.terms] == [t.text for t in index.terms]
        assert other.first_lemmas == index.first_lemmas and other.keyset == index.keyset
        for view in views:
            found = index.find(view)
            assert other.find(view) == found
            seen += len(found)
    assert again.first_keys == fresh.first_keys
    assert seen > 100
    # A vocabulary stays one index, whichever term names it.
    named = [slot.vocabularies for index in loaded.values() for term in index.terms for slot in term.slots]
    assert len({id(v) for vocabs in named for v in vocabs}) == len(
        {tuple(t.text for t in v.terms) for vocabs in named for v in vocabs}
    )
