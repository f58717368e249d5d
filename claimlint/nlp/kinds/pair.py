"""``kind: verb_object`` and ``kind: near`` — two terms within a window of words in one clause.

``verb_object``: the verb comes first ("stimulates your skin's own production of collagen",
up to ``window`` words between) or, for noun forms and passives, right after the object
("collagen stimulation", "collagen production is boosted": up to ``reverse_window`` words).
``near``: the two terms in either order, up to ``window`` words apart.
"""

from __future__ import annotations

from typing import Final

from claimlint.nlp.kinds import CompiledPattern, Hit
from claimlint.nlp.sentence import SentenceView
from claimlint.nlp.terms import TermCompiler, TermIndex
from claimlint.rulebook import NearPattern, VerbObjectPattern

# Between a verb and what follows, these make the object an instrument, not what is acted on:
# "boosts hydration with marine collagen".
FORWARD_BLOCKERS: Final = frozenset(
    {"with", "using", "via", "contain", "containing", "feature", "featuring", "plus", "thanks"}
)
# Object first, the verb may follow only through auxiliaries and adverbs ("collagen production is
# boosted"); anything else starts a new phrase ("collagen to boost hydration", "DNA serum regenerates").
REVERSE_ALLOWED: Final = frozenset(
    {
        "be",
        "is",
        "are",
        "was",
        "were",
        "been",
        "being",
        "get",
        "gets",
        "got",
        "become",
        "becomes",
        "naturally",
        "actively",
        "significantly",
        "dramatically",
        "greatly",
        "visibly",
        "also",
        "further",
        "then",
        "now",
        "rapidly",
        "quickly",
    }
)
_NO_BLOCKERS: Final[frozenset[str]] = frozenset()
_NEGATORS: Final = frozenset({"not", "n't", "never", "no"})
# After its object a verb must be a noun or participle ("collagen stimulation", "collagen-boosting",
# "is boosted"); a finite verb there has the object as its subject ("stem cells supports…").
_NOMINAL_ENDINGS: Final = ("ing", "ed", "er", "ers", "ion", "ions", "ment", "ments", "ance", "ence", "th", "al", "ive")
_IRREGULAR_PARTICIPLES: Final = frozenset(
    {"built", "rebuilt", "grown", "regrown", "made", "shown", "proven", "sped", "kept", "fought", "driven", "done"}
)


_NOUNS: Final = frozenset(
    {
        "relief",
        "cure",
        "remedy",
        "therapy",
        "boost",
        "repair",
        "support",
        "control",
        "fix",
        "care",
        "rescue",
        "solution",
    }
)


def _nominal(word: str) -> bool:
    return word.endswith(_NOMINAL_ENDINGS) or word in _IRREGULAR_PARTICIPLES or word in _NOUNS


def compile_verb_object(pattern: VerbObjectPattern, compiler: TermCompiler) -> CompiledPattern:
    verbs = compiler.index(pattern.verbs)
    objects = compiler.index(pattern.objects)
    return _compile(
        verbs, objects, pattern.window, pattern.reverse_window, ("verb", "object"), FORWARD_BLOCKERS, REVERSE_ALLOWED
    )


def compile_near(pattern: NearPattern, compiler: TermCompiler) -> CompiledPattern:
    first = compiler.index(pattern.terms)
    second = compiler.index(pattern.near)
    return _compile(first, second, pattern.window, pattern.window, ("term", "near"), _NO_BLOCKERS, None, chain=True)


def _compile(
    left: TermIndex,
    right: TermIndex,
    window: int,
    reverse_window: int,
    names: tuple[str, str],
    forward_blockers: frozenset[str],
    reverse_allowed: frozenset[str] | None,
    chain: bool = False,
) -> CompiledPattern:
    def blocked(view: SentenceView, lo: int, hi: int, blockers: frozenset[str]) -> bool:
        return bool(blockers) and any(view.lemmas[k] in blockers for k in range(lo, hi))

    def find(view: SentenceView) -> list[Hit]:
        lefts = left.find(view)
        if not lefts:
            return []
        rights = right.find(view)
        if not rights:
            return []
        segments = view.segments
        pairs: list[tuple[float, int, int]] = []  # (gap, left index, right index)
        for li, (ls, le) in enumerate(lefts):
            for ri, (rs, re_) in enumerate(rights):
                if segments[rs] != segments[ls]:
                    continue
                if rs < le and re_ > ls:
                    gap = 0.0  # one contains the other: "human stem cells" is origin and cells
                elif rs >= le and rs - le <= window:
                    if blocked(view, le, rs, forward_blockers):
                        continue
                    gap = float(rs - le)
                elif re_ <= ls and ls - re_ <= reverse_window:
                    if reverse_allowed is not None and (
                        any(view.lemmas[k] not in reverse_allowed for k in range(re_, ls))
                        or not _nominal(view.lowers[le - 1])
                    ):
                        continue
                    gap = ls - re_ + 0.5  # prefer the forward reading on a tie
                else:
                    continue
                first_end, second_start = (le, rs) if rs >= le else (re_, ls)
                if any(view.lemmas[k] in _NEGATORS for k in range(max(first_end, second_start - 3), second_start)):
                    gap += 100  # a negated reading ("would not heal") yields to a plain one further on
                pairs.append((gap, li, ri))
        # Closest pairs first, each occurrence used once: in "clears acne and stops hair loss"
        # "hair loss" belongs to "stops", not to the farther "clears".
        pairs.sort()
        used_left: set[int] = set()
        used_right: set[int] = set()
        stops: set[int] | None = None
        hits = []
        for _gap, li, ri in pairs:
            if li in used_left or ri in used_right:
                continue
            used_left.add(li)
            used_right.add(ri)
            (ls, le), (rs, re_) = lefts[li], rights[ri]
            if chain:
                rs, re_ = _chained(view, rights, rs, re_)
            elif rs >= le:
                if stops is None:
                    # The pattern's ``unless`` terms (set by the matcher once this is compiled).
                    unless = compiled.unless
                    stops = {us for us, _ in unless.find(view)} if unless is not None else set()
                re_ = _coordinated_end(right, view, re_, stops)
            start, end = min(ls, rs), max(le, re_)
            hits.append(Hit(start, end, ((names[0], ls, le), (names[1], rs, re_))))
            # What the hit covers is spoken for: a grown or coordinated part pairs no further.
            used_right.update(i for i, (a, b) in enumerate(rights) if start <= a and b <= end)
        return hits

    compiled = CompiledPattern(find, (left, right))
    return compiled


_COORDINATORS: Final = frozenset({"and", "or", ",", "&", "nor"})


def _coordinated_end(index: TermIndex, view: SentenceView, end: int, stops: set[int]) -> int:
    """Extend an object through a coordinated list: "boosts memory and focus", "acne, eczema or rosacea".

    An item right before one of the rule's ``unless`` words (``stops``: where they start) only
    describes it and is not an object: "treats acne and acne scars" ends at the first "acne"."""
    n = len(view.lemmas)
    while end < n and view.lemmas[end] in _COORDINATORS:
        nxt = end + 1
        if nxt < n and view.lemmas[nxt] in ("and", "or"):  # the Oxford comma
            nxt += 1
        if nxt >= n or view.segments[nxt] != view.segments[end - 1]:
            break
        longest = index.longest_at(view, nxt)
        if not longest or longest in stops:
            break
        end = longest
    return end


def _chained(view: SentenceView, occurrences: list[tuple[int, int]], start: int, end: int) -> tuple[int, int]:
    """Grow a match through neighbouring matches of the same terms: "donated young human tissue"
    (one plain word may sit between; a comma or "and" may not)."""
    segments, lemmas, is_word = view.segments, view.lemmas, view.is_word

    def plain(i: int) -> bool:
        return is_word[i] and lemmas[i] not in _COORDINATORS

    grown = True
    while grown:
        grown = False
        for s, e in occurrences:
            if segments[s] != segments[start]:
                continue
            if e > end and (s == end or (s == end + 1 and plain(end))):
                end, grown = e, True
            elif s < start and (e == start or (e == start - 1 and plain(e))):
                start, grown = s, True
    return start, end
