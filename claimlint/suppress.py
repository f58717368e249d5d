"""Inline suppressions: comments and markers in the copy that silence a rule where it stands.

    <!-- claimlint-disable-next-line SF-COLLAGEN -- substantiated by study 2026-04 -->
    <!-- claimlint-disable QTY -->  …  <!-- claimlint-enable -->
    Our serum boosts collagen.  claimlint: ignore[SF-COLLAGEN]      (plain text: this line)

A directive names rule ids, id prefixes or categories (comma- or space-separated), or none for
every rule; text after `--` is the reason. A suppression that silenced nothing is "unused".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_COMMENT = re.compile(
    r"^\s*claimlint-(?P<kind>disable-next-line|disable-line|disable|enable)\b(?P<rules>[^-]*(?:-(?!-)[^-]*)*)"
    r"(?:--(?P<reason>.*))?$",
    re.DOTALL,
)
_MARKER = re.compile(r"claimlint:\s*ignore(?:\[(?P<rules>[^\]]*)\])?")


@dataclass
class Suppression:
    """Silences the named rules (all when empty) on lines ``first_line``…``last_line``."""

    rules: frozenset[str]
    first_line: int
    last_line: int
    line: int  # where the directive is written
    text: str
    reason: str = ""
    used: bool = field(default=False, compare=False)

    def covers(self, rule_id: str, category: str, line: int) -> bool:
        if not self.first_line <= line <= self.last_line:
            return False
        return not self.rules or any(_selects(sel, rule_id, category) for sel in self.rules)


def _selects(selector: str, rule_id: str, category: str) -> bool:
    return selector.lower() == category or selector.upper() == rule_id or rule_id.startswith(selector.upper() + "-")


def _rules(text: str) -> frozenset[str]:
    return frozenset(r for r in re.split(r"[\s,]+", text.strip()) if r)


@dataclass
class _Event:
    kind: str
    rules: frozenset[str]
    line: int
    end_line: int
    text: str
    reason: str


class DirectiveCollector:
    """Gathers ``claimlint-…`` comments in document order and pairs disables with enables."""

    def __init__(self) -> None:
        self._events: list[_Event] = []

    def comment(self, body: str, line: int, end_line: int | None = None) -> bool:
        """Offer an HTML comment's body; True when it was a claimlint directive."""
        m = _COMMENT.match(body)
        if not m:
            return False
        reason = (m.group("reason") or "").strip()
        self._events.append(
            _Event(m.group("kind"), _rules(m.group("rules")), line, end_line or line, body.strip(), reason)
        )
        return True

    def resolve(self, last_line: int) -> list[Suppression]:
        out: list[Suppression] = []
        open_ranges: list[_Event] = []
        for ev in self._events:
            if ev.kind == "disable-next-line":
                out.append(Suppression(ev.rules, ev.end_line + 1, ev.end_line + 1, ev.line, ev.text, ev.reason))
            elif ev.kind == "disable-line":
                out.append(Suppression(ev.rules, ev.line, ev.end_line, ev.line, ev.text, ev.reason))
            elif ev.kind == "disable":
                open_ranges.append(ev)
            else:  # enable: closes the matching disable (same rules), or every open one when it names none
                closing = [o for o in open_ranges if not ev.rules or o.rules == ev.rules]
                for o in closing:
                    out.append(Suppression(o.rules, o.line, ev.line, o.line, o.text, o.reason))
                    open_ranges.remove(o)
        for o in open_ranges:
            out.append(Suppression(o.rules, o.line, last_line, o.line, o.text, o.reason))
        return out


def line_markers(text: str) -> list[Suppression]:
    """``claimlint: ignore[RULE]`` markers: each silences its own line."""
    out = []
    line = 1
    pos = 0
    for m in _MARKER.finditer(text):
        line += text.count("\n", pos, m.start())
        pos = m.start()
        out.append(Suppression(_rules(m.group("rules") or ""), line, line, line, m.group(0)))
    return out
