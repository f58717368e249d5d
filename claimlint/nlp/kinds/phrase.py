"""``kind: phrase`` — any of a list of terms, as a run of words."""

from __future__ import annotations

from claimlint.nlp.kinds import CompiledPattern, Hit
from claimlint.nlp.sentence import SentenceView
from claimlint.nlp.terms import TermCompiler
from claimlint.rulebook import PhrasePattern


def compile(pattern: PhrasePattern, compiler: TermCompiler) -> CompiledPattern:  # noqa: A001
    index = compiler.index(pattern.terms)

    def find(view: SentenceView) -> list[Hit]:
        return [Hit(start, end) for start, end in index.find(view)]

    return CompiledPattern(find, (index,))
