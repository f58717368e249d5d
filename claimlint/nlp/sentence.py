"""A sentence as the matchers see it: words (no hyphens or quotes), lemmas, clause segments."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span

from claimlint.nlp.quantities import QuantityMatch, find_quantities

# Tokens a claim reads straight through: "collagen-boosting", "stem-cell", "“cleared”".
TRANSPARENT = frozenset({"-", "‐", "‑", "'", '"', "“", "”", "‘", "’", "«", "»", "*", "®", "™", "©", "†", "‡"})
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
    def build(cls, sent: Span) -> SentenceView:
        view = cls(sent)
        segment = 0
        for token in sent:
            text = token.text
            if token.is_space or text in TRANSPARENT:
                continue
            if text in BOUNDARY:
                segment += 1
                continue
            view.lemmas.append(token.lemma_)
            view.lowers.append(token.lower_)
            view.tokens.append(token.i)
            view.segments.append(segment)
            view.is_word.append(not token.is_punct)
        view.quantities = find_quantities(view.lowers)
        return view

    def __len__(self) -> int:
        return len(self.lemmas)
