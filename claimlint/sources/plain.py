"""Plain text: paragraphs split at blank lines, copied verbatim."""

from __future__ import annotations

import re
from collections.abc import Iterable

from claimlint.sources.base import Block, Source
from claimlint.suppress import line_markers

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")


def split_blocks(text: str) -> list[Block]:
    """Split at blank lines: paragraphs are independent, and smaller docs keep memory flat."""
    if "\n" not in text:  # one line (most catalog fields): one block
        return [Block(0, text)] if text and not text.isspace() else []
    return split_range(text, 0, len(text))


def split_range(text: str, lo: int, hi: int) -> list[Block]:
    """The paragraphs of ``text[lo:hi]``, exactly those :func:`split_blocks` finds there when
    ``lo`` and ``hi`` are cut points (:func:`cut_points`); read in place, not copied."""
    blocks: list[Block] = []
    pos = lo
    for match in _PARAGRAPH_BREAK.finditer(text, lo, hi):
        start, end = match.span()
        if start > pos:
            # Sliced once; ``isspace`` tests it without the copy ``strip`` would make.
            piece = text[pos:start]
            if not piece.isspace():
                blocks.append(Block(pos, piece))
        pos = end
    if pos < hi:
        piece = text[pos:hi]
        if not piece.isspace():
            blocks.append(Block(pos, piece))
    return blocks


def cut_points(text: str, sizes: Iterable[int]) -> list[int]:
    """Offsets that cut ``text`` into runs of about the given numbers of characters (the rest, when
    they run out, is one run), each run ending where a paragraph break ends (the last at the end of
    the text).

    A break is a line break, blank characters and a line break, and then all the whitespace that
    follows (``_PARAGRAPH_BREAK``): so every break ends where a run of whitespace ends, and a
    search begun anywhere finds the end of one of the breaks the whole text has. Each run then
    splits into exactly the paragraphs the whole text has there."""
    cuts: list[int] = []
    at = 0
    for size in sizes:
        found = _PARAGRAPH_BREAK.search(text, at + size) if at + size < len(text) else None
        if found is None or found.end() >= len(text):
            break
        at = found.end()
        cuts.append(at)
    cuts.append(len(text))
    return cuts


class PlainSource(Source):
    """A plain-text source, split into paragraphs when its blocks are first asked for.

    A long file linted on several processes is never split as a whole: each worker splits only
    its own run of characters (:func:`split_range`), so the 40 ms that splitting six megabytes
    takes are shared out instead of spent before any worker starts."""

    def __init__(self, path: str, text: str) -> None:
        super().__init__(path, text)
        self._blocks: list[Block] | None = None

    @property
    def split(self) -> bool:
        """Whether the whole text has been split into blocks yet."""
        return self._blocks is not None

    @property
    def blocks(self) -> list[Block]:
        found = self._blocks
        if found is None:
            found = self._blocks = split_blocks(self.text)
        return found

    @blocks.setter
    def blocks(self, value: list[Block]) -> None:
        self._blocks = value


def parse(path: str, text: str) -> Source:
    source = PlainSource(path, text)
    source.suppressions = line_markers(text)
    return source
