"""The floor: a literal multi-pattern scan (pyahocorasick) of every trigger word of the rule packs,
in every inflection the lemma table knows, over a file's lowercased text. Prints the hit count and
the seconds the scan itself took."""

from __future__ import annotations

import sys
import time

import ahocorasick

from claimlint.nlp.lemmas import lookup_table
from claimlint.nlp.pipeline import compiled_rules, get_pipeline


def triggers() -> set[str]:
    _, nlp = get_pipeline()
    lemmas = {t for t in compiled_rules(nlp).trigger_lemmas if not t.startswith(("=", "#"))}
    words = set(lemmas)
    words.update(form.lower() for form, lemma in lookup_table().items() if lemma.lower() in lemmas)
    return {w for w in words if len(w) > 1}


def main() -> None:
    automaton = ahocorasick.Automaton()
    for word in triggers():
        automaton.add_word(word, word)
    automaton.make_automaton()
    started = time.perf_counter()
    with open(sys.argv[1], encoding="utf-8") as fh:
        text = fh.read().lower()
    hits = sum(1 for _ in automaton.iter(text))
    # The hits, and the seconds of the scan alone (read, lowercase, scan), without start-up.
    print(hits, f"{time.perf_counter() - started:.3f}")


if __name__ == "__main__":
    main()
