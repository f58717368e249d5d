"""A sentence as the matchers see it: words (no hyphens or quotes), lemmas, clause segments."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from spacy.tokens import Span

from claimlint.document import MARKER
from claimlint.nlp.quantities import QuantityMatch, find_quantities

# Tokens a claim reads straight through: "collagen-boosting", "stem-cell", "“cleared”", and
# footnote markers ("proven*", "wrinkles¹").
TRANSPARENT = frozenset(
    {"-", "‐", "‑", "'", '"', "“", "”", "‘", "’", "«", "»", "*", "**", "***", "®", "™", "©", "†", "‡", "§", "¶"}
)
# After a comma these start a new clause: "…human adipose tissue, our exosomes are…".
CLAUSE_OPENERS = frozenset(
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
BOUNDARY = frozenset({";", ":", "—", "–", "|", "•", "·", "(", ")", "[", "]", "{", "}", "/", "…", "\\"})


@dataclass
class SentenceView:
    """The words of one sentence with what matching needs, built once per sentence."""

    sent: Span
    lemmas: list[str] = field(default_factory=list)
    lowers: list[str] = field(default_factory=list)
    tokens: list[int] = field(default_factory=list)  # doc token index of each word
    segments: list[int] = field(default_factory=list)  # clause segment of each word
    is_word: list[bool] = field(default_factory=list)  # alphanumeric, not punctuation
    quantities: dict[int, list[QuantityMatch]] = field(default_factory=dict)

    @classmethod
    def build(cls, sent: Span, lemma: Callable[[str], str]) -> SentenceView:
        """The view of one sentence; words are lemmatised here, for the few sentences a rule can
        match, rather than for every token of the copy."""
        view = cls(sent)
        segment = 0
        for token in sent:
            text = token.text
            if token.is_space or text in TRANSPARENT or MARKER.match(text):
                continue
            if text in BOUNDARY:
                segment += 1
                continue
            if view.lowers and view.lowers[-1] == "," and token.lower_ in CLAUSE_OPENERS:
                segment += 1
            view.lemmas.append(lemma(text))
            view.lowers.append(token.lower_)
            view.tokens.append(token.i)
            view.segments.append(segment)
            view.is_word.append(not token.is_punct)
        view.quantities = find_quantities(view.lowers)
        return view

    def __len__(self) -> int:
        return len(self.lemmas)
