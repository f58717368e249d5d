"""The engine-neutral core for tables of listings: batches of rows in, batches of findings out.

Spark (``claimlint.spark``) calls :func:`lint_pandas_batches` through ``mapInPandas``; the local
path can call :func:`lint_pandas` on the same data. The spaCy pipeline is built once per process
and cached by its settings (:func:`claimlint.engine.warm_linter`), never captured in a closure, so a task that
Spark pickles carries only the settings.

A findings table has one row per claim, with the columns of :data:`FINDING_COLUMNS`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from claimlint.engine import Settings, warm_linter
from claimlint.sources.catalog import CatalogOptions, CatalogStats, row_sources

# name, Spark SQL type, meaning
FINDING_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("row_id", "string", "the row's id (the id column, as text)"),
    ("column", "string", "the text column the claim is in"),
    ("start", "int", "0-based character offset of the claim in that field"),
    ("end", "int", "offset just past the claim"),
    ("line", "int", "1-based line of the claim within the field"),
    ("line_column", "int", "1-based column (code points) of the claim within its line"),
    ("claim", "string", "the exact text of the claim"),
    ("rule_id", "string", "the rule that found it"),
    ("category", "string", "one of the eight claim categories"),
    ("severity", "string", "the highest severity across the selected markets"),
    ("market_severity", "map<string,string>", "market → severity"),
    ("citation_ids", "array<string>", "every cited reference id, all markets"),
    ("citation_urls", "array<string>", "their URLs, in the same order"),
)


class FrameError(ValueError):
    """A table that cannot be linted as asked (a missing column); one line naming it."""


def check_columns(
    columns: Sequence[str], text_cols: Sequence[str], id_col: str | None, product_type_col: str | None
) -> None:
    for name in (*text_cols, id_col, product_type_col):
        if name is not None and name not in columns:
            raise FrameError(f"no column {name!r} (columns: {', '.join(columns)})")


def lint_records(
    records: Iterable[dict[str, Any]],
    text_cols: Sequence[str],
    id_col: str | None,
    settings: Settings,
    product_type_col: str | None = None,
    first_row: int = 1,
) -> Iterator[dict[str, Any]]:
    """Findings, as dicts with the :data:`FINDING_COLUMNS`, for rows given as dicts.

    Null, empty and non-text values are skipped; a row without an id is named by its number.
    """
    linter = warm_linter(settings)
    options = CatalogOptions(text_fields=tuple(text_cols), id_field=id_col, product_type_field=product_type_col)
    stats = CatalogStats()  # an unknown product type falls back to the settings' here too
    sources = (
        source
        for number, record in enumerate(records, start=first_row)
        for source in row_sources(record, number, None, "", options, text_cols, stats)
    )

    for _, findings in linter.lint_many(sources):
        for f in findings:
            ids = [c.id for v in f.markets.values() for c in v.citations]
            urls = [c.url for v in f.markets.values() for c in v.citations]
            yield {
                "row_id": f.row,
                "column": f.field,
                "start": f.start,
                "end": f.end,
                "line": f.line,
                "line_column": f.column,
                "claim": f.text,
                "rule_id": f.rule_id,
                "category": f.category,
                "severity": f.severity.value,
                "market_severity": {m: v.severity.value for m, v in f.markets.items()},
                "citation_ids": ids,
                "citation_urls": urls,
            }


def lint_pandas(
    frame: Any,
    text_cols: Sequence[str],
    id_col: str | None,
    settings: Settings,
    product_type_col: str | None = None,
) -> Any:
    """A pandas DataFrame of findings for a pandas DataFrame of rows."""
    import pandas as pd

    check_columns(list(frame.columns), text_cols, id_col, product_type_col)
    records = frame.to_dict("records")
    rows = list(lint_records(records, text_cols, id_col, settings, product_type_col))
    return pd.DataFrame(rows, columns=[name for name, _, _ in FINDING_COLUMNS])


def lint_pandas_batches(
    batches: Iterable[Any],
    text_cols: Sequence[str],
    id_col: str | None,
    settings: Settings,
    product_type_col: str | None = None,
) -> Iterator[Any]:
    """``mapInPandas`` form: batches of rows in, batches of findings out."""
    for frame in batches:
        yield lint_pandas(frame, text_cols, id_col, settings, product_type_col)
