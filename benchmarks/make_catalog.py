"""Write a deterministic product catalog CSV (sku, name, description) for benchmarks; the
descriptions come from `corpora.sentence`, the same copy as the text benchmarks.

python benchmarks/make_catalog.py OUT.csv --rows 1000000 [--claim-rate 0.1] [--seed 7]
"""

from __future__ import annotations

import argparse
import csv
import random

from corpora import sentence

NAMES = ["Glow Serum", "Night Cream", "Scalp Tonic", "Hair Gummies", "Eye Gel", "Body Butter", "Lip Oil", "Face Mist"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--claim-rate", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with open(args.out, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["sku", "name", "description"])
        for i in range(args.rows):
            # Same copy generator as the text corpora: one place for benchmark sentences.
            claim_at = rng.randrange(2) if rng.random() < args.claim_rate else -1
            description = " ".join(sentence(rng, k == claim_at) for k in range(2))
            writer.writerow([f"SKU{i:07d}", rng.choice(NAMES), description])


if __name__ == "__main__":
    main()
