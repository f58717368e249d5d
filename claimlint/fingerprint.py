"""A finding's fingerprint: stable when lines move or rows are reordered, different when the claim
or its wording around it changes. Used by baselines and by SARIF ``partialFingerprints``."""

from __future__ import annotations

import hashlib
import re

_WORD = re.compile(r"\w+", re.UNICODE)
NEIGHBOURS = 3  # words of context on each side


def _words(text: str, start: int, end: int) -> list[str]:
    # findall between positions reads the text in place (a slice would copy it first)
    return _WORD.findall(text, start, end)


def _last_words(text: str, start: int, end: int) -> list[str]:
    """The last NEIGHBOURS words of ``text[start:end]``, as ``_words(...)[-NEIGHBOURS:]`` gives them.

    Tried on the window's tail first: a word the narrower window cuts can only be its first one,
    so when it holds more words than are wanted, its last ones are whole and the same."""
    near = max(start, end - 32)
    if near > start:
        words = _WORD.findall(text, near, end)
        if len(words) > NEIGHBOURS:
            return words[-NEIGHBOURS:]
    return _WORD.findall(text, start, end)[-NEIGHBOURS:]


def _first_words(text: str, start: int, end: int) -> list[str]:
    """The first NEIGHBOURS words of ``text[start:end]``, as ``_words(...)[:NEIGHBOURS]`` gives them.

    Tried on the window's head first: a word the narrower window cuts can only be its last one."""
    near = min(end, start + 32)
    if near < end:
        words = _WORD.findall(text, start, near)
        if len(words) > NEIGHBOURS:
            return words[:NEIGHBOURS]
    return _WORD.findall(text, start, end)[:NEIGHBOURS]


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
    words = "\x1f".join(
        (
            " ".join(_last_words(text, max(lo, start - 80), start)),
            " ".join(_words(text, start, end)),
            " ".join(_first_words(text, end, min(hi, end + 80))),
        )
    ).lower()  # before, claim, after
    key = "\x1f".join((path.replace("\\", "/"), row or "", field or "", rule_id, words))
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:20]
