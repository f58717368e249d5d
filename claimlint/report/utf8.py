"""Where JSON reports (JSON, SARIF) write: UTF-8 bytes, and parts rendered by workers appended.

JSON is UTF-8 (RFC 8259) whatever the terminal's encoding: on standard output these reports write
bytes to the stream under it, so an ASCII or Latin-1 locale gets the same report, not an encoding
error. A part of the report rendered by a worker into a file is copied into a report file, or onto
standard output, by the kernel (``sendfile``) where it can be.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable
from typing import BinaryIO, TextIO

from claimlint.atomic import Utf8Writer
from claimlint.findings import Finding

READ_CHUNK = 1 << 20  # text decoded a megabyte at a time, when no bytes can be written

# A report's part renderer, for workers: writes the findings as the report has them after its
# first, a finding at a time, through ``write`` (a part file's). Rendered whole and joined, a part
# of claim-dense copy was a second copy of 10 MB of JSON in fresh pages, and its thousands of
# encoded findings a third: 9,400 page faults per worker on corpus (b), a third of its rendering.
PartRenderer = Callable[[list[Finding], Callable[[bytes], object]], None]


def utf8_target(out: TextIO) -> TextIO:
    """``out``, or for a text stream over a binary one (standard output), that binary stream
    written in UTF-8; a report file (``write_utf8``) and an in-memory string stay as they are."""
    binary: BinaryIO | None = getattr(out, "buffer", None)
    if binary is None or hasattr(out, "write_utf8"):
        return out
    out.flush()
    return Utf8Writer(binary)  # type: ignore[return-value]


def end_report(out: TextIO) -> None:
    """Flush what :func:`utf8_target` wrapped, so that what is written to the text stream under it
    afterwards comes after the report (the rest flush as they always did)."""
    if isinstance(out, Utf8Writer):
        out.flush()


class ArrayItems:
    """The commas and line breaks of a JSON array written an item at a time (a report's findings),
    its items ``indent`` spaces in: the closing bracket two spaces less in, or right after the
    opening one when no item came."""

    def __init__(self, indent: int) -> None:
        self.lead = b"\n" + b" " * indent  # before the first item
        self.separator = b"," + self.lead  # before every other (and between the items of a part)
        self._close = "\n" + " " * (indent - 2) + "]"
        self.empty = True

    def head(self) -> bytes:
        """What goes before the next item (after which the array is no longer empty)."""
        head = self.lead if self.empty else self.separator
        self.empty = False
        return head

    def close(self) -> str:
        return "]" if self.empty else self._close

    def part_renderer(self, encode: Callable[[Finding], bytes]) -> PartRenderer:
        """Writes findings encoded by ``encode`` as items of this array that follow a first one
        (the head before the part is the writer's :meth:`head`), a finding at a time."""
        separator = self.separator

        def render(findings: list[Finding], write: Callable[[bytes], object]) -> None:
            for i, finding in enumerate(findings):
                if i:
                    write(separator)
                write(encode(finding))

        return render


def append_part(out: TextIO, head: bytes, path: str) -> None:
    """Write ``head``, then the UTF-8 file at ``path``, to the report."""
    append = getattr(out, "append_file", None)
    write_utf8 = getattr(out, "write_utf8", None)
    if append is not None and write_utf8 is not None:
        write_utf8(head)
        append(path)
        return
    decoder = codecs.getincrementaldecoder("utf-8")()
    out.write(head.decode())
    with open(path, "rb") as part:
        while chunk := part.read(READ_CHUNK):
            out.write(decoder.decode(chunk))
    out.write(decoder.decode(b"", final=True))
