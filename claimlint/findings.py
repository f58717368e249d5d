"""What a lint run produces: findings with exact positions, per-market verdicts, input errors."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields
from dataclasses import field as dc_field
from enum import Enum
from typing import Final, Literal

Market = Literal["us", "eu", "uk"]
MARKETS: tuple[Market, ...] = ("us", "eu", "uk")

ProductType = Literal["cosmetic", "supplement"]
PRODUCT_TYPES: tuple[ProductType, ...] = ("cosmetic", "supplement")

Category = Literal[
    "disease",
    "structure_function",
    "prohibited_ingredient",
    "medical_procedure",
    "quantified",
    "absolute",
    "proof",
    "testimonial",
]
CATEGORIES: tuple[Category, ...] = (
    "disease",
    "structure_function",
    "prohibited_ingredient",
    "medical_procedure",
    "quantified",
    "absolute",
    "proof",
    "testimonial",
)


class Severity(str, Enum):
    """How serious a finding is in a market; ordered info < warning < error."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return SEVERITY_RANK[self]

    def lowered(self) -> Severity:
        """One step less severe (error → warning → info); info stays info."""
        return {Severity.ERROR: Severity.WARNING}.get(self, Severity.INFO)


SEVERITY_RANK = {  # info < warning < error
    Severity.INFO: 1,
    Severity.WARNING: 2,
    Severity.ERROR: 3,
}
_SEVERITY_VALUE = {s: s.value for s in Severity}


def worst_of(severities: Iterable[Severity]) -> Severity:
    """The most serious of some severities (at least one); ``rank`` without a call per item."""
    return max(severities, key=SEVERITY_RANK.__getitem__)


@dataclass(frozen=True)
class CitationRef:
    """A legal reference as a finding carries it."""

    id: str
    reference: str
    url: str


@dataclass(frozen=True)
class MarketVerdict:
    """What a finding means in one market."""

    severity: Severity
    citations: list[CitationRef]

    def said(self) -> VerdictSaid:
        """What the verdict says, as plain values: equal verdicts say the same (they are not always
        one object: findings read back from another process or another run)."""
        return (self.severity.value, tuple([(c.id, c.reference, c.url) for c in self.citations]))


# A verdict's severity, and its citations' ids, references and addresses.
VerdictSaid = tuple[str, tuple[tuple[str, str, str], ...]]


@dataclass(frozen=True)
class Quantity:
    """A number the claim rests on, parsed from the copy ("10,000 times" → 10000.0, "times")."""

    value: float
    unit: str
    text: str


@dataclass(frozen=True)
class Finding:
    """One claim in one place of one file, with what it means in each selected market.

    Lines and columns are 1-based and count characters (Unicode code points); ``end_line`` and
    ``end_column`` point just past the last character. ``start`` and ``end`` are 0-based character
    offsets into the file's decoded text (after a byte-order mark, if any). In a catalog, ``row``
    and ``field`` name the record and the field, and positions count within that field's text.
    """

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    start: int
    end: int
    text: str
    rule_id: str
    category: Category
    severity: Severity
    title: str
    message: str
    suggestion: str
    markets: dict[str, MarketVerdict]
    context: dict[str, str] = dc_field(default_factory=dict)
    quantity: Quantity | None = None
    row: str | None = None
    field: str | None = None
    row_line: int | None = None
    fingerprint: str = ""

    # Findings come back from worker processes by pickle, tens of thousands per second, and the
    # parent reads them on one of the cores the workers lint on. By default unpickling builds a
    # state dictionary and then copies its 21 items into a new instance dictionary; the instance
    # takes the state dictionary itself instead (reading back costs a third less). ``copy.copy``
    # would hand the original's own dictionary to the copy that way, so it has its own way.
    def __setstate__(self, state: dict[str, object]) -> None:
        object.__setattr__(self, "__dict__", state)

    def __copy__(self) -> Finding:
        twin: Finding = object.__new__(type(self))
        twin.__dict__.update(self.__dict__)
        return twin


FINDING_FIELDS: Final = tuple(f.name for f in fields(Finding))  # in order
_new = object.__new__


def build_finding(values: Sequence[object]) -> Finding:
    """The finding ``Finding(*values)`` makes (every field's value, in order), made the way pickle
    makes one: findings read back from the result cache come by the thousand, and a frozen
    dataclass's ``__init__`` sets each of 21 fields through ``object.__setattr__``, which costs
    ten times more (a test checks that both give the same, still frozen, finding). The engine
    hands a new finding a dictionary it has made whole (``_Draft.finding``)."""
    # Checked here: ``zip(..., strict=True)`` took 0.3 µs a finding to do it (a keyword argument
    # sends zip down a slow path).
    if len(values) != len(FINDING_FIELDS):
        raise ValueError(f"a finding has {len(FINDING_FIELDS)} fields, not {len(values)}")
    finding: Finding = _new(Finding)
    finding.__dict__.update(zip(FINDING_FIELDS, values))  # noqa: B905 - length checked above
    return finding


@dataclass(frozen=True)
class InputError:
    """A file that could not be linted, and why (one line)."""

    path: str
    message: str


@dataclass(frozen=True)
class UnusedSuppression:
    """A suppression comment or marker that silenced nothing."""

    path: str
    line: int
    text: str


@dataclass
class Tally:
    """Counts over every finding of a run, kept even when the findings themselves are streamed out."""

    total: int = 0
    by_severity: Counter[str] = dc_field(default_factory=Counter)
    by_category: Counter[str] = dc_field(default_factory=Counter)
    by_market: dict[str, Counter[str]] = dc_field(default_factory=dict)
    worst: Severity | None = None

    def add(self, finding: Finding) -> None:
        # Called once per finding, a million times on a big catalog: plain dict lookups, no
        # Enum.value (a descriptor call) and no Counter built only to be thrown away.
        self.total += 1
        value = _SEVERITY_VALUE
        self.by_severity[value[finding.severity]] += 1
        self.by_category[finding.category] += 1
        by_market = self.by_market
        for market, verdict in finding.markets.items():
            counter = by_market.get(market)
            if counter is None:
                counter = by_market[market] = Counter()
            counter[value[verdict.severity]] += 1
        if self.worst is None or SEVERITY_RANK[finding.severity] > SEVERITY_RANK[self.worst]:
            self.worst = finding.severity

    def merge(self, other: Tally) -> None:
        """Add the counts of another tally (of findings counted in another process)."""
        self.total += other.total
        self.by_severity.update(other.by_severity)
        self.by_category.update(other.by_category)
        for market, counts in other.by_market.items():
            self.by_market.setdefault(market, Counter()).update(counts)
        if other.worst is not None and (self.worst is None or SEVERITY_RANK[other.worst] > SEVERITY_RANK[self.worst]):
            self.worst = other.worst


@dataclass
class Report:
    """Everything one run produced: the files read, their findings and the inputs that failed.

    Add findings with :meth:`add`: it keeps the tally, passes each finding to the ``listeners``
    (streaming report writers) and keeps the finding itself unless ``keep_findings`` is false,
    so a million-row catalog can be reported without holding its findings.
    """

    findings: list[Finding] = dc_field(default_factory=list)
    files: list[str] = dc_field(default_factory=list)
    errors: list[InputError] = dc_field(default_factory=list)
    markets: list[str] = dc_field(default_factory=lambda: list(MARKETS))
    rows: int = 0  # catalog rows read
    unused_suppressions: list[UnusedSuppression] = dc_field(default_factory=list)
    notices: list[str] = dc_field(default_factory=list)  # e.g. binary files skipped while walking
    # The decoded text of each file, kept only when a report format shows the copy (text excerpts).
    texts: dict[str, str] = dc_field(default_factory=dict, repr=False)
    keep_findings: bool = True
    tally: Tally = dc_field(default_factory=Tally, repr=False)
    # See every finding (e.g. --write-baseline), then decide (e.g. --baseline), then stream it out.
    observers: list[Callable[[Finding], None]] = dc_field(default_factory=list, repr=False, compare=False)
    accept: Callable[[Finding], bool] | None = dc_field(default=None, repr=False, compare=False)
    listeners: list[Callable[[Finding], None]] = dc_field(default_factory=list, repr=False, compare=False)

    def __post_init__(self) -> None:
        for finding in self.findings:
            self.tally.add(finding)

    def add(self, finding: Finding) -> None:
        for observer in self.observers:
            observer(finding)
        if self.accept is not None and not self.accept(finding):
            return
        self.tally.add(finding)
        if self.keep_findings:
            self.findings.append(finding)
        for listener in self.listeners:
            listener(finding)

    def worst(self) -> Severity | None:
        """The highest severity among the findings, or None when there are none."""
        return self.tally.worst
