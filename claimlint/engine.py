"""Claims → findings: the market mapping, context decisions, selection and de-duplication."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

from claimlint.document import DocumentContext
from claimlint.findings import (
    CATEGORIES,
    MARKETS,
    PRODUCT_TYPES,
    Category,
    CitationRef,
    Finding,
    MarketVerdict,
    Quantity,
    Report,
    Severity,
    worst_of,
)
from claimlint.fingerprint import fingerprint
from claimlint.process import LINTING_GC_THRESHOLDS
from claimlint.rulebook import MarketRule, PacksStamp, Rule, Rulebook, cached_rulebook, packs_stamp
from claimlint.sources import Block, Source, source_from_text

if TYPE_CHECKING:
    from spacy.language import Language

    from claimlint.nlp.matcher import Candidate
    from claimlint.nlp.relevance import Relevance


class SettingsError(ValueError):
    """A setting that cannot be used (unknown market, rule or category); one line."""


@dataclass(frozen=True)
class Settings:
    """What to check for: markets, product type, which rules, extra rule packs."""

    markets: tuple[str, ...] = MARKETS
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    rules_dirs: tuple[Path, ...] = ()
    product_type: str = "cosmetic"

    def __reduce__(self) -> tuple[type[Settings], tuple[object, ...]]:
        # Settings travel to worker processes and Spark executors. Rebuilt through __init__: compiled
        # by mypyc, a frozen dataclass cannot be unpickled field by field.
        return (Settings, (self.markets, self.select, self.ignore, self.rules_dirs, self.product_type))


def warm_linter(settings: Settings) -> Linter:
    """One linter per process and settings, pipeline built: shared by the API, serve, Spark tasks
    and worker processes (forked workers inherit the parent's); rebuilt when a rule pack changes."""
    return _warm_linter(settings, packs_stamp(settings.rules_dirs))


@lru_cache(maxsize=16)
def _warm_linter(settings: Settings, stamp: PacksStamp) -> Linter:
    return Linter(settings).warm()


def freeze_heap() -> None:
    """For a process that exists to lint (the command line, ``serve``, the daemon), once its
    pipeline is built: move everything alive into the garbage collector's permanent generation
    (``gc.freeze``), and collect the young generation less often. The pipeline, lemma table and
    compiled packs are then never traversed again by a collection: linting is 5–10% faster, reading
    findings back from worker processes about 3× faster, and forked workers share those pages.
    Linting leaves no reference cycles (the doc–claims cycle is cut, a test checks), so the
    collector only ever finds live paragraphs and findings: one young collection per 50,000
    allocations instead of 700 takes another 10–13% off. Not for a library call: it would pin the
    caller's heap and change its collector."""
    import gc

    gc.freeze()
    gc.set_threshold(*LINTING_GC_THRESHOLDS)


def rule_matches(rule: Rule, selector: str) -> bool:
    """A selector is a category ("disease"), a rule id ("SF-COLLAGEN") or an id prefix ("SF")."""
    return rule_matches_id(rule.id, rule.category, selector)


def rule_matches_id(rule_id: str, category: str, selector: str) -> bool:
    sel = selector.strip()
    return sel.lower() == category or sel.upper() == rule_id or rule_id.startswith(sel.upper() + "-")


class Linter:
    """Lints text with one rulebook and settings; build once, call many times."""

    def __init__(self, settings: Settings | None = None, *, freeze_heap: bool = False) -> None:
        """``freeze_heap``: call :func:`freeze_heap` once the pipeline is built (the command line)."""
        self.freeze_heap = freeze_heap
        self.settings = settings = settings or Settings()
        unknown = [m for m in settings.markets if m not in MARKETS]
        if unknown or not settings.markets:
            raise SettingsError(f"unknown market {', '.join(unknown) or '(none)'}; choose from {', '.join(MARKETS)}")
        if settings.product_type not in PRODUCT_TYPES:
            raise SettingsError(
                f"unknown product type {settings.product_type!r}; choose from {', '.join(PRODUCT_TYPES)}"
            )
        # The rule packs now (a bad pack or selector fails at once); spaCy and the compiled
        # matchers when there is first copy to parse, so a run with nothing to check never pays.
        self.book = cached_rulebook(settings.rules_dirs)
        self._nlp: Language | None = None
        self._relevance: Relevance | None = None
        for selector in (*settings.select, *settings.ignore):
            if not any(rule_matches(rule, selector) for rule in self.book.rules):
                raise SettingsError(
                    f"unknown rule or category {selector!r} (categories: {', '.join(CATEGORIES)}; see `claimlint rules`)"
                )
        self._verdicts: dict[tuple[Severity, tuple[str, ...]], MarketVerdict] = {}
        self._mappings: dict[tuple[str, str], dict[str, MarketRule]] = {}  # per rule and product type
        self.active = frozenset(
            rule.id
            for rule in self.book.rules
            if (not settings.select or any(rule_matches(rule, s) for s in settings.select))
            and not any(rule_matches(rule, s) for s in settings.ignore)
        )

    @property
    def rulebook(self) -> Rulebook:
        return self.book

    @property
    def nlp(self) -> Language:
        """The spaCy pipeline with the compiled rule packs (built on first use, cached per process)."""
        if self._nlp is None:
            from claimlint.nlp.pipeline import get_pipeline, relevance

            _, self._nlp = get_pipeline(self.settings.rules_dirs)
            self._relevance = relevance(self._nlp)
            if self.freeze_heap:
                freeze_heap()
        return self._nlp

    def warm(self) -> Linter:
        """Build the pipeline now (before forking workers, or before the first request)."""
        self.nlp  # noqa: B018
        return self

    @property
    def relevance(self) -> Relevance:
        if self._relevance is None:
            self.nlp  # noqa: B018 - builds both
        assert self._relevance is not None
        return self._relevance

    def lint_source(self, source: Source, product_type: str | None = None) -> list[Finding]:
        """Findings for one source; ``product_type`` overrides the source's and the settings'."""
        if product_type is not None:
            source.product_type = product_type
        return next(self.lint_many([source]))[1]

    def lint_many(self, sources: Iterable[Source], chunk: int = 512) -> Iterator[tuple[Source, list[Finding]]]:
        """Findings per source for a stream of sources (catalog fields, many files), in order.

        Sources are taken ``chunk`` at a time and all their blocks go through one ``nlp.pipe``,
        so ten thousand one-line fields cost about what one long document does, in bounded memory.
        """
        stream = iter(sources)
        while True:
            batch = list(islice(stream, chunk))
            if not batch:
                return
            found: list[list[_Draft]] = [[] for _ in batch]
            if not any(src.blocks for src in batch):
                yield from ((source, []) for source in batch)
                continue
            # A block in which no rule can match anywhere (most catalog rows, most paragraphs) is
            # never parsed: the test is exact, see claimlint.nlp.relevance.
            may_match = self.relevance.text_may_match
            items = (
                (block.text, (i, block)) for i, src in enumerate(batch) for block in src.blocks if may_match(block.text)
            )
            from claimlint.nlp.matcher import get_claims, set_claims

            for doc, (i, block) in self.nlp.pipe(items, as_tuples=True, batch_size=256):
                source = batch[i]
                claims = get_claims(doc) or []
                # The claims point back at the doc (through their sentences): a cycle that only
                # the garbage collector could free, after walking every doc still waiting for it.
                # Cut, the doc goes as soon as its findings are made.
                set_claims(doc, None)
                for cand in claims:
                    if cand.rule.id not in self.active:
                        continue
                    ptype = source.product_type or self.settings.product_type
                    draft = self._draft(source, block, cand, source.document, ptype)
                    if draft is not None:
                        found[i].append(draft)
            for i, source in enumerate(batch):
                # Fingerprints and findings only for the drafts that survive de-duplication (on
                # claim-dense copy one in six does not).
                findings = [draft.finding(source) for draft in _dedupe(found[i])]
                yield source, self._unsuppressed(source, findings)

    def _unsuppressed(self, source: Source, findings: list[Finding]) -> list[Finding]:
        if not source.suppressions:
            return findings
        kept = []
        for f in findings:
            hit = False
            for s in source.suppressions:
                if s.covers(f.rule_id, f.category, f.line):
                    s.used = hit = True
            if not hit:
                kept.append(f)
        return kept

    def lint_text(self, text: str, path: str = "<text>", product_type: str | None = None) -> list[Finding]:
        return self.lint_source(source_from_text(path, text), product_type)

    def lint_paths(self, paths: Iterable[Path | str], *, keep_text: bool = False) -> Report:
        """Lint files (and directories, walked); unreadable ones become :class:`InputError` entries."""
        from claimlint.runner import RunOptions, run

        return run(self, [str(p) for p in paths], RunOptions(keep_text=keep_text))

    def _verdict(self, severity: Severity, cite_ids: tuple[str, ...]) -> MarketVerdict:
        """Verdicts are immutable and few: share one object per (severity, citations) — a catalog
        with a million findings would otherwise hold three million copies."""
        key = (severity, cite_ids)
        verdict = self._verdicts.get(key)
        if verdict is None:
            cites = [self.book.citations[c] for c in cite_ids]
            verdict = MarketVerdict(severity, [CitationRef(c.id, c.reference, c.url) for c in cites])
            self._verdicts[key] = verdict
        return verdict

    def _draft(
        self, source: Source, block: Block, cand: Candidate, document: DocumentContext, product_type: str
    ) -> _Draft | None:
        rule = cand.rule
        ctx = dict(cand.context)
        if "hedged" in ctx and rule.appearance_hedge:
            return None
        if ctx.get("question") == "answered no" or "attributed" in ctx:
            return None
        doc = cand.view.sent.doc
        start = block.source_start(doc[cand.start].idx)
        last = doc[cand.end - 1]
        end = block.source_end(last.idx + len(last.text))
        mappings = self._mappings.get((rule.id, product_type))
        if mappings is None:
            mappings = {m: rule.mapping(m, product_type) for m in self.settings.markets}
            self._mappings[(rule.id, product_type)] = mappings
        if "negated" in ctx:
            # A negated claim is no claim, but a "free from" a banned ingredient may still be noted.
            mappings = {m: rule.negated[m] for m in self.settings.markets if m in rule.negated}
            if not mappings:
                return None
        footnote = None
        if rule.category in ("quantified", "proof"):
            note = document.footnote_at(start)
            if note is not None and note.describes_study:
                return None  # the study description itself is the evidence, not a claim
            marker = ctx.pop("footnote_marker", None)
            footnote = document.footnotes.get(marker) if marker else None
            if footnote is not None:
                ctx["substantiation" if footnote.describes_study else "footnote"] = footnote.text[:240]
        markets: dict[str, MarketVerdict] = {}
        severities: list[Severity] = []
        for market, mapping in mappings.items():
            severity = mapping.severity
            cite_ids = list(mapping.cite)
            if product_type == "supplement" and mapping.disclaimed is not None and document.has_supplement_disclaimer:
                severity = mapping.disclaimed
                ctx["disclaimer"] = "FDA supplement disclaimer present"
            if ctx.get("question") not in (None, "answered yes"):
                severity = severity.lowered()
            if "substantiation" in ctx:
                severity = severity.lowered()
            if "testimonial" in ctx:
                cite_ids += [c for c in self.book.testimonial_citations.get(market, []) if c not in cite_ids]
            markets[market] = self._verdict(severity, tuple(cite_ids))
            severities.append(severity)
        line, column = source.lines.position(start)
        end_line, end_column = source.lines.position(end)
        quantity = None
        if cand.quantity is not None:
            q = cand.quantity
            words = cand.view
            q_start = doc[words.tokens[q.start]].idx
            q_last = doc[words.tokens[q.end - 1]]
            # The doc was made from the block's text (``doc.text`` would rebuild it token by token).
            quantity = Quantity(q.value, q.unit or "number", block.text[q_start : q_last.idx + len(q_last.text)])
        return _Draft(
            start,
            end,
            rule.category,
            rule.id,
            (block.source_start(0), block.source_end(len(block.text))),
            (  # in the order of Finding's fields (FindingFields)
                source.path,
                line,
                column,
                end_line,
                end_column,
                start,
                end,
                source.text[start:end],
                rule.id,
                rule.category,
                worst_of(severities),
                rule.title,
                rule.message,
                rule.suggestion,
                markets,
                ctx,
                quantity,
                source.row,
                source.field,
                source.row_line,
            ),
        )


# Finding's fields in order, but the fingerprint.
FindingFields = tuple[
    str, int, int, int, int, int, int, str, str, Category, Severity, str, str, str,
    dict[str, MarketVerdict], dict[str, str], Quantity | None, str | None, str | None, int | None,
]  # fmt: skip


class _Draft:
    """A finding before de-duplication: where it is and what it will hold, without a fingerprint."""

    def __init__(
        self, start: int, end: int, category: str, rule_id: str, bounds: tuple[int, int], fields: FindingFields
    ) -> None:
        self.start = start
        self.end = end
        self.category = category
        self.rule_id = rule_id
        self.bounds = bounds  # of the paragraph, in the source: the fingerprint's context stops there
        self.fields = fields

    def finding(self, source: Source) -> Finding:
        # Positional, in the order of Finding's fields, the fingerprint last.
        return Finding(
            *self.fields,
            fingerprint(
                source.path, self.rule_id, source.text, self.start, self.end, source.row, source.field, self.bounds
            ),
        )


def _dedupe(findings: Sequence[_Draft]) -> list[_Draft]:
    """One finding per claim and category.

    Of overlapping hits of one rule keep the longest; of a category's hits where one span lies
    inside another, keep the wider (on a tie, the first rule of the pack); a structure/function hit
    starting where a disease hit starts gives way to it. A sweep in start order
    compares each finding only with the kept ones still open at its start.
    """
    # A structure/function reading that starts at the same word as a disease claim is the weaker
    # reading of the same words ("reduces the redness and swelling of acne").
    disease_starts = {f.start for f in findings if f.category == "disease"}
    findings = [f for f in findings if not (f.category == "structure_function" and f.start in disease_starts)]
    ordered = sorted(findings, key=lambda f: (f.start, -(f.end - f.start)))
    kept: list[_Draft] = []
    open_: list[_Draft] = []
    for f in ordered:
        open_ = [k for k in open_ if k.end > f.start]
        if any((k.category == f.category and f.end <= k.end) or k.rule_id == f.rule_id for k in open_):
            continue
        kept.append(f)
        open_.append(f)
    return sorted(kept, key=lambda f: (f.start, f.end, f.rule_id))


def severity_at_least(severity: Severity, threshold: Severity) -> bool:
    return severity.rank >= threshold.rank
