"""Rule packs as data: what a rule is, and the rulebook of every pack loaded.

A rule pack is a YAML file with any of these top-level keys:

``citations``     legal references, each once (``rules/citations.yaml``)
``vocabularies``  named term lists that rules share (``@name`` in a term)
``defaults``      fields every rule of the pack inherits unless it sets them (``category``, ``markets``…)
``rules``         the rules

A pack is read and checked against its schema (:mod:`claimlint.rule_schema`: pydantic models,
strict) and every mistake is reported as one :class:`RuleFileError` line naming the file, the rule
and the field. What the check gives is made of the plain classes below, which is what the disk
cache keeps: a run whose packs come from the cache imports no pydantic (pydantic's import and the
models were a seventh of a fresh check's instructions).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

from claimlint.findings import CATEGORIES, Category, Market, Severity
from claimlint.packs import PacksStamp, RuleFileError, builtin_rules_dir, cache_dirs, packs_stamp, resolved

RULE_ID_RE = r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$"
VOCAB_NAME_RE = r"^[a-z][a-z0-9_]*$"

# Each class has the fields of its model in claimlint.rule_schema, in the same order and with the
# same types (tests/test_rulebook.py holds them to it); the constraints, defaults' checks and
# error messages are the schema's.


@dataclass(frozen=True, kw_only=True)
class Citation:
    """One legal reference, written once and cited by id."""

    id: str
    jurisdiction: Market
    instrument: str
    article: str = ""
    url: str
    summary: str

    @property
    def reference(self) -> str:
        return f"{self.instrument}, {self.article}" if self.article else self.instrument


# --- patterns (one class per matcher kind; the kind's code lives in claimlint/nlp/kinds/) -------


@dataclass(frozen=True, kw_only=True)
class _PatternBase:
    unless: list[str] = field(default_factory=list)  # terms that cancel a match nearby
    unless_window: int = 3


@dataclass(frozen=True, kw_only=True)
class PhrasePattern(_PatternBase):
    """Any of the terms, as a run of words."""

    kind: Literal["phrase"]
    terms: list[str]


@dataclass(frozen=True, kw_only=True)
class VerbObjectPattern(_PatternBase):
    """A verb (or its noun form) acting on an object: "stimulates … collagen", "collagen stimulation"."""

    kind: Literal["verb_object"]
    verbs: list[str]
    objects: list[str]
    window: int = 6
    reverse_window: int = 2


@dataclass(frozen=True, kw_only=True)
class NearPattern(_PatternBase):
    """Two terms close together in either order: "exosomes … human tissue", "human stem-cell exosomes"."""

    kind: Literal["near"]
    terms: list[str]
    near: list[str]
    window: int = 6


Pattern = PhrasePattern | VerbObjectPattern | NearPattern


# --- rules -----------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class MarketRule:
    """What a rule's claim means in one market."""

    severity: Severity
    cite: list[str]
    disclaimed: Severity | None = None  # severity when the document carries the FDA supplement disclaimer


@dataclass(frozen=True, kw_only=True)
class Markets:
    us: MarketRule
    eu: MarketRule
    uk: MarketRule

    def get(self, market: str) -> MarketRule:
        rule: MarketRule = getattr(self, market)
        return rule


@dataclass(frozen=True, kw_only=True)
class Examples:
    """Copy that must flag (``[[…]]`` marks the expected span), copy that must pass, known misses."""

    flag: list[str]
    pass_: list[str]  # "pass" in a pack
    todo: list[str] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class Rule:
    """A detector for one kind of claim, with what it means in each market and how to fix it."""

    id: str
    category: Category
    title: str
    since: str = "0.1.0"
    match: list[Pattern]
    message: str
    rationale: str
    suggestion: str
    markets: Markets
    appearance_hedge: bool = False  # an appearance hedge ("the look of", "visibly") turns the claim cosmetic
    negatable: bool = True  # a negation before the claim cancels it
    supplement: dict[Market, MarketRule] = field(default_factory=dict)  # when the product is a dietary supplement
    negated: dict[Market, MarketRule] = field(default_factory=dict)  # markets where "free from …" still gets a note
    examples: Examples

    def mapping(self, market: str, product_type: str = "cosmetic") -> MarketRule:
        """The market mapping for this product type (supplement overrides fall back to the default)."""
        if product_type == "supplement" and market in self.supplement:
            return self.supplement[market]
        return self.markets.get(market)


@dataclass(frozen=True, kw_only=True)
class Vocabulary:
    description: str
    terms: list[str]


# --- the loaded book -------------------------------------------------------------------------


@dataclass
class Rulebook:
    """Every rule, citation and vocabulary from the built-in packs plus the user's own."""

    rules: list[Rule] = field(default_factory=list)
    citations: dict[str, Citation] = field(default_factory=dict)
    vocabularies: dict[str, Vocabulary] = field(default_factory=dict)
    # Added to a claim found in a testimonial (first person or quoted): the endorsement rules.
    testimonial_citations: dict[str, list[str]] = field(default_factory=dict)
    sources: dict[str, Path] = field(default_factory=dict)  # rule id / vocabulary name → file

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id.upper():
                return rule
        raise KeyError(rule_id)


def cached_rulebook(extra_dirs: tuple[Path, ...] = ()) -> Rulebook:
    """The rulebook of the built-in packs plus ``extra_dirs``, loaded once per process and again
    when a pack file changes."""
    dirs = resolved(extra_dirs)
    return rulebook_for(dirs, packs_stamp(dirs))


@lru_cache(maxsize=8)
def rulebook_for(extra_dirs: tuple[Path, ...], stamp: PacksStamp) -> Rulebook:
    """The rulebook of the built-in packs plus ``extra_dirs`` (resolved), as stamped ``stamp``."""
    # Between runs too: a pickled rulebook loads in 3 ms; the YAML read and checked takes 20 ms,
    # and importing pydantic and building the validators that check it 90-100 ms more. What is
    # kept is plain classes, whatever pydantic's version.
    from claimlint import diskcache

    key = (cache_dirs(extra_dirs), stamp)
    return diskcache.remember("rulebook", key, lambda: load_rulebook(extra_dirs))


def load_rulebook(extra_dirs: tuple[Path, ...] = (), *, builtin: bool = True) -> Rulebook:
    """Load and cross-check the built-in packs and ``extra_dirs``; raise :class:`RuleFileError`."""
    from claimlint.rule_schema import read_rulebook

    return read_rulebook(([builtin_rules_dir()] if builtin else []) + [Path(d) for d in extra_dirs])


__all__ = [
    "CATEGORIES",
    "RULE_ID_RE",
    "VOCAB_NAME_RE",
    "PacksStamp",  # these three live in claimlint.packs, and are kept here for code that took them here
    "builtin_rules_dir",
    "packs_stamp",
    "Citation",
    "Examples",
    "MarketRule",
    "Markets",
    "NearPattern",
    "Pattern",
    "PhrasePattern",
    "Rule",
    "RuleFileError",
    "Rulebook",
    "VerbObjectPattern",
    "Vocabulary",
    "builtin_rules_dir",
    "load_rulebook",
]
