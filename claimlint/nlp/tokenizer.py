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

A third part need not be done at all by a command that checks one small file: of the special cases
it uses a handful. :func:`build_lazy` makes the tokenizer with none of them, and
:class:`SpecialCases` adds them as the texts it is given need them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Final, cast

import spacy.tokenizer
import spacy.vocab
from spacy import util
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.vocab import Vocab, create_vocab

from claimlint import regexes

if TYPE_CHECKING:
    from claimlint.nlp.english import ClaimDefaults

# The two spaCy modules that call ``intify_attrs`` while special cases are added (typed as Any: the
# name is not in their stubs).
spacy_vocab: Any = spacy.vocab
spacy_tokenizer: Any = spacy.tokenizer

_LOCK = threading.Lock()  # one build at a time holds spaCy's ``intify_attrs`` swapped
# Special cases are added as texts need them until this many characters have been looked through;
# then every one still left, at once (looking for 1,343 cases costs about 0.25 ms per 1,000
# characters, adding them all 35-45 ms).
LAZY_CHARS: Final = 10_000


def build(defaults: type[ClaimDefaults], lang: str) -> Tokenizer:
    """The tokenizer a ``Language`` with these defaults makes, on a vocabulary of its own made as
    that language makes it, with its special cases loaded without the retired-name pass and its
    expressions compiled through :func:`claimlint.regexes.kept` (:func:`build_lazy`, completed)."""
    return build_lazy(defaults, lang).complete()


def build_lazy(defaults: type[ClaimDefaults], lang: str) -> SpecialCases:
    """:func:`build`'s tokenizer with only the special cases that hold whitespace, the others left
    to :class:`SpecialCases` to add as texts need them."""
    rules = defaults.tokenizer_exceptions or {}
    now = {key: tokens for key, tokens in rules.items() if any(c.isspace() for c in key)}
    with _LOCK, _ids_skip_retired_names(), regexes.kept():
        made = tokenizer_for(create_vocab(lang, defaults), defaults, now)
    return SpecialCases(made, {key: tokens for key, tokens in rules.items() if key not in now})


class SpecialCases:
    """The special cases ("don't", "e.g.", ":)") of a tokenizer built without them, added as the
    texts it is given need them: :meth:`tokenize` adds those a text can use, then tokenizes it;
    :meth:`complete` adds every one left.

    Adding English's 1,343 costs a fresh process 35-45 ms (each makes its tokens' lexemes, and most
    go through the affix rules for spaCy's special-case matcher), a tenth of checking a small file.
    A case can only change how a text is tokenized if the text holds it with its whitespace taken
    out: spaCy looks a case up by a substring of one whitespace-separated chunk, and finds those with
    affixes ("e.g.", ":)") by their tokens, which stand in the text in order with at most whitespace
    between them. Adding one changes nothing else: spaCy drops its cache of tokenized chunks at
    each, and the matcher pattern it makes for a case comes from the affix rules alone
    (``_tokenize_affixes(case, False)`` reads no other case). The tokens are then the ones the
    tokenizer with every case gives (a test compares them on generated copy full of cases).

    While cases are left, texts are tokenized one at a time (a case added while another thread
    tokenizes would change spaCy's tables under it); once none is, as the tokenizer allows.
    """

    def __init__(self, tokenizer: Tokenizer, cases: dict[str, Any]) -> None:
        self.tokenizer = tokenizer
        self.keys: frozenset[str] = frozenset(cases) | frozenset(tokenizer.rules or ())
        self._pending: dict[str, Any] = dict(sorted(cases.items()))  # added in spaCy's order
        self._left = LAZY_CHARS
        self._lock = threading.Lock()

    @property
    def pending(self) -> int:
        """How many cases are still to be added."""
        return len(self._pending)

    def tokenize(self, text: str) -> Doc:
        """``text`` tokenized, the cases it can use added first (every one left, once LAZY_CHARS
        characters have been looked through)."""
        if not self._pending:
            doc: Doc = self.tokenizer(text)
            return doc
        with self._lock:
            pending = self._pending
            if pending:
                self._left -= len(text)
                if self._left < 0:
                    wanted = list(pending)
                else:
                    compact = "".join(text.split())
                    wanted = [key for key in pending if key in compact]
                if wanted:
                    self._add(wanted)
            doc = self.tokenizer(text)
            return doc

    def complete(self) -> Tokenizer:
        """The tokenizer, with every case added."""
        if self._pending:
            with self._lock:
                self._add(list(self._pending))
        return self.tokenizer

    def _add(self, keys: list[str]) -> None:
        with _LOCK, _ids_skip_retired_names():
            for key in keys:
                self.tokenizer.add_special_case(key, self._pending.pop(key))


def tokenizer_for(vocab: Vocab, defaults: type[ClaimDefaults], rules: dict[str, Any] | None = None) -> Tokenizer:
    """What spaCy's registered tokenizer factory (``spacy.Tokenizer.v1``) returns for a language
    with these defaults on ``vocab``, made directly rather than through spaCy's registry and config
    (with ``rules`` for special cases instead of the language's, if given)."""
    prefixes, suffixes, infixes = defaults.prefixes, defaults.suffixes, defaults.infixes
    return Tokenizer(
        vocab,
        rules=defaults.tokenizer_exceptions if rules is None else rules,
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
