"""The benchmark suite still runs, end to end, on a tiny corpus: a smoke run, not a timing (speed
targets live in benchmarks/, measured on the real sizes)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from conftest import ROOT


@pytest.mark.skipif(not os.access("/usr/bin/time", os.X_OK), reason="the benchmarks time runs with /usr/bin/time")
def test_the_benchmark_produces_every_row_on_a_tiny_corpus() -> None:
    out = Path(tempfile.mkdtemp(prefix="clb-"))  # short: the daemon's socket lives under it
    try:
        result = subprocess.run(
            [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--words", "3000", "--rows", "300",
             "--skip-peers", "--out", str(out)],
            cwd=out, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        rows = {(line[:16].strip(), line[16:42].strip()) for line in result.stdout.splitlines() if line[:1] == "("}
        for corpus in ("(a) realistic", "(b) claim-dense"):
            assert {(corpus, "claimlint"), (corpus, "floor (Aho-Corasick)"), (corpus, "claimlint + daemon")} <= rows
        assert any(corpus == "(c) catalog" and tool.startswith("claimlint --jobs") for corpus, tool in rows)
        assert {("(d) start-up", t) for t in ("claimlint", "claimlint, file unchanged", "claimlint + daemon")} <= rows
        assert "daemon: pid" in result.stdout and "floor scan alone" in result.stdout
        # Every target gets a verdict, for a fresh process and through the daemon where it applies.
        targets = [line for line in result.stdout.splitlines() if line.startswith("target ")]
        assert [t.split(":")[0] for t in targets] == [
            "target (a) realistic", "target (b) claim-dense", "target (a) realistic", "target (c) catalog",
            "target (d) start-up",
        ]  # fmt: skip
        for line in targets[:3]:
            assert "claimlint: " in line and "claimlint + daemon: " in line and " met" in line
        assert "proselint not measured" in targets[4]
        # The last claimlint run wrote a real report, and the daemon was stopped.
        report = json.loads((out / "result.json").read_text(encoding="utf-8"))
        assert report["findings"] and report["findings"][0]["rule_id"]
        assert not list((out / "daemon").glob("*.sock"))
    finally:
        shutil.rmtree(out, ignore_errors=True)


def test_each_target_is_judged_from_the_measured_rows() -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import run
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    results = {
        ("(a) realistic", "claimlint"): (1_000_000, 1.32, 105.0),
        ("(a) realistic", "claimlint + daemon"): (1_000_000, 0.87, None),
        ("(a) realistic", "floor (Aho-Corasick)"): (1_000_000, 0.96, 148.0),
        ("(b) claim-dense", "claimlint"): (200_000, 0.99, 105.0),
        ("(b) claim-dense", "claimlint + daemon"): (200_000, 1.01, None),
        ("(c) catalog", "claimlint --jobs 2"): (20_000_000, 25.9, 301.0),
        ("(d) start-up", "claimlint"): (13, 0.47, 99.0),
        ("(d) start-up", "claimlint, file unchanged"): (13, 0.11, 61.0),
        ("(d) start-up", "claimlint + daemon"): (13, 0.03, None),
        ("(d) start-up", "proselint"): (13, 0.08, 22.0),
    }
    lines = run.verdicts(results, "claimlint --jobs 2")
    assert lines == [
        "target (a) realistic: at least 1,000,000 words/s; claimlint: 757,576, NOT met; claimlint + daemon: 1,149,425, met",
        "target (b) claim-dense: at least 200,000 words/s; claimlint: 202,020, met; claimlint + daemon: 198,020, NOT met",
        "target (a) realistic: within 10× of the floor; claimlint: 1.38×, met; claimlint + daemon: 0.91×, met",
        "target (c) catalog: under 300 s and 300 MB; 25.9 s, 301 MB, NOT met",
        "target (d) start-up: at most 1.5× proselint; claimlint: 5.87×, NOT met; claimlint, file unchanged: 1.38×, met; "
        "claimlint + daemon: 0.38×, met",
    ]
