"""Golden files: every report format on the bundled examples, compared byte for byte after masking
what changes between machines and runs (version, repository path, time).

Regenerate after an intended change:  CLAIMLINT_UPDATE_GOLDEN=1 pytest tests/test_golden.py
"""

from __future__ import annotations

import os
import re

import pytest

from claimlint import __version__

from conftest import ROOT

GOLDEN = ROOT / "tests" / "golden"
UPDATE = os.environ.get("CLAIMLINT_UPDATE_GOLDEN") == "1"
INPUTS = [
    "examples/exosome-serum.txt", "examples/site", "examples/catalog.csv",
    "--text-field", "name,description", "--id-field", "sku", "--product-type-field", "product_type",
]  # fmt: skip
SUFFIX = {
    "text": "txt",
    "json": "json",
    "sarif": "sarif",
    "github": "txt",
    "junit": "xml",
    "markdown": "md",
    "html": "html",
}


def _mask(text: str) -> str:
    text = text.replace(ROOT.as_uri(), "file:///REPO").replace(str(ROOT), "/REPO")
    text = re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", "YYYY-MM-DD HH:MM UTC", text)
    return text.replace(f'"{__version__}"', '"VERSION"').replace(f"claimlint {__version__}", "claimlint VERSION")


@pytest.mark.parametrize("fmt", list(SUFFIX))
def test_golden(fmt: str, run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = run(["check", "--isolated", "--no-color", "--format", fmt, *INPUTS])
    assert result.code == 1, result.err
    actual = _mask(result.out)
    path = GOLDEN / f"examples.{fmt}.{SUFFIX[fmt]}"
    if UPDATE or not path.exists():
        path.write_text(actual, encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"{path} did not exist; it has been written, check it and commit it")
    assert actual == path.read_text(encoding="utf-8"), (
        f"{path} differs; rerun with CLAIMLINT_UPDATE_GOLDEN=1 if intended"
    )


def test_golden_files_are_all_in_use() -> None:
    expected = {f"examples.{fmt}.{suffix}" for fmt, suffix in SUFFIX.items()}
    assert {p.name for p in GOLDEN.iterdir()} <= expected
