"""``[[…]]`` marks in example and corpus text: strip them and keep the spans they marked."""

from __future__ import annotations

import re

RULE_EXAMPLE = re.compile(r"\[\[(?P<text>.+?)\]\]")
CORPUS = re.compile(r"\[\[(?P<text>.+?)\|(?P<cats>[a-z_/]+)\]\]")


def unmark(marked: str, pattern: re.Pattern[str] = RULE_EXAMPLE) -> tuple[str, list[tuple[int, int, re.Match[str]]]]:
    """The text without marks, and each mark's ``(start, end, match)`` in that text."""
    out: list[str] = []
    spans: list[tuple[int, int, re.Match[str]]] = []
    pos = length = 0
    for m in pattern.finditer(marked):
        out.append(marked[pos : m.start()])
        length += m.start() - pos
        inner = m.group("text")
        spans.append((length, length + len(inner), m))
        out.append(inner)
        length += len(inner)
        pos = m.end()
    out.append(marked[pos:])
    return "".join(out), spans
