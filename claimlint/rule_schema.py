"""The schema of a rule pack: pydantic models, strict, that a pack's YAML is checked against.

Imported only to read packs (a run whose rulebook comes from the disk cache never imports it, nor
pydantic). What a check gives is made of :mod:`claimlint.rulebook`'s plain classes, one per model
here, with the same fields: :func:`read_rulebook` converts each model it checked.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from claimlint import rulebook as plain
from claimlint.findings import CATEGORIES, MARKETS, Category, Market, Severity
from claimlint.packs import RuleFileError
from claimlint.rulebook import RULE_ID_RE, VOCAB_NAME_RE, Rulebook


class _Strict(BaseModel):
    # Validators are built when a pack is first checked, not at import: what only reads the models'
    # fields (an unknown kind's message, the tests) builds none.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


# --- citations -------------------------------------------------------------------------------


class Citation(_Strict):
    """One legal reference, written once and cited by id."""

    id: Annotated[str, Field(pattern=r"^(US|EU|UK)-[A-Z0-9.\-]+$")]
    jurisdiction: Market
    instrument: str
    article: str = ""
    url: Annotated[str, Field(pattern=r"^https://")]
    summary: str


# --- patterns (one model per matcher kind) ---------------------------------------------------


class _PatternBase(_Strict):
    unless: list[str] = Field(default_factory=list, description="terms that cancel a match nearby")
    unless_window: Annotated[int, Field(ge=0, le=20)] = 3


class PhrasePattern(_PatternBase):
    """Any of the terms, as a run of words."""

    kind: Literal["phrase"]
    terms: Annotated[list[str], Field(min_length=1)]


class VerbObjectPattern(_PatternBase):
    """A verb (or its noun form) acting on an object: "stimulates … collagen", "collagen stimulation"."""

    kind: Literal["verb_object"]
    verbs: Annotated[list[str], Field(min_length=1)]
    objects: Annotated[list[str], Field(min_length=1)]
    window: Annotated[int, Field(ge=0, le=20)] = 6
    reverse_window: Annotated[int, Field(ge=0, le=20)] = 2


class NearPattern(_PatternBase):
    """Two terms close together in either order: "exosomes … human tissue", "human stem-cell exosomes"."""

    kind: Literal["near"]
    terms: Annotated[list[str], Field(min_length=1)]
    near: Annotated[list[str], Field(min_length=1)]
    window: Annotated[int, Field(ge=0, le=20)] = 6


Pattern = Annotated[PhrasePattern | VerbObjectPattern | NearPattern, Field(discriminator="kind")]


# --- rules -----------------------------------------------------------------------------------


class MarketRule(_Strict):
    """What a rule's claim means in one market."""

    severity: Severity
    cite: Annotated[list[str], Field(min_length=1)]
    disclaimed: Severity | None = Field(
        default=None, description="severity when the document carries the FDA supplement disclaimer"
    )


class Markets(_Strict):
    us: MarketRule
    eu: MarketRule
    uk: MarketRule


class Examples(_Strict):
    """Copy that must flag (``[[…]]`` marks the expected span), copy that must pass, known misses."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)

    flag: Annotated[list[str], Field(min_length=1)]
    pass_: Annotated[list[str], Field(min_length=1, alias="pass")]
    todo: list[str] = Field(default_factory=list)


class Rule(_Strict):
    """A detector for one kind of claim, with what it means in each market and how to fix it."""

    id: Annotated[str, Field(pattern=RULE_ID_RE)]
    category: Category
    title: str
    since: Annotated[str, Field(pattern=r"^\d+\.\d+\.\d+$")] = "0.1.0"
    match: Annotated[list[Pattern], Field(min_length=1)]
    message: str
    rationale: str
    suggestion: str
    markets: Markets
    appearance_hedge: bool = Field(
        default=False,
        description="an appearance hedge ('the look of', 'visibly') turns the claim cosmetic",
    )
    negatable: bool = Field(default=True, description="a negation before the claim cancels it")
    supplement: dict[Market, MarketRule] = Field(
        default_factory=dict, description="per-market mapping when the product is a dietary supplement"
    )
    negated: dict[Market, MarketRule] = Field(
        default_factory=dict, description="markets where the negated claim is still worth a note ('free from')"
    )
    examples: Examples


class PackDefaults(_Strict):
    """Fields a pack's rules inherit; a rule's own value wins (per market for ``markets``)."""

    category: Category | None = None
    markets: dict[Market, MarketRule] = Field(default_factory=dict)
    supplement: dict[Market, MarketRule] = Field(default_factory=dict)
    negated: dict[Market, MarketRule] = Field(default_factory=dict)
    appearance_hedge: bool | None = None
    negatable: bool | None = None


class Vocabulary(_Strict):
    description: str
    terms: Annotated[list[str], Field(min_length=1)]


class _PackFile(_Strict):
    citations: list[Citation] = Field(default_factory=list)
    vocabularies: dict[str, Vocabulary] = Field(default_factory=dict)
    defaults: PackDefaults | None = None
    testimonial_citations: dict[Market, list[str]] = Field(default_factory=dict)
    rules: list[dict[str, Any]] = Field(default_factory=list)

    @field_validator("vocabularies")
    @classmethod
    def _vocab_names(cls, value: dict[str, Vocabulary]) -> dict[str, Vocabulary]:
        for name in value:
            if not re.match(VOCAB_NAME_RE, name):
                raise ValueError(f"vocabulary name {name!r} must match {VOCAB_NAME_RE}")
        return value


# The plain class of each model: what a checked pack is made of at run time.
_PLAIN: dict[type[BaseModel], type] = {
    Citation: plain.Citation,
    PhrasePattern: plain.PhrasePattern,
    VerbObjectPattern: plain.VerbObjectPattern,
    NearPattern: plain.NearPattern,
    MarketRule: plain.MarketRule,
    Markets: plain.Markets,
    Examples: plain.Examples,
    Rule: plain.Rule,
    Vocabulary: plain.Vocabulary,
}


def to_plain(value: Any) -> Any:
    """``value`` with every model in it (in lists and dicts too) made its plain class."""
    if isinstance(value, BaseModel):
        fields = {name: to_plain(getattr(value, name)) for name in type(value).model_fields}
        return _PLAIN[type(value)](**fields)
    if isinstance(value, list):
        return [to_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: to_plain(item) for key, item in value.items()}
    return value


def read_rulebook(dirs: list[Path]) -> Rulebook:
    """Read and cross-check the packs of ``dirs``, in order; raise :class:`RuleFileError`."""
    book = Rulebook()
    pending: list[tuple[Path, PackDefaults | None, list[dict[str, Any]]]] = []
    for directory in dirs:
        if not directory.exists():
            raise RuleFileError(f"{directory}: rules directory does not exist")
        if not directory.is_dir():
            raise RuleFileError(f"{directory}: expected a directory of rule packs, got a file")
        for path in sorted(directory.glob("*.y*ml")):
            pack = _read_pack(path)
            for citation in pack.citations:
                if citation.id in book.citations:
                    raise RuleFileError(f"{path}: citation {citation.id}: id: defined twice")
                book.citations[citation.id] = to_plain(citation)
            for market, cites in pack.testimonial_citations.items():
                book.testimonial_citations.setdefault(market, []).extend(cites)
                book.sources[f"testimonial_citations.{market}"] = path
            for name, vocab in pack.vocabularies.items():
                if name in book.vocabularies:
                    raise RuleFileError(f"{path}: vocabulary {name}: defined twice")
                book.vocabularies[name] = to_plain(vocab)
                book.sources[f"@{name}"] = path
            pending.append((path, pack.defaults, pack.rules))
    for market_id, cites in book.testimonial_citations.items():
        where = book.sources[f"testimonial_citations.{market_id}"]
        for i, cite in enumerate(cites):
            _check_citation(f"{where}: testimonial_citations.{market_id}[{i}]", cite, market_id, book.citations)
    seen: set[str] = set()
    for path, defaults, raw_rules in pending:
        for index, raw in enumerate(raw_rules):
            rule: plain.Rule = to_plain(_validate_rule(path, index, raw, defaults))
            if rule.id in seen:
                raise RuleFileError(f"{path}: rule {rule.id}: id: defined twice")
            seen.add(rule.id)
            _check_citations(path, rule, book.citations)
            book.rules.append(rule)
            book.sources[rule.id] = path
    # Listed (and tie-broken) in the order of the categories, then as written in the packs.
    book.rules.sort(key=lambda r: CATEGORIES.index(r.category))
    return book


def _read_pack(path: Path) -> _PackFile:
    import yaml  # here, not at the top: a run whose packs come from the disk cache never needs it

    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise RuleFileError(f"{path}: not valid YAML{where}: {problem}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleFileError(f"{path}: cannot read: {exc}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise RuleFileError(f"{path}: top level must be a mapping with rules, citations, vocabularies or defaults")
    try:
        return _PackFile.model_validate(data)
    except ValidationError as exc:
        raise RuleFileError(f"{path}: {_describe(exc, data)}") from None


def _validate_rule(path: Path, index: int, raw: Any, defaults: PackDefaults | None) -> Rule:
    if not isinstance(raw, dict):
        raise RuleFileError(f"{path}: rule #{index + 1}: must be a mapping")
    name = raw.get("id") if isinstance(raw.get("id"), str) else f"#{index + 1}"
    merged = dict(raw)
    if defaults is not None:
        for key in ("category", "appearance_hedge", "negatable"):
            value = getattr(defaults, key)
            if value is not None:
                merged.setdefault(key, value)
        for key in ("markets", "supplement", "negated"):
            inherited: dict[str, MarketRule] = getattr(defaults, key)
            own = merged.get(key)
            if inherited and (own is None or isinstance(own, dict)):
                combined: dict[str, Any] = {m: r.model_dump(exclude_none=True) for m, r in inherited.items()}
                combined.update(own or {})
                merged[key] = combined
    try:
        return Rule.model_validate(merged)
    except ValidationError as exc:
        raise RuleFileError(f"{path}: rule {name}: {_describe(exc, merged)}") from None


def _check_citations(path: Path, rule: plain.Rule, citations: dict[str, plain.Citation]) -> None:
    mappings: list[tuple[str, str, plain.MarketRule]] = [("markets", m, rule.markets.get(m)) for m in MARKETS]
    mappings += [("supplement", m, r) for m, r in rule.supplement.items()]
    mappings += [("negated", m, r) for m, r in rule.negated.items()]
    for key, market, mapping in mappings:
        for i, cite in enumerate(mapping.cite):
            _check_citation(f"{path}: rule {rule.id}: {key}.{market}.cite[{i}]", cite, market, citations)


def _check_citation(where: str, cite: str, market: str, citations: dict[str, plain.Citation]) -> None:
    citation = citations.get(cite)
    if citation is None:
        raise RuleFileError(f"{where}: unknown citation id {cite!r}")
    if citation.jurisdiction != market:
        raise RuleFileError(f"{where}: {cite} is a {citation.jurisdiction} reference, not {market}")


def _describe(exc: ValidationError, data: Any) -> str:
    """The first validation error as 'field.path: message', plus how many more there are."""
    errors = exc.errors(include_url=False)
    first = errors[0]
    loc = ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in first["loc"]).replace(".[", "[")
    loc = loc.replace("pass_", "pass")
    message = first["msg"]
    if first["type"] == "extra_forbidden":
        message = "unknown key (misspelt?)"
    elif first["type"] == "missing":
        message = "required field is missing"
    elif first["type"] == "union_tag_invalid":
        message = f"unknown kind; expected one of: {', '.join(_kinds())}"
    more = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{loc or '(top level)'}: {message}{more}"


def _kinds() -> list[str]:
    return [get_args(m.model_fields["kind"].annotation)[0] for m in get_args(get_args(Pattern)[0])]
