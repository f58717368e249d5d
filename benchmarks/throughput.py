"""Words per second of `claimlint check` on generated copy (deterministic, seeded).

    python benchmarks/throughput.py [--words 200000] [--claim-rate 0.1] [--seed 7]

Copy is built from the rule packs' own pass examples (compliant sentences) with a share of flag
examples (claims), so it exercises the whole pipeline, not a trivial path. Not a test: a number.
"""

from __future__ import annotations

import argparse
import random
import resource
import time

from claimlint.engine import Linter, Settings
from claimlint.ruletest import unmark


def corpus(words: int, claim_rate: float, seed: int, linter: Linter) -> str:
    rng = random.Random(seed)
    claims = [unmark(e)[0] for r in linter.rulebook.rules for e in r.examples.flag]
    clean = [e for r in linter.rulebook.rules for e in r.examples.pass_]
    out: list[str] = []
    count = 0
    paragraph: list[str] = []
    while count < words:
        sentence = rng.choice(claims) if rng.random() < claim_rate else rng.choice(clean)
        paragraph.append(sentence)
        count += len(sentence.split())
        if len(paragraph) >= rng.randint(3, 8):
            out.append(" ".join(paragraph))
            paragraph = []
    out.append(" ".join(paragraph))
    return "\n\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--words", type=int, default=200_000)
    parser.add_argument("--claim-rate", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    t0 = time.perf_counter()
    linter = Linter(Settings())
    startup = time.perf_counter() - t0
    text = corpus(args.words, args.claim_rate, args.seed, linter)
    n = len(text.split())
    t0 = time.perf_counter()
    findings = linter.lint_text(text)
    elapsed = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"words={n:,} claim_rate={args.claim_rate} findings={len(findings):,}")
    print(f"pipeline build {startup:.2f}s · lint {elapsed:.2f}s · {n / elapsed:,.0f} words/s · peak RSS {rss:.0f} MB")


if __name__ == "__main__":
    main()
