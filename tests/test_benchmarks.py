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
        assert {("(d) start-up", "claimlint"), ("(d) start-up", "claimlint + daemon")} <= rows
        assert "daemon: pid" in result.stdout and "floor scan alone" in result.stdout
        # The last claimlint run wrote a real report, and the daemon was stopped.
        report = json.loads((out / "result.json").read_text(encoding="utf-8"))
        assert report["findings"] and report["findings"][0]["rule_id"]
        assert not list((out / "daemon").glob("*.sock"))
    finally:
        shutil.rmtree(out, ignore_errors=True)
