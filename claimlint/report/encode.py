"""A finding as JSON, byte for byte what pydantic's serializer writes for it, in half the time.

A finding is about 1.7 kB of JSON, and most of it repeats: a rule's title, message and suggestion,
and each market's verdict with its citations (1.2 kB of the 1.7). Those parts are encoded once and
kept as bytes; per finding only positions, the matched text, context, quantity and fingerprint are
encoded. Anything this encoder cannot be sure to write exactly as pydantic does (a number pydantic
writes in exponent form, text that is not valid Unicode) is handed to pydantic.
"""

from __future__ import annotations

from collections.abc import Callable
from json import JSONEncoder
from json.encoder import encode_basestring
from typing import Final

from claimlint.findings import Finding, MarketVerdict, Severity, VerdictSaid

_esc: Final[Callable[[str], str]] = encode_basestring  # the C escaper: quotes, backslash, control characters
# One encoder for every context (``json.dumps`` with options builds a new one at every call).
_context: Final[Callable[[object], str]] = JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
CACHE_LIMIT: Final = 4096


class FindingEncoder:
    """``encoder(finding)``: the finding's JSON as ``fallback(finding)`` writes it (pydantic's
    ``TypeAdapter(Finding).dump_json``), with its repeated parts kept encoded. One per report."""

    def __init__(self, fallback: Callable[[Finding], bytes]) -> None:
        self.fallback = fallback
        self._paths: dict[str, bytes] = {}
        self._rules: dict[tuple[str, str, Severity, str, str, str], bytes] = {}
        # By the verdict object's id: the engine shares one verdict object among all the findings
        # it applies to (and unpickling shares them within a batch), so this is one lookup. The
        # entry holds the object itself, so its id cannot be reused while the entry lives.
        self._verdicts: dict[int, tuple[MarketVerdict, str, bytes]] = {}
        # By what they say, for verdicts that are equal but not shared: findings read back from
        # where they were kept, one file's at a time.
        self._said: dict[tuple[str, VerdictSaid], bytes] = {}

    def __call__(self, finding: Finding) -> bytes:
        try:
            return self._encode(finding)
        except (UnicodeEncodeError, _Unsure):
            return self.fallback(finding)

    def _encode(self, f: Finding) -> bytes:
        path = self._paths.get(f.path)
        if path is None:
            if len(self._paths) > CACHE_LIMIT:
                self._paths.clear()
            path = self._paths[f.path] = ('{"path":' + _esc(f.path) + ',"line":').encode()
        key = (f.rule_id, f.category, f.severity, f.title, f.message, f.suggestion)
        rule = self._rules.get(key)
        if rule is None:
            if len(self._rules) > CACHE_LIMIT:
                self._rules.clear()
            rule = self._rules[key] = (
                f',"rule_id":{_esc(f.rule_id)},"category":{_esc(f.category)},"severity":{_esc(f.severity.value)},'
                f'"title":{_esc(f.title)},"message":{_esc(f.message)},"suggestion":{_esc(f.suggestion)},"markets":{{'
            ).encode()
        markets = b",".join([self._verdict(market, verdict) for market, verdict in f.markets.items()])
        q = f.quantity
        if q is None:
            quantity = "null"
        else:
            value: object = q.value
            if type(value) is not float:
                raise _Unsure
            number = repr(value)
            if "e" in number or "n" in number:  # exponents, inf, nan: pydantic writes these its own way
                raise _Unsure
            quantity = f'{{"value":{number},"unit":{_esc(q.unit)},"text":{_esc(q.text)}}}'
        context = _context(f.context) if f.context else "{}"
        row = "null" if f.row is None else _esc(f.row)
        field = "null" if f.field is None else _esc(f.field)
        row_line = "null" if f.row_line is None else str(f.row_line)
        head = (
            f'{f.line},"column":{f.column},"end_line":{f.end_line},"end_column":{f.end_column},'
            f'"start":{f.start},"end":{f.end},"text":{_esc(f.text)}'
        ).encode()
        tail = (
            f'}},"context":{context},"quantity":{quantity},"row":{row},"field":{field},'
            f'"row_line":{row_line},"fingerprint":{_esc(f.fingerprint)}}}'
        ).encode()
        return b"".join((path, head, rule, markets, tail))

    def _verdict(self, market: str, verdict: MarketVerdict) -> bytes:
        found = self._verdicts.get(id(verdict))
        if found is not None and found[0] is verdict and found[1] == market:
            return found[2]
        said = (market, verdict.said())
        encoded = self._said.get(said)
        if encoded is None:
            citations = ",".join(
                f'{{"id":{_esc(c.id)},"reference":{_esc(c.reference)},"url":{_esc(c.url)}}}' for c in verdict.citations
            )
            encoded = f'{_esc(market)}:{{"severity":{_esc(verdict.severity.value)},"citations":[{citations}]}}'.encode()
            if len(self._said) > CACHE_LIMIT:
                self._said.clear()
            self._said[said] = encoded
        if len(self._verdicts) > CACHE_LIMIT:
            self._verdicts.clear()
        self._verdicts[id(verdict)] = (verdict, market, encoded)
        return encoded


class _Unsure(Exception):
    """A value this encoder might write differently from pydantic."""
