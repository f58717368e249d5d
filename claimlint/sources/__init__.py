"""Sources: read what the user gives and return prose blocks mapped back to the original text.

The kind of source follows the file name (``--stdin-filename`` for standard input): Markdown,
HTML, catalogs (CSV, TSV, JSON Lines, JSON) or, for anything else, plain text.
"""

from __future__ import annotations

from pathlib import Path

from claimlint.sources.base import Block, BlockBuilder, InputFileError, LineIndex, Source, decode

MARKDOWN = (".md", ".markdown", ".mdown", ".mkd", ".mdx")
HTML = (".html", ".htm", ".xhtml", ".shtml")
CATALOG = (".csv", ".tsv", ".jsonl", ".ndjson", ".json", ".parquet")


def kind_of(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix in MARKDOWN:
        return "markdown"
    if suffix in HTML:
        return "html"
    if suffix in CATALOG:
        return "catalog"
    return "text"


def source_from_text(path: str, text: str, kind: str | None = None) -> Source:
    """Parse ``text`` as the kind its name says (or ``kind``): markdown, html or text."""
    from claimlint.sources import html, markdown, plain

    kind = kind or kind_of(path)
    if kind == "markdown":
        return markdown.parse(path, text)
    if kind == "html":
        return html.parse(path, text)
    return plain.parse(path, text)


def read_source(path: Path, kind: str | None = None) -> Source:
    """Read, decode and parse a file; every failure is an :class:`InputFileError` (one line)."""
    return source_from_text(str(path), read_text(path), kind)


def read_text(path: Path) -> str:
    if not path.exists():
        raise InputFileError("no such file")
    if path.is_dir():
        raise InputFileError("is a directory; give the files to check")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputFileError(f"cannot read: {exc.strerror or exc}") from None
    return decode(data)


__all__ = [
    "Block",
    "BlockBuilder",
    "InputFileError",
    "LineIndex",
    "Source",
    "decode",
    "kind_of",
    "read_source",
    "read_text",
    "source_from_text",
]
