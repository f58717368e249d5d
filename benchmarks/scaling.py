"""How claimlint's time grows with input size and with the number of rules.

    python benchmarks/scaling.py                       # corpus (a) at 100k, 1M and 10M words
    python benchmarks/scaling.py --base 20000 --jobs 1 # a quick look

Input: corpus (a) (one sentence in ten a claim, seed 7) at 1×, 10× and 100× of ``--base`` words,
each run as ``claimlint check FILE -f json -o OUT``. Rules: the built-in packs, then the built-in
packs plus nine times as many synthetic rules (verb–object and phrase patterns over random English
words from the lemma tables, seeded), on the 10× corpus. Prints wall time, words per second and the
ratio to the first row. Start-up (a one-line file, with the same rules) is measured apart and taken
off, so "net words/s" is the rate of the work that grows: linear in input means it stays constant,
flat in rules means the two 10× rows are close.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import measure  # noqa: E402 - beside this file


def timed(cmd: list[str]) -> tuple[float, float]:
    wall, rss, _ = measure.timed(cmd, ok=(0, 1))  # 1: claims found
    return wall, rss


def synthetic_pack(n: int, seed: int) -> dict[str, object]:
    """``n`` valid rules over random English words: the shape of real rules, none of their words."""
    from claimlint.nlp.lemmas import lookup_table

    words = sorted({w for w in lookup_table().values() if w.isalpha() and w.islower() and len(w) > 3})
    rng = random.Random(seed)
    rules = []
    for i in range(n):
        verbs, objects, phrase = (rng.sample(words, 3) for _ in range(3))
        rules.append({
            "id": f"SYN-{i:05d}",
            "title": "Synthetic rule",
            "match": [
                {"kind": "verb_object", "verbs": ["|".join(verbs)], "objects": ["|".join(objects)], "window": 5},
                {"kind": "phrase", "terms": [" ".join(phrase[:2]), phrase[2] + " " + objects[0]]},
            ],
            "message": "Synthetic.",
            "rationale": "A synthetic rule for the scaling benchmark.",
            "suggestion": "none",
            "examples": {"flag": [f"It [[{verbs[0]} the {objects[0]}]]."], "pass": [f"The {objects[1]}."]},
        })  # fmt: skip
    return {
        "defaults": {
            "category": "structure_function",
            "markets": {
                "us": {"severity": "warning", "cite": ["US-FDCA-201G1C"]},
                "eu": {"severity": "warning", "cite": ["EU-1223-ART20"]},
                "uk": {"severity": "warning", "cite": ["UK-COSREG"]},
            },
        },
        "rules": rules,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", type=int, default=100_000, help="words of the 1× corpus")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    from corpora import generate

    from claimlint.rulebook import load_rulebook

    builtin = len(load_rulebook(()).rules)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.json"
        base = [
            *measure.CHECK,
            "-f",
            "json",
            "-o",
            str(out),
            "--jobs",
            str(args.jobs),
            # Every run parses: the one-line file's findings would otherwise be read back from
            # the last run's, and start-up measured without spaCy.
            "--no-cache",
        ]
        tiny = Path(tmp) / "tiny.txt"
        tiny.write_text("A light citrus scent.\n", encoding="utf-8")
        rules_dir = Path(tmp) / "rules"
        rules_dir.mkdir()
        (rules_dir / "synthetic.yaml").write_text(yaml.safe_dump(synthetic_pack(9 * builtin, 7)), encoding="utf-8")
        more = ["--rules", str(rules_dir)]
        startup = {False: min(timed([*base, str(tiny)])[0] for _ in range(3)),
                   True: min(timed([*base, *more, str(tiny)])[0] for _ in range(3))}  # fmt: skip
        rows: list[tuple[str, int, float, float, float]] = []
        corpora: dict[int, Path] = {}
        for factor in (1, 10, 100):
            path = Path(tmp) / f"a{factor}.txt"
            path.write_text(generate(args.base * factor, 0.1, 7), encoding="utf-8")
            corpora[factor] = path
            words = len(path.read_text(encoding="utf-8").split())
            rows.append((f"input {factor}× · {builtin} rules", words, startup[False], *timed([*base, str(path)])))
        words = len(corpora[10].read_text(encoding="utf-8").split())
        label = f"input 10× · {builtin * 10} rules"
        rows.append((label, words, startup[True], *timed([*base, *more, str(corpora[10])])))

    print(f"start-up: {startup[False]:.2f} s with {builtin} rules, {startup[True]:.2f} s with {builtin * 10}")
    print(f"{'run':<26}{'words':>12}{'wall s':>9}{'net s':>8}{'net words/s':>13}{'vs first':>10}{'peak MB':>9}")
    first = None
    for label, words, start, wall, rss in rows:
        net = max(wall - start, 1e-3)
        rate = words / net
        first = first or rate
        print(f"{label:<26}{words:>12,}{wall:>9.2f}{net:>8.2f}{rate:>13,.0f}{rate / first:>10.2f}{rss:>9.0f}")


if __name__ == "__main__":
    main()
