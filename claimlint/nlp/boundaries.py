"""Sentence boundaries: spaCy's rule-based sentencizer, plus line breaks, in one pass over token ids.

The rule is spaCy's ``sentencizer`` exactly: a sentence starts at the first token after a
sentence-final mark that is neither punctuation nor such a mark. spaCy's component builds a Python
token object for every word; here one pass runs over the tokens' ids, and what the rule needs of a
token's text is learnt once per distinct token. Copy also has headlines and bullets without full
stops, so a line break ends a sentence unless the next line visibly continues it (starts in lower
case).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import numpy as np
from spacy.attrs import ORTH, SENT_START
from spacy.strings import get_string_id
from spacy.tokens import Doc
from spacy.vocab import Vocab

from claimlint.nlp.tokentable import CanonicalId, TokenTable

# spaCy's sentencizer's sentence-final marks (``Sentencizer.default_punct_chars``, which a test
# compares with this), held here: importing that class imports all of ``spacy.language``.
PUNCT_CHARS: Final = frozenset(
    "!.?\u0589\u061f\u06d4\u0700\u0701\u0702\u07f9\u0964\u0965\u104a\u104b\u1362\u1367"
    "\u1368\u166e\u1735\u1736\u1803\u1809\u1944\u1945\u1aa8\u1aa9\u1aaa\u1aab\u1b5a\u1b5b"
    "\u1b5e\u1b5f\u1c3b\u1c3c\u1c7e\u1c7f\u203c\u203d\u2047\u2048\u2049\u2e2e\u2e3c\ua4ff"
    "\ua60e\ua60f\ua6f3\ua6f7\ua876\ua877\ua8ce\ua8cf\ua92f\ua9c8\ua9c9\uaa5d\uaa5e\uaa5f"
    "\uaaf0\uaaf1\uabeb\ufe52\ufe56\ufe57\uff01\uff0e\uff1f\U00010a56\U00010a57\U00011047"
    "\U00011048\U000110be\U000110bf\U000110c0\U000110c1\U00011141\U00011142\U00011143"
    "\U000111c5\U000111c6\U000111cd\U000111de\U000111df\U00011238\U00011239\U0001123b"
    "\U0001123c\U000112a9\U0001144b\U0001144c\U000115c2\U000115c3\U000115c9\U000115ca"
    "\U000115cb\U000115cc\U000115cd\U000115ce\U000115cf\U000115d0\U000115d1\U000115d2"
    "\U000115d3\U000115d4\U000115d5\U000115d6\U000115d7\U00011641\U00011642\U0001173c"
    "\U0001173d\U0001173e\U00011a42\U00011a43\U00011a9b\U00011a9c\U00011c41\U00011c42"
    "\U00016a6e\U00016a6f\U00016af5\U00016b37\U00016b38\U00016b44\U0001bc9f\U0001da88\uff61"
    "\u3002"
)

# What the rule needs of a token, all of it a property of its text: bit flags, by token id.
MARK: Final = 1  # a sentence-final mark
PUNCT: Final = 2
NEWLINE: Final = 4  # whitespace holding a line break
BLANK_LINE: Final = 8  # whitespace holding an empty line
LOWER_START: Final = 16  # starts with a lower-case letter
RELEVANT: Final = 64  # offers a key some rule needs (see SentenceBoundaries.set_relevance)
START: Final = 1
NOT_START: Final = 2**64 - 1  # -1, as spaCy's unsigned array of sentence starts holds it
# Kept templates are for docs of a paragraph or so (at most 256 × 2 KB); a doc joining many
# blocks has thousands of tokens, in as many counts, and np.full costs it nothing to speak of.
TEMPLATE_MAX_TOKENS: Final = 256
# Blocks parsed as one doc are joined by this: whitespace, so every block keeps its own tokens
# (spaCy cuts text at whitespace before anything else), and not a single space, so it is a token
# of its own between them, which no sentence or claim includes.
BLOCK_SEPARATOR: Final = "\n\n"
_SEPARATOR_ID: Final = get_string_id(BLOCK_SEPARATOR)


class SentenceBoundaries:
    """Pipeline component: sets ``token.is_sent_start`` on every token of a doc."""

    LIMIT = 500_000

    def __init__(self, vocab: Vocab) -> None:
        self._vocab = vocab
        self._flags = TokenTable(self._learn, self.LIMIT)
        self._templates: dict[int, np.ndarray] = {}  # by token count: n × 1 of NOT_START
        self._relevant: Callable[[str], bool] | None = None

    def set_relevance(self, relevant: Callable[[str], bool]) -> None:
        """Also flag the tokens that offer a key some rule needs (``relevant``: of a token's text in
        lower case), for the matcher: whether a sentence may match is then told from the flags
        this pass reads anyway, not by looking every token up a second time."""
        self._relevant = relevant
        self._flags.clear()

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
        flags = (MARK if text in PUNCT_CHARS else 0) | (PUNCT if lexeme.is_punct else 0)
        if lexeme.is_space and "\n" in text:
            flags |= NEWLINE | (BLANK_LINE if "\n\n" in text.replace("\r", "") else 0)
        if text[:1].islower():
            flags |= LOWER_START
        relevant = self._relevant
        if relevant is not None and relevant(text.lower()):
            flags |= RELEVANT
        return flags

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if n == 0:
            return doc
        # The same int object for every occurrence of a token: the matcher's tables find it by identity.
        orths, flags = self._flags.lookup(doc.to_array(ORTH))
        blocks = block_ranges(doc, orths, flags)
        first: list[int] = []  # the first token of each sentence, in order
        for lo, hi in blocks:
            # Each block as if it were a doc of its own; a separator between two blocks is a
            # sentence of its own.
            _starts(flags, lo, hi, first)
            if hi < n:
                first.append(hi)
        # Every token is "not a start" but the few that are: a copy of an array of n "not a start"
        # (0.3 µs against 0.8 µs for ``np.full``), then one assignment per sentence (0.1 µs each,
        # against 1.1 µs for numpy to read the list of starts into an index array, which pays
        # beyond a dozen sentences).
        starts = self._not_starts(n)
        if len(first) < 16:
            for i in first:
                starts[i, 0] = START
        else:
            starts[first, 0] = START  # one call: a doc joining many blocks has hundreds of sentences
        doc.from_array([SENT_START], starts)  # type: ignore[arg-type]
        set_sentence_tokens(doc, SentenceTokens(orths, first, blocks, flags if self._relevant is not None else None))
        return doc


def _starts(flags: list[int], lo: int, hi: int, first: list[int]) -> None:
    """Append the sentence starts of tokens ``[lo, hi)``, read as a doc of their own."""
    if not first or first[-1] != lo:
        first.append(lo)
    seen = False
    for i in range(lo, hi):
        f = flags[i]
        if f & MARK:
            seen = True
        elif seen and not f & PUNCT:
            if first[-1] != i:
                first.append(i)
            seen = False
        # A line break ends a sentence unless the next line continues it in lower case.
        if f & NEWLINE and i + 1 < hi and (f & BLANK_LINE or not flags[i + 1] & LOWER_START):
            first.append(i + 1)


_BLOCKS: Final = "claimlint.blocks"


def set_block_starts(doc: Doc, starts: list[int]) -> None:
    """Mark a doc made of several blocks of copy joined by :data:`BLOCK_SEPARATOR`: ``starts``
    are where each block's text begins in the doc's. Sentences, claims and their context then stay
    within their block, as if each had been parsed alone (parsing many small blocks as one doc
    spares spaCy's and the components' cost per doc)."""
    doc.user_data[_BLOCKS] = starts


def block_ranges(doc: Doc, orths: list[CanonicalId], flags: list[int] | None = None) -> list[tuple[int, int]]:
    """The token range of each block of a doc (``orths``: its tokens' ids; ``flags``: theirs, when
    known): the whole doc, unless :func:`set_block_starts` marked it as several blocks."""
    n = len(doc)
    starts: list[int] | None = doc.user_data.get(_BLOCKS)
    if not starts or len(starts) < 2:
        return [(0, n)]
    ranges: list[tuple[int, int]] = []
    lo = i = 0
    for start in starts[1:]:
        # A block ends at the separator before the next: the first separator token found at the
        # separator's place (a block's own text may hold a blank line too).
        while True:
            if flags is None:
                i = orths.index(_SEPARATOR_ID, i)
            else:  # small ints, where ``index`` compares every big id in full
                while not (flags[i] & BLANK_LINE and orths[i] == _SEPARATOR_ID):
                    i += 1
            if doc[i].idx == start - len(BLOCK_SEPARATOR):
                break
            i += 1
        ranges.append((lo, i))
        lo = i = i + 1
    ranges.append((lo, n))
    return ranges


class SentenceTokens:
    """What the boundaries component already has in hand and the matcher needs next: every
    token's id and where each sentence starts. Handed over on the doc, so that the matcher neither
    reads the token ids out of the doc again nor makes a sentence span for every sentence (only
    one in four or fewer can match a rule)."""

    __slots__ = ("blocks", "flags", "orths", "starts")

    def __init__(
        self, orths: list[CanonicalId], starts: list[int], blocks: list[tuple[int, int]], flags: list[int] | None
    ) -> None:
        self.orths = orths
        self.starts = starts
        self.blocks = blocks  # the token range of each block the doc joins (see set_block_starts)
        self.flags = flags  # each token's flags, with RELEVANT (None: not known)


_KEY: Final = "claimlint.sentence_tokens"


def set_sentence_tokens(doc: Doc, tokens: SentenceTokens) -> None:
    doc.user_data[_KEY] = tokens


def take_sentence_tokens(doc: Doc) -> SentenceTokens:
    """The hand-over from :class:`SentenceBoundaries`, removed from the doc (it is not data a
    user's doc should carry); rebuilt from the doc when another component set the sentences."""
    found = doc.user_data.pop(_KEY, None)
    if isinstance(found, SentenceTokens) and len(found.orths) == len(doc):
        return found
    orths: list[CanonicalId] = doc.to_array(ORTH).tolist() if len(doc) else []
    starts = [sent.start for sent in doc.sents] if len(doc) else []
    return SentenceTokens(orths, starts, block_ranges(doc, orths), None)
