"""The same Parquet catalog through the local engine (2 processes) and Spark local[2].

    python benchmarks/spark_vs_local.py --rows 1000000

Two text fields of ~60 words each (seeded); prints wall time, rows per second and peak RSS of each
`claimlint check` run (start-up included).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path


def main() -> None:
    import pandas as pd

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import measure
    from corpora import sentence

    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    import random

    rng = random.Random(7)
    out = Path(tempfile.mkdtemp())
    parquet = out / "listings.parquet"
    rows = []
    for i in range(args.rows):
        title = " ".join(sentence(rng, rng.random() < 0.1) for _ in range(5))
        description = " ".join(sentence(rng, rng.random() < 0.1) for _ in range(5))
        rows.append({"sku": f"S{i}", "title": title, "description": description})
    pd.DataFrame(rows).to_parquet(parquet)
    del rows
    base = [
        *measure.CHECK,
        str(parquet),
        "--text-field",
        "title,description",
        "--id-field",
        "sku",
    ]
    runs = {
        "local, 2 processes": [*base, "--jobs", "2", "-f", "json", "-o", str(out / "local.json")],
        "spark local[2]": [*base, "--engine", "spark", "-o", str(out / "spark.parquet")],
    }
    for name, cmd in runs.items():
        wall, rss, _ = measure.timed(cmd, env={"CLAIMLINT_SPARK_MASTER": "local[2]"}, ok=(0, 1))
        print(f"{name:<22} {wall:8.1f} s  {args.rows / wall:10,.0f} rows/s  peak {rss:6.0f} MB (driver)")


if __name__ == "__main__":
    main()
