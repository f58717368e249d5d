"""What every source produces: decoded text, prose blocks mapped back to it, line/column lookup."""

from __future__ import annotations

import codecs
import os
import re
from array import array
from bisect import bisect_right
from dataclasses import dataclass
from dataclasses import field as dc_field

from claimlint.document import DocumentContext
from claimlint.suppress import Suppression


def shown(name: str | os.PathLike[str]) -> str:
    """A file name as findings and reports give it: the name itself, unless the file system's
    bytes for it are not UTF-8. Python keeps such bytes as lone surrogates, which no report can
    encode; they are shown escaped instead (``caf\\xe9.md``), and the file is still read by its
    own name."""
    name = os.fspath(name)
    try:
        name.encode()
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", "backslashreplace")
    return name


class InputFileError(Exception):
    """A file that cannot be linted; ``str()`` is one line without the path."""


@dataclass(frozen=True, init=False)
class Block:
    """A piece of prose to lint, and where each of its characters sits in the source text.

    Plain text is copied verbatim, so ``start`` alone maps it. Markup sources (Markdown, HTML)
    drop syntax and decode entities: ``starts[i]`` and ``ends[i]`` give the source span of
    character ``i`` (an ``&eacute;`` is one character spanning eight).
    """

    start: int
    text: str
    scope: str = "body"
    starts: array[int] | None = dc_field(default=None, repr=False, compare=False)
    ends: array[int] | None = dc_field(default=None, repr=False, compare=False)

    def __init__(
        self,
        start: int,
        text: str,
        scope: str = "body",
        starts: array[int] | None = None,
        ends: array[int] | None = None,
    ) -> None:
        # A frozen dataclass's own __init__ sets each field through object.__setattr__: 0.5 µs a
        # block, against 0.34 µs this way, for tens of thousands of paragraphs or catalog fields.
        self.__dict__.update(start=start, text=text, scope=scope, starts=starts, ends=ends)

    def source_start(self, i: int) -> int:
        return self.start + i if self.starts is None else self.starts[i]

    def source_end(self, j: int) -> int:
        """Source offset just past character ``j - 1`` (the end of a span ``[i, j)``)."""
        return self.start + j if self.ends is None else self.ends[j - 1]


# 0, 1, 2, ...: source offsets, for :meth:`BlockBuilder.copy` to slice; as long as the longest
# file parsed needs, up to its first 131,072 characters (1 MB).
_OFFSETS: array[int] = array("l")
_MAX_OFFSETS = 1 << 17


def _offsets_past(hi: int) -> array[int]:
    """:data:`_OFFSETS`, made longer than ``hi`` when it can be (to the next power of two)."""
    global _OFFSETS
    if hi < _MAX_OFFSETS:
        _OFFSETS = array("l", range(min(max(1 << hi.bit_length(), 4096), _MAX_OFFSETS)))
    return _OFFSETS


class BlockBuilder:
    """Collects prose characters with their source spans, then cuts them into blocks."""

    def __init__(self) -> None:
        self._chars: list[str] = []
        self._starts = array("l")
        self._ends = array("l")

    def __len__(self) -> int:
        return len(self._chars)

    def copy(self, source: str, lo: int, hi: int) -> None:
        """Characters ``source[lo:hi]`` verbatim."""
        self._chars.extend(source[lo:hi])
        offsets = _OFFSETS if hi < len(_OFFSETS) else _offsets_past(hi)
        if hi < len(offsets):
            # A slice of an array is copied as memory: 0.2 µs for a run of 150 characters, where
            # extending by a range makes and reads back an int per character (4.9 µs).
            self._starts.extend(offsets[lo:hi])
            self._ends.extend(offsets[lo + 1 : hi + 1])
        else:
            self._starts.extend(range(lo, hi))
            self._ends.extend(range(lo + 1, hi + 1))

    def put(self, text: str, lo: int, hi: int) -> None:
        """Characters decoded from ``source[lo:hi]`` (an entity, an escape)."""
        for ch in text:
            self._chars.append(ch)
            self._starts.append(lo)
            self._ends.append(hi)

    def last_end(self) -> int | None:
        return self._ends[-1] if self._ends else None

    def take(self, scope: str = "body") -> Block | None:
        """The collected characters as one block (``None`` when they are only white space)."""
        text = "".join(self._chars)
        starts, ends = self._starts, self._ends
        self._chars, self._starts, self._ends = [], array("l"), array("l")
        if not text.strip():
            return None
        return Block(starts[0], text, scope, starts, ends)


@dataclass
class Source:
    """A decoded file (or stdin, or a string) and the prose blocks to lint in it."""

    path: str
    text: str
    blocks: list[Block] = dc_field(default_factory=list)
    product_type: str | None = None  # from front matter or a catalog column; None: the run's setting
    row: str | None = None  # a catalog row's id, and the field the text came from
    field: str | None = None
    row_line: int | None = None  # the line of the file where that row starts
    suppressions: list[Suppression] = dc_field(default_factory=list)
    _lines: LineIndex | None = dc_field(default=None, repr=False, compare=False)
    _document: DocumentContext | None = dc_field(default=None, repr=False, compare=False)

    @property
    def lines(self) -> LineIndex:
        """Line starts, found when first needed: most catalog fields never have a finding."""
        if self._lines is None:
            self._lines = LineIndex(self.text)
        return self._lines

    @property
    def document(self) -> DocumentContext:
        """What the whole text says about its claims (footnotes, disclaimer), read when a finding
        first asks, once per source (and shared by the copies of it that parallel parts lint)."""
        if self._document is None:
            self._document = DocumentContext(self.text)
        return self._document


_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_NEWLINE = re.compile("\n")


class LineIndex:
    """Maps a character offset to a 1-based (line, column); columns count code points."""

    def __init__(self, text: str) -> None:
        # Most text has no carriage return: a literal newline is found by a fast scan, where the
        # three-way alternative tests every character (5 ms against 22 ms on 6 MB of copy).
        breaks = _LINE_BREAK if "\r" in text else _NEWLINE
        self._starts = [0, *(match.end() for match in breaks.finditer(text))]

    @property
    def starts(self) -> list[int]:
        """The offset of each line's first character."""
        return self._starts

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1

    def line_start(self, line: int) -> int:
        """Offset of the first character of 1-based ``line`` (the text's end past the last line)."""
        return self._starts[line - 1] if line - 1 < len(self._starts) else self._starts[-1]

    def __len__(self) -> int:
        return len(self._starts)


_BINARY_SNIFF = 8192


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
