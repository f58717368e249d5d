"""Deterministic benchmark copy: realistic product text where about one sentence in ten (or every
sentence) carries a claim. Templates and vocabularies are this file's own, not the rule packs'
examples, so the copy is not shaped like the rules.

    python benchmarks/corpora.py OUT.txt --words 1000000 --claim-rate 0.1 --seed 7
"""

from __future__ import annotations

import argparse
import random

PRODUCTS = ["serum", "night cream", "gel cream", "face oil", "cleanser", "toner", "eye balm", "body lotion", "shampoo",
            "conditioner", "scalp tonic", "hand cream", "lip oil", "sheet mask", "mist", "body wash", "hair mask"]  # fmt: skip
TEXTURES = ["lightweight", "silky", "rich", "whipped", "fast-absorbing", "non-greasy", "velvety", "cooling", "creamy"]
INGREDIENTS = ["squalane", "ceramides", "niacinamide", "shea butter", "jojoba oil", "aloe vera", "green tea", "glycerin",
               "panthenol", "rosehip oil", "oat extract", "hyaluronic acid", "vitamin E", "cucumber water", "argan oil"]  # fmt: skip
FEELS = ["soft", "smooth", "comfortable", "refreshed", "nourished", "supple", "balanced", "fresh"]
LOOKS = ["radiant", "dewy", "glowing", "healthy-looking", "luminous", "even-looking", "smoother-looking"]
SCENTS = ["citrus", "lavender", "vanilla", "fresh linen", "white tea", "fig", "sandalwood", "green apple"]
CLEAN = [
    "This {texture} {product} is made with {ing1} and {ing2}.",
    "It leaves skin feeling {feel} and looking {look}.",
    "Apply a small amount to clean skin morning and evening.",
    "The {product} has a light {scent} scent that fades as it dries.",
    "Our {texture} formula sinks in quickly and layers well under makeup.",
    "Massage gently into damp hair, leave for two minutes, then rinse.",
    "Free from parabens, sulfates and synthetic dyes.",
    "Packaged in a recyclable glass bottle with a pump.",
    "Suitable for all skin types, including sensitive skin.",
    "Pair it with our {product} for a simple evening routine.",
    "Each bottle holds 50 ml, enough for about two months of daily use.",
    "Customers love the {texture} texture and the {scent} scent.",
    "Store in a cool, dry place away from direct sunlight.",
    "Gives hair a {look} shine without weighing it down.",
]
CLAIMS = [
    "It stimulates collagen production for firmer skin.",
    "Clinically proven to reduce wrinkles by {pct}% in {n} weeks.",
    "This {product} treats acne and calms rosacea flare-ups.",
    "Regrows thinning hair in just {n} weeks.",
    "Made with exosomes from human stem cells.",
    "The natural alternative to Botox, with no needles.",
    "100% pure, with absolutely no side effects.",
    "My eczema cleared up completely after a week!",
    "Boosts cell renewal and repairs damaged tissue.",
    "Delivers {mult} times more hydration than other brands.",
    "Dermatologist recommended and FDA approved.",
    "Reduces inflammation and heals cracked skin overnight.",
]


def sentence(rng: random.Random, claim: bool) -> str:
    template = rng.choice(CLAIMS if claim else CLEAN)
    return template.format(
        product=rng.choice(PRODUCTS), texture=rng.choice(TEXTURES), ing1=rng.choice(INGREDIENTS), ing2=rng.choice(INGREDIENTS),
        feel=rng.choice(FEELS), look=rng.choice(LOOKS), scent=rng.choice(SCENTS), pct=rng.randint(20, 95),
        n=rng.randint(2, 12), mult=rng.choice([2, 3, 5, 10]),
    )  # fmt: skip


def generate(words: int, claim_rate: float, seed: int) -> str:
    rng = random.Random(seed)
    paragraphs: list[str] = []
    count = 0
    while count < words:
        para = [sentence(rng, rng.random() < claim_rate) for _ in range(rng.randint(3, 7))]
        count += sum(len(s.split()) for s in para)
        paragraphs.append(" ".join(para))
    return "\n\n".join(paragraphs) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--words", type=int, default=1_000_000)
    parser.add_argument("--claim-rate", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with open(args.out, "w", encoding="utf-8") as fh:
        fh.write(generate(args.words, args.claim_rate, args.seed))


if __name__ == "__main__":
    main()
