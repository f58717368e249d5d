"""Findings of a file that has not changed since the last run: read back, not linted again.

A fresh ``claimlint check`` of a small file spends nearly all of its 0.4-0.5 s importing spaCy and
building the pipeline. When the file's findings are already known, as ruff knows a file it has
checked before, the run answers without either, in the time the command takes to start.

An entry is used only when everything its findings depend on is unchanged:

- the file: its path as named (findings and their fingerprints carry it), its kind (Markdown,
  HTML, text), a BLAKE2b digest of its text, and the front-matter fields read from it;
- the settings: markets, product type, ``select``, ``ignore``, the rule-pack directories;
- the rule-pack files as they are on disk (path, size, modification time);
- the installed spaCy and lemma data (their files' sizes and modification times);
- claimlint's own code and the Python version (:mod:`claimlint.diskcache` adds those to every key).

An entry holds the findings and the file's suppression comments that silenced nothing; a file
answered from it is not even parsed. What a run does with findings afterwards (per-file ignores,
a baseline, the report) is done as for a file just linted. Standard input and catalogs are not
kept (a million rows are not a million entries), nor files of 400,000 characters or more, which
are split over processes. ``CLAIMLINT_NO_CACHE=1`` turns this off with the rest of the cache.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from functools import lru_cache

from claimlint import diskcache
from claimlint.daemon.protocol import in_ci
from claimlint.engine import Linter
from claimlint.findings import (
    CitationRef,
    Finding,
    MarketVerdict,
    Quantity,
    Severity,
    UnusedSuppression,
    VerdictSaid,
    build_finding,
)

KIND = "results"
# Files: the least recently used entries go first. A page's entry is 1-10 KB (its findings), and a
# site of a few thousand pages checked whole must not push out its own entries.
KEEP = 10_000
_paused = False


@dataclass(frozen=True)
class Known:
    """What a file's entry holds: its findings, and its suppression comments that silenced nothing."""

    findings: list[Finding]
    unused: list[UnusedSuppression]

    def __reduce__(self) -> tuple[object, ...]:
        # Kept as rows of plain values (verdicts by what they say): an unchanged tree's run is
        # mostly reading entries back, and objects cost pickle far more to rebuild than tuples.
        return (_known, (_rows(self.findings), self.unused))


_FIELDS = tuple(f.name for f in fields(Finding))
_SEVERITY_AT, _MARKETS_AT, _QUANTITY_AT = (_FIELDS.index(n) for n in ("severity", "markets", "quantity"))
_SEVERITIES = {s.value: s for s in Severity}
# Verdicts by what they say, shared by every finding read back in this process (a few hundred).
_VERDICTS: dict[VerdictSaid, MarketVerdict] = {}


def _rows(findings: list[Finding]) -> list[tuple[object, ...]]:
    said: dict[int, VerdictSaid] = {}  # one key object per verdict object: pickled once per entry
    rows = []
    for f in findings:
        values: list[object] = [getattr(f, name) for name in _FIELDS]
        values[_SEVERITY_AT] = f.severity.value
        markets = []
        for market, verdict in f.markets.items():
            key = said.get(id(verdict))
            if key is None:
                key = said[id(verdict)] = verdict.said()
            markets.append((market, key))
        values[_MARKETS_AT] = tuple(markets)
        q = f.quantity
        values[_QUANTITY_AT] = None if q is None else (q.value, q.unit, q.text)
        rows.append(tuple(values))
    return rows


def _known(rows: list[tuple[object, ...]], unused: list[UnusedSuppression]) -> Known:
    findings = []
    for row in rows:
        values = list(row)
        values[_SEVERITY_AT] = _SEVERITIES[values[_SEVERITY_AT]]  # type: ignore[index]
        values[_MARKETS_AT] = {market: _verdict(key) for market, key in values[_MARKETS_AT]}  # type: ignore[attr-defined]
        q = values[_QUANTITY_AT]
        values[_QUANTITY_AT] = None if q is None else Quantity(*q)  # type: ignore[misc]
        findings.append(build_finding(values))
    return Known(findings, unused)


def _verdict(key: VerdictSaid) -> MarketVerdict:
    found = _VERDICTS.get(key)
    if found is None:
        if len(_VERDICTS) > 10_000:
            _VERDICTS.clear()
        severity, citations = key
        found = _VERDICTS[key] = MarketVerdict(_SEVERITIES[severity], [CitationRef(*c) for c in citations])
    return found


class Keys:
    """The keys of one run's files: what they share (settings, packs, libraries) is taken once, the
    packs as the linter's rulebook was loaded from them."""

    def __init__(self, linter: Linter, front_matter_fields: tuple[str, ...]) -> None:
        settings = linter.settings
        self._shared = (
            front_matter_fields,
            (settings.markets, settings.product_type, settings.select, settings.ignore),
            linter.packs,
            _libraries(),
        )

    def key(self, path: str, text: str, kind: str) -> Hashable:
        """The key of the findings of file ``path``, read as ``text`` (shorter than ``claimlint.runner.LONG_FILE_CHARS``), a
        file of ``kind``."""
        return (
            path,
            kind,
            diskcache.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=32).hexdigest(),
            *self._shared,
        )


def load(key: Hashable) -> Known | None:
    """What was saved under ``key``, or None."""
    if _paused:
        return None
    # Marked as used (not in a CI job, which writes nothing): an entry read on every run outlives
    # the entries left by a file's earlier versions.
    known = diskcache.load(KIND, key, touch=not in_ci())
    return known if isinstance(known, Known) else None


def save(key: Hashable, known: Known) -> None:
    """Keep ``known`` under ``key``; not in a CI job, whose machine goes with it (writing an entry
    costs about a third of what linting a small file does)."""
    if not _paused and not in_ci():
        diskcache.save(KIND, key, known, keep=KEEP)


@contextmanager
def paused() -> Iterator[None]:
    """Neither read nor write entries meanwhile: for checks of throw-away files (the daemon's
    warm-up), which must really lint and would only leave entries no one asks for again."""
    global _paused
    _paused, before = True, _paused
    try:
        yield
    finally:
        _paused = before


@lru_cache(maxsize=1)
def _libraries() -> tuple[tuple[str, int, int], ...]:
    """The installed spaCy and spacy-lookups-data: the tokenizer and the lemmas come from them."""
    return diskcache.installed(diskcache.NLP_PACKAGES)
