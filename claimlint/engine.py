"""Claims → findings: the market mapping, context decisions, selection and de-duplication."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Final, TypeVar

from claimlint.findings import (
    CATEGORIES,
    FINDING_FIELDS,
    MARKETS,
    PRODUCT_TYPES,
    SEVERITY_RANK,
    Category,
    CitationRef,
    Finding,
    MarketVerdict,
    Quantity,
    Report,
    Severity,
)
from claimlint.fingerprint import fingerprint
from claimlint.packs import PacksStamp, packs_stamp, resolved, stamped_index
from claimlint.process import LINTING_GC_THRESHOLDS
from claimlint.sources import Block, Source, source_from_text

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from claimlint.document import Footnote
    from claimlint.nlp.matcher import Candidate
    from claimlint.nlp.pipeline import ClaimPipeline
    from claimlint.nlp.relevance import Relevance
    from claimlint.rulebook import MarketRule, Rule, Rulebook


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


def rule_matches_id(rule_id: str, category: str, selector: str) -> bool:
    """A selector is a category ("disease"), a rule id ("SF-COLLAGEN") or an id prefix ("SF")."""
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
        # The rule packs' index now (a bad pack or selector fails at once), and the stamp of the
        # pack files it was read from; the rules themselves when first needed (a run answered from
        # kept findings never reads them); spaCy and the compiled matchers when there is first
        # copy to parse, so a run with nothing to check never pays.
        index, self.packs = stamped_index(settings.rules_dirs)
        self._book: Rulebook | None = None
        self._pipeline: ClaimPipeline | None = None
        self._relevance: Relevance | None = None
        for selector in (*settings.select, *settings.ignore):
            if not any(rule_matches_id(rule_id, category, selector) for rule_id, category in index):
                raise SettingsError(
                    f"unknown rule or category {selector!r} (categories: {', '.join(CATEGORIES)}; see `claimlint rules`)"
                )
        # The most characters of copy parsed as one doc (blocks joined, see _packs); 0 or 1
        # parses every block alone, with the same findings.
        self.doc_chars = DOC_CHARS
        self._verdicts: dict[tuple[Severity, tuple[str, ...]], MarketVerdict] = {}
        self._plans: dict[str, dict[str, _RulePlan | None]] = {}  # per product type and rule
        self.active = frozenset(
            rule_id
            for rule_id, category in index
            if (not settings.select or any(rule_matches_id(rule_id, category, s) for s in settings.select))
            and not any(rule_matches_id(rule_id, category, s) for s in settings.ignore)
        )

    @property
    def book(self) -> Rulebook:
        """The rulebook: read (from the disk cache) on first use, under the packs' stamp."""
        if self._book is None:
            from claimlint.rulebook import rulebook_for

            self._book = rulebook_for(resolved(self.settings.rules_dirs), self.packs)
        return self._book

    @property
    def rulebook(self) -> Rulebook:
        return self.book

    @property
    def pipeline(self) -> ClaimPipeline:
        """claimlint's pipeline with the compiled rule packs (built on first use, cached per process)."""
        if self._pipeline is None:
            from claimlint import regexes, stringcode

            # spaCy's import and the build compile some 200 regular expressions and 1,400 strings
            # of Python, the same each run.
            with regexes.kept(), stringcode.kept():
                from claimlint.nlp.pipeline import load, relevance

                _, self._pipeline = load(self.settings.rules_dirs, self.packs)
            self._relevance = relevance(self._pipeline)
            if self.freeze_heap:
                freeze_heap()
        return self._pipeline

    @property
    def nlp(self) -> Language:
        """The same pipeline as a spaCy ``Language`` (made on first use: linting does without it)."""
        return self.pipeline.language()

    def warm(self) -> Linter:
        """Build the pipeline now, all of it (before forking workers, or before the first request)."""
        self.pipeline.prepare()
        return self

    @property
    def relevance(self) -> Relevance:
        if self._relevance is None:
            self.pipeline  # noqa: B018 - builds both
        assert self._relevance is not None
        return self._relevance

    def lint_source(self, source: Source, product_type: str | None = None) -> list[Finding]:
        """Findings for one source; ``product_type`` overrides the source's and the settings'."""
        if product_type is not None:
            source.product_type = product_type
        return next(self.lint_many([source]))[1]

    def lint_many(self, sources: Iterable[Source], chunk: int = 512) -> Iterator[tuple[Source, list[Finding]]]:
        """Findings per source for a stream of sources (catalog fields, many files), in order.

        Sources are taken ``chunk`` at a time and all their blocks go through the pipeline together,
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
            items = ((i, block) for i, src in enumerate(batch) for block in src.blocks if may_match(block.text))
            from claimlint.nlp.matcher import get_claims, set_claims

            product_type = self.settings.product_type
            pipeline = self.pipeline
            process = pipeline.process
            for doc, members in _joined_docs(pipeline, items, self.doc_chars):
                doc = process(doc)
                claims = get_claims(doc)
                if not claims:
                    continue
                # The claims point back at the doc (through their sentences): a cycle that only
                # the garbage collector could free, after walking every doc still waiting for it.
                # Cut, the doc goes as soon as its findings are made.
                set_claims(doc, None)
                places: dict[int, _Place] = {}
                for cand in claims:
                    k = cand.view.block  # the claim's block, in the order the doc joins them
                    place = places.get(k)
                    if place is None:
                        base, i, block = members[k]
                        place = places[k] = _Place(batch[i], block, product_type, base, i)
                    draft = self._draft(place, cand)
                    if draft is not None:
                        found[place.source_index].append(draft)
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

    def _outcome(self, plan: _RulePlan, flags: int) -> _Outcome:
        """What a finding of ``plan`` gets in each market when ``flags`` hold: a handful of
        outcomes per rule, worked out once each rather than once per finding."""
        verdicts: dict[str, MarketVerdict] = {}
        worst = 0
        disclaimer = False
        testimonial = bool(flags & _TESTIMONIAL)
        for market, base, with_disclaimer, cite_ids, testimonial_ids in (
            plan.negated if flags & _NEGATED else plan.markets
        ):
            severity = base
            if flags & _DISCLAIMED and with_disclaimer is not None:
                severity = with_disclaimer
                disclaimer = True
            if flags & _LOWERED:
                severity = severity.lowered()
            if flags & _SUBSTANTIATED:
                severity = severity.lowered()
            verdicts[market] = self._verdict(severity, testimonial_ids if testimonial else cite_ids)
            worst = max(worst, SEVERITY_RANK[severity])
        # A finding's fields in Finding's order (its dictionary is handed over whole: _frozen), the
        # rule's filled in. Copied and completed, 21 fields cost half what a dictionary display does.
        fields: dict[str, object] = dict.fromkeys(FINDING_FIELDS)
        fields.update(
            rule_id=plan.id,
            category=plan.category,
            severity=_BY_RANK[worst],
            title=plan.title,
            message=plan.message,
            suggestion=plan.suggestion,
            fingerprint="",  # set last (_Draft.finding)
        )
        return verdicts, fields, disclaimer

    def _plan(self, rule: Rule, product_type: str) -> _RulePlan | None:
        """What a finding of ``rule`` needs, read off the rule once per product type; None for a
        rule not selected."""
        # By product type, then rule: one lookup of a string key each, no tuple made and hashed.
        plans = self._plans.get(product_type)
        if plans is None:
            plans = self._plans[product_type] = {}
        rule_id = rule.id
        plan = plans.get(rule_id)
        if plan is None and rule_id not in plans:
            if rule_id in self.active:
                plan = _RulePlan(rule, product_type, self.settings.markets, self.book.testimonial_citations)
            plans[rule_id] = plan
        return plan

    def _draft(self, place: _Place, cand: Candidate) -> _Draft | None:
        plan = self._plan(cand.rule, place.product_type)
        if plan is None:
            return None
        # The candidate is the draft's alone from here (the doc's claims were let go): its context
        # becomes the finding's, not copied.
        ctx = cand.context
        if "hedged" in ctx and plan.appearance_hedge:
            return None
        if ctx.get("question") == "answered no" or "attributed" in ctx:
            return None
        negated = "negated" in ctx
        # A negated claim is no claim, but a "free from" a banned ingredient may still be noted.
        if negated and not plan.negated:
            return None
        doc = cand.view.doc
        shift = place.base
        start = place.source_start(doc[cand.start].idx - shift)
        last = doc[cand.end - 1]
        # len(token) is its lexeme's length: the same as len(token.text), without making the string.
        end = place.source_end(last.idx - shift + len(last))
        document = place.document
        if plan.footnoted:
            note = place.footnote_at(start)
            if note is not None and note.describes_study:
                return None  # the study description itself is the evidence, not a claim
            marker = ctx.pop("footnote_marker", None)
            footnote = document.footnotes.get(marker) if marker else None
            if footnote is not None:
                ctx["substantiation" if footnote.describes_study else "footnote"] = footnote.text[:240]
        flags = (
            (_NEGATED if negated else 0)
            | (_DISCLAIMED if place.product_type == "supplement" and document.has_supplement_disclaimer else 0)
            | (_LOWERED if ctx.get("question") not in (None, "answered yes") else 0)
            | (_SUBSTANTIATED if "substantiation" in ctx else 0)
            | (_TESTIMONIAL if "testimonial" in ctx else 0)
        )
        outcome = plan.outcomes.get(flags)
        if outcome is None:
            outcome = plan.outcomes[flags] = self._outcome(plan, flags)
        verdicts, outcome_fields, disclaimer = outcome
        if disclaimer:
            ctx["disclaimer"] = "FDA supplement disclaimer present"
        line, column = place.position(start)
        end_line, end_column = place.position(end)
        quantity = None
        if cand.quantity is not None:
            q = cand.quantity
            words = cand.view
            q_start = doc[words.tokens[q.start]].idx - shift
            q_last = doc[words.tokens[q.end - 1]]
            # The doc was made from the block's text (``doc.text`` would rebuild it token by token).
            q_end = q_last.idx - shift + len(q_last)
            quantity = _frozen(
                Quantity, {"value": q.value, "unit": q.unit or "number", "text": place.block_text[q_start:q_end]}
            )
        # The outcome's copy holds every field in Finding's order, the rule's already in place.
        fields = outcome_fields.copy()
        fields["path"] = place.path
        fields["line"] = line
        fields["column"] = column
        fields["end_line"] = end_line
        fields["end_column"] = end_column
        fields["start"] = start
        fields["end"] = end
        fields["text"] = place.text[start:end]
        fields["markets"] = verdicts.copy()  # each finding's own
        fields["context"] = ctx
        fields["quantity"] = quantity
        fields["row"] = place.row
        fields["field"] = place.field
        fields["row_line"] = place.row_line
        return _Draft(start, end, plan.category, plan.id, place.bounds, fields)


# A market's verdict as a rule plans it: market, severity, severity once the FDA supplement
# disclaimer is present (or None), citations, citations of a testimonial.
MarketPlan = tuple[str, Severity, Severity | None, tuple[str, ...], tuple[str, ...]]
_BY_RANK: Final = {rank: severity for severity, rank in SEVERITY_RANK.items()}
# What, besides the rule, decides a finding's verdicts: a set of these bits (``flags`` in Linter._draft).
_NEGATED: Final = 1
_DISCLAIMED: Final = 2  # a supplement, and its copy carries the FDA disclaimer
_LOWERED: Final = 4  # asked as a question not answered yes
_SUBSTANTIATED: Final = 8  # a footnote describes the study
_TESTIMONIAL: Final = 16
# The verdicts by market, the fields of a finding that come from the rule (its severity the worst
# verdict's) and whether the disclaimer changed a verdict: the same for every finding of a rule with
# the same flags.
_Outcome = tuple[dict[str, MarketVerdict], dict[str, object], bool]


class _RulePlan:
    """What a finding of one rule needs, for one product type, read off the rule once: an
    attribute of the rule's (interpreted) classes is a generic lookup from compiled code, one of
    this a field read."""

    def __init__(
        self, rule: Rule, product_type: str, markets: tuple[str, ...], testimonial: dict[str, list[str]]
    ) -> None:
        self.id = rule.id
        self.category: Category = rule.category
        self.title = rule.title
        self.message = rule.message
        self.suggestion = rule.suggestion
        self.appearance_hedge = rule.appearance_hedge
        self.footnoted = rule.category in ("quantified", "proof")

        def plan(market: str, mapping: MarketRule) -> MarketPlan:
            cites = tuple(mapping.cite)
            extra = tuple(c for c in testimonial.get(market, []) if c not in cites)
            return (
                market,
                mapping.severity,
                mapping.disclaimed,
                cites,
                cites + extra,
            )

        self.markets = [plan(m, rule.mapping(m, product_type)) for m in markets]
        self.negated = [plan(m, rule.negated[m]) for m in markets if m in rule.negated]
        self.outcomes: dict[int, _Outcome] = {}  # by flags, made as findings need them (Linter._outcome)


class _Place:
    """Where the claims of one parsed block stand: the block's offsets into its source, and what
    every finding there repeats (path, row, field, product type), read once per block."""

    def __init__(self, source: Source, block: Block, product_type: str, base: int, source_index: int) -> None:
        self.base = base  # where the block's text begins in the doc's (see _packs)
        self.source_index = source_index  # of the source in its batch
        self.path = source.path
        self.text = source.text
        self.row = source.row
        self.field = source.field
        self.row_line = source.row_line
        self.product_type = source.product_type or product_type
        self.document = source.document
        self.line_starts = source.lines.starts
        self.block_text = block.text
        self.start = block.start
        self.starts = block.starts
        self.ends = block.ends
        self.bounds = (self.source_start(0), self.source_end(len(block.text)))
        self._notes: list[Footnote] | None = None
        self._line = 0  # the line of the last position asked for: the next is most often on it

    def footnote_at(self, offset: int) -> Footnote | None:
        """The footnote whose definition contains this offset of the block (its own words are not
        claims): only the document's footnotes that overlap the block are tried, found once per
        block (most blocks have none)."""
        notes = self._notes
        if notes is None:
            lo, hi = self.bounds
            notes = self._notes = [n for n in self.document.footnotes.values() if n.start < hi and n.end > lo]
        for note in notes:
            if note.start <= offset < note.end:
                return note
        return None

    def source_start(self, i: int) -> int:
        """:meth:`Block.source_start`."""
        return self.start + i if self.starts is None else self.starts[i]

    def source_end(self, j: int) -> int:
        """:meth:`Block.source_end`."""
        return self.start + j if self.ends is None else self.ends[j - 1]

    def position(self, offset: int) -> tuple[int, int]:
        """:meth:`LineIndex.position`. A claim's end, and the paragraph's next claims, are most
        often on the line of the last position asked for: that line is tried before a binary
        search of the file's line starts (16 comparisons in a file of 40,000 lines)."""
        starts = self.line_starts
        line = self._line
        if not (line and starts[line - 1] <= offset and (line == len(starts) or offset < starts[line])):
            line = self._line = bisect_right(starts, offset)
        return line, offset - starts[line - 1] + 1


class _Draft:
    """A finding before de-duplication: where it is and what it will hold, without a fingerprint."""

    def __init__(
        self, start: int, end: int, category: str, rule_id: str, bounds: tuple[int, int], fields: dict[str, object]
    ) -> None:
        self.start = start
        self.end = end
        # The de-duplication's order, by start and then the longer first, as one int: sorting by
        # it reads one attribute where a key function made a tuple (spans are under 2**32 long).
        self.order = (start << 32) - (end - start)
        self.category = category
        self.rule_id = rule_id
        self.bounds = bounds  # of the paragraph, in the source: the fingerprint's context stops there
        self.fields = fields  # every field of the finding, in order, the fingerprint still empty

    def finding(self, source: Source) -> Finding:
        """The finding, which takes the draft's dictionary as its own (:func:`_frozen`)."""
        fields = self.fields
        fields["fingerprint"] = fingerprint(
            source.path, self.rule_id, source.text, self.start, self.end, source.row, source.field, self.bounds
        )
        return _frozen(Finding, fields)


_Frozen = TypeVar("_Frozen")


def _frozen(cls: type[_Frozen], fields: dict[str, object]) -> _Frozen:
    """An instance of a frozen dataclass that takes ``fields`` (every field, in order) as its
    dictionary, as an unpickled one does (``Finding.__setstate__``). Its ``__init__`` sets each
    field through ``object.__setattr__``: a quantity cost 5,400 instructions that way, and a
    finding filled from a tuple of its values 17,500, against about 10,000 with its dictionary
    made from a display in compiled code and handed over."""
    made: _Frozen = object.__new__(cls)
    object.__setattr__(made, "__dict__", fields)
    return made


# A block to parse with where its text begins in the doc's, and its source's index in the batch.
_Packed = tuple[int, int, Block]
# Blocks are parsed up to this many characters or blocks to a doc: spaCy and the components have a
# cost per doc, which on paragraphs of product copy was a quarter of parsing (0.40 s against
# 0.30 s for 1.2 MB of corpus (a) parsed one paragraph or ten to a doc). Linting 1.5 MB of (a)
# took 0.48-0.52 s one block to a doc, 0.40-0.41 s up to 4,000 characters, 0.37-0.40 s up to
# 16,000; 100,000 catalog fields 1.78-2.06 s, 1.36-1.40 s and, up to 10,000, 1.33-1.35 s.
DOC_CHARS: Final = 10_000
DOC_BLOCKS: Final = 128


def _packs(items: Iterable[tuple[int, Block]], chars: int) -> Iterator[tuple[str, list[_Packed]]]:
    """Consecutive blocks joined into texts of up to ``chars`` characters to parse, each block with
    where it begins in its text.

    Blocks are joined by :data:`~claimlint.nlp.boundaries.BLOCK_SEPARATOR`, which leaves each its
    own tokens only when it neither begins nor ends in whitespace: another block is parsed alone.
    The order of blocks is kept (the findings of a source are de-duplicated in it)."""
    from claimlint.nlp.boundaries import BLOCK_SEPARATOR

    texts: list[str] = []
    members: list[_Packed] = []
    size = 0
    for i, block in items:
        text = block.text
        alone = len(text) >= chars or not text or text[0].isspace() or text[-1].isspace()
        if members and (alone or size + len(text) > chars or len(members) == DOC_BLOCKS):
            yield BLOCK_SEPARATOR.join(texts), members
            texts, members, size = [], [], 0
        if alone:
            yield text, [(0, i, block)]
            continue
        members.append((size, i, block))
        texts.append(text)
        size += len(text) + len(BLOCK_SEPARATOR)
    if members:
        yield BLOCK_SEPARATOR.join(texts), members


def _joined_docs(
    pipeline: ClaimPipeline, items: Iterable[tuple[int, Block]], chars: int
) -> Iterator[tuple[Doc, list[_Packed]]]:
    """The docs of :func:`_packs`, tokenized, each marked with where its blocks begin."""
    from claimlint.nlp.boundaries import set_block_starts

    make_doc = pipeline.make_doc
    for text, members in _packs(items, chars):
        doc = make_doc(text)
        if len(members) > 1:
            set_block_starts(doc, [base for base, _, _ in members])
        yield doc, members


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
    ordered = sorted(findings, key=_ORDER)
    kept: list[_Draft] = []
    open_: list[_Draft] = []
    for f in ordered:
        open_ = [k for k in open_ if k.end > f.start]
        if any((k.category == f.category and f.end <= k.end) or k.rule_id == f.rule_id for k in open_):
            continue
        kept.append(f)
        open_.append(f)
    # In the order of (start, end, rule): kept in order of start already, so only each run of
    # findings that start at one place is sorted (a sort of them all made a tuple per finding).
    i, n = 0, len(kept)
    while i < n:
        j = i + 1
        while j < n and kept[j].start == kept[i].start:
            j += 1
        if j - i > 1:
            kept[i:j] = sorted(kept[i:j], key=lambda f: (f.end, f.rule_id))
        i = j
    return kept


_ORDER: Final = attrgetter("order")


def severity_at_least(severity: Severity, threshold: Severity) -> bool:
    return severity.rank >= threshold.rank
