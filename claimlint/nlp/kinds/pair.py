"""``kind: verb_object`` and ``kind: near`` — two terms within a window of words in one clause.

``verb_object``: the verb comes first ("stimulates your skin's own production of collagen",
up to ``window`` words between) or, for noun forms and passives, right after the object
("collagen stimulation", "collagen production is boosted": up to ``reverse_window`` words).
``near``: the two terms in either order, up to ``window`` words apart.
"""

from __future__ import annotations

from claimlint.nlp.kinds import CompiledPattern, Hit
from claimlint.nlp.sentence import SentenceView
from claimlint.nlp.terms import TermCompiler, TermIndex
from claimlint.rulebook import NearPattern, VerbObjectPattern


def compile_verb_object(pattern: VerbObjectPattern, compiler: TermCompiler) -> CompiledPattern:
    verbs = compiler.index(pattern.verbs)
    objects = compiler.index(pattern.objects)
    return _compile(verbs, objects, pattern.window, pattern.reverse_window, ("verb", "object"))


def compile_near(pattern: NearPattern, compiler: TermCompiler) -> CompiledPattern:
    first = compiler.index(pattern.terms)
    second = compiler.index(pattern.near)
    return _compile(first, second, pattern.window, pattern.window, ("term", "near"))


def _compile(
    left: TermIndex, right: TermIndex, window: int, reverse_window: int, names: tuple[str, str]
) -> CompiledPattern:
    def find(view: SentenceView) -> list[Hit]:
        lefts = left.find(view)
        if not lefts:
            return []
        rights = right.find(view)
        if not rights:
            return []
        hits = []
        segments = view.segments
        for ls, le in lefts:
            best: tuple[int, int] | None = None
            best_gap = 1 << 30
            for rs, re_ in rights:
                if segments[rs] != segments[ls]:
                    continue
                if rs >= le and rs - le <= window:
                    gap = rs - le
                elif re_ <= ls and ls - re_ <= reverse_window:
                    gap = ls - re_ + 0.5  # prefer the forward reading on a tie
                else:
                    continue
                if gap < best_gap:
                    best, best_gap = (rs, re_), gap
            if best is not None:
                rs, re_ = best
                hits.append(Hit(min(ls, rs), max(le, re_), ((names[0], ls, le), (names[1], rs, re_))))
        return hits

    return CompiledPattern(find, left.first_lemmas, indexes=[left, right])
