"""spaCy's tokenizer for claimlint's pipeline: the one spaCy builds, built in half the time.

A fresh ``claimlint check`` builds its tokenizer on every run, and two parts of that work come
out the same every time:

- **The prefix, suffix and infix expressions.** Python's ``re`` parses and compiles them (their
  character classes run to thousands of ranges), about 23 ms. What ``re`` hands to ``_sre`` in the
  end (the opcode list, flags and groups) is kept in :mod:`claimlint.diskcache` and given straight
  to ``_sre.compile`` next time, as ``re`` itself does: 0.3 ms. The entry is keyed by the
  expressions' parts, spaCy's version and the Python build, and is only written after a pattern
  rebuilt from it has been seen to equal the one ``re`` compiled.
- **The 1,347 special cases** ("don't", "e.g."). spaCy passes each token of each case through
  ``intify_attrs(..., _do_deprecated=True)`` twice, which looks for sixty retired attribute
  *names*, three string comparisons each. English's exceptions are keyed by attribute *IDs*, so
  that pass cannot find anything. While the tokenizer is built, a dict keyed by IDs alone skips
  it; any other dict gets spaCy's full treatment. About 28 ms.

The tokenizer is the same object spaCy's own factory makes: same expressions, rules and matchers
(the tests compare the two token by token). If ``_sre``'s internals ever differ, the cache is
simply not written and ``re`` compiles as before.
"""

from __future__ import annotations

import importlib
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar, cast

import spacy.tokenizer
import spacy.vocab
from spacy import about, util
from spacy.language import Language
from spacy.tokenizer import Tokenizer

from claimlint import diskcache

L = TypeVar("L", bound=Language)

# ``re``'s own parser and code generator: ``re._parser``/``re._compiler`` since 3.11, before that
# ``sre_parse``/``sre_compile`` (importing those on 3.11+ warns).
try:
    _parser: Any = importlib.import_module("re._parser")
    _compiler: Any = importlib.import_module("re._compiler")
except ImportError:  # Python 3.10
    _parser = importlib.import_module("sre_parse")
    _compiler = importlib.import_module("sre_compile")
_sre: Any = importlib.import_module("_sre")
# The two spaCy modules that call ``intify_attrs`` while special cases are added (typed as Any: the
# name is not in their stubs).
spacy_vocab: Any = spacy.vocab
spacy_tokenizer: Any = spacy.tokenizer

_AFFIXES: dict[str, Callable[[Sequence[Any]], re.Pattern[str]]] = {
    "prefix": util.compile_prefix_regex,
    "suffix": util.compile_suffix_regex,
    "infix": util.compile_infix_regex,
}
_LOCK = threading.Lock()  # one build at a time holds spaCy's ``intify_attrs`` swapped


def build(language: type[L]) -> L:
    """``language()``, with its tokenizer made by :func:`create_tokenizer` and its special cases
    loaded without the retired-name pass."""
    with _LOCK, _ids_skip_retired_names():
        return language(create_tokenizer=create_tokenizer)


def create_tokenizer(nlp: Language) -> Tokenizer:
    """What spaCy's registered tokenizer factory (``spacy.Tokenizer.v1``) returns for ``nlp``,
    with the affix expressions from the cache."""
    defaults = nlp.Defaults
    prefixes, suffixes, infixes = defaults.prefixes, defaults.suffixes, defaults.infixes
    return Tokenizer(
        nlp.vocab,
        rules=defaults.tokenizer_exceptions,
        prefix_search=affix_regex("prefix", prefixes).search if prefixes else None,
        suffix_search=affix_regex("suffix", suffixes).search if suffixes else None,
        infix_finditer=affix_regex("infix", infixes).finditer if infixes else None,
        token_match=defaults.token_match,
        url_match=defaults.url_match,
    )


def affix_regex(kind: str, entries: Sequence[Any]) -> re.Pattern[str]:
    """``spacy.util.compile_<kind>_regex(entries)``, from the cache when it holds it."""
    key = (kind, tuple(entries), about.__version__, _sre.MAGIC)
    saved = diskcache.load("regex", key)
    if saved is not None:
        try:
            pattern: re.Pattern[str] = _sre.compile(*saved)
            return pattern
        except Exception:  # an entry this Python cannot take: compiled afresh and replaced below
            pass
    pattern = _AFFIXES[kind](entries)
    arguments = _sre_arguments(pattern)
    if arguments is not None:
        diskcache.save("regex", key, arguments)
    return pattern


def _sre_arguments(pattern: re.Pattern[str]) -> tuple[Any, ...] | None:
    """The arguments ``re`` gives ``_sre.compile`` for ``pattern`` (as ``re._compiler.compile``
    works them out), or None unless a pattern rebuilt from them equals ``pattern``."""
    try:
        parsed = _parser.parse(pattern.pattern, pattern.flags & ~re.UNICODE)
        code = [int(op) for op in _compiler._code(parsed, pattern.flags & ~re.UNICODE)]
        groupindex = dict(parsed.state.groupdict)
        indexgroup: list[str | None] = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        arguments = (
            pattern.pattern,
            pattern.flags & ~re.UNICODE | parsed.state.flags,
            code,
            parsed.state.groups - 1,
            groupindex,
            tuple(indexgroup),
        )
        rebuilt = _sre.compile(*arguments)
    except Exception:  # internals that changed: no cache, ``re`` compiles every run as it did
        return None
    same = (rebuilt.pattern, rebuilt.flags, rebuilt.groups, rebuilt.groupindex) == (
        pattern.pattern,
        pattern.flags,
        pattern.groups,
        pattern.groupindex,
    )
    return arguments if same else None


@contextmanager
def _ids_skip_retired_names() -> Iterator[None]:
    found = getattr(spacy_vocab, "intify_attrs", None)
    if found is None or getattr(spacy_tokenizer, "intify_attrs", None) is not found:
        yield  # another spaCy, or someone else's replacement: left as it is
        return
    original = cast("Callable[..., Any]", found)  # not None: checked above

    def intify_attrs(stringy_attrs: Any, strings_map: Any = None, _do_deprecated: bool = False) -> Any:
        # The retired-name pass only ever removes or renames *string* keys.
        if _do_deprecated and all(type(name) is int for name in stringy_attrs):
            _do_deprecated = False
        return original(stringy_attrs, strings_map, _do_deprecated)

    spacy_vocab.intify_attrs = intify_attrs  # Cython reads module globals at each call
    spacy_tokenizer.intify_attrs = intify_attrs
    try:
        yield
    finally:
        spacy_vocab.intify_attrs = original
        spacy_tokenizer.intify_attrs = original
