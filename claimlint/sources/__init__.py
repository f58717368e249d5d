"""Sources: read what the user gives and return text blocks with offsets into the original."""

from claimlint.sources.text import Block, InputFileError, LineIndex, Source, read_source, source_from_text

__all__ = ["Block", "InputFileError", "LineIndex", "Source", "read_source", "source_from_text"]
