"""Write a deterministic product catalog CSV (sku, name, description) for benchmarks.

python benchmarks/make_catalog.py OUT.csv --rows 1000000 [--claim-rate 0.1] [--seed 7]
"""

from __future__ import annotations

import argparse
import csv
import random

NAMES = ["Glow Serum", "Night Cream", "Scalp Tonic", "Hair Gummies", "Eye Gel", "Body Butter", "Lip Oil", "Face Mist"]
CLEAN = [
    "A lightweight gel cream with squalane and ceramides for a soft, smooth feel.",
    "Leaves skin looking radiant and refreshed after every use.",
    "Formulated with niacinamide to minimise the look of pores.",
    "A rich body butter with shea and cocoa for very dry skin.",
    "Gently cleanses without stripping, for a fresh and balanced feel.",
    "Adds shine and softness to dry-looking hair.",
    "A cooling eye gel that refreshes tired-looking eyes.",
    "Fragrance-free and suitable for sensitive skin.",
]
CLAIMS = [
    "Stimulates collagen production for firmer skin.",
    "Clinically proven to reduce wrinkles by 45%.",
    "Treats acne and calms rosacea overnight.",
    "Regrows hair in just 30 days.",
    "Made with human stem cell exosomes.",
    "The natural alternative to Botox.",
    "100% pure with no side effects.",
    "My eczema is completely gone!",
]


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
            sentences = [rng.choice(CLEAN), rng.choice(CLEAN)]
            if rng.random() < args.claim_rate:
                sentences[rng.randrange(2)] = rng.choice(CLAIMS)
            writer.writerow([f"SKU{i:07d}", rng.choice(NAMES), " ".join(sentences)])


if __name__ == "__main__":
    main()
