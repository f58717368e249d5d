"""The one spaCy pipeline claimlint runs, built from installed packages only and cached.

    tokenizer → claimlint_sentences → claimlint_matcher → claimlint_context
                (negation · hedge · question · testimonial · footnote · attribution)

Every component is registered here, explicitly, when the pipeline is first built (not as an
import side effect), so ``import claimlint`` stays cheap for a run that has nothing to check.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.lang.en import English, EnglishDefaults
from spacy.language import Language
from spacy.tokens import Doc

from claimlint import diskcache
from claimlint.nlp import context, spacy_import, tokenizer
from claimlint.nlp.boundaries import SentenceBoundaries
from claimlint.nlp.lemmas import Lemmatizer
from claimlint.nlp.matcher import ClaimMatcher, CompiledRules, compile_rulebook, tokenizer_words, use_claims_slot
from claimlint.nlp.relevance import Relevance
from claimlint.nlp.sentence import WordTable
from claimlint.packs import PacksStamp, packs_stamp, resolved
from claimlint.rulebook import Rulebook, rulebook_for

# Compiled packs on their way into the matcher factory (spaCy configs hold strings, not objects);
# each entry lives only while its pipeline is being built. The built pipelines are the cache.
_COMPILED: dict[str, tuple[CompiledRules, Relevance]] = {}
_LOCK = threading.Lock()
_registered = False
spacy_import.attach(spacy)


@lru_cache(maxsize=1)
def lemmatizer() -> Lemmatizer:
    return Lemmatizer()


def _register() -> None:
    """Register claimlint's factories with spaCy (once per process)."""
    global _registered
    if _registered:
        return
    if not Doc.has_extension("claims"):
        Doc.set_extension("claims", default=None)

    @Language.factory("claimlint_sentences", assigns=["token.is_sent_start"])
    def make_sentences(nlp: Language, name: str) -> SentenceBoundaries:
        return SentenceBoundaries(nlp.vocab)

    @Language.factory("claimlint_matcher", assigns=["doc._.claims"], requires=["token.is_sent_start"])
    def make_matcher(nlp: Language, name: str, key: str) -> ClaimMatcher:
        compiled, gate = _COMPILED[key]
        return ClaimMatcher(compiled, gate, WordTable(nlp.vocab, lemmatizer().lemma, compiled.view_keys))

    Language.component("claimlint_context", requires=["doc._.claims"])(context.annotate)
    _registered = True


# Footnote markers glued to a word ("wrinkles¹", "results[1]") are split off, so the word keeps
# its lemma and the marker can point at its footnote.
FOOTNOTE_SUFFIXES = (
    r"[⁰¹²³⁴-⁹]+",
    r"[†‡§¶]+",
    r"\[\d{1,2}\]",
    r"\(\d{1,2}\)",
    r"\*+",
    r"(?<=[⁰¹²³⁴-⁹†‡§¶*\])])[.,;:!?]",
)


class _Defaults(EnglishDefaults):
    suffixes = [*(EnglishDefaults.suffixes or ()), *FOOTNOTE_SUFFIXES]


class ClaimEnglish(English):  # type: ignore[no-untyped-call]
    """spaCy's English, with footnote markers among the suffixes. Built with them rather than
    patched afterwards: a tokenizer whose suffix rule is replaced re-adds its 1,300 special cases,
    which doubled that part of start-up."""

    Defaults = _Defaults


# Keyed by what the packs look like on disk (``stamp``): an edited pack builds a new pipeline, and a
# long-lived process keeps only the newest few.
@lru_cache(maxsize=8)
def _load(extra_dirs: tuple[Path, ...], stamp: PacksStamp) -> tuple[Rulebook, Language]:
    with _LOCK:
        _register()
        book = rulebook_for(extra_dirs, stamp)
        nlp = tokenizer.build(ClaimEnglish)
        nlp.max_length = 10_000_000
        use_claims_slot(nlp.make_doc(""))
        nlp.add_pipe("claimlint_sentences")
        # The words of each term depend on the tokenizer alone (this module's and spaCy's code):
        # one table, grown by whatever packs a run compiles, serves every later run.
        terms_key = spacy.about.__version__
        terms: dict[str, list[str]] = diskcache.load("terms", terms_key) or {}
        known = len(terms)
        compiled = compile_rulebook(book, tokenizer_words(nlp), lemmatizer().lemma, terms)
        if len(terms) != known:
            diskcache.save("terms", terms_key, terms)
        key = str(id(compiled))
        gate = Relevance(compiled, lemmatizer().lemma, tokenizer_words(nlp))
        sentences: SentenceBoundaries = nlp.get_pipe("claimlint_sentences")  # type: ignore[assignment]
        sentences.set_relevance(gate.offers_keys)
        _COMPILED[key] = (compiled, gate)
        try:
            nlp.add_pipe("claimlint_matcher", config={"key": key})
        finally:
            del _COMPILED[key]
        nlp.add_pipe("claimlint_context")
        return book, nlp


def relevance(nlp: Language) -> Relevance:
    """The word-relevance test of the rule packs inside a pipeline built by :func:`get_pipeline`."""
    matcher: ClaimMatcher = nlp.get_pipe("claimlint_matcher")  # type: ignore[assignment]
    return matcher.relevance


def compiled_rules(nlp: Language) -> CompiledRules:
    """The compiled rule packs inside a pipeline built by :func:`get_pipeline`."""
    matcher: ClaimMatcher = nlp.get_pipe("claimlint_matcher")  # type: ignore[assignment]
    return matcher.compiled


def get_pipeline(extra_dirs: tuple[Path, ...] = (), stamp: PacksStamp | None = None) -> tuple[Rulebook, Language]:
    """The rulebook and the cached pipeline for the built-in packs plus ``extra_dirs``, as the pack
    files are on disk now, or as stamped ``stamp`` (the linter's: one look at the packs a run)."""
    dirs = resolved(extra_dirs)
    return _load(dirs, packs_stamp(dirs) if stamp is None else stamp)
