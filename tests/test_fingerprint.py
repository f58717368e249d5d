"""Fingerprints are stored in users' baselines: the fast way of computing them must give, for any
text and span, exactly the hash the plain definition gives."""

from __future__ import annotations

import hashlib
import random
import re

from claimlint.fingerprint import NEIGHBOURS, fingerprint

_WORD = re.compile(r"\w+", re.UNICODE)


def reference(path: str, rule_id: str, text: str, start: int, end: int, bounds: tuple[int, int]) -> str:
    """The definition, written out: three words either side within 80 characters, in the paragraph."""
    lo, hi = bounds
    before = _WORD.findall(text[max(lo, start - 80) : start])[-NEIGHBOURS:]
    claim = _WORD.findall(text[start:end])
    after = _WORD.findall(text[end : min(hi, end + 80)])[:NEIGHBOURS]
    words = "\x1f".join((" ".join(before), " ".join(claim), " ".join(after))).lower()
    key = "\x1f".join((path, "", "", rule_id, words))
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:20]


def test_fingerprint_equals_its_definition_on_random_text_and_spans() -> None:
    rng = random.Random(11)
    # Long and short words, glued punctuation, non-ASCII letters, digits, runs of spaces and
    # newlines: the cases where a window's edge cuts a word or holds fewer words than wanted.
    vocab = ["a", "I", "to", "skin", "collagen", "anti-aging", "über", "naïve", "10,000", "x2", "déjà-vu",
             "—", "...", "¹", "  ", "\n", "supercalifragilisticexpialidocious", "é", "snake_case", "\t", "(x)",
             "a/b", "\x1f", "#1"]  # fmt: skip
    checked = ascii_windows = 0
    for _ in range(400):
        text = " ".join(rng.choice(vocab) for _ in range(rng.randint(1, 80)))
        for _ in range(10):
            start = rng.randint(0, len(text))
            end = rng.randint(start, min(len(text), start + 60))
            lo = rng.randint(0, start)
            hi = rng.randint(end, len(text))
            got = fingerprint("p.md", "DIS-ACNE", text, start, end, bounds=(lo, hi))
            assert got == reference("p.md", "DIS-ACNE", text, start, end, (lo, hi)), (text, start, end, lo, hi)
            checked += 1
            ascii_windows += text[max(lo, start - 80) : min(hi, end + 80)].isascii()
    assert checked == 4000
    assert 200 < ascii_windows < 3800  # both ways of reading words are checked


def test_fingerprint_changes_with_the_words_around_the_claim_and_not_with_what_is_far() -> None:
    text = "Our serum gently cures acne overnight for everyone."
    start, end = text.index("cures"), text.index(" overnight")
    base = fingerprint("p.md", "DIS-ACNE", text, start, end)
    near = "Our serum really cures acne overnight for everyone."
    assert fingerprint("p.md", "DIS-ACNE", near, near.index("cures"), near.index(" overnight")) != base
    far = "Far away words. " * 8 + text
    shift = len(far) - len(text)
    assert fingerprint("p.md", "DIS-ACNE", far, start + shift, end + shift) == base


def test_a_process_hashes_its_first_fingerprints_without_openssl_and_the_rest_with_it_alike() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from claimlint import fingerprint as fp\n"
        "text = 'Our serum visibly stimulates collagen production, déjà-vu.'\n"
        "first = [fp.fingerprint('copy.md', 'SF-COLLAGEN', text, 14, 46), fp.fingerprint('c.md', 'X-Y', text, 47, 58)]\n"
        "before = '_hashlib' in sys.modules\n"
        "for i in range(fp.OPENSSL_AFTER):\n"
        "    fp.fingerprint('copy.md', f'R-{i}', text, 0, 10)\n"
        "again = [fp.fingerprint('copy.md', 'SF-COLLAGEN', text, 14, 46), fp.fingerprint('c.md', 'X-Y', text, 47, 58)]\n"
        "print(before, '_hashlib' in sys.modules, again == first, *first)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    text = "Our serum visibly stimulates collagen production, déjà-vu."
    whole = (0, len(text))
    expected = [reference("copy.md", "SF-COLLAGEN", text, 14, 46, whole), reference("c.md", "X-Y", text, 47, 58, whole)]
    assert out == ["False", "True", "True", *expected]
