"""Plain text: decoding with clear errors, blocks split at blank lines, and offset → line/column."""

from __future__ import annotations

import codecs
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path


class InputFileError(Exception):
    """A file that cannot be linted; ``str()`` is one line without the path."""


@dataclass(frozen=True)
class Block:
    """A piece of prose at character offset ``start`` of its source's text."""

    start: int
    text: str
    scope: str = "body"


@dataclass
class Source:
    """A decoded file (or stdin, or a string) and the prose blocks to lint in it."""

    path: str
    text: str
    blocks: list[Block] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.lines = LineIndex(self.text)


class LineIndex:
    """Maps a character offset to a 1-based (line, column); columns count code points."""

    def __init__(self, text: str) -> None:
        starts = [0]
        for match in re.finditer(r"\r\n|\r|\n", text):
            starts.append(match.end())
        self._starts = starts

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1


_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_BINARY_SNIFF = 8192


def split_blocks(text: str, base: int = 0) -> list[Block]:
    """Split at blank lines: paragraphs are independent, and smaller docs keep memory flat."""
    blocks: list[Block] = []
    pos = 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        if text[pos : match.start()].strip():
            blocks.append(Block(base + pos, text[pos : match.start()]))
        pos = match.end()
    if text[pos:].strip():
        blocks.append(Block(base + pos, text[pos:]))
    return blocks


def decode(data: bytes) -> str:
    """Bytes → text: UTF-8 (BOM optional) or UTF-16 with a BOM; anything else is an error."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputFileError(f"not valid UTF-16 (byte offset {exc.start})") from None
    if b"\x00" in data[:_BINARY_SNIFF]:
        raise InputFileError("binary file (contains NUL bytes); expected text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputFileError(f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})") from None


def read_source(path: Path) -> Source:
    """Read and decode a file; every failure is an :class:`InputFileError` with a one-line reason."""
    if not path.exists():
        raise InputFileError("no such file")
    if path.is_dir():
        raise InputFileError("is a directory; give the files to check")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputFileError(f"cannot read: {exc.strerror or exc}") from None
    return source_from_text(str(path), decode(data))


def source_from_text(path: str, text: str) -> Source:
    return Source(path, text, split_blocks(text))
