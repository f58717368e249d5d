"""A website's worth of small Markdown pages: ``claimlint check DIR`` on one core and on all of them,
with nothing kept, on a first run that keeps each page's findings, and on a run where no page has
changed. Not a test: a table.

    python benchmarks/many_files.py [--pages 2000] [--words 400] [--claim-rate 0.1] [--runs 3]

The pages are product copy from ``corpora.py`` (deterministic, seed 7), a heading and a few
paragraphs each, written under ``benchmarks/out/site/``; the cache lives in ``benchmarks/out/``
too, so the user's own is never touched. Each row is the median of ``--runs`` fresh processes.
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
import statistics
import sys
from pathlib import Path

from claimlint.daemon.protocol import CI_VARIABLES

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpora import generate  # noqa: E402 - beside this file
from measure import CHECK, timed  # noqa: E402


def write_site(root: Path, pages: int, words: int, claim_rate: float, seed: int) -> int:
    """``pages`` Markdown files of about ``words`` words each; their total size in bytes."""
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    paragraphs = generate(pages * words, claim_rate, seed).split("\n\n")
    per_page = max(1, len(paragraphs) // pages)
    total = 0
    for i in range(pages):
        body = "\n\n".join(paragraphs[i * per_page : (i + 1) * per_page])
        text = f"# Product {i}\n\n{body.strip()}\n"
        (root / f"product-{i:05d}.md").write_text(text, encoding="utf-8")
        total += len(text.encode("utf-8"))
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=2_000)
    parser.add_argument("--words", type=int, default=400, help="words a page")
    parser.add_argument("--claim-rate", type=float, default=0.1)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=HERE / "out")
    args = parser.parse_args()
    site, cache, report = args.out / "site", args.out / "site-cache", args.out / "site.json"
    size = write_site(site, args.pages, args.words, args.claim_rate, seed=7)
    shutil.rmtree(cache, ignore_errors=True)
    env = {"CLAIMLINT_CACHE_DIR": str(cache / "kept")}
    # Kept findings are never written in a CI job: this measures a developer's machine.
    for name in CI_VARIABLES:
        os.environ.pop(name, None)
    check = [*CHECK, str(site), "-f", "json", "-o", str(report)]
    cores = os.cpu_count() or 1

    fresh = itertools.count()

    def median(cmd: list[str], first_run: bool = False, warm_first: bool = False) -> tuple[float, float]:
        if warm_first:
            timed(cmd, env=env, ok=(0, 1))  # every page's findings kept
        walls, peaks = [], []
        for _ in range(args.runs):
            # A first run gets a cache directory never used: emptying the same one would measure
            # the file system instead (on ext4 mounted with `discard`, creating files right after
            # deleting thousands costs several times more, for a while).
            where = {"CLAIMLINT_CACHE_DIR": str(cache / f"first-{next(fresh)}")} if first_run else env
            wall, peak, _ = timed(cmd, env=where, ok=(0, 1))
            walls.append(wall)
            peaks.append(peak)
        return statistics.median(walls), max(peaks)

    timed([*CHECK, str(site / "product-00000.md"), "--no-cache"], env=env, ok=(0, 1))  # disk caches warm
    rows = [
        ("nothing kept, `--jobs 1`", *median([*check, "--no-cache", "--jobs", "1"])),
        (f"nothing kept, `--jobs {cores}`", *median([*check, "--no-cache"])),
        ("first run, findings kept, `--jobs 1`", *median([*check, "--jobs", "1"], first_run=True)),
        (f"first run, findings kept, `--jobs {cores}`", *median(check, first_run=True)),
        ("no page changed", *median(check, warm_first=True)),
    ]
    shutil.rmtree(cache, ignore_errors=True)
    words = args.pages * args.words
    print(f"{args.pages:,} Markdown pages, {size / 1e6:.1f} MB, about {words:,} words; median of {args.runs} runs\n")
    print("| run | wall s | words/s | peak MB |")
    print("|---|---:|---:|---:|")
    for label, wall, peak in rows:
        print(f"| {label} | {wall:.2f} | {words / wall:,.0f} | {peak:.0f} |")


if __name__ == "__main__":
    main()
