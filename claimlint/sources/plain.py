"""Plain text: paragraphs split at blank lines, copied verbatim."""

from __future__ import annotations

import re

from claimlint.sources.base import Block, Source
from claimlint.suppress import line_markers

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")


def split_blocks(text: str, base: int = 0) -> list[Block]:
    """Split at blank lines: paragraphs are independent, and smaller docs keep memory flat."""
    if "\n" not in text:  # one line (most catalog fields): one block
        return [Block(base, text)] if text and not text.isspace() else []
    blocks: list[Block] = []
    pos = 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        start, end = match.span()
        if start > pos:
            # Sliced once; ``isspace`` tests it without the copy ``strip`` would make.
            piece = text[pos:start]
            if not piece.isspace():
                blocks.append(Block(base + pos, piece))
        pos = end
    piece = text[pos:]
    if piece and not piece.isspace():
        blocks.append(Block(base + pos, piece))
    return blocks


def parse(path: str, text: str) -> Source:
    source = Source(path, text, split_blocks(text))
    source.suppressions = line_markers(text)
    return source
