"""Accuracy on labeled copy: precision, recall and F1 per category (``claimlint eval``).

A corpus file has one example per line; ``[[claim words|category]]`` marks a claim (``a/b``: either
category is right); a line starting with ``{supplement}`` is supplement copy; ``#`` starts a comment.

A finding is a true positive when it overlaps a marked claim that allows its category; a marked
claim is found when some finding of an allowed category overlaps it. A claim found inside a
testimonial (``context.testimonial``) counts as a testimonial too. Recall counts a claim under its
first category, precision a finding under its own category.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from claimlint.engine import Linter
from claimlint.findings import CATEGORIES, PRODUCT_TYPES, Finding
from claimlint.marks import CORPUS, unmark

_TYPE = re.compile(r"^\{(?P<type>[a-z]+)\}\s*")


class CorpusError(ValueError):
    """A corpus line that cannot be read; the message names file and line."""


@dataclass(frozen=True)
class Gold:
    start: int
    end: int
    categories: tuple[str, ...]


@dataclass(frozen=True)
class Example:
    path: str
    line: int
    text: str
    product_type: str
    gold: tuple[Gold, ...]


@dataclass
class Counts:
    gold: int = 0
    found: int = 0  # gold claims found (recall numerator)
    predicted: int = 0
    correct: int = 0  # predictions that hit an allowed gold claim (precision numerator)

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Evaluation:
    overall: Counts = field(default_factory=Counts)
    by_category: dict[str, Counts] = field(default_factory=lambda: {c: Counts() for c in CATEGORIES})
    examples: int = 0
    words: int = 0
    seconds: float = 0.0
    clean_examples: int = 0
    clean_flagged: int = 0
    misses: list[tuple[Example, Gold]] = field(default_factory=list)
    false_alarms: list[tuple[Example, Finding]] = field(default_factory=list)


def read_corpus(path: Path) -> list[Example]:
    examples = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        product_type = "cosmetic"
        m = _TYPE.match(line)
        if m:
            product_type = m.group("type")
            if product_type not in PRODUCT_TYPES:
                raise CorpusError(f"{path}:{number}: unknown product type {{{product_type}}}")
            line = line[m.end() :]
        text, spans = unmark(line, CORPUS)
        gold: list[Gold] = []
        for start, end, mark in spans:
            cats = tuple(mark.group("cats").split("/"))
            for cat in cats:
                if cat not in CATEGORIES:
                    raise CorpusError(f"{path}:{number}: unknown category {cat!r}")
            gold.append(Gold(start, end, cats))
        if "[[" in text or "]]" in text:
            raise CorpusError(f"{path}:{number}: unbalanced [[…]] mark (write [[words|category]])")
        examples.append(Example(str(path), number, text, product_type, tuple(gold)))
    return examples


def categories_of(finding: Finding) -> set[str]:
    """A claim found inside a testimonial counts as its own category and as a testimonial."""
    cats: set[str] = {finding.category}
    if "testimonial" in finding.context:
        cats.add("testimonial")
    return cats


def evaluate(linter: Linter, examples: Iterable[Example]) -> Evaluation:
    ev = Evaluation()
    for ex in examples:
        ev.examples += 1
        ev.words += len(ex.text.split())
        started = time.perf_counter()
        findings = linter.lint_text(ex.text, path=ex.path, product_type=ex.product_type)
        ev.seconds += time.perf_counter() - started
        if not ex.gold:
            ev.clean_examples += 1
            ev.clean_flagged += bool(findings)
        for g in ex.gold:
            hit = any(
                not categories_of(f).isdisjoint(g.categories) and f.start < g.end and g.start < f.end for f in findings
            )
            for counts in (ev.overall, ev.by_category[g.categories[0]]):
                counts.gold += 1
                counts.found += hit
            if not hit:
                ev.misses.append((ex, g))
        for f in findings:
            ok = any(
                not categories_of(f).isdisjoint(g.categories) and f.start < g.end and g.start < f.end for g in ex.gold
            )
            for counts in (ev.overall, ev.by_category[f.category]):
                counts.predicted += 1
                counts.correct += ok
            if not ok:
                ev.false_alarms.append((ex, f))
    return ev


def render(ev: Evaluation, name: str, show_errors: bool = False) -> str:
    rows = [f"{name}: {ev.examples} examples, {ev.overall.gold} marked claims, {ev.clean_examples} clean examples"]
    rows.append(
        f"{'category':<22}{'claims':>7}{'found':>7}{'flagged':>8}{'right':>7}{'precision':>11}{'recall':>8}{'F1':>7}"
    )
    for cat, c in [*ev.by_category.items(), ("overall", ev.overall)]:
        if cat == "overall":
            rows.append("-" * 77)
        rows.append(
            f"{cat:<22}{c.gold:>7}{c.found:>7}{c.predicted:>8}{c.correct:>7}{c.precision:>11.3f}{c.recall:>8.3f}{c.f1:>7.3f}"
        )
    rows.append(f"clean examples flagged: {ev.clean_flagged} of {ev.clean_examples}")
    if ev.seconds:
        rows.append(
            f"speed: {ev.words:,} words in {ev.seconds:.2f} s = {ev.words / ev.seconds:,.0f} words/s (one example per call)"
        )
    if show_errors:
        for ex, g in ev.misses:
            rows.append(
                f"MISS  {ex.path}:{ex.line} [{'/'.join(g.categories)}] {ex.text[g.start : g.end]!r} in {ex.text!r}"
            )
        for ex, f in ev.false_alarms:
            rows.append(f"FALSE {ex.path}:{ex.line} {f.rule_id} [{f.category}] {f.text!r} in {ex.text!r}")
    return "\n".join(rows)
