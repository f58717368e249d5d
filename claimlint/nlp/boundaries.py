"""Sentence boundaries: spaCy's rule-based sentencizer, plus line breaks, in one pass over token ids.

The rule is spaCy's ``sentencizer`` exactly: a sentence starts at the first token after a
sentence-final mark that is neither punctuation nor such a mark. spaCy's component builds a Python
token object for every word; here one pass runs over the tokens' ids, and what the rule needs of a
token's text is learnt once per distinct token. Copy also has headlines and bullets without full
stops, so a line break ends a sentence unless the next line visibly continues it (starts in lower
case).
"""

from __future__ import annotations

from typing import Final

import numpy as np
from spacy.attrs import ORTH, SENT_START
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc
from spacy.vocab import Vocab

PUNCT_CHARS: Final = frozenset(Sentencizer.default_punct_chars)

# What the rule needs of a token, all of it a property of its text: bit flags, by token id.
MARK: Final = 1  # a sentence-final mark
PUNCT: Final = 2
NEWLINE: Final = 4  # whitespace holding a line break
BLANK_LINE: Final = 8  # whitespace holding an empty line
LOWER_START: Final = 16  # starts with a lower-case letter
KNOWN: Final = 32  # set on every learnt entry, so that a token with no other flag is not learnt again
START: Final = 1
NOT_START: Final = 2**64 - 1  # -1, as spaCy's unsigned array of sentence starts holds it
TEMPLATE_MAX_TOKENS: Final = 2_000


class SentenceBoundaries:
    """Pipeline component: sets ``token.is_sent_start`` on every token of a doc."""

    LIMIT = 500_000

    def __init__(self, vocab: Vocab) -> None:
        self._vocab = vocab
        self._flags: dict[int, int] = {}
        self._templates: dict[int, np.ndarray] = {}  # by token count: n × 1 of NOT_START

    def _not_starts(self, n: int) -> np.ndarray:
        """A fresh n × 1 array of NOT_START, copied from one kept per length (paragraphs of
        product copy come in a few hundred lengths; long ones are made afresh)."""
        template = self._templates.get(n)
        if template is None:
            template = np.full((n, 1), NOT_START, dtype=np.uint64)
            if n > TEMPLATE_MAX_TOKENS:
                return template
            self._templates[n] = template
        fresh: np.ndarray = template.copy()
        return fresh

    def _learn(self, orth: int) -> int:
        lexeme = self._vocab[orth]
        text = lexeme.orth_
        flags = KNOWN | (MARK if text in PUNCT_CHARS else 0) | (PUNCT if lexeme.is_punct else 0)
        if lexeme.is_space and "\n" in text:
            flags |= NEWLINE | (BLANK_LINE if "\n\n" in text.replace("\r", "") else 0)
        if text[:1].islower():
            flags |= LOWER_START
        if len(self._flags) > self.LIMIT:
            self._flags.clear()
        self._flags[orth] = flags
        return flags

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if n == 0:
            return doc
        known = self._flags
        orths: list[int] = doc.to_array(ORTH).tolist()
        flags = [known.get(orth) or self._learn(orth) for orth in orths]
        first = [0]  # the first token of each sentence, in order
        seen = False
        for i in range(n):
            f = flags[i]
            if f & MARK:
                seen = True
            elif seen and not f & PUNCT:
                if first[-1] != i:
                    first.append(i)
                seen = False
            # A line break ends a sentence unless the next line continues it in lower case.
            if f & NEWLINE and i + 1 < n and (f & BLANK_LINE or not flags[i + 1] & LOWER_START):
                first.append(i + 1)
        # Every token is "not a start" but the few that are: a copy of an array of n "not a start"
        # (0.3 µs against 0.8 µs for ``np.full``), then one assignment per sentence (0.1 µs each,
        # against 1.1 µs for numpy to read the list of starts into an index array).
        starts = self._not_starts(n)
        for i in first:
            starts[i, 0] = START
        doc.from_array([SENT_START], starts)  # type: ignore[arg-type]
        set_sentence_tokens(doc, SentenceTokens(orths, first))
        return doc


class SentenceTokens:
    """What the boundaries component already has in hand and the matcher needs next: every
    token's id and where each sentence starts. Handed over on the doc, so that the matcher neither
    reads the token ids out of the doc again nor makes a sentence span for every sentence (only
    one in four or fewer can match a rule)."""

    __slots__ = ("orths", "starts")

    def __init__(self, orths: list[int], starts: list[int]) -> None:
        self.orths = orths
        self.starts = starts


_KEY: Final = "claimlint.sentence_tokens"


def set_sentence_tokens(doc: Doc, tokens: SentenceTokens) -> None:
    doc.user_data[_KEY] = tokens


def take_sentence_tokens(doc: Doc) -> SentenceTokens:
    """The hand-over from :class:`SentenceBoundaries`, removed from the doc (it is not data a
    user's doc should carry); rebuilt from the doc when another component set the sentences."""
    found = doc.user_data.pop(_KEY, None)
    if isinstance(found, SentenceTokens) and len(found.orths) == len(doc):
        return found
    orths: list[int] = doc.to_array(ORTH).tolist() if len(doc) else []
    return SentenceTokens(orths, [sent.start for sent in doc.sents] if len(doc) else [])
