"""spaCy's English language data, as claimlint's tokenizer and vocabulary are built from it.

spaCy gathers a language's data into the defaults of its ``Language`` class
(``spacy.lang.en.EnglishDefaults``, on top of ``spacy.language.BaseDefaults``). Importing that class
imports ``spacy.language``, and with it spaCy's configuration schemas, training and scoring code and
its matchers (with the schemas, 14% of a fresh check's instructions), for a class claimlint reads
ten attributes of.
:class:`ClaimDefaults` reads the same objects from the modules that define them, adding claimlint's
footnote suffixes (tests/test_tokenizer.py checks every attribute against ``EnglishDefaults``, and
the tokens against those of spaCy's own English).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from re import Pattern
from typing import Any, ClassVar, Final

from spacy.lang.en.lex_attrs import LEX_ATTRS
from spacy.lang.en.punctuation import TOKENIZER_INFIXES
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.lang.en.syntax_iterators import SYNTAX_ITERATORS
from spacy.lang.en.tokenizer_exceptions import TOKENIZER_EXCEPTIONS
from spacy.lang.punctuation import TOKENIZER_PREFIXES, TOKENIZER_SUFFIXES
from spacy.lang.tokenizer_exceptions import URL_MATCH

LANG: Final = "en"

# Footnote markers glued to a word ("wrinkles¹", "results[1]") are split off, so the word keeps
# its lemma and the marker can point at its footnote.
FOOTNOTE_SUFFIXES: Final = (
    r"[⁰¹²³⁴-⁹]+",
    r"[†‡§¶]+",
    r"\[\d{1,2}\]",
    r"\(\d{1,2}\)",
    r"\*+",
    r"(?<=[⁰¹²³⁴-⁹†‡§¶*\])])[.,;:!?]",
)


class ClaimDefaults:
    """``EnglishDefaults``' language data, with :data:`FOOTNOTE_SUFFIXES` after spaCy's suffixes: the
    attributes of a ``BaseDefaults`` that the tokenizer and ``create_vocab`` read."""

    tokenizer_exceptions: ClassVar[dict[str, list[dict[int, str]]]] = TOKENIZER_EXCEPTIONS
    prefixes: ClassVar[Sequence[str | Pattern[str]] | None] = TOKENIZER_PREFIXES
    suffixes: ClassVar[Sequence[str | Pattern[str]] | None] = [*TOKENIZER_SUFFIXES, *FOOTNOTE_SUFFIXES]
    infixes: ClassVar[Sequence[str | Pattern[str]] | None] = TOKENIZER_INFIXES
    token_match: ClassVar[Callable[..., Any] | None] = None
    url_match: ClassVar[Callable[..., Any] | None] = URL_MATCH
    syntax_iterators: ClassVar[dict[str, Callable[..., Any]]] = SYNTAX_ITERATORS
    lex_attr_getters: ClassVar[dict[int, Callable[[str], Any]]] = LEX_ATTRS
    stop_words: ClassVar[set[str]] = STOP_WORDS
    writing_system: ClassVar[dict[str, Any]] = {"direction": "ltr", "has_case": True, "has_letters": True}
