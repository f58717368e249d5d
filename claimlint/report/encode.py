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
from typing import Any, Final

from claimlint.findings import Finding, MarketVerdict, Quantity, Severity, VerdictSaid

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
        # Fields are read from the instance dictionary: an attribute read on a dataclass instance
        # first looks for a descriptor along the class's MRO (about 220 instructions, 27 reads a
        # finding), a dictionary read only hashes a constant key. Every way a finding is made
        # (its ``__init__``, ``_frozen``, unpickling, ``copy``) leaves each field there.
        d: dict[str, Any] = f.__dict__
        name: str = d["path"]
        path = self._paths.get(name)
        if path is None:
            if len(self._paths) > CACHE_LIMIT:
                self._paths.clear()
            path = self._paths[name] = ('{"path":' + _esc(name) + ',"line":').encode()
        rule_id: str = d["rule_id"]
        category: str = d["category"]
        severity: Severity = d["severity"]
        title: str = d["title"]
        message: str = d["message"]
        suggestion: str = d["suggestion"]
        key = (rule_id, category, severity, title, message, suggestion)
        rule = self._rules.get(key)
        if rule is None:
            if len(self._rules) > CACHE_LIMIT:
                self._rules.clear()
            rule = self._rules[key] = (
                f',"rule_id":{_esc(rule_id)},"category":{_esc(category)},"severity":{_esc(severity.value)},'
                f'"title":{_esc(title)},"message":{_esc(message)},"suggestion":{_esc(suggestion)},"markets":{{'
            ).encode()
        verdicts: dict[str, MarketVerdict] = d["markets"]
        markets = b",".join([self._verdict(market, verdict) for market, verdict in verdicts.items()])
        q: Quantity | None = d["quantity"]
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
        found: dict[str, str] = d["context"]
        context = _context(found) if found else "{}"
        row: str | None = d["row"]
        field: str | None = d["field"]
        row_line: int | None = d["row_line"]
        line: int = d["line"]
        column: int = d["column"]
        end_line: int = d["end_line"]
        end_column: int = d["end_column"]
        start: int = d["start"]
        end: int = d["end"]
        text: str = d["text"]
        fingerprint: str = d["fingerprint"]
        head = (
            f'{line},"column":{column},"end_line":{end_line},"end_column":{end_column},'
            f'"start":{start},"end":{end},"text":{_esc(text)}'
        ).encode()
        tail = (
            f'}},"context":{context},"quantity":{quantity},'
            f'"row":{"null" if row is None else _esc(row)},"field":{"null" if field is None else _esc(field)},'
            f'"row_line":{"null" if row_line is None else row_line},"fingerprint":{_esc(fingerprint)}}}'
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
