"""Which words can matter to a rule: the exact, cheap test that lets most copy skip the pipeline.

A rule can only match a sentence that holds, for one of its patterns, a word from each set the
pattern cannot do without (:meth:`CompiledRules.plan`). Those sets are made of *keys*: lemmas,
exact words (``=word``) and quantity slots (``#pct``). This module answers, for a word or a whole
text, which keys it can contribute, and memoises the answer so that repeated words cost one
set operation in C.

Two granularities, both exact (they never skip text a rule could match):

* **whitespace chunks** of raw text, before spaCy runs. spaCy's tokenizer cuts text at whitespace
  first and tokenizes each non-space chunk on its own, so a chunk's tokens, and so its keys, are
  the same wherever it stands. A short text (catalog fields, headlines) whose chunks together
  satisfy no rule is never tokenized.
* **tokens** of a parsed sentence, by the ids (spaCy's hash of their text) of those that offer
  keys, so that only sentences that can match get the full :class:`SentenceView` treatment.

A quantity slot comes from a run of words (``ten thousand``, ``a month``, ``90 %``), and every
such run holds a digit or one of the number, multiplier, scale or time words: a word like that
offers every slot, which over-approximates and so stays exact.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Final

from claimlint.nlp.matcher import CompiledRules
from claimlint.nlp.quantities import QUANTITY_WORDS, SPECIAL_SLOTS
from claimlint.nlp.tokentable import CanonicalId

NONE: Final[frozenset[str]] = frozenset()
# The memo tables are bounded: a million-row catalog of SKUs and URLs must not grow them forever.
MEMO_LIMIT = 400_000
# Longer texts are parsed without the whole-text test (the sentence test still skips their
# sentences one by one). With blocks parsed several to a doc, the test pays only on short texts:
# on catalog fields, it cost 0.10 s and spared 0.20 s of parsing for 100,000 names (under 40
# characters), broke even on descriptions of 80-119 characters (0.37 s against 0.42 s) and cost
# more than it spared from 120 on (0.29 s against 0.19 s); on the paragraphs of corpus (a), of
# 120-239 characters, it cost 0.20 s and spared 0.05 s.
LONG_TEXT: Final = 120


class _KeyTable:
    """Rule keys per whitespace chunk, and the chunks that offer any."""

    def __init__(self) -> None:
        self.keys: dict[str, frozenset[str]] = {}
        self.relevant: set[str] = set()
        # The items of ``keys``, as a set: "is every item of this text known?" is then one pass
        # of lookups in C over the text's items, with no set of them built (most texts, once
        # the table is warm).
        self.known: set[str] = set()

    def learn(self, items: set[str], keys_of: Callable[[str], frozenset[str]]) -> None:
        unknown = items.difference(self.known)
        if len(self.known) + len(unknown) > MEMO_LIMIT:
            # Make room first: a table emptied half-way would forget items of this very text,
            # and a text with a forgotten item could be skipped although a rule matches it.
            self.keys.clear()
            self.relevant.clear()
            self.known.clear()
            unknown = items
        for item in unknown:
            found = self.keys[item] = keys_of(item)
            if found:
                self.relevant.add(item)
        self.known.update(unknown)

    def union(self, items: Iterable[str]) -> frozenset[str] | None:
        """The keys the given items offer together; None when none of them offers any."""
        hits = self.relevant.intersection(items)
        if not hits:
            return None
        keys: set[str] = set()
        for item in hits:
            keys |= self.keys[item]
        return frozenset(keys)


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
        self._chunks = _KeyTable()
        # Whether a sentence may match, by the set of its tokens that offer keys: a token's keys
        # depend on its text alone, so an entry stays true whatever table is emptied.
        self._sentences: dict[frozenset[int], bool] = {}

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

    def _chunk_keys(self, chunk: str) -> frozenset[str]:
        keys: set[str] = set()
        for token in self._tokenize(chunk):
            keys |= self.word_keys(token.lower())
        return frozenset(keys) or NONE

    def text_may_match(self, text: str) -> bool:
        """False when no rule can match anywhere in ``text`` (which then needs no parsing); always
        True for a text longer than :data:`LONG_TEXT`, where the test would cost more than it saves."""
        if len(text) > LONG_TEXT:
            return True
        chunks = text.split()
        table = self._chunks
        # Once the table is warm, a text is told by passes of lookups in C over its chunks, with
        # no set of them built. (Memoising the answer on the set of chunks that offer keys, as the
        # sentence test does on tokens, saved a little more but kept 100 MB: a catalog field's
        # set holds a dozen common words, "this", "with", "skin", and most such sets never recur.)
        if not table.known.issuperset(chunks):
            table.learn(set(chunks), self._chunk_keys)
        keys = table.union(chunks)
        return keys is not None and self.compiled.may_match(keys)

    def offers_keys(self, lower: str) -> bool:
        """Whether a token (given in lower case) offers any rule key."""
        return bool(self.word_keys(lower))

    def sentence_may_match(self, hits: list[CanonicalId], text: Callable[[int], str]) -> bool:
        """False when no rule can match a sentence whose tokens that offer keys (:meth:`offers_keys`)
        have these ids (``text``: a token's text from its id).

        Memoised on the set of them: those sets are made of the few words the packs care about,
        and recur far more than sentences do."""
        if not hits:
            return False
        key = frozenset(hits)
        found = self._sentences.get(key)
        if found is None:
            keys: set[str] = set()
            for orth in key:
                keys |= self.word_keys(text(orth).lower())
            found = bool(keys) and self.compiled.may_match(frozenset(keys))
            if len(self._sentences) > MEMO_LIMIT:
                self._sentences.clear()
            self._sentences[key] = found
        return found


def _quantity_word(lower: str) -> bool:
    return lower in QUANTITY_WORDS or any(c.isdigit() for c in lower) or lower.endswith("fold")
