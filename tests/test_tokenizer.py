"""claimlint's tokenizer build (kept affix expressions, special cases without the retired-name
pass) makes the tokenizer spaCy's own factory makes, from a cold cache and a warm one; and kept
regular expressions (claimlint.regexes) are the ones ``re`` compiles."""

from __future__ import annotations

import pickle
import random
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import spacy.attrs
import spacy.tokenizer
import spacy.vocab
from spacy import util
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

from claimlint import diskcache, regexes
from claimlint.nlp import tokenizer
from claimlint.nlp.english import FOOTNOTE_SUFFIXES, LANG, ClaimDefaults
from claimlint.nlp.pipeline import ClaimEnglish

from conftest import sample_copy

TRICKY = (
    "Don't miss it: we're gonna say y'all can't lose. E.g. at 9 a.m. on Mar. 3rd, N.Y.C. "
    "(see wrinkles¹ and results[2]); visit https://example.com/a?b=c or mail me@x.io :) <3 "
    "U.S.-made, 10,000x more, 99.9%-pure, \"clinically-proven\"… 'cause o' that — ’s ok’d."
)


def _tokens(tokenize: Callable[[str], Doc], texts: list[str]) -> list[list[tuple[int, str, str, bool]]]:
    return [[(t.idx, t.text, t.norm_, t.is_punct) for t in tokenize(text)] for text in texts]


def _build() -> Tokenizer:
    return tokenizer.build(ClaimDefaults, LANG)


def _spacys_own() -> Language:
    return ClaimEnglish()  # spaCy's registered tokenizer factory, spaCy's intify_attrs


def test_claimlints_language_data_is_spacys_english_with_footnote_suffixes() -> None:
    from spacy.lang.en import EnglishDefaults

    names = [name for name in vars(ClaimDefaults) if not name.startswith("__")]
    assert len(names) == 10  # what a BaseDefaults gives that the tokenizer and create_vocab read
    for name in names:
        ours, spacys = getattr(ClaimDefaults, name), getattr(EnglishDefaults, name)
        if name == "suffixes":
            assert ours == [*spacys, *FOOTNOTE_SUFFIXES]
        elif name == "writing_system":
            assert ours == spacys
        else:
            assert ours is spacys, name
    assert ClaimEnglish.lang == LANG
    assert ClaimEnglish.Defaults.suffixes == ClaimDefaults.suffixes
    assert pickle.loads(pickle.dumps(ClaimEnglish)) is ClaimEnglish


def test_the_tokenizer_is_spacys_own_cold_and_warm(cache: Path) -> None:
    texts = [TRICKY, *sample_copy()[::7]]
    reference = _spacys_own()
    re.purge()  # as in a fresh process: re's own in-process cache would answer instead
    cold = _build()
    assert sorted(p.name for p in cache.glob(f"{regexes.KIND}-*.pickle")) != []  # the cold build filled it
    re.purge()
    warm = _build()  # its expressions rebuilt from what the cold build kept
    expected = _tokens(reference.make_doc, texts)
    assert _tokens(cold, texts) == expected
    assert _tokens(warm, texts) == expected
    for ours_ in (cold, warm):
        assert ours_.rules == reference.tokenizer.rules
        for attribute in ("prefix_search", "suffix_search", "infix_finditer"):
            ours, theirs = getattr(ours_, attribute).__self__, getattr(reference.tokenizer, attribute).__self__
            assert (ours.pattern, ours.flags, ours.groups) == (theirs.pattern, theirs.flags, theirs.groups)
        assert ours_.token_match == reference.tokenizer.token_match
        assert ours_.url_match == reference.tokenizer.url_match
        # The vocabulary is made as spaCy's English makes it: the same lexical attributes.
        assert [(t.is_stop, t.like_num, t.lang_, t.norm_) for t in ours_(TRICKY)] == [
            (t.is_stop, t.like_num, t.lang_, t.norm_) for t in reference.make_doc(TRICKY)
        ]


def _compiled_kept(compile: object) -> re.Pattern[str]:
    re.purge()  # re's own in-process cache would answer before it compiles anything
    with regexes.kept():
        pattern: re.Pattern[str] = compile()  # type: ignore[operator]
    return pattern


def test_a_pattern_kept_is_rebuilt_not_compiled(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    prefixes = ClaimDefaults.prefixes
    assert prefixes
    first = _compiled_kept(lambda: util.compile_prefix_regex(prefixes))
    assert list(cache.glob(f"{regexes.KIND}-*.pickle"))  # kept on the way out

    def never(p: object, flags: int = 0) -> re.Pattern[str]:
        raise AssertionError(f"compiled although it was kept: {p!r}")

    monkeypatch.setattr(regexes._compiler, "compile", never)
    second = _compiled_kept(lambda: util.compile_prefix_regex(prefixes))
    assert second is not first and (second.pattern, second.flags, second.groups) == (
        first.pattern,
        first.flags,
        first.groups,
    )
    assert regexes._compiler.compile is never  # put back as it was found
    rng = random.Random(5)
    alphabet = "\"'([{¿¡<*$£€#&~-.…,:;!?%°)]}>abcXYZ019 \u2018\u2019\u201c\u201d"
    for _ in range(3_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 8)))
        assert (m.span() if (m := first.search(text)) else None) == (m.span() if (m := second.search(text)) else None)


def test_a_kept_pattern_that_cannot_be_used_is_compiled_afresh(cache: Path) -> None:
    infixes = ClaimDefaults.infixes
    assert infixes
    expected = util.compile_infix_regex(infixes)
    _compiled_kept(lambda: util.compile_infix_regex(infixes))
    (entry,) = cache.glob(f"{regexes.KIND}-*.pickle")
    key, table = pickle.loads(entry.read_bytes())
    good = table[(expected.pattern, 0)]
    entry.write_bytes(pickle.dumps((key, {**table, (expected.pattern, 0): ("not", "sre", "arguments")})))
    again = _compiled_kept(lambda: util.compile_infix_regex(infixes))
    assert (again.pattern, again.flags, again.groups) == (expected.pattern, expected.flags, expected.groups)
    assert pickle.loads(entry.read_bytes())[1][(expected.pattern, 0)] == good  # replaced by a good one


def test_the_sre_arguments_rebuild_the_same_pattern() -> None:
    pattern = re.compile(r"(?P<word>\w+)(?i:abc)|^[^\W\d_]{2,}|x$", re.MULTILINE)
    arguments = regexes.sre_arguments(pattern)
    assert arguments is not None
    rebuilt = regexes._sre.compile(*arguments)
    assert (rebuilt.pattern, rebuilt.flags, rebuilt.groupindex) == (pattern.pattern, pattern.flags, pattern.groupindex)
    for text in ("hello ABC", "ab\ncd x", "42 aBc", "x"):
        assert [m.span() for m in rebuilt.finditer(text)] == [m.span() for m in pattern.finditer(text)]


def test_patterns_compiled_meanwhile_are_re_s_own_whatever_their_flags(cache: Path) -> None:
    """Every kind of pattern goes through: flags given as numbers or enums, bytes patterns (left
    to re), named groups; cold and warm alike."""
    cases = [
        (r"(?P<a>\d+)-(?P<b>\w+)", 0),
        (r"caf[eé]\b", re.IGNORECASE),
        (r"^\s*#", re.MULTILINE | re.VERBOSE),
        (r"[^\x00-\x7f]+", re.ASCII),
        (rb"\x00+", 0),
    ]
    for _ in ("cold", "warm"):
        re.purge()
        with regexes.kept():
            ours = [re.compile(p, f) for p, f in cases]
        re.purge()
        theirs = [re.compile(p, f) for p, f in cases]
        for a, b in zip(ours, theirs, strict=True):
            assert (a.pattern, a.flags, a.groups, a.groupindex) == (b.pattern, b.flags, b.groups, b.groupindex)
        assert ours[0].match("42-abc").groupdict() == {"a": "42", "b": "abc"}
        assert ours[1].search("CAFÉ au lait") and ours[4].search(b"a\x00b")


def test_no_cache_means_no_entry_and_the_same_pattern(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAIMLINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("CLAIMLINT_NO_CACHE", "1")
    suffixes = ClaimDefaults.suffixes
    assert suffixes
    kept = _compiled_kept(lambda: util.compile_suffix_regex(suffixes))
    assert kept.pattern == util.compile_suffix_regex(suffixes).pattern
    assert diskcache.cache_dir() is None
    assert not (tmp_path / "cache").exists()


def test_spacy_is_left_as_it_was_after_a_build_even_a_failed_one(monkeypatch: pytest.MonkeyPatch) -> None:
    original = spacy.vocab.intify_attrs
    _build()
    assert spacy.vocab.intify_attrs is original and spacy.tokenizer.intify_attrs is original

    def broken(*args: object) -> Tokenizer:
        assert spacy.vocab.intify_attrs is not original  # swapped while building
        raise RuntimeError("boom")

    monkeypatch.setattr(tokenizer, "tokenizer_for", broken)
    with pytest.raises(RuntimeError, match="boom"):
        _build()
    assert spacy.vocab.intify_attrs is original and spacy.tokenizer.intify_attrs is original


def test_attributes_keyed_by_name_still_get_spacys_full_treatment() -> None:
    """Only dicts keyed by IDs alone skip the retired-name pass: a name is still renamed."""
    original = spacy.vocab.intify_attrs
    with tokenizer._ids_skip_retired_names():
        swapped = spacy.vocab.intify_attrs
        assert swapped({"F": "x"}, _do_deprecated=True) == original({"F": "x"}, _do_deprecated=True)
        assert swapped({"ORTH": "x", "number": 1}, _do_deprecated=True) == {spacy.attrs.ORTH: "x"}
        assert swapped({65: "x"}, _do_deprecated=True) == original({65: "x"}, _do_deprecated=True)


def test_someone_elses_replacement_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    theirs = spacy.tokenizer.intify_attrs

    def replacement(*args: object, **kwargs: object) -> object:
        return theirs(*args, **kwargs)

    monkeypatch.setattr(spacy.tokenizer, "intify_attrs", replacement)
    built = _build()
    assert spacy.tokenizer.intify_attrs is replacement
    assert [t.text for t in built("Don't stop.")] == ["Do", "n't", "stop", "."]


def _copy_full_of_cases(rng: random.Random, cases: list[str]) -> str:
    """Product copy with special cases dropped in: whole, glued to punctuation, cased otherwise, and
    cut by whitespace (where spaCy's matcher for cases with affixes still finds their tokens)."""
    glue = ["(", ")", ".", ",", "!", '"', "'", "-", "…", "10", "%", ":", "a.m.", "e.g", "''", "skin", "acne"]
    parts = []
    for _ in range(rng.randint(1, 30)):
        word = rng.choice(cases) if rng.random() < 0.4 else rng.choice(glue)
        if rng.random() < 0.3:
            word = rng.choice(glue) + word
        if rng.random() < 0.3:
            word += rng.choice(glue)
        if rng.random() < 0.25 and len(word) > 1:
            cut = rng.randrange(1, len(word))
            word = word[:cut] + rng.choice([" ", "  ", "\n"]) + word[cut:]
        if rng.random() < 0.2:
            word = word.upper() if rng.random() < 0.5 else word.capitalize()
        parts.append(word + rng.choice([" ", " ", "", "  ", "\n", "\t", "\xa0"]))
    return "".join(parts)


def test_special_cases_added_as_texts_need_them_give_the_tokens_of_all_of_them() -> None:
    defaults = ClaimDefaults
    every = _build()
    cases = sorted(defaults.tokenizer_exceptions)
    rng = random.Random(17)
    texts = [TRICKY, *sample_copy()[:20]]
    compared = lazily = 0
    for _ in range(40):
        lazy = tokenizer.build_lazy(defaults, LANG)
        assert lazy.pending == len(cases) - 4  # those holding whitespace (" ", "\n", ...) come with it
        assert lazy.keys == frozenset(cases)
        for text in [rng.choice(texts), *(_copy_full_of_cases(rng, cases) for _ in range(rng.randint(1, 30)))]:
            lazily += lazy.pending > 0
            assert _tokens(lazy.tokenize, [text]) == _tokens(every, [text]), text
            compared += 1
        assert lazy.complete() is lazy.tokenizer and lazy.pending == 0
        assert lazy.tokenizer.rules == every.rules
    assert compared > 500 and lazily > 400  # most texts met a tokenizer still missing cases


def test_special_cases_all_come_once_enough_text_has_been_looked_through() -> None:
    lazy = tokenizer.build_lazy(ClaimDefaults, LANG)
    lazy.tokenize("Don't stop.")
    assert 0 < lazy.pending < len(ClaimDefaults.tokenizer_exceptions) - 4  # "don't" is in
    assert [t.text for t in lazy.tokenize("Don't stop.")] == ["Do", "n't", "stop", "."]
    lazy.tokenize("x " * (tokenizer.LAZY_CHARS // 2))
    assert lazy.pending == 0


def test_a_pipeline_hands_out_and_forks_a_tokenizer_with_every_case() -> None:
    from claimlint.engine import Linter, Settings
    from claimlint.nlp.pipeline import ClaimPipeline

    lazy = tokenizer.build_lazy(ClaimDefaults, LANG)
    pipeline = ClaimPipeline(lazy, [])
    assert [t.text for t in pipeline.make_doc("We can't.")] == ["We", "ca", "n't", "."]
    assert lazy.pending > 0
    assert pipeline.tokenizer is lazy.tokenizer and lazy.pending == 0  # handed out whole
    linter = Linter(Settings()).warm()  # what runs before workers are forked
    assert [t.text for t in linter.pipeline.tokenizer("e.g. U.S.")] == ["e.g.", "U.S."]
    assert linter.pipeline._cases is None
