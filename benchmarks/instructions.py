"""Instructions claimlint executes to lint a fixed slice of corpora (a) and (b), and to start.

    python benchmarks/instructions.py               # 300,000 characters of each corpus
    python benchmarks/instructions.py --chars 50000

Wall times on a shared 2-core machine vary by 5-15% from run to run, which hides a change worth
2%. Instruction counts under valgrind's callgrind do not: the same code on the same input gives the
same count to within a few millions in thousands. Two runs, one that only starts (imports, builds
the pipeline) and one that also lints, so that the lint count is the difference. Needs valgrind
(``apt install valgrind``); runs in-process, one core, about a minute and a half. The corpora are
generated as ``run.py`` generates them by default (seed 7), whatever ``benchmarks/out/`` holds.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

PROBE = """
import sys
try:
    from claimlint import process  # (builds before it had this module are measured too)
    process.prepare()
except ImportError:
    pass
from claimlint.engine import Linter, Settings
from claimlint.sources import source_from_text
linter = Linter(Settings(), freeze_heap=True).warm()
chars = int(sys.argv[1])
for path in sys.argv[2:] if chars else ():
    text = open(path, encoding="utf-8").read()[:chars]
    linter.lint_source(source_from_text(path, text[:20_000]))  # the memo tables, as in a long run
    linter.lint_source(source_from_text(path, text))
"""


def _counted_env() -> dict[str, str]:
    return {**os.environ, "PYTHONHASHSEED": "0"}  # set iteration order: the same count every run


def instructions(probe: Path, chars: int, corpora: list[Path]) -> int:
    env = _counted_env()
    run = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, str(probe), str(chars)]
        + [str(c) for c in corpora],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    found = re.search(r"Collected : (\d+)", run.stderr)
    if found is None:
        sys.exit("benchmarks/instructions.py: callgrind reported no count:\n" + run.stderr[-2000:])
    return int(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chars", type=int, default=300_000, help="characters of each corpus to lint")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        sys.exit("benchmarks/instructions.py: needs valgrind (apt install valgrind)")
    from corpora import generate

    with tempfile.TemporaryDirectory() as tmp:
        corpora = [Path(tmp) / "a.txt", Path(tmp) / "b.txt"]
        corpora[0].write_text(generate(1_000_000, 0.1, 7), encoding="utf-8")
        corpora[1].write_text(generate(200_000, 1.0, 7), encoding="utf-8")
        probe = Path(tmp) / "probe.py"
        probe.write_text(PROBE, encoding="utf-8")
        # Twice without valgrind first: with a cold disk cache (a new build, a new cache directory)
        # the start-up count would include filling it, and the lint counts would come out
        # negative. The second run fills what only a run that reads the cache compiles.
        for _ in range(2):
            subprocess.run([sys.executable, str(probe), "0"], check=True, capture_output=True, env=_counted_env())
        start = instructions(probe, 0, corpora)
        each = [instructions(probe, args.chars, [corpus]) - start for corpus in corpora]
    print(f"start-up: {start / 1e6:,.0f} M instructions")
    for name, count in zip(("(a)", "(b)"), each, strict=True):
        print(f"lint {args.chars:,} characters of {name}: {count / 1e6:,.0f} M instructions")
    print(f"lint {args.chars:,} characters of (a) and of (b): {sum(each) / 1e6:,.0f} M instructions")


if __name__ == "__main__":
    main()
