"""The term language of rule packs, compiled to matchers over a :class:`SentenceView`.

A term is a run of slots separated by spaces; each slot lists alternatives separated by ``|``:

``stimulate|boost``   a word, by lemma (so "stimulates", "stimulating", "Stimulated" match)
``hair_loss``         several words in a row ("hair loss", "hair-loss")
``@disease_skin``     any term of a vocabulary (``rules/vocabulary.yaml``)
``#mult``             a quantity slot (a bare ``#`` is the literal sign): ``#num``, ``#mult``, ``#pct``, ``#dur``
``=purest``           the exact word, not its lemma (superlatives lemmatise to "pure")
``*``                 any one word
``…?``                a trailing ``?`` makes the slot optional

Alternatives are tokenised and lemmatised exactly as the copy is, so the two always meet.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Final

from claimlint.nlp.automaton import Automaton
from claimlint.nlp.quantities import SPECIAL_SLOTS
from claimlint.nlp.sentence import SentenceView


class TermError(ValueError):
    """A term that cannot be compiled; the message names what is wrong."""


class Slot:
    """One slot of a term: what any one word there may be (words by lemma, exact words, quantity
    slots, a wildcard), or the words in a row or vocabularies that may stand there instead.

    A plain class with its own ``__init__`` rather than a frozen dataclass: a dataclass's generated
    ``__init__`` runs as interpreted code, assigning each field through ``object.__setattr__``
    (10,000 instructions a slot; the packs have some 2,000 slots, compiled at every start)."""

    def __init__(
        self,
        words: frozenset[str],
        exact: frozenset[str],
        sequences: tuple[tuple[frozenset[str], ...], ...],
        vocabularies: tuple[TermIndex, ...],
        specials: frozenset[str],
        wildcard: bool,
        optional: bool,
    ) -> None:
        self.words: Final = words
        self.exact: Final = exact
        self.sequences: Final = sequences
        self.vocabularies: Final = vocabularies
        self.specials: Final = specials
        self.wildcard: Final = wildcard
        self.optional: Final = optional

    @property
    def flat(self) -> frozenset[str]:
        """The single keys any one of which satisfies the slot."""
        return self.words | {"=" + w for w in self.exact} | self.specials

    def __reduce__(self) -> tuple[type[Slot], tuple[object, ...]]:
        # Compiled, the class is made through its __init__ only (kept on disk: TermCompiler).
        return (
            Slot,
            (self.words, self.exact, self.sequences, self.vocabularies, self.specials, self.wildcard, self.optional),
        )


class Term:
    """A compiled term: its slots, and the text it was compiled from (a plain class, as :class:`Slot`)."""

    def __init__(self, slots: tuple[Slot, ...], text: str) -> None:
        self.slots: Final = slots
        self.text: Final = text

    def __reduce__(self) -> tuple[type[Term], tuple[object, ...]]:
        return (Term, (self.slots, self.text))


@dataclass
class TermIndex:
    """A set of terms indexed by the lemma (or quantity slot) each can start with."""

    terms: list[Term] = field(default_factory=list)
    by_first: dict[str, list[Term]] = field(default_factory=dict)
    _memo: dict[frozenset[str], bool] = field(default_factory=dict, repr=False)
    _keyset: frozenset[str] | None = field(default=None, repr=False)
    _automaton: Automaton | None = field(default=None, repr=False)
    _first_keys: frozenset[str] | None = field(default=None, repr=False)

    def __reduce__(self) -> tuple[type[TermIndex], tuple[object, ...]]:
        # The terms, their index by first key and the keys they look at (worked out term by term,
        # slot by slot: 8 million instructions for the packs' indexes at every fresh start); the
        # memo and the automaton are made again.
        return (TermIndex, (self.terms, self.by_first, {}, self.keyset))

    def add(self, term: Term) -> None:
        self.terms.append(term)
        for first in _firsts(term):
            self.by_first.setdefault(first, []).append(term)
        self._memo.clear()
        self._keyset = None
        self._automaton = None
        self._first_keys = None

    @property
    def first_lemmas(self) -> frozenset[str]:
        """The keys (lemmas, ``=words``, quantity slots) the terms can start with; made once."""
        firsts = self._first_keys
        if firsts is None:
            firsts = self._first_keys = frozenset(self.by_first)
        return firsts

    def keys(self) -> set[str]:
        """Every key (lemma, ``=word``, quantity slot) any of these terms can look at."""
        found: set[str] = set(self.by_first)
        for term in self.terms:
            for slot in term.slots:
                found |= slot.flat
                for seq in slot.sequences:
                    found.update(*seq)
                for vocab in slot.vocabularies:
                    # A vocabulary's keys once, however many terms and indexes name it (they were
                    # worked out again, recursively, for each: 25 ms a process).
                    found |= vocab.keyset
        return found

    @property
    def keyset(self) -> frozenset[str]:
        """:meth:`keys`, made once (after the packs are compiled: an index never changes then)."""
        keyset = self._keyset
        if keyset is None:
            keyset = self._keyset = frozenset(self.keys())
        return keyset

    def possible(self, present: frozenset[str]) -> bool:
        """False when no term can match a sentence offering these keys: every slot a term cannot
        do without must find its word (each word of a multi-word alternative, recursively through
        vocabularies). A cheap test, exact-safe: it never says no to a sentence a term matches."""
        # Memoised on the keys this index can look at: few, so the same few sets recur.
        present = present & self.keyset
        memo = self._memo
        found = memo.get(present)
        if found is None:
            found = False
            by_first = self.by_first
            for key in by_first.keys() & present:
                if any(_term_possible(term, present) for term in by_first[key]):
                    found = True
                    break
            if len(memo) > 50_000:
                memo.clear()
            memo[present] = found
        return found

    def longest_at(self, view: SentenceView, i: int) -> int:
        """The end of the longest term starting at word ``i`` within its clause segment (0: none)."""
        return self.automaton.longest(view, i)

    @property
    def automaton(self) -> Automaton:
        automaton = self._automaton
        if automaton is None:
            automaton = self._automaton = Automaton(self.terms)
        return automaton

    def find(self, view: SentenceView) -> list[tuple[int, int]]:
        """The longest occurrence starting at each word, as ``(start, end)`` word positions."""
        starts = view.starts
        keys = self.first_lemmas & view.key_set()
        if not keys:
            return []
        if len(keys) == 1:
            positions = starts[next(iter(keys))]
        else:
            # A word can stand for several keys (its lemma and its exact form): the same position
            # twice in the merged lists, side by side once sorted.
            positions = []
            for key in keys:
                positions.extend(starts[key])
            positions.sort()
        found = []
        automaton = self.automaton
        last = -1
        for i in positions:
            if i == last:
                continue
            last = i
            longest = automaton.longest(view, i)
            if longest:
                found.append((i, longest))
        return found


def _firsts(term: Term) -> set[str]:
    firsts: set[str] = set()
    for slot in term.slots:
        if slot.wildcard:
            raise TermError(f"term {term.text!r} cannot start with '*'")
        firsts |= slot.words
        firsts |= {"=" + w for w in slot.exact}
        for seq in slot.sequences:
            firsts |= seq[0]
        firsts |= slot.specials
        for vocab in slot.vocabularies:
            firsts |= set(vocab.by_first)
        if not slot.optional:
            return firsts
    raise TermError(f"term {term.text!r} has only optional slots")


def _term_possible(term: Term, present: frozenset[str]) -> bool:
    for slot in term.slots:
        if slot.optional or slot.wildcard:
            continue
        if not present.isdisjoint(slot.words) or not present.isdisjoint(slot.specials):
            continue
        if slot.exact and any("=" + w in present for w in slot.exact):
            continue
        if any(all(not present.isdisjoint(word) for word in seq) for seq in slot.sequences):
            continue
        if any(vocab.possible(present) for vocab in slot.vocabularies):
            continue
        return False
    return True


class TermCompiler:
    """Compiles term strings with a tokenizer and lemmatizer shared with the copy's pipeline."""

    def __init__(
        self,
        tokenize: Callable[[str], list[str]],
        lemma: Callable[[str], str],
        vocabularies: dict[str, Iterable[str]],
        kept: dict[tuple[str, ...], TermIndex] | None = None,
    ) -> None:
        """``kept``: the indexes compiled before from these vocabularies with this tokenizer and
        lemmatizer, by their terms (what :meth:`index` compiles now is added)."""
        self._tokenize = tokenize
        self._lemma = lemma
        self._vocab_source = vocabularies
        self._kept: dict[tuple[str, ...], TermIndex] = {} if kept is None else kept
        self._vocab: dict[str, TermIndex] = {}
        self._building: list[str] = []
        # Every key a term of any index made here can start with: the only keys a sentence view
        # is ever asked where they stand (TermIndex.find).
        self.first_keys: set[str] = set()

    def index(self, terms: Iterable[str]) -> TermIndex:
        """The terms compiled and indexed; the same terms twice give the same index."""
        key = tuple(terms)
        index = self._kept.get(key)
        if index is None:
            index = TermIndex()
            for text in key:
                index.add(self.term(text))
            self._kept[key] = index
        self.first_keys.update(index.by_first)
        return index

    def vocabulary(self, name: str) -> TermIndex:
        if name in self._vocab:
            return self._vocab[name]
        if name not in self._vocab_source:
            raise TermError(f"unknown vocabulary @{name}")
        if name in self._building:
            raise TermError(f"vocabulary @{name} refers to itself ({' → '.join(self._building + [name])})")
        self._building.append(name)
        try:
            index = self.index(self._vocab_source[name])
        finally:
            self._building.pop()
        self._vocab[name] = index
        return index

    def term(self, text: str) -> Term:
        parts = text.split()
        if not parts:
            raise TermError("empty term")
        return Term(tuple(self._slot(part, text) for part in parts), text)

    def _forms(self, word: str) -> frozenset[str]:
        # The lemma, and the word itself: the lookup table is not idempotent ("lower" → "low" but
        # "lowers" → "lower"), so a rule's base form must also match where the copy's lemma stops.
        return frozenset({self._lemma(word), word.lower()})

    def _slot(self, part: str, text: str) -> Slot:
        optional = part.endswith("?") and len(part) > 1
        if optional:
            part = part[:-1]
        words: set[str] = set()
        exact: set[str] = set()
        sequences: list[tuple[frozenset[str], ...]] = []
        vocabularies: list[TermIndex] = []
        specials: set[str] = set()
        wildcard = False
        for alt in part.split("|"):
            if not alt:
                raise TermError(f"empty alternative in {part!r} of term {text!r}")
            if alt == "*":
                wildcard = True
            elif alt.startswith("=") and len(alt) > 1:
                exact.add(alt[1:].lower())
            elif alt.startswith("@"):
                vocabularies.append(self.vocabulary(alt[1:]))
            elif alt.startswith("#") and alt[1:].isalpha():
                if alt not in SPECIAL_SLOTS:
                    raise TermError(f"unknown quantity slot {alt!r} in term {text!r}; use {', '.join(SPECIAL_SLOTS)}")
                specials.add(alt)
            else:
                seq = tuple(self._forms(tok) for tok in self._tokenize(alt.replace("_", " ")))
                if not seq:
                    raise TermError(f"alternative {alt!r} of term {text!r} has no words")
                if len(seq) == 1:
                    words |= seq[0]
                else:
                    sequences.append(seq)
        return Slot(
            frozenset(words),
            frozenset(exact),
            tuple(sequences),
            tuple(vocabularies),
            frozenset(specials),
            wildcard,
            optional,
        )
