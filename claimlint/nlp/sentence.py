"""A sentence as the matchers see it: words (no hyphens or quotes), lemmas, clause segments."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from claimlint.document import MARKER
from claimlint.nlp.quantities import QuantityMatch, find_quantities, may_start_quantity
from claimlint.nlp.tokentable import CanonicalId

# Tokens a claim reads straight through: "collagen-boosting", "stem-cell", "“cleared”", and
# footnote markers ("proven*", "wrinkles¹").
TRANSPARENT: Final = frozenset(
    {"-", "‐", "‑", "'", '"', "“", "”", "‘", "’", "«", "»", "*", "**", "***", "®", "™", "©", "†", "‡", "§", "¶"}
)
# After a comma these start a new clause: "…human adipose tissue, our exosomes are…".
CLAUSE_OPENERS: Final = frozenset(
    {
        "it",
        "its",
        "it's",
        "they",
        "their",
        "we",
        "our",
        "you",
        "your",
        "this",
        "these",
        "that",
        "which",
        "who",
        "he",
        "she",
        "i",
        "my",
        "there",
        "so",
        "but",
        "while",
        "because",
    }
)
# Tokens no claim spans: a matcher window never reaches across them.
BOUNDARY: Final = frozenset({";", ":", "—", "–", "|", "•", "·", "(", ")", "[", "]", "{", "}", "/", "…", "\\"})


class SentenceView:
    """The words of one sentence with what matching needs, built once per sentence (by
    :meth:`build`; a plain class, for a native ``__init__`` when compiled)."""

    def __init__(
        self, doc: Doc, start: int, end: int, orths: list[CanonicalId], block: int, block_start: int, block_end: int
    ) -> None:
        self.doc = doc
        self.start = start  # the sentence's tokens in the doc: [start, end)
        self.end = end
        self.orths = orths  # the ids of every token of the doc, shared by its views
        # The block of copy the sentence is in, and its tokens: the whole doc, unless the doc joins
        # several blocks (boundaries.set_block_starts); context is never read beyond them.
        self.block = block  # its index among the doc's blocks
        self.block_start = block_start
        self.block_end = block_end
        self.lemmas: list[str] = []
        self.lowers: list[str] = []
        self.tokens: list[int] = []  # doc token index of each word
        self.segments: list[int] = []  # clause segment of each word
        self.is_word: list[bool] = []  # alphanumeric, not punctuation
        self.quantities: dict[int, list[QuantityMatch]] = {}
        # Where each key stands (lemma, "=" + exact word, quantity slot): a term set looks up the
        # keys its terms start with instead of testing every word. Only the keys some rule can
        # ask for (WordTable's ``keys``).
        self.starts: dict[str, list[int]] = {}
        self._lemma_set: frozenset[str] | None = None
        self._lower_set: frozenset[str] | None = None
        self._key_set: frozenset[str] | None = None
        self._sent: Span | None = None

    @property
    def sent(self) -> Span:
        """The sentence as a spaCy span, made on first use (few claims need one)."""
        found = self._sent
        if found is None:
            found = self._sent = self.doc[self.start : self.end]
        return found

    def key_set(self) -> frozenset[str]:
        """The keys the sentence offers (those of ``starts``), as a set: meeting a term set's
        first keys, a set intersection walks whichever of the two is smaller."""
        found = self._key_set
        if found is None:
            found = self._key_set = frozenset(self.starts)
        return found

    def lemma_set(self) -> frozenset[str]:
        """The sentence's lemmas as a set, made once however many claims the sentence holds."""
        found = self._lemma_set
        if found is None:
            found = self._lemma_set = frozenset(self.lemmas)
        return found

    def lower_set(self) -> frozenset[str]:
        found = self._lower_set
        if found is None:
            found = self._lower_set = frozenset(self.lowers)
        return found

    @classmethod
    def build(
        cls,
        doc: Doc,
        start: int,
        end: int,
        words: WordTable,
        orths: list[CanonicalId],
        block: int,
        block_start: int,
        block_end: int,
    ) -> SentenceView:
        """The view of the sentence of tokens ``[start, end)`` of the doc's block number ``block``,
        tokens ``[block_start, block_end)``, from the ids of its doc's tokens (``orths``); words
        are read through ``words``, once per distinct token, not once per occurrence."""
        view = cls(doc, start, end, orths, block, block_start, block_end)
        lemmas, lowers, tokens, segments, is_word = view.lemmas, view.lowers, view.tokens, view.segments, view.is_word
        starts = view.starts
        segment = 0
        numbers: list[int] = []  # where a quantity expression may start
        for i in range(start, end):
            kind, lower, lemma, word, number, keys = words[orths[i]]
            if kind == SKIP:
                continue
            if kind == BREAK:
                segment += 1
                continue
            if lowers and lowers[-1] == "," and lower in CLAUSE_OPENERS:
                segment += 1
            position = len(lemmas)
            for key in keys:
                at = starts.get(key)
                if at is None:
                    starts[key] = [position]
                else:
                    at.append(position)
            lemmas.append(lemma)
            lowers.append(lower)
            tokens.append(i)
            segments.append(segment)
            is_word.append(word)
            if number:
                numbers.append(position)
        view.quantities = find_quantities(lowers, numbers) if numbers else {}
        for position, matches in view.quantities.items():
            for q in matches:
                at = starts.setdefault(q.slot, [])
                if not at or at[-1] != position:
                    at.append(position)
        return view

    def __len__(self) -> int:
        return len(self.lemmas)


# What a token is to a sentence view (Final: inlined when compiled, not looked up per token).
SKIP: Final = 0
BREAK: Final = 1
WORD: Final = 2


# What a sentence view needs of a token (WordTable): kind, lower case, lemma, more than
# punctuation, may start a quantity, the keys a view indexes it by.
WordEntry = tuple[int, str, str, bool, bool, tuple[str, ...]]


class WordTable:
    """What a sentence view needs of a token, by its id: whether it is skipped (space, quote,
    hyphen, footnote marker), breaks a clause, or is a word (then its lower case, its lemma,
    whether it is more than punctuation, whether a quantity may start there, and which of its
    keys, its lemma and ``=`` its exact word, the view indexes). All of it depends on the token's
    text alone.

    ``keys``: the only keys a view is ever asked where they stand (``CompiledRules.view_keys``);
    a word's other keys are not indexed, which spares most words an entry (None: index all)."""

    LIMIT = 500_000

    def __init__(self, vocab: Vocab, lemma: Callable[[str], str], keys: frozenset[str] | None = None) -> None:
        self._vocab = vocab
        self._lemma = lemma
        self._keys = keys
        self._known: dict[int, WordEntry] = {}

    def __getitem__(self, orth: CanonicalId) -> WordEntry:
        found = self._known.get(orth)
        if found is None:
            lexeme = self._vocab[orth]
            text = lexeme.orth_
            if lexeme.is_space or text in TRANSPARENT or MARKER.match(text):
                kind = SKIP
            elif text in BOUNDARY:
                kind = BREAK
            else:
                kind = WORD
            lower = lexeme.lower_
            lemma = self._lemma(text)
            indexed: tuple[str, ...] = (lemma, "=" + lower)
            if self._keys is not None:
                indexed = tuple(k for k in indexed if k in self._keys)
            found = (kind, lower, lemma, not lexeme.is_punct, may_start_quantity(lower), indexed)
            if len(self._known) > self.LIMIT:
                self._known.clear()
            self._known[orth] = found
        return found
