"""Matcher kinds: the code behind each ``kind:`` a rule pattern may name (one module per kind).

A kind compiles a validated pattern into a :class:`CompiledPattern`, whose ``find`` returns the hits
in one sentence. Adding a kind means a model in ``rule_schema.py`` (what a pack may write), its plain
class in ``rulebook.py`` and a module here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from claimlint.nlp.sentence import SentenceView
from claimlint.nlp.terms import TermCompiler, TermIndex


class Hit:
    """A match over words ``[start, end)`` of a sentence; ``parts`` names its pieces (verb, object).

    A plain class, for a native ``__init__`` when compiled (see ``QuantityMatch``)."""

    start: int
    end: int
    parts: tuple[tuple[str, int, int], ...]

    def __init__(self, start: int, end: int, parts: tuple[tuple[str, int, int], ...] = ()) -> None:
        self.start = start
        self.end = end
        self.parts = parts

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Hit) and (self.start, self.end, self.parts) == (other.start, other.end, other.parts)

    def __hash__(self) -> int:
        return hash((self.start, self.end, self.parts))

    def __repr__(self) -> str:
        return f"Hit(start={self.start!r}, end={self.end!r}, parts={self.parts!r})"


@dataclass
class CompiledPattern:
    find: Callable[[SentenceView], list[Hit]]
    # The term sets that must each be able to match (a verb *and* an object): a cheap test on the
    # sentence's lemmas that skips most patterns in most sentences, and never skips a hit.
    needs: tuple[TermIndex, ...]
    unless: TermIndex | None = None
    unless_window: int = 3

    @property
    def first_lemmas(self) -> frozenset[str]:
        return self.needs[0].first_lemmas

    def possible(self, present: frozenset[str]) -> bool:
        return all(index.possible(present) for index in self.needs)


Compile = Callable[[Any, TermCompiler], CompiledPattern]


def registry() -> dict[str, Compile]:
    from claimlint.nlp.kinds import pair, phrase

    return {"phrase": phrase.compile, "verb_object": pair.compile_verb_object, "near": pair.compile_near}
