"""Which words can matter to a rule: the exact, cheap test that lets most copy skip the pipeline.

A rule can only match a sentence that holds, for one of its patterns, a word from each set the
pattern cannot do without (:meth:`CompiledRules.plan`). Those sets are made of *keys*: lemmas,
exact words (``=word``) and quantity slots (``#pct``). This module answers, for a word or a whole
text, which keys it can contribute, and memoises the answer so that repeated words cost one
set operation in C.

Two granularities, both exact (they never skip text a rule could match):

* **whitespace chunks** of raw text, before spaCy runs. spaCy's tokenizer cuts text at whitespace
  first and tokenizes each non-space chunk on its own, so a chunk's tokens, and so its keys, are
  the same wherever it stands. A text none of whose chunks can start a rule is never tokenized.
* **tokens** of a parsed sentence, by the hash of their lower-case form, so that only sentences
  that can match get the full :class:`SentenceView` treatment.

A quantity slot comes from a run of words (``ten thousand``, ``a month``, ``90 %``), and every
such run holds a digit or one of the number, multiplier, scale or time words: a word like that
offers every slot, which over-approximates and so stays exact.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from claimlint.nlp.matcher import CompiledRules
from claimlint.nlp.quantities import QUANTITY_WORDS, SPECIAL_SLOTS

NONE: frozenset[str] = frozenset()
# The memo tables are bounded: a million-row catalog of SKUs and URLs must not grow them forever.
MEMO_LIMIT = 400_000
LONG_TEXT_CHUNKS = 40


class Relevance:
    """Keys a word or text can offer the rules of one compiled rulebook."""

    def __init__(
        self,
        compiled: CompiledRules,
        lemma: Callable[[str], str],
        tokenize: Callable[[str], Iterable[str]],
    ) -> None:
        self.compiled = compiled
        self.keys = compiled.keys
        self.lemma = lemma
        self._tokenize = tokenize
        self._slots = frozenset(s for s in SPECIAL_SLOTS if s in self.keys)
        self._words: dict[str, frozenset[str]] = {}
        self._chunks: dict[str, frozenset[str]] = {}
        self._relevant_chunks: set[str] = set()
        self._hashes: dict[int, frozenset[str]] = {}
        self._relevant_hashes: set[int] = set()

    def word_keys(self, lower: str) -> frozenset[str]:
        """The rule keys one token (given in lower case) can offer."""
        found = self._words.get(lower)
        if found is None:
            keys = {self.lemma(lower), "=" + lower}
            if self._slots and _quantity_word(lower):
                keys |= self._slots
            found = frozenset(keys & self.keys) or NONE
            if len(self._words) > MEMO_LIMIT:
                self._words.clear()
            self._words[lower] = found
        return found

    def chunk_keys(self, chunk: str) -> frozenset[str]:
        """The rule keys a whitespace-free piece of raw text can offer, through its tokens."""
        found = self._chunks.get(chunk)
        return self._learn_chunk(chunk) if found is None else found

    def _learn_chunk(self, chunk: str) -> frozenset[str]:
        keys: set[str] = set()
        for token in self._tokenize(chunk):
            keys |= self.word_keys(token.lower())
        found = frozenset(keys) or NONE
        self._chunks[chunk] = found
        if found:
            self._relevant_chunks.add(chunk)
        return found

    def text_may_match(self, text: str) -> bool:
        """False when no rule can match anywhere in ``text`` (which then needs no parsing)."""
        chunks = set(text.split())
        unknown = chunks.difference(self._chunks)
        if len(self._chunks) + len(unknown) > MEMO_LIMIT:
            # Make room first: a table cleared half-way would forget chunks of this very text.
            self._chunks.clear()
            self._relevant_chunks.clear()
            unknown = chunks
        for chunk in unknown:
            self._learn_chunk(chunk)
        hits = chunks & self._relevant_chunks
        if not hits:
            return False
        if len(chunks) > LONG_TEXT_CHUNKS:
            # A paragraph's words together nearly always satisfy some rule; the sentence gate
            # will decide sentence by sentence, so the whole-text test would be wasted work.
            return True
        return self.may_match(self._chunks[c] for c in hits)

    def learn_hashes(self, hashes: Iterable[int], lower: Callable[[int], str]) -> None:
        """Learn the keys of a doc's tokens, by the hash spaCy keeps for each lower-case form."""
        distinct = set(hashes)
        unknown = distinct.difference(self._hashes)
        if len(self._hashes) + len(unknown) > MEMO_LIMIT:
            # Make room first: the doc's sentences are read from these tables next.
            self._hashes.clear()
            self._relevant_hashes.clear()
            unknown = distinct
        for h in unknown:
            found = self.word_keys(lower(h))
            self._hashes[h] = found
            if found:
                self._relevant_hashes.add(h)

    def sentence_keys(self, hashes: list[int]) -> frozenset[str] | None:
        """The keys of a sentence's tokens (hashes already learnt); None when it holds none."""
        hits = self._relevant_hashes.intersection(hashes)
        if not hits:
            return None
        keys: set[str] = set()
        for h in hits:
            keys |= self._hashes[h]
        return frozenset(keys)

    def may_match(self, key_sets: Iterable[frozenset[str]]) -> bool:
        keys: set[str] = set()
        for found in key_sets:
            keys |= found
        return self.compiled.may_match(frozenset(keys))


def _quantity_word(lower: str) -> bool:
    return lower in QUANTITY_WORDS or any(c.isdigit() for c in lower) or lower.endswith("fold")
