"""An installed wheel runs the per-sentence modules compiled with mypyc (``hatch_build.py``); the
compiled code must find exactly what the sources find."""

from __future__ import annotations

import dataclasses
import json
import os
import pickle

import pytest

from claimlint.engine import Linter, Settings
from claimlint.sources import Block

from conftest import COMPILED, run_on_sources, sample_copy

# Prints every finding on the sample copy, one JSON list; run on the sources (PYTHONPATH=ROOT).
_DUMP = """
import sys
sys.path.insert(0, "tests")
from conftest import COMPILED, sample_copy
from claimlint.engine import Linter, Settings
from test_compiled import dump
assert not COMPILED, "the child must run the sources"
print(dump(Linter(Settings()), sample_copy()))
"""


def dump(linter: Linter, texts: list[str]) -> str:
    """Every finding on ``texts``, every field of it, as JSON."""
    found = [[i, dataclasses.asdict(f)] for i, text in enumerate(texts) for f in linter.lint_text(text)]
    return json.dumps(found, default=str, sort_keys=True)


def test_the_wheel_is_compiled_where_ci_requires_it() -> None:
    if os.environ.get("CLAIMLINT_REQUIRE_COMPILED") != "1":
        pytest.skip("CLAIMLINT_REQUIRE_COMPILED=1 is not set (CI sets it)")
    assert COMPILED, "claimlint was installed without its compiled modules: see the pip install output"


@pytest.mark.skipif(not COMPILED, reason="running the sources: nothing compiled to compare")
def test_compiled_modules_find_exactly_what_the_sources_find() -> None:
    compiled = dump(Linter(Settings()), sample_copy())
    child = run_on_sources("-c", _DUMP)
    assert child.returncode == 0, child.stderr[-3000:]
    assert len(json.loads(compiled)) > 500
    assert compiled == child.stdout.strip()


def test_what_goes_to_worker_processes_survives_pickling(tmp_path) -> None:
    """Settings and blocks go to worker processes and Spark executors, compiled or not."""
    settings = Settings(markets=("us", "uk"), select=("SF",), rules_dirs=(tmp_path,), product_type="supplement")
    assert pickle.loads(pickle.dumps(settings)) == settings
    block = Block(3, "Treats acne.", "body")
    assert pickle.loads(pickle.dumps(block)) == block
