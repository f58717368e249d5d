"""A finding's fingerprint: stable when lines move or rows are reordered, different when the claim
or its wording around it changes. Used by baselines and by SARIF ``partialFingerprints``."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Final

try:
    from _sha1 import sha1 as _own_sha1  # CPython's own SHA-1
except ImportError:  # pragma: no cover - a Python built without it
    from hashlib import sha1 as _own_sha1

_WORD: Final = re.compile(r"\w+", re.UNICODE)
# In ASCII text \w is [A-Za-z0-9_]: those bytes are kept (capitals lowered), every other one is a
# space, so that bytes.split() finds the same words.
_ASCII_WORDS: Final = bytes(
    c + 32 if 65 <= c <= 90 else c if (48 <= c <= 57 or 97 <= c <= 122 or c == 95) else 32 for c in range(256)
)
NEIGHBOURS: Final = 3  # words of context on each side

# A process's first fingerprints are hashed by CPython's own SHA-1, the rest by OpenSSL's, which
# runs on the processor's SHA instructions (0.38 µs a digest against 0.97; the digests are the
# same). Loading OpenSSL (hashlib) takes 2 ms of a small check's 0.16 s: it pays for itself after
# about 3,000 fingerprints, which a small check never makes.
OPENSSL_AFTER: Final = 3000


class _Sha1:
    """The SHA-1 fingerprints are hashed with: a digest copied for each (a fresh one looks the
    algorithm up every time: 0.57 µs against 0.37 µs for a copy, in OpenSSL), and its type's methods,
    called through their descriptors (compiled, ``digest.update(...)`` looks the method up on the
    object at every call)."""

    copy: Callable[[], Any]
    update: Callable[[Any, bytes], object]
    hexdigest: Callable[[Any], str]

    def __init__(self) -> None:
        self.left = OPENSSL_AFTER
        self._use(_own_sha1())

    def _use(self, prototype: Any) -> None:
        self.copy = prototype.copy
        self.update = type(prototype).update
        self.hexdigest = type(prototype).hexdigest

    def new(self) -> Any:
        """An empty digest to update."""
        self.left -= 1
        if self.left == 0:
            import hashlib

            self._use(hashlib.sha1())
        return self.copy()


_SHA1: Final = _Sha1()
# Methods called through their descriptors (six calls a fingerprint), as above.
_split: Final = bytes.split
_rsplit: Final = bytes.rsplit
# What a fingerprint hashes first (where, which rule), encoded once per file, row, field and rule.
_WHERE: dict[tuple[str, str | None, str | None, str], bytes] = {}
_WHERE_LIMIT: Final = 4096


def _edge_words(text: str, start: int, end: int, last: bool) -> list[str]:
    """The last (or first) NEIGHBOURS words of ``text[start:end]``, as ``_WORD.findall`` gives them.

    Tried on the 32 characters at that edge first: a word the narrower window cuts can only be at
    its other edge, so when it holds more words than are wanted, those at this edge are whole."""
    # findall between positions reads the text in place (a slice would copy it first)
    if end - start > 32:
        words = _WORD.findall(text, end - 32, end) if last else _WORD.findall(text, start, start + 32)
        if len(words) > NEIGHBOURS:
            return words[-NEIGHBOURS:] if last else words[:NEIGHBOURS]
    words = _WORD.findall(text, start, end)
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
    key = (path, row, field, rule_id)
    where = _WHERE.get(key)
    if where is None:
        if len(_WHERE) >= _WHERE_LIMIT:
            _WHERE.clear()
        where = _WHERE[key] = "\x1f".join((path.replace("\\", "/"), row or "", field or "", rule_id, "")).encode()
    window = text[lo:hi]
    if window.isascii():
        # One pass of a byte table (word characters kept and lowered, everything else a space),
        # then split: exactly the words \w+ finds, lowered, for a fraction of what three
        # regular-expression scans cost.
        # The context's words split off only as far as the NEIGHBOURS kept: a window's other
        # words were a bytes object each, made and freed (a fifth of a fingerprint).
        ascii_words = window.encode("ascii").translate(_ASCII_WORDS)
        before = _rsplit(ascii_words[: start - lo], None, NEIGHBOURS)[-NEIGHBOURS:]
        after = _split(ascii_words[end - lo :], None, NEIGHBOURS)[:NEIGHBOURS]
        claim = _split(ascii_words[start - lo : end - lo])
        digest = _SHA1.new()
        _SHA1.update(digest, where + b"\x1f".join((b" ".join(before), b" ".join(claim), b" ".join(after))))
        hexdigest: str = _SHA1.hexdigest(digest)
        return hexdigest[:20]
    words = "\x1f".join(
        (
            " ".join(_edge_words(text, lo, start, last=True)),
            " ".join(_WORD.findall(text, start, end)),
            " ".join(_edge_words(text, end, hi, last=False)),
        )
    ).lower()  # before, claim, after
    digest = _SHA1.new()
    _SHA1.update(digest, where + words.encode("utf-8"))
    return _SHA1.hexdigest(digest)[:20]
