"""Sentence boundaries: spaCy's rule-based sentencizer, plus line breaks, computed on arrays.

The rule is spaCy's ``sentencizer`` exactly: a sentence starts at the first token after a
sentence-final mark that is neither punctuation nor such a mark. spaCy's component builds a Python
token object for every word; here the marks are found among the tokens' ids and only the token
after each one is looked at, which matters when most of a million words are never looked at again. Copy also has headlines and bullets without full stops, so a line break
ends a sentence unless the next line visibly continues it (starts in lower case).
"""

from __future__ import annotations

import numpy as np
from spacy.attrs import IS_SPACE, ORTH, SENT_START
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc

PUNCT_CHARS = tuple(Sentencizer.default_punct_chars)


class SentenceBoundaries:
    """Pipeline component: sets ``token.is_sent_start`` on every token of a doc."""

    def __init__(self, strings: object) -> None:
        add = strings.add  # type: ignore[attr-defined]
        self._marks = frozenset(add(c) for c in PUNCT_CHARS)

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if n == 0:
            return doc
        marks = self._marks
        starts = [0]
        seen = False
        spaces = []
        for i, orth in enumerate(doc.to_array(ORTH).tolist()):
            if orth in marks:
                seen = True
            elif seen and not doc[i].is_punct:
                starts.append(i)
                seen = False
        for i in np.flatnonzero(doc.to_array(IS_SPACE)[:-1]).tolist():
            text = doc[i].text
            if "\n" in text and ("\n\n" in text.replace("\r", "") or not doc[i + 1].text[:1].islower()):
                spaces.append(i + 1)
        values = np.full((n, 1), -1, dtype=np.int64)
        values[starts] = 1
        values[spaces] = 1
        doc.from_array([SENT_START], values.astype(np.uint64))  # type: ignore[arg-type]
        return doc
