"""A finding's fingerprint: stable when lines move or rows are reordered, different when the claim
or its wording around it changes. Used by baselines and by SARIF ``partialFingerprints``."""

from __future__ import annotations

import hashlib
import re
from typing import Final

_WORD: Final = re.compile(r"\w+", re.UNICODE)
# The same words in ASCII text, where \w is [A-Za-z0-9_]: told without the Unicode database.
_ASCII_WORD: Final = re.compile(r"\w+", re.ASCII)
NEIGHBOURS: Final = 3  # words of context on each side
# Copied for each fingerprint: a fresh ``hashlib.sha1()`` looks the algorithm up in OpenSSL every
# time (0.57 µs a fingerprint against 0.37 µs for a copy, the same digest).
_SHA1: Final = hashlib.sha1()


def _edge_words(word: re.Pattern[str], text: str, start: int, end: int, last: bool) -> list[str]:
    """The last (or first) NEIGHBOURS words of ``text[start:end]``, as ``word.findall`` gives them.

    Tried on the 32 characters at that edge first: a word the narrower window cuts can only be at
    its other edge, so when it holds more words than are wanted, those at this edge are whole."""
    # findall between positions reads the text in place (a slice would copy it first)
    if end - start > 32:
        words = word.findall(text, end - 32, end) if last else word.findall(text, start, start + 32)
        if len(words) > NEIGHBOURS:
            return words[-NEIGHBOURS:] if last else words[:NEIGHBOURS]
    words = word.findall(text, start, end)
    return words[-NEIGHBOURS:] if last else words[:NEIGHBOURS]


def fingerprint(
    path: str,
    rule_id: str,
    text: str,
    start: int,
    end: int,
    row: str | None = None,
    field: str | None = None,
    bounds: tuple[int, int] | None = None,
) -> str:
    """Hash of where (file, catalog row and field), which rule, the claim's words and the words
    around it within its paragraph (``bounds``), so that moving the paragraph keeps it."""
    lo, hi = bounds or (0, len(text))
    lo, hi = max(lo, start - 80), min(hi, end + 80)
    # A whole text in ASCII says so at once; else the slice is copied (and its widest character
    # found) in C, still far cheaper than looking up each character's category.
    word = _ASCII_WORD if text.isascii() or text[lo:hi].isascii() else _WORD
    words = "\x1f".join(
        (
            " ".join(_edge_words(word, text, lo, start, last=True)),
            " ".join(word.findall(text, start, end)),
            " ".join(_edge_words(word, text, end, hi, last=False)),
        )
    ).lower()  # before, claim, after
    key = "\x1f".join((path.replace("\\", "/"), row or "", field or "", rule_id, words))
    digest = _SHA1.copy()
    digest.update(key.encode("utf-8"))
    return digest.hexdigest()[:20]
