"""spaCy's tokenizer for claimlint's pipeline: the one spaCy builds, built in half the time.

A fresh ``claimlint check`` builds its tokenizer on every run, and two parts of that work come
out the same every time:

- **The prefix, suffix and infix expressions.** Python's ``re`` parses and compiles them (their
  character classes run to thousands of ranges), about 23 ms. They are compiled while
  :mod:`claimlint.regexes` keeps what ``re`` hands to ``_sre``, and are rebuilt from that the next
  time: 0.3 ms.
- **The 1,347 special cases** ("don't", "e.g."). spaCy passes each token of each case through
  ``intify_attrs(..., _do_deprecated=True)`` twice, which looks for sixty retired attribute
  *names*, three string comparisons each. English's exceptions are keyed by attribute *IDs*, so
  that pass cannot find anything. While the tokenizer is built, a dict keyed by IDs alone skips
  it; any other dict gets spaCy's full treatment. About 28 ms.

The tokenizer is the same object spaCy's own factory makes: same expressions, rules and matchers
(the tests compare the two token by token).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, cast

import spacy.tokenizer
import spacy.vocab
from spacy import util
from spacy.language import BaseDefaults
from spacy.tokenizer import Tokenizer
from spacy.vocab import Vocab, create_vocab

from claimlint import regexes

# The two spaCy modules that call ``intify_attrs`` while special cases are added (typed as Any: the
# name is not in their stubs).
spacy_vocab: Any = spacy.vocab
spacy_tokenizer: Any = spacy.tokenizer

_LOCK = threading.Lock()  # one build at a time holds spaCy's ``intify_attrs`` swapped


def build(defaults: type[BaseDefaults], lang: str) -> Tokenizer:
    """The tokenizer a ``Language`` with these defaults makes, on a vocabulary of its own made as
    that language makes it, with its special cases loaded without the retired-name pass and its
    expressions compiled through :func:`claimlint.regexes.kept`."""
    with _LOCK, _ids_skip_retired_names(), regexes.kept():
        return tokenizer_for(create_vocab(lang, defaults), defaults)


def tokenizer_for(vocab: Vocab, defaults: type[BaseDefaults]) -> Tokenizer:
    """What spaCy's registered tokenizer factory (``spacy.Tokenizer.v1``) returns for a language
    with these defaults on ``vocab``, made directly rather than through spaCy's registry and config."""
    prefixes, suffixes, infixes = defaults.prefixes, defaults.suffixes, defaults.infixes
    return Tokenizer(
        vocab,
        rules=defaults.tokenizer_exceptions,
        prefix_search=util.compile_prefix_regex(prefixes).search if prefixes else None,
        suffix_search=util.compile_suffix_regex(suffixes).search if suffixes else None,
        infix_finditer=util.compile_infix_regex(infixes).finditer if infixes else None,
        token_match=defaults.token_match,
        url_match=defaults.url_match,
    )


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
