"""The one spaCy pipeline claimlint runs, built from installed packages only and cached.

    tokenizer → claimlint_sentences → claimlint_matcher → claimlint_context
                (negation · hedge · question · testimonial · footnote · attribution)

The pipeline is built when there is first copy to parse (not as an import side effect), so
``import claimlint`` stays cheap for a run that has nothing to check; it runs as a
:class:`ClaimPipeline`, and is made a spaCy ``Language`` only when that object is asked for.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import spacy
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.vocab import Vocab

from claimlint import diskcache
from claimlint.nlp import context, spacy_import, tokenizer
from claimlint.nlp.boundaries import SentenceBoundaries
from claimlint.nlp.english import LANG, ClaimDefaults
from claimlint.nlp.lemmas import Lemmatizer, remembering
from claimlint.nlp.matcher import ClaimMatcher, CompiledRules, compile_rulebook, tokenizer_words, use_claims_slot
from claimlint.nlp.relevance import Relevance
from claimlint.nlp.sentence import WordTable
from claimlint.nlp.tokenizer import SpecialCases
from claimlint.packs import PacksStamp, cache_dirs, packs_stamp, resolved
from claimlint.rulebook import Rulebook, rulebook_for

if TYPE_CHECKING:
    from spacy.language import Language

# Components on their way into a spaCy ``Language`` built around a pipeline (spaCy configs hold
# strings, not objects); each entry lives only while that language is being built.
_COMPONENTS: dict[str, object] = {}
_LOCK = threading.RLock()
_factories = False
spacy_import.attach()  # spaCy is imported


@lru_cache(maxsize=1)
def lemmatizer() -> Lemmatizer:
    return Lemmatizer()


def _claims_extension() -> None:
    if not Doc.has_extension("claims"):
        Doc.set_extension("claims", default=None)


# Each component's factory, with what it tells spaCy it assigns and requires.
_FACTORIES: dict[str, tuple[list[str], list[str]]] = {
    "claimlint_sentences": (["token.is_sent_start"], []),
    "claimlint_matcher": (["doc._.claims"], ["token.is_sent_start"]),
    "claimlint_context": ([], ["doc._.claims"]),
}


def _handed_over(nlp: Language, name: str, key: str) -> object:
    return _COMPONENTS[key]


def _register_factories() -> None:
    """Register claimlint's components with spaCy (once per process), for :meth:`ClaimPipeline.language`:
    each factory hands over the component object a pipeline already holds."""
    global _factories
    if _factories:
        return
    from spacy.language import Language

    for name, (assigns, requires) in _FACTORIES.items():
        Language.factory(name, assigns=assigns, requires=requires, func=_handed_over)
    _factories = True


class ClaimPipeline:
    """claimlint's pipeline: spaCy's English tokenizer, then ``claimlint_sentences``,
    ``claimlint_matcher`` and ``claimlint_context``, run as spaCy runs them, without a spaCy
    ``Language`` around them.

    A ``Language`` costs a fresh process more than it does: making one imports every built-in
    component spaCy has (parser, tagger, entity recognizer, ...), fills spaCy's registry (with it
    the Japanese, Korean, Thai, Vietnamese and Chinese language modules) and reads every installed
    package's entry points, and adding a component validates its configuration. :meth:`language`
    makes one on request, around the same tokenizer and components, for anyone who wants spaCy's
    own object (``Linter.nlp``, :func:`get_pipeline`)."""

    def __init__(self, cases: SpecialCases, components: list[tuple[str, Callable[[Doc], Doc]]]) -> None:
        # The tokenizer, with its special cases added as texts need them until prepare().
        self._cases: SpecialCases | None = cases
        self._tokenizer: Tokenizer = cases.tokenizer
        self.vocab: Vocab = self._tokenizer.vocab
        self.components = components
        self._procs = [proc for _, proc in components]
        self.max_length = 10_000_000
        self._language: Language | None = None

    @property
    def pipe_names(self) -> list[str]:
        return [name for name, _ in self.components]

    def get_pipe(self, name: str) -> Callable[[Doc], Doc]:
        for known, proc in self.components:
            if known == name:
                return proc
        raise KeyError(f"no component {name!r} in {self.pipe_names}")

    @property
    def tokenizer(self) -> Tokenizer:
        """spaCy's tokenizer, with every special case (:meth:`prepare`)."""
        self.prepare()
        return self._tokenizer

    def prepare(self) -> ClaimPipeline:
        """Everything built now, the tokenizer's special cases too (before workers are forked, or a
        server's first request): until then they are added as the texts need them."""
        if self._cases is not None:
            self._cases.complete()
            self._cases = None
        return self

    def make_doc(self, text: str) -> Doc:
        """The tokenized doc, as ``Language.make_doc`` makes it."""
        if len(text) > self.max_length:
            raise ValueError(f"a text of {len(text):,} characters is longer than the {self.max_length:,} spaCy allows")
        cases = self._cases
        doc: Doc = self._tokenizer(text) if cases is None else cases.tokenize(text)
        return doc

    def process(self, doc: Doc) -> Doc:
        """Every component on ``doc``, in order."""
        for proc in self._procs:
            doc = proc(doc)
        return doc

    def __call__(self, text: str) -> Doc:
        return self.process(self.make_doc(text))

    def language(self) -> Language:
        """A spaCy ``Language`` with this tokenizer and these components (made on first call)."""
        with _LOCK:
            if self._language is None:
                _register_factories()
                nlp = claim_english()(vocab=self.vocab, create_tokenizer=lambda _: self.tokenizer)
                nlp.max_length = self.max_length
                for name, proc in self.components:
                    key = str(id(proc))
                    _COMPONENTS[key] = proc
                    try:
                        nlp.add_pipe(name, config={"key": key})
                    finally:
                        del _COMPONENTS[key]
                self._language = nlp
            return self._language


@lru_cache(maxsize=1)
def claim_english() -> type[Language]:
    """spaCy's English with claimlint's language data (:class:`~claimlint.nlp.english.ClaimDefaults`:
    footnote markers among the suffixes), also named ``ClaimEnglish`` here. Built with them rather
    than patched afterwards: a tokenizer whose suffix rule is replaced re-adds its 1,300 special
    cases. Made on first use: importing ``spacy.lang.en`` imports all of ``spacy.language``, which a
    check does without."""
    from spacy.lang.en import English, EnglishDefaults

    class ClaimEnglishDefaults(EnglishDefaults):
        suffixes = ClaimDefaults.suffixes

    class ClaimEnglish(English):  # type: ignore[no-untyped-call]
        Defaults = ClaimEnglishDefaults

    # Named as the module attribute it is (pickle finds it there, through __getattr__ below).
    ClaimEnglish.__qualname__ = "ClaimEnglish"
    ClaimEnglishDefaults.__qualname__ = "ClaimEnglish.Defaults"
    return ClaimEnglish


def __getattr__(name: str) -> type[Language]:
    if name == "ClaimEnglish":
        return claim_english()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# Keyed by what the packs look like on disk (``stamp``): an edited pack builds a new pipeline, and a
# long-lived process keeps only the newest few.
@lru_cache(maxsize=8)
def _load(extra_dirs: tuple[Path, ...], stamp: PacksStamp) -> tuple[Rulebook, ClaimPipeline]:
    with _LOCK:
        _claims_extension()
        book = rulebook_for(extra_dirs, stamp)
        lemmas = lemmatizer()
        lemma = lemmas.lemma
        cases = tokenizer.build_lazy(ClaimDefaults, LANG)
        tok = cases.tokenizer
        use_claims_slot(tok(""))
        words = tokenizer_words(tok, cases)
        # The words of each term depend on the tokenizer alone (this module's and spaCy's code), and
        # their lemmas on the lemma table: one table of each, grown by whatever packs a run
        # compiles, serves every later run. The term indexes compiled from them depend on the
        # packs besides (a term may name a vocabulary): kept per state of the packs.
        with (
            diskcache.growing("terms", spacy.about.__version__) as terms,
            diskcache.growing("term-lemmas", lemmas.table_key) as kept,
            diskcache.growing(
                "term-indexes", (cache_dirs(extra_dirs), stamp, spacy.about.__version__, lemmas.table_key)
            ) as indexes,
        ):
            compiled = compile_rulebook(book, words, remembering(lemma, kept), terms, indexes)
        gate = Relevance(compiled, lemma, words)
        sentences = SentenceBoundaries(tok.vocab)
        sentences.set_relevance(gate.offers_keys)
        matcher = ClaimMatcher(compiled, gate, WordTable(tok.vocab, lemma, compiled.view_keys))
        components: list[tuple[str, Callable[[Doc], Doc]]] = [
            ("claimlint_sentences", sentences),
            ("claimlint_matcher", matcher),
            ("claimlint_context", context.annotate),
        ]
        return book, ClaimPipeline(cases, components)


def load(extra_dirs: tuple[Path, ...] = (), stamp: PacksStamp | None = None) -> tuple[Rulebook, ClaimPipeline]:
    """The rulebook and the cached :class:`ClaimPipeline` for the built-in packs plus ``extra_dirs``,
    as the pack files are on disk now, or as stamped ``stamp`` (the linter's: one look at the packs
    a run)."""
    dirs = resolved(extra_dirs)
    return _load(dirs, packs_stamp(dirs) if stamp is None else stamp)


def relevance(nlp: Language | ClaimPipeline) -> Relevance:
    """The word-relevance test of the rule packs inside a pipeline built here."""
    matcher: ClaimMatcher = nlp.get_pipe("claimlint_matcher")  # type: ignore[assignment]
    return matcher.relevance


def compiled_rules(nlp: Language | ClaimPipeline) -> CompiledRules:
    """The compiled rule packs inside a pipeline built here."""
    matcher: ClaimMatcher = nlp.get_pipe("claimlint_matcher")  # type: ignore[assignment]
    return matcher.compiled


def get_pipeline(extra_dirs: tuple[Path, ...] = (), stamp: PacksStamp | None = None) -> tuple[Rulebook, Language]:
    """The rulebook and a spaCy ``Language`` running claimlint's pipeline (:func:`load`, as spaCy's
    own object)."""
    book, pipeline = load(extra_dirs, stamp)
    return book, pipeline.language()
