"""Words per second of the linter in-process, start-up apart, on the benchmark copy of
`corpora.py` (deterministic, seeded). Not a test: a number.

    python benchmarks/throughput.py [--words 200000] [--claim-rate 0.1] [--seed 7]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

from claimlint.engine import Linter, Settings

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpora import generate  # noqa: E402 - beside this file


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--words", type=int, default=200_000)
    parser.add_argument("--claim-rate", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    t0 = time.perf_counter()
    linter = Linter(Settings()).warm()
    startup = time.perf_counter() - t0
    text = generate(args.words, args.claim_rate, args.seed)
    n = len(text.split())
    t0 = time.perf_counter()
    findings = linter.lint_text(text)
    elapsed = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"words={n:,} claim_rate={args.claim_rate} findings={len(findings):,}")
    print(f"pipeline build {startup:.2f}s · lint {elapsed:.2f}s · {n / elapsed:,.0f} words/s · peak RSS {rss:.0f} MB")


if __name__ == "__main__":
    main()
