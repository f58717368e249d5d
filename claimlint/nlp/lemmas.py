"""Word → lemma, the same way for the copy and for the rules, so that they always meet.

spaCy's lookup table (``spacy-lookups-data``) maps inflected forms to lemmas but is case-sensitive,
knows no British spellings and no cosmetic jargon ("exosomes"). This normaliser lowercases, folds
British to American spelling when the American form is a known word, looks the word up, and falls
back to plain plural stripping. Rule terms go through the very same function, so a word the table
does not know still matches its own inflections consistently.
"""

from __future__ import annotations

import re
import zlib
from array import array
from collections.abc import Callable
from functools import lru_cache
from typing import Final

from claimlint import diskcache

# Words whose lookup lemma would lose what a claim rests on (comparatives) or is simply wrong.
_KEEP: Final = {
    "more": "more",
    "most": "most",
    "less": "less",
    "least": "least",
    "fewer": "fewer",
    "better": "better",
    "best": "best",
    "worse": "worse",
    "worst": "worst",
    "does": "do",
    "'s": "'s",
    "lines": "line",
    "us": "us",
    "its": "its",
    "dies": "die",
}
_APOSTROPHES: Final = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})
_BRITISH: Final = [
    (re.compile(r"is(e|es|ed|ing|ation|ations|er|ers)$"), r"iz\1"),
    (re.compile(r"ys(e|es|ed|ing)$"), r"yz\1"),
    (re.compile(r"our(s|ed|ing)?$"), r"or\1"),
    (re.compile(r"tre(s)?$"), r"ter\1"),
    (re.compile(r"^(an|h|le|p|orth)ae"), r"\1e"),
    (re.compile(r"^(o)e(?=d|s)"), r"e"),
    (re.compile(r"ogue(s)?$"), r"og\1"),
]


class Lemmatizer:
    """Lowercase lemma for any word; cached, so repeated words cost one dict lookup."""

    def __init__(self, table: LemmaTable | None = None) -> None:
        # What the table in use was read from (the package's file), as a key for what is worked
        # out from it and kept; None for a table given.
        self.table_key: tuple[str, int, int] | None = None
        if table is None:
            path, self.table_key = _table_file()
            table = _kept_table(path, self.table_key)
        self._table = table
        self.lemma = lru_cache(maxsize=200_000)(self._lemma)

    def _lemma(self, word: str) -> str:
        w = word.lower().translate(_APOSTROPHES)
        kept = _KEEP.get(w)
        if kept is not None:
            return kept
        w = self._americanize(w)
        found = self._table.get(w)
        if found is not None:
            return str(found).lower()
        return _strip_plural(w)

    def _americanize(self, w: str) -> str:
        for pattern, repl in _BRITISH:
            if pattern.search(w):
                candidate = pattern.sub(repl, w)
                if candidate in self._table:
                    return candidate
        return w


# The two bytes that end a word and a lemma in LemmaTable's entries: control characters, which no
# word of the table holds and UTF-8 never uses inside a character.
_WORD_END: Final = 0x1F
_ENTRY_END: Final = 0x1E


class LemmaTable:
    """spacy-lookups-data's English table (word → lemma), looked up where it lies: its entries in one
    bytes object and an open-addressing hash index of them in an array, both read from
    :mod:`claimlint.diskcache` in one piece.

    As a dict, the table cost every fresh process that builds the pipeline 41,582 keys and 26,007
    lemmas made into strings and hashed (about 75 million instructions, 5% of checking a small
    file, and 8 MB), to look up a few dozen words, each of them once (the lemmatizer keeps what it
    found). Here a lookup hashes the word's UTF-8 with CRC-32 and compares bytes in place.

    An entry is the word, ``\x1f``, its lemma and ``\x1e``; a lemma that is no word of the table is
    an entry of its own, the word then ``\x1e``: ``in`` finds words and lemmas alike (the British
    spellings are folded to what the table knows as either)."""

    def __init__(self, entries: bytes, index: array[int]) -> None:
        self._entries = entries
        self._index = index  # 1 + an entry's offset, or 0: free
        self._mask = len(index) - 1

    @classmethod
    def build(cls, table: dict[str, str]) -> LemmaTable:
        """The table of ``table`` (word → lemma)."""
        lemmas_only = sorted(set(table.values()) - set(table))
        pairs: list[tuple[str, str | None]] = [*table.items(), *((lemma, None) for lemma in lemmas_only)]
        size = 1 << max(4, (2 * len(pairs)).bit_length())  # under half full: short probes
        index = array("I", bytes(4 * size))
        mask = size - 1
        parts: list[bytes] = []
        offset = 0
        for word, lemma in pairs:
            key = word.encode("utf-8", "surrogatepass")
            entry = key + (b"\x1f" + lemma.encode("utf-8", "surrogatepass") if lemma is not None else b"") + b"\x1e"
            slot = zlib.crc32(key) & mask
            while index[slot]:
                slot = (slot + 1) & mask
            index[slot] = offset + 1
            parts.append(entry)
            offset += len(entry)
        return cls(b"".join(parts), index)

    def state(self) -> tuple[bytes, bytes]:
        """The entries and the index, as bytes (what the disk cache keeps)."""
        return self._entries, self._index.tobytes()

    @classmethod
    def from_state(cls, state: tuple[bytes, bytes]) -> LemmaTable:
        entries, index = state
        slots = array("I")
        slots.frombytes(index)
        return cls(entries, slots)

    def _end(self, word: str) -> int:
        """Where ``word``'s entry has its word end, or -1 if it has none."""
        key = word.encode("utf-8", "surrogatepass")
        entries = self._entries
        index = self._index
        mask = self._mask
        n = len(key)
        slot = zlib.crc32(key) & mask
        while True:
            at = index[slot]
            if at == 0:
                return -1
            at -= 1
            if entries.startswith(key, at):
                end = at + n
                if entries[end] == _WORD_END or entries[end] == _ENTRY_END:
                    return end
            slot = (slot + 1) & mask

    def get(self, word: str) -> str | None:
        """The lemma of ``word``, if the table has ``word`` as a word."""
        end = self._end(word)
        if end < 0 or self._entries[end] != _WORD_END:
            return None
        stop = self._entries.index(b"\x1e", end + 1)
        return self._entries[end + 1 : stop].decode("utf-8", "surrogatepass")

    def __contains__(self, word: str) -> bool:
        """Whether ``word`` is a word or a lemma of the table."""
        return self._end(word) >= 0

    def __len__(self) -> int:
        """How many words the table has (lemmas that are no word not counted)."""
        return self._entries.count(b"\x1f")


def lemma_table() -> LemmaTable:
    """spacy-lookups-data's English lemma table as a :class:`LemmaTable`, kept between runs by
    :mod:`claimlint.diskcache` (under a key that holds claimlint's code, so a new layout is a new
    entry)."""
    return _kept_table(*_table_file())


def _kept_table(path: str, stamp: tuple[str, int, int]) -> LemmaTable:
    state = diskcache.remember("lemma-table", stamp, lambda: LemmaTable.build(_read_table(path)).state())
    return LemmaTable.from_state(state)


def remembering(lemma: Callable[[str], str], kept: dict[str, str]) -> Callable[[str], str]:
    """``lemma``, answering from ``kept`` first and adding to it what it works out: the rule packs'
    words, lemmatised at every start (2,300 words, 2% of checking a small file), are kept on disk
    and looked up instead."""

    def remembered(word: str) -> str:
        found = kept.get(word)
        if found is None:
            found = kept[word] = lemma(word)
        return found

    return remembered


def lookup_table() -> dict[str, str]:
    """spacy-lookups-data's English lemma table (word → lemma) as a plain dict, read straight from
    the package's data file: five times quicker to load than through ``spacy.lookups`` (whose table
    also hashes every key on every lookup), the same entries; kept between runs by
    :mod:`claimlint.diskcache` (a pickle loads in a third of the time the JSON takes)."""
    path, stamp = _table_file()
    return diskcache.remember("lemmas", stamp, lambda: _read_table(path))


def _table_file() -> tuple[str, tuple[str, int, int]]:
    """The path of spacy-lookups-data's English lemma table, and what it is as a cache key."""
    import os
    from importlib.util import find_spec

    # Found, not imported: the package's __init__ makes a path object for each of its 600 data
    # files (3.5 ms), and only this one is read.
    spec = find_spec("spacy_lookups_data")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("claimlint needs spacy-lookups-data (pip install spacy-lookups-data)")
    path = os.path.join(os.path.dirname(spec.origin), "data", "en_lemma_lookup.json.gz")
    st = os.stat(path)
    return path, (path, st.st_size, st.st_mtime_ns)


def _read_table(path: str) -> dict[str, str]:
    import gzip
    import json

    with gzip.open(path, "rt", encoding="utf-8") as fh:
        table: dict[str, str] = json.load(fh)
    return table


def _strip_plural(w: str) -> str:
    if len(w) <= 3 or not w.isalpha():
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("sses", "shes", "ches", "xes", "zes")):
        return w[:-2]
    if w.endswith("s") and not w.endswith(("ss", "us", "is", "os")):
        return w[:-1]
    return w
