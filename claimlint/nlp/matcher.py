"""Rule packs compiled to matchers, and the pipeline component that turns sentences into claims."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

from claimlint.nlp.boundaries import RELEVANT, take_sentence_tokens
from claimlint.nlp.kinds import CompiledPattern, Hit, registry
from claimlint.nlp.quantities import QuantityMatch
from claimlint.nlp.sentence import BOUNDARY, TRANSPARENT, SentenceView, WordTable
from claimlint.nlp.terms import TermCompiler, TermError, TermIndex
from claimlint.rulebook import Rule, Rulebook, RuleFileError

if TYPE_CHECKING:
    from claimlint.nlp.relevance import Relevance
    from claimlint.nlp.tokenizer import SpecialCases


class Candidate:
    """A possible claim: a rule's hit on tokens ``[start, end)``, annotated by context components.

    A plain class, for a native ``__init__`` when compiled (one per claim; see ``QuantityMatch``)."""

    rule: Rule
    view: SentenceView
    word_start: int
    word_end: int
    start: int
    end: int
    parts: dict[str, tuple[int, int]]  # name → word range
    quantity: QuantityMatch | None
    context: dict[str, str]

    def __init__(
        self,
        rule: Rule,
        view: SentenceView,
        word_start: int,
        word_end: int,
        start: int,
        end: int,
        parts: dict[str, tuple[int, int]] | None = None,
        quantity: QuantityMatch | None = None,
    ) -> None:
        self.rule = rule
        self.view = view
        self.word_start = word_start
        self.word_end = word_end
        self.start = start
        self.end = end
        self.parts = parts if parts is not None else {}
        self.quantity = quantity
        self.context = {}

    def __repr__(self) -> str:
        return f"Candidate({self.rule.id}, tokens {self.start}-{self.end}, context={self.context!r})"


@dataclass
class CompiledRule:
    rule: Rule
    patterns: list[CompiledPattern]
    first_lemmas: frozenset[str]


@dataclass
class CompiledRules:
    rules: list[CompiledRule]
    trigger_lemmas: frozenset[str]
    # trigger lemma → indexes of the rules it can start a match for (rules keep their order)
    by_trigger: dict[str, tuple[int, ...]] = field(default_factory=dict)
    keys: frozenset[str] = frozenset()
    # Every key a term of any of the rules' term sets can start with (TermCompiler.first_keys).
    term_firsts: frozenset[str] = frozenset()
    # The keys a sentence view needs to say where they stand: those term sets look up their
    # first keys, and `plan` the rules' keys. Other words' keys are not indexed (WordTable).
    view_keys: frozenset[str] = field(default=frozenset(), init=False)
    _plans: dict[frozenset[str], list[tuple[CompiledRule, list[CompiledPattern]]]] = field(
        default_factory=dict, repr=False
    )
    _rule_keys: list[frozenset[str]] = field(default_factory=list, repr=False)
    _rule_memo: dict[tuple[int, frozenset[str]], bool] = field(default_factory=dict, repr=False)
    _may: dict[frozenset[str], bool] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        index: dict[str, list[int]] = {}
        for i, crule in enumerate(self.rules):
            for lemma in crule.first_lemmas:
                index.setdefault(lemma, []).append(i)
        self.by_trigger = {lemma: tuple(ids) for lemma, ids in index.items()}
        self._rule_keys = [
            frozenset().union(*(needed.keyset for p in crule.patterns for needed in p.needs)) for crule in self.rules
        ]
        # Every key a rule's `possible` test can look at: a sentence's other words cannot matter.
        self.keys = frozenset(self.trigger_lemmas).union(*self._rule_keys)
        self.view_keys = self.keys | self.term_firsts

    def prepare(self) -> None:
        """Build every term set's automaton now (they are otherwise built on first use): for a
        process that forks a worker per check, so that no fork builds them again."""
        for crule in self.rules:
            for pattern in crule.patterns:
                for index in (*pattern.needs, *((pattern.unless,) if pattern.unless else ())):
                    index.automaton  # noqa: B018

    def _triggered(self, keys: frozenset[str]) -> list[int]:
        """Indexes of the rules one of these keys can start a match for, in rulebook order."""
        ids: set[int] = set()
        by_trigger = self.by_trigger
        for key in by_trigger.keys() & keys:
            ids.update(by_trigger[key])
        return sorted(ids)

    def plan(self, keys: frozenset[str]) -> list[tuple[CompiledRule, list[CompiledPattern]]]:
        """The rules, and of each the patterns, worth trying on a sentence offering ``keys``, in
        rulebook order; never one less than can match. Memoised: the rule keys a sentence offers
        are few and recur."""
        found = self._plans.get(keys)
        if found is None:
            found = []
            for i in self._triggered(keys):
                if self._rule_possible(i, keys):
                    crule = self.rules[i]
                    found.append((crule, [p for p in crule.patterns if p.possible(keys)]))
            if len(self._plans) > PLAN_LIMIT:
                self._plans.clear()
            self._plans[keys] = found
        return found

    def may_match(self, keys: frozenset[str]) -> bool:
        """Whether any rule can match text offering ``keys`` (stops at the first that can)."""
        plan = self._plans.get(keys)
        if plan is not None:
            return bool(plan)
        found = self._may.get(keys)
        if found is None:
            found = any(self._rule_possible(i, keys) for i in self._triggered(keys))
            if len(self._may) > PLAN_LIMIT:
                self._may.clear()
            self._may[keys] = found
        return found

    def _rule_possible(self, i: int, keys: frozenset[str]) -> bool:
        # Memoised on the keys this rule can look at, which recur far more than whole key sets.
        sub = keys & self._rule_keys[i]
        found = self._rule_memo.get((i, sub))
        if found is None:
            found = any(p.possible(sub) for p in self.rules[i].patterns)
            if len(self._rule_memo) > PLAN_LIMIT:
                self._rule_memo.clear()
            self._rule_memo[(i, sub)] = found
        return found


PLAN_LIMIT = 100_000


def compile_rulebook(
    book: Rulebook,
    tokenize: Callable[[str], list[str]],
    lemma: Callable[[str], str],
    known: dict[str, list[str]] | None = None,
    indexes: dict[tuple[str, ...], TermIndex] | None = None,
) -> CompiledRules:
    """Compile every rule's patterns; a bad term is a :class:`RuleFileError` naming file, rule, field.
    ``known`` holds term texts already tokenized (by ``tokenize``); those tokenized now are added.
    ``indexes``: the term indexes a compilation of this rulebook with this ``tokenize`` and
    ``lemma`` made before (:class:`TermCompiler`'s ``kept``); those made now are added."""
    # Packs name the same words again and again (half the alternatives are repeats): each is
    # tokenized once per compilation, or once per spaCy version when ``known`` is kept on disk.
    table: dict[str, list[str]] = {} if known is None else known

    def words(text: str) -> list[str]:
        found = table.get(text)
        if found is None:
            found = table[text] = tokenize(text)
        return list(found)

    compiler = TermCompiler(words, lemma, {name: v.terms for name, v in book.vocabularies.items()}, indexes)
    for name in book.vocabularies:
        try:
            compiler.vocabulary(name)
        except TermError as exc:
            raise RuleFileError(f"{book.sources[f'@{name}']}: vocabulary {name}: terms: {exc}") from None
    kinds = registry()
    compiled: list[CompiledRule] = []
    for rule in book.rules:
        patterns = []
        for i, pattern in enumerate(rule.match):
            field_name = f"match[{i}]"
            try:
                cp = kinds[pattern.kind](pattern, compiler)
                if pattern.unless:
                    field_name = f"match[{i}].unless"
                    cp.unless = compiler.index(pattern.unless)
                    cp.unless_window = pattern.unless_window
            except TermError as exc:
                raise RuleFileError(f"{book.sources[rule.id]}: rule {rule.id}: {field_name}: {exc}") from None
            patterns.append(cp)
        firsts = frozenset().union(*(p.first_lemmas for p in patterns))
        compiled.append(CompiledRule(rule, patterns, firsts))
    triggers = frozenset().union(*(c.first_lemmas for c in compiled)) if compiled else frozenset()
    return CompiledRules(compiled, triggers, term_firsts=frozenset(compiler.first_keys))


def tokenizer_words(tokenizer: Tokenizer, cases: SpecialCases | None = None) -> Callable[[str], list[str]]:
    """Split a rule term into words exactly as the copy is split (hyphens and quotes dropped);
    ``cases``: the tokenizer's special cases, if it is given them as texts need them."""

    # A run of letters is one token unless it is a special case ("cannot"): no prefix, suffix,
    # infix or URL rule of the English tokenizer applies to letters alone (a test checks every
    # word of the lemma table). Most terms, and most words of copy, are such runs.
    specials = cases.keys if cases is not None else frozenset(getattr(tokenizer, "rules", None) or ())
    tokenize: Callable[[str], Doc] = tokenizer if cases is None else cases.tokenize

    def words(text: str) -> list[str]:
        if text.isalpha() and text not in specials:
            return [text]
        return [
            t.text for t in tokenize(text) if not t.is_space and t.text not in TRANSPARENT and t.text not in BOUNDARY
        ]

    return words


# ``doc._.claims`` through spaCy's extension accessor builds a new object at every access (about
# 1.4 us, four accesses per parsed paragraph). spaCy keeps the value in ``doc.user_data`` under this
# key; :func:`use_claims_slot` checks that it still does before it is read and written there.
_CLAIMS_KEY: Final = ("._.", "claims", None, None)
_slot: Final = {"direct": False}


def use_claims_slot(doc: Doc) -> None:
    """Read and write the claims straight in ``doc.user_data`` if that is where ``doc._.claims``
    lives (``doc``: any doc, for the check)."""
    probe: list[Candidate] = []
    doc._.claims = probe
    data: dict[Any, Any] = doc.user_data  # typed as str-keyed; extensions use tuple keys
    _slot["direct"] = data.get(_CLAIMS_KEY) is probe
    doc._.claims = None


def get_claims(doc: Doc) -> list[Candidate] | None:
    """``doc._.claims``, the candidate claims the matcher found."""
    if _slot["direct"]:
        data: dict[Any, Any] = doc.user_data
        found: list[Candidate] | None = data.get(_CLAIMS_KEY)
        return found
    claims: list[Candidate] | None = doc._.claims
    return claims


def set_claims(doc: Doc, claims: list[Candidate] | None) -> None:
    if _slot["direct"]:
        data: dict[Any, Any] = doc.user_data
        data[_CLAIMS_KEY] = claims
    else:
        doc._.claims = claims


class ClaimMatcher:
    """Pipeline component: every rule hit in every sentence, as ``doc._.claims``."""

    def __init__(self, compiled: CompiledRules, relevance: Relevance, words: WordTable) -> None:
        self.compiled = compiled
        self.relevance = relevance
        self.words = words

    def __call__(self, doc: Doc) -> Doc:
        candidates: list[Candidate] = []
        relevance = self.relevance
        compiled = self.compiled
        tokens = take_sentence_tokens(doc)
        orths = tokens.orths
        # Most sentences hold no word any rule could start with: tell them by the ids of their
        # tokens that offer a rule key (flagged by the boundaries pass, which reads every token's
        # flags anyway) before paying for a sentence span and view.
        strings = doc.vocab.strings
        flags = tokens.flags
        if flags is None:
            offers = relevance.offers_keys
            ids: list[int] = orths
            flags = [RELEVANT if offers(strings[orth].lower()) else 0 for orth in ids]
        ends = [*tokens.starts[1:], len(orths)] if orths else []
        blocks = tokens.blocks
        b = 0
        block_start, block_end = blocks[0] if blocks else (0, 0)
        for start, end in zip(tokens.starts, ends, strict=True):
            while start >= block_end and b + 1 < len(blocks):
                b += 1
                block_start, block_end = blocks[b]
            if start < block_start or start >= block_end:
                continue  # the separator between two blocks of the doc
            offering = [orths[i] for i in range(start, end) if flags[i] & RELEVANT]
            if not relevance.sentence_may_match(offering, strings.__getitem__):
                continue
            view = SentenceView.build(doc, start, end, self.words, orths, b, block_start, block_end)
            if not view.lemmas:
                continue
            # What the sentence offers the rules: its lemmas, exact words and quantity slots.
            for crule, patterns in compiled.plan(compiled.keys & view.key_set()):
                hits = []
                for pattern in patterns:
                    for hit in pattern.find(view):
                        if pattern.unless is None or not _cancelled(pattern, view, hit.start, hit.end):
                            hits.append(hit)
                for hit in _longest(hits):
                    candidates.append(_candidate(crule.rule, view, hit.start, hit.end, hit.parts))
        set_claims(doc, candidates)
        return doc


def _longest(hits: list[Hit]) -> list[Hit]:
    """Of one rule's overlapping hits keep the longest: the claim is the fullest reading."""
    if len(hits) < 2:
        return hits
    kept: list[Hit] = []
    for hit in sorted(hits, key=lambda h: (h.start - h.end, h.start)):
        if all(hit.end <= k.start or hit.start >= k.end for k in kept):
            kept.append(hit)
    return sorted(kept, key=lambda h: h.start)


def _cancelled(pattern: CompiledPattern, view: SentenceView, start: int, end: int) -> bool:
    assert pattern.unless is not None
    lo, hi = start - pattern.unless_window, end + pattern.unless_window
    segment = view.segments[start]
    return any(us < hi and ue > lo and view.segments[us] == segment for us, ue in pattern.unless.find(view))


def _candidate(rule: Rule, view: SentenceView, ws: int, we: int, parts: tuple[tuple[str, int, int], ...]) -> Candidate:
    # The quantity a claim rests on: a multiplier, percentage or duration beats a bare number, a
    # longer one a shorter, an earlier one a later (the first of equals, as max() keeps). A loop:
    # max() with a key and a default costs 3,600 instructions a claim, most of them with nothing
    # to compare.
    quantity: QuantityMatch | None = None
    best = (False, 0, 0)
    quantities = view.quantities
    for i in range(ws, we):
        for q in quantities.get(i, ()):
            if q.end <= we:
                rank = (q.slot != "#num", q.end - q.start, -q.start)
                if quantity is None or rank > best:
                    quantity, best = q, rank
    return Candidate(
        rule, view, ws, we, view.tokens[ws], view.tokens[we - 1] + 1, {name: (s, e) for name, s, e in parts}, quantity
    )
