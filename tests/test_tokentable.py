"""The boundaries pass's table of tokens: what a dictionary by token id gives, one canonical int per id."""

from __future__ import annotations

import random
from collections import Counter

import numpy as np
from spacy.attrs import ORTH

from claimlint.nlp import tokentable
from claimlint.nlp.boundaries import take_sentence_tokens
from claimlint.nlp.pipeline import get_pipeline
from claimlint.nlp.tokentable import TokenTable


def _value(orth: int) -> int:
    return orth % 97


def _ids(rnd: random.Random) -> list[int]:
    """Ids as spaCy's are (64-bit, half of them past 2**63), and ids sharing their low bits (the
    slot): every slot of the cache has to tell them apart."""
    ids = [rnd.getrandbits(64) for _ in range(300)]
    slot_mates = [(rnd.getrandbits(64 - tokentable.SLOT_BITS) << tokentable.SLOT_BITS) | 12345 for _ in range(8)]
    return ids + slot_mates


def test_the_table_gives_what_a_dictionary_gives_with_one_object_per_id() -> None:
    rnd = random.Random(5)
    vocabulary = _ids(rnd)
    learnt: Counter[int] = Counter()

    def learn(orth: int) -> int:
        learnt[orth] += 1
        return _value(orth)

    table = TokenTable(learn, limit=10_000)
    first: dict[int, int] = {}  # id → the object first given for it
    for _ in range(60):
        doc = [rnd.choice(vocabulary) for _ in range(rnd.randrange(0, 400))]
        canonical, values = table.lookup(np.array(doc, dtype=np.uint64))
        assert canonical == doc
        assert values == [_value(o) for o in doc]
        for orth, given in zip(doc, canonical, strict=True):
            assert first.setdefault(orth, given) is given  # the same object in every doc
    assert set(learnt) == set(first) and set(learnt.values()) == {1}  # each id learnt once
    assert len(table) == len(first)


def test_a_full_table_starts_afresh_and_stays_right() -> None:
    rnd = random.Random(6)
    vocabulary = _ids(rnd)
    table = TokenTable(_value, limit=50)
    for _ in range(40):
        doc = [rnd.choice(vocabulary) for _ in range(200)]
        canonical, values = table.lookup(np.array(doc, dtype=np.uint64))
        assert canonical == doc and values == [_value(o) for o in doc]
        assert len(table) <= 50 + 200


def test_the_matcher_is_handed_one_object_per_token_id() -> None:
    """The boundaries pass hands the matcher each token's id as one object per id, in every doc:
    the tables keyed by ids (the word table, the relevance memo) find them by identity."""
    _, nlp = get_pipeline()
    sentences = nlp.get_pipe("claimlint_sentences")
    texts = ["Boosts collagen and firms skin.", "Our serum boosts collagen. Skin loves it!"]
    seen: dict[int, int] = {}
    for text in texts:
        doc = sentences(nlp.make_doc(text))
        handed = take_sentence_tokens(doc)
        assert handed.orths == doc.to_array(ORTH).tolist()
        for orth in handed.orths:
            assert seen.setdefault(orth, orth) is orth
    assert len(seen) < sum(len(nlp.make_doc(t)) for t in texts)  # some words were met twice
