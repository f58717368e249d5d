"""Spark gives the same answers as the local engine (``local[2]``), on messy rows.

Skipped when pyspark or Java is missing, unless CLAIMLINT_REQUIRE_SPARK=1 (CI sets it).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

REQUIRED = os.environ.get("CLAIMLINT_REQUIRE_SPARK") == "1"


def _need(module: str) -> None:
    try:
        __import__(module)
    except ImportError:
        if REQUIRED:
            raise
        pytest.skip(f"{module} is not installed")


@pytest.fixture(scope="module")
def spark():
    _need("pyspark")
    _need("pandas")
    _need("pyarrow")
    if shutil.which("java") is None:
        if REQUIRED:
            pytest.fail("Java is not installed")
        pytest.skip("Java is not installed")
    os.environ["CLAIMLINT_SPARK_MASTER"] = "local[2]"
    from claimlint.spark import spark_session

    session = spark_session()
    yield session
    session.stop()


def _rows() -> list[dict]:
    claims = ["Treats acne overnight.", "Stimulates collagen production.", "Clinically proven, 100% pure.",
              "Made with human stem cell exosomes.", "Regrows hair in 30 days!", "Crème that heals eczema — vraiment."]  # fmt: skip
    clean = ["A light citrus scent.", "Leaves skin feeling soft.", "Apply daily after cleansing."]
    long_field = " ".join(["A rich cream for dry skin."] * 800) + " It cures psoriasis."
    rows = []
    for i in range(3_000):
        description = claims[i % len(claims)] if i % 4 == 0 else clean[i % len(clean)]
        if i % 97 == 0:
            description = None
        elif i % 89 == 0:
            description = ""
        elif i == 1_234:
            description = long_field
        rows.append(
            {
                "sku": f"SKU-{i:05d}",
                "title": None if i % 5 == 0 else ("Hair Tonic — regrows hair" if i % 11 == 0 else "Glow Serum ✨"),
                "description": description,
                "weight_g": i % 250,  # a number, named as a text column below: skipped
                "product_type": "supplement" if i % 13 == 0 else "cosmetic",
            }
        )
    return rows


def _key(records: list[dict]) -> list[tuple]:
    return sorted((r["row_id"], r["column"], r["start"], r["end"], r["rule_id"], r["severity"]) for r in records)


def test_spark_and_local_give_identical_findings(spark, tmp_path: Path, run) -> None:
    import pandas as pd

    from claimlint.spark import lint_dataframe

    frame = pd.DataFrame(_rows())
    parquet = tmp_path / "listings.parquet"
    frame.to_parquet(parquet)
    text_cols = ["title", "description", "weight_g"]
    spark_rows = [
        r.asDict()
        for r in lint_dataframe(
            spark.read.parquet(str(parquet)), text_cols, id_col="sku", product_type_col="product_type"
        ).collect()
    ]
    result = run(
        ["check", "--isolated", "-f", "json", str(parquet), "--text-field", ",".join(text_cols), "--id-field", "sku",
         "--product-type-field", "product_type", "--jobs", "1"]
    )  # fmt: skip
    local = [
        {
            "row_id": f["row"],
            "column": f["field"],
            "start": f["start"],
            "end": f["end"],
            "rule_id": f["rule_id"],
            "severity": f["severity"],
        }
        for f in json.loads(result.out)["findings"]
    ]
    assert len(spark_rows) > 1_000
    assert _key(spark_rows) == _key(local)
    supplement = next(r for r in spark_rows if r["row_id"] == "SKU-00052" and r["column"] == "description")
    assert supplement["market_severity"]["us"] in ("error", "warning")
    assert supplement["citation_urls"] and len(supplement["citation_urls"]) == len(supplement["citation_ids"])
    assert any(r["row_id"] == "SKU-01234" and r["claim"] == "cures psoriasis" for r in spark_rows)  # the long field


def test_missing_column_is_an_error_naming_it(spark) -> None:
    from claimlint.frames import FrameError
    from claimlint.spark import lint_dataframe

    df = spark.createDataFrame([{"sku": "A", "copy": "Treats acne."}])
    with pytest.raises(FrameError, match="no column 'description'"):
        lint_dataframe(df, ["description"], id_col="sku")


def test_cli_spark_engine_writes_findings(spark, tmp_path: Path, run) -> None:
    import pandas as pd

    source = tmp_path / "feed.parquet"
    pd.DataFrame([{"sku": "A1", "description": "Treats acne."}, {"sku": "A2", "description": "Soft skin."}]).to_parquet(
        source
    )
    out = tmp_path / "findings.parquet"
    result = run(
        [
            "check",
            "--isolated",
            "--engine",
            "spark",
            str(source),
            "--text-field",
            "description",
            "--id-field",
            "sku",
            "-o",
            str(out),
        ]
    )
    assert result.code == 1 and "Found 1 claim in 2 rows: 1 error." in result.out
    written = pd.read_parquet(out)
    assert list(written["row_id"]) == ["A1"] and list(written["rule_id"]) == ["DIS-SKIN"]


def test_spark_engine_without_pyspark_says_what_to_install(
    run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "pyspark", None)  # as if it were not installed
    result = run(["check", "--isolated", "--engine", "spark", str(tmp_path / "x.parquet"), "--text-field", "d"])
    assert result.code == 2
    assert (
        result.err.strip()
        == "claimlint: error: the Spark engine needs pyspark and a Java runtime: pip install 'claimlint-cli[spark]'"
    )


def test_pyspark_is_not_imported_by_the_default_path() -> None:
    import subprocess
    import sys

    code = "import sys, claimlint; claimlint.lint_text('Treats acne.'); print('pyspark' in sys.modules)"
    assert (
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
        == "False"
    )
