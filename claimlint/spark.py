"""claimlint on Apache Spark: lint a DataFrame of product listings where it already lives.

    from claimlint.spark import lint_dataframe
    findings = lint_dataframe(listings, text_cols=["title", "description"], id_col="sku", markets=["us", "eu"])

Uses the DataFrame API only (``mapInPandas``), so it also runs on Spark Connect and on Databricks
serverless and shared clusters. Each Python worker builds the spaCy pipeline once (cached by the
settings); the function Spark ships is a module-level function plus the small settings object.
pyspark is imported only here: ``pip install "claimlint-cli[spark]"``.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any

from claimlint.engine import Settings
from claimlint.findings import MARKETS
from claimlint.frames import FINDING_COLUMNS, FrameError, check_columns, lint_pandas_batches

FINDINGS_SCHEMA = ", ".join(f"`{name}` {kind}" for name, kind, _ in FINDING_COLUMNS)


def lint_dataframe(
    df: Any,
    text_cols: Sequence[str],
    id_col: str | None = None,
    markets: Sequence[str] = MARKETS,
    product_type_col: str | None = None,
    rules: Sequence[str | Path] = (),
    product_type: str = "cosmetic",
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
) -> Any:
    """A Spark DataFrame of findings (schema: :data:`FINDINGS_SCHEMA`) for a DataFrame of listings.

    A missing column raises :class:`claimlint.frames.FrameError` naming it; null and non-text
    values are skipped.
    """
    if not text_cols:
        raise FrameError("name at least one text column")
    check_columns(df.columns, text_cols, id_col, product_type_col)
    settings = Settings(
        markets=tuple(markets),
        select=tuple(select),
        ignore=tuple(ignore),
        rules_dirs=tuple(Path(r).resolve() for r in rules),
        product_type=product_type,
    )
    from claimlint.engine import Linter

    Linter(settings)  # fail fast on a bad market, product type or rule pack, here and not on a worker
    columns = list(dict.fromkeys(c for c in (id_col, product_type_col, *text_cols) if c))
    function = partial(
        lint_pandas_batches,
        text_cols=tuple(text_cols),
        id_col=id_col,
        settings=settings,
        product_type_col=product_type_col,
    )
    selected = df.select(*[df[c].cast("string").alias(c) if c == id_col else df[c] for c in columns])
    return selected.mapInPandas(function, schema=FINDINGS_SCHEMA)


def spark_session() -> Any:
    """The active session, or a local one (``local[*]``) with quiet logs, temporary files in a
    temporary directory, and this Python for the workers. ``spark-submit`` settings are honoured."""
    import os
    import sys
    import tempfile

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("claimlint")
    if not os.environ.get("SPARK_REMOTE") and "spark.master" not in os.environ.get("PYSPARK_SUBMIT_ARGS", ""):
        builder = builder.master(os.environ.get("CLAIMLINT_SPARK_MASTER", "local[*]"))
    builder = builder.config("spark.ui.enabled", "false").config(
        "spark.local.dir", tempfile.mkdtemp(prefix="claimlint-spark-")
    )
    session = builder.getOrCreate()
    try:
        session.sparkContext.setLogLevel("ERROR")
    except Exception:  # noqa: BLE001 - Spark Connect has no SparkContext; its logs are the server's
        pass
    return session


def read_table(spark: Any, path: str) -> Any:
    """Parquet (a file or a directory), CSV with a header, or JSON Lines, by name."""
    lower = path.lower().rstrip("/")
    if lower.endswith((".csv", ".tsv")):
        return (
            spark.read.option("header", True)
            .option("sep", "\t" if lower.endswith(".tsv") else ",")
            .option("multiLine", True)
            .option("escape", '"')
            .csv(path)
        )
    if lower.endswith((".jsonl", ".ndjson", ".json")):
        return spark.read.json(path)
    return spark.read.parquet(path)
