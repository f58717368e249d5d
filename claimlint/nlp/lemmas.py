"""Word → lemma, the same way for the copy and for the rules, so that they always meet.

spaCy's lookup table (``spacy-lookups-data``) maps inflected forms to lemmas but is case-sensitive,
knows no British spellings and no cosmetic jargon ("exosomes"). This normaliser lowercases, folds
British to American spelling when the American form is a known word, looks the word up, and falls
back to plain plural stripping. Rule terms go through the very same function, so a word the table
does not know still matches its own inflections consistently.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

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

    def __init__(self) -> None:
        table = lookup_table()
        self._table = table
        self._known = set(table.values())
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
                if candidate in self._known or self._table.get(candidate) is not None:
                    return candidate
        return w


def lookup_table() -> dict[str, str]:
    """spacy-lookups-data's English lemma table (word → lemma) as a plain dict, read straight from
    the package's data file: five times quicker to load than through ``spacy.lookups`` (whose table
    also hashes every key on every lookup), the same entries; kept between runs by
    :mod:`claimlint.diskcache` (a pickle loads in a third of the time the JSON takes)."""
    import os
    from importlib.util import find_spec

    from claimlint import diskcache

    # Found, not imported: the package's __init__ makes a path object for each of its 600 data
    # files (3.5 ms), and only this one is read.
    spec = find_spec("spacy_lookups_data")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("claimlint needs spacy-lookups-data (pip install spacy-lookups-data)")
    path = os.path.join(os.path.dirname(spec.origin), "data", "en_lemma_lookup.json.gz")
    st = os.stat(path)
    return diskcache.remember("lemmas", (path, st.st_size, st.st_mtime_ns), lambda: _read_table(path))


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
