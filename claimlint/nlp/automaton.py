"""A set of terms compiled to one automaton over a sentence's words.

Matching a term set slot by slot walks every term that starts with the word at hand, and through
each ``@vocabulary`` slot every term of the vocabulary again: in a sentence where "skin" starts
forty terms, forty walks. Here all terms of a set, vocabularies copied in, are one nondeterministic
automaton whose states say "this much of some term is read"; one walk from a word follows every
term at once and stops as soon as no term can go on.

A transition reads one word by its lemma, one word by its exact lower-case form, any one word
(``*``), or a quantity expression (``#pct``: from its first word to past its last). Optional slots
and the entries into terms and vocabularies are empty moves, folded away when the automaton is
built: each state carries the transitions of every state it reaches without reading.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from claimlint.nlp.sentence import SentenceView
    from claimlint.nlp.terms import Slot, Term

Targets = tuple[int, ...]


class _Builder:
    def __init__(self) -> None:
        self.by_lemma: list[dict[str, set[int]]] = []
        self.by_word: list[dict[str, set[int]]] = []
        self.any_word: list[set[int]] = []
        self.by_quantity: list[dict[str, set[int]]] = []
        self.empty: list[set[int]] = []

    def state(self) -> int:
        self.by_lemma.append({})
        self.by_word.append({})
        self.any_word.append(set())
        self.by_quantity.append({})
        self.empty.append(set())
        return len(self.empty) - 1

    def terms(self, terms: Iterable[Term], start: int, end: int) -> None:
        # Every term leaves from ``start`` and arrives at ``end``: only the states between its
        # slots are its own. (No transition leads back, so shared states cannot mix terms up.)
        for term in terms:
            at = start
            last = len(term.slots) - 1
            for k, slot in enumerate(term.slots):
                nxt = end if k == last else self.state()
                self.slot(slot, at, nxt)
                at = nxt

    def slot(self, slot: Slot, start: int, end: int) -> None:
        for form in slot.words:
            self.by_lemma[start].setdefault(form, set()).add(end)
        for word in slot.exact:
            self.by_word[start].setdefault(word, set()).add(end)
        if slot.wildcard:
            self.any_word[start].add(end)
        for special in slot.specials:
            self.by_quantity[start].setdefault(special, set()).add(end)
        for seq in slot.sequences:
            at = start
            for k, forms in enumerate(seq):
                nxt = end if k == len(seq) - 1 else self.state()
                for form in forms:
                    self.by_lemma[at].setdefault(form, set()).add(nxt)
                at = nxt
        for vocab in slot.vocabularies:
            self.terms(vocab.terms, start, end)
        if slot.optional:
            self.empty[start].add(end)

    def closure(self, state: int) -> set[int]:
        seen = {state}
        todo = [state]
        while todo:
            for nxt in self.empty[todo.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen


class Automaton:
    """All terms of a set as one automaton; :meth:`longest` gives where the longest term starting at a word ends."""

    def __init__(self, terms: Iterable[Term]) -> None:
        build = _Builder()
        start, accept = build.state(), build.state()
        build.terms(terms, start, accept)
        # Fold the empty moves: a state reads whatever any state it reaches without reading reads.
        n = len(build.empty)
        self.by_lemma: list[dict[str, Targets] | None] = [None] * n
        self.by_word: list[dict[str, Targets] | None] = [None] * n
        self.any_word: list[Targets] = [()] * n
        self.by_quantity: list[dict[str, Targets] | None] = [None] * n
        self.accepts = [False] * n
        for state in range(n):
            reach = build.closure(state) if build.empty[state] else (state,)
            self.accepts[state] = accept in reach
            self.by_lemma[state] = _merged([build.by_lemma[s] for s in reach])
            self.by_word[state] = _merged([build.by_word[s] for s in reach])
            self.by_quantity[state] = _merged([build.by_quantity[s] for s in reach])
            self.any_word[state] = tuple(sorted(set().union(*(build.any_word[s] for s in reach))))
        self.size = n

    def longest(self, view: SentenceView, i: int) -> int:
        """The end of the longest term that starts at word ``i`` and ends in its clause segment
        (0: none). Every caller wants only that one: a walk that keeps the best end as it goes,
        and stops at the segment's end, spares a set of ends and a pass over it."""
        lemmas, lowers, is_word, quantities, segments = (
            view.lemmas,
            view.lowers,
            view.is_word,
            view.quantities,
            view.segments,
        )
        by_lemma, by_word, any_word, by_quantity, accepts = (
            self.by_lemma,
            self.by_word,
            self.any_word,
            self.by_quantity,
            self.accepts,
        )
        n = len(lemmas)
        segment = segments[i]
        # A (state, position) pair is one int, state * width + position: no tuple per step.
        width = n + 1
        best = 0
        todo = [i]
        seen = {i}
        while todo:
            pair = todo.pop()
            state = pair // width
            p = pair - state * width
            if accepts[state] and p > best and p > i and segments[p - 1] == segment:
                best = p
            # Segments only grow along the sentence: a term that reads a word of a later segment
            # ends in it, so no walk goes on from there.
            if p >= n or segments[p] != segment:
                continue
            table = by_lemma[state]
            if table is not None:
                targets = table.get(lemmas[p])
                if targets:
                    _reach(targets, width, p + 1, seen, todo)
            table = by_word[state]
            if table is not None:
                targets = table.get(lowers[p])
                if targets:
                    _reach(targets, width, p + 1, seen, todo)
            targets = any_word[state]
            if targets and is_word[p]:
                _reach(targets, width, p + 1, seen, todo)
            table = by_quantity[state]
            if table is not None:
                for q in quantities.get(p, ()):
                    targets = table.get(q.slot, ())
                    if targets:
                        _reach(targets, width, q.end, seen, todo)
        return best


def _reach(targets: Targets, width: int, position: int, seen: set[int], todo: list[int]) -> None:
    """Queue each target state at ``position`` not reached there before."""
    for state in targets:
        pair = state * width + position
        if pair not in seen:
            seen.add(pair)
            todo.append(pair)


def _merged(tables: list[dict[str, set[int]]]) -> dict[str, Targets] | None:
    merged: dict[str, set[int]] = {}
    for table in tables:
        for key, targets in table.items():
            merged.setdefault(key, set()).update(targets)
    return {key: tuple(sorted(targets)) for key, targets in merged.items()} or None
