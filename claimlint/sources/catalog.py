"""Catalogs: CSV, TSV, JSON Lines and JSON arrays of product listings, read as a stream.

Each text field of each row becomes its own small source (``Source.row``, ``Source.field``), so
findings point at the row id, the field and the characters within it. Rows are never all held in
memory: CSV and JSON Lines are read line by line, a JSON array value by value.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from claimlint.sources.base import InputFileError, Source, shown
from claimlint.sources.plain import split_blocks
from claimlint.suppress import Suppression

DEFAULT_TEXT_FIELDS = (
    "title",
    "name",
    "description",
    "short_description",
    "long_description",
    "bullets[]",
    "body",
    "copy",
)
_PATH_PART = re.compile(r"([^.\[\]]+)(\[\])?")


class NoCopyFields(InputFileError):
    """A catalog-shaped file with none of the default copy fields (package.json…): not copy."""


@dataclass(frozen=True)
class CatalogOptions:
    """Which fields hold copy, which names the row, and per-row product type and suppressions."""

    text_fields: tuple[str, ...] = ()
    id_field: str | None = None
    product_type_field: str | None = None
    suppress_field: str | None = None


@dataclass
class CatalogStats:
    rows: int = 0
    fields: int = 0
    skipped_values: int = 0  # null, empty or non-text values of a text field
    errors: list[tuple[str, str]] = field(default_factory=list)  # (where, message)
    # How far through the input the reader is, 0…1, when it can tell (a file, not a pipe).
    done: Callable[[], float] | None = None


def iter_sources(
    path: Path, options: CatalogOptions, stats: CatalogStats, *, stream: io.TextIOBase | None = None
) -> Iterator[Source]:
    """One source per text field per row; bad rows are counted in ``stats.errors``, never fatal."""
    kind = path.suffix.lower()
    if kind == ".parquet":
        yield from _sources_from_records(_parquet_records(path, options, stats), path, options, stats)
        return
    handle = stream if stream is not None else _open(path)
    if stream is None:
        size = max(path.stat().st_size, 1)
        raw = handle.buffer  # type: ignore[attr-defined]
        stats.done = lambda: min(raw.tell() / size, 1.0)
    try:
        if kind in (".csv", ".tsv"):
            records = _csv_records(handle, "\t" if kind == ".tsv" else ",", options, path)
        elif kind in (".jsonl", ".ndjson"):
            records = _jsonl_records(handle, path, stats)
        else:
            records = _json_array_records(handle, path, stats)
        yield from _sources_from_records(records, path, options, stats)
    finally:
        if stream is None:
            handle.close()


def _sources_from_records(
    records: Iterator[tuple[int, int, dict[str, Any]]], path: Path, options: CatalogOptions, stats: CatalogStats
) -> Iterator[Source]:
    fields = options.text_fields or None
    seen_any: set[str] = set()
    name = shown(path)
    for number, line, record in records:
        stats.rows += 1
        if fields is None:
            fields = tuple(f for f in DEFAULT_TEXT_FIELDS if _present(record, f)) or ()
            if not fields:
                raise NoCopyFields(
                    f"no copy fields found (looked for {', '.join(DEFAULT_TEXT_FIELDS)}); name them with --text-field"
                )
        yield from row_sources(record, number, line, name, options, fields, stats, seen_any)
    missing = [f for f in (fields or ()) if f not in seen_any]
    if stats.rows and missing:
        raise InputFileError(f"field {', '.join(repr(m) for m in missing)} not found in any row")


def row_sources(
    record: Any,
    number: int,
    line: int | None,
    path: str,
    options: CatalogOptions,
    fields: Sequence[str],
    stats: CatalogStats,
    seen: set[str] | None = None,
) -> Iterator[Source]:
    """One source per non-empty text value of one row (its id, product type and suppression read
    from ``options``): the one place a row becomes sources, for files here and for data frames
    (``claimlint.frames``). ``seen`` collects the field specs the row has at all."""
    row_id = _row_id(record, options.id_field, number)
    product_type = _product_type(record, options.product_type_field, row_id, path, stats)
    suppressions = _row_suppressions(record, options.suppress_field)
    for spec in fields:
        for label, value in values(record, spec):
            if seen is not None:
                seen.add(spec)
            if not isinstance(value, str) or not value.strip():
                stats.skipped_values += 1
                continue
            stats.fields += 1
            source = Source(path, value, split_blocks(value), product_type, row_id, label, line)
            source.suppressions = [Suppression(s.rules, 1, 1 << 30, 1, s.text) for s in suppressions]
            yield source


def _parquet_records(
    path: Path, options: CatalogOptions, stats: CatalogStats
) -> Iterator[tuple[int, int, dict[str, Any]]]:
    """Rows of a Parquet file (or a directory of them), read in batches with pyarrow."""
    try:
        import pyarrow.dataset as ds
        import pyarrow.parquet as pq
    except ImportError:
        raise InputFileError("reading Parquet needs pyarrow: pip install pyarrow (or the [spark] extra)") from None
    if not path.exists():
        raise InputFileError("no such file")
    # One file is read page by page (unbuffered), so memory stays near one batch whatever the size
    # of its row groups; a directory (possibly partitioned) goes through a dataset.
    single = None if path.is_dir() else pq.ParquetFile(str(path), buffer_size=1 << 20, pre_buffer=False)
    dataset = ds.dataset(str(path), format="parquet") if single is None else None
    names = single.schema_arrow.names if single is not None else dataset.schema.names  # type: ignore[union-attr]
    wanted = [
        f for f in (*options.text_fields, options.id_field, options.product_type_field, options.suppress_field) if f
    ]
    absent = [f for f in wanted if f.split(".")[0].removesuffix("[]") not in names]
    if absent:
        raise InputFileError(f"no column {', '.join(repr(a) for a in absent)} (columns: {', '.join(names)})")
    number = 0
    # From the files' metadata: how far through the run is, for the progress bar.
    total = max(single.metadata.num_rows if single is not None else dataset.count_rows(), 1)  # type: ignore[union-attr]
    stats.done = lambda: min(number / total, 1.0)
    # Only the named columns, in small batches.
    columns = list(dict.fromkeys(f.split(".")[0].removesuffix("[]") for f in wanted)) or None
    if single is not None:
        batches = single.iter_batches(batch_size=2048, columns=columns)
    else:
        batches = dataset.to_batches(columns=columns, batch_size=2048)  # type: ignore[union-attr]
    for batch in batches:
        for row in batch.to_pylist():
            number += 1
            yield number, number, row


def _open(path: Path) -> io.TextIOBase:
    if not path.exists():
        raise InputFileError("no such file")
    if path.is_dir():
        raise InputFileError("is a directory; give the files to check")
    raw = path.open("rb")
    head = raw.peek(4)[:4] if hasattr(raw, "peek") else b""
    encoding = "utf-16" if head[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8-sig"
    return io.TextIOWrapper(raw, encoding=encoding, newline="", errors="strict")


def _csv_records(
    handle: io.TextIOBase, delimiter: str, options: CatalogOptions, path: Path
) -> Iterator[tuple[int, int, dict[str, Any]]]:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    try:
        reader = csv.DictReader(handle, delimiter=delimiter)
        header = reader.fieldnames or []
        wanted = [
            f for f in (*options.text_fields, options.id_field, options.product_type_field, options.suppress_field) if f
        ]
        absent = [f for f in wanted if f.split(".")[0].removesuffix("[]") not in header]
        if absent:
            raise InputFileError(f"no column {', '.join(repr(a) for a in absent)} (columns: {', '.join(header)})")
        previous = reader.line_num
        for number, row in enumerate(reader, start=1):
            yield number, previous + 1, row
            previous = reader.line_num
    except UnicodeDecodeError as exc:
        raise InputFileError(f"not valid UTF-8 ({exc.reason})") from None
    except csv.Error as exc:
        raise InputFileError(f"not valid CSV: {exc}") from None


def _jsonl_records(handle: io.TextIOBase, path: Path, stats: CatalogStats) -> Iterator[tuple[int, int, dict[str, Any]]]:
    try:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                stats.errors.append((f"{shown(path)}:{number}", f"not valid JSON: {exc.msg}"))
                continue
            if not isinstance(record, dict):
                stats.errors.append((f"{shown(path)}:{number}", "a JSON Lines record must be an object"))
                continue
            yield number, number, record
    except UnicodeDecodeError as exc:
        raise InputFileError(f"not valid UTF-8 ({exc.reason})") from None


def _json_array_records(
    handle: io.TextIOBase, path: Path, stats: CatalogStats
) -> Iterator[tuple[int, int, dict[str, Any]]]:
    """The objects of a top-level JSON array, decoded one at a time from a rolling buffer."""
    decoder = json.JSONDecoder()
    buffer = ""
    pos = 0
    started = False
    number = 0
    line = 1  # the file line at buffer[0]
    eof = False
    try:
        while True:
            if not eof and len(buffer) - pos < 1 << 16:
                chunk = handle.read(1 << 20)
                eof = not chunk
                line += buffer.count("\n", 0, pos)
                buffer = buffer[pos:] + chunk
                pos = 0
            while pos < len(buffer) and buffer[pos] in " \t\r\n,":
                pos += 1
            if pos >= len(buffer):
                if eof:
                    raise InputFileError("not valid JSON: the array is not closed")
                continue
            if not started:
                if buffer[pos] != "[":
                    raise NoCopyFields("not a catalog: a JSON catalog is an array of listings (or use .jsonl)")
                started = True
                pos += 1
                continue
            if buffer[pos] == "]":
                return
            try:
                record, end = decoder.raw_decode(buffer, pos)
            except ValueError as exc:
                if not eof:
                    chunk = handle.read(1 << 20)
                    eof = not chunk
                    line += buffer.count("\n", 0, pos)
                    buffer = buffer[pos:] + chunk
                    pos = 0
                    continue
                raise InputFileError(f"not valid JSON: {exc}") from None
            start_line = line + buffer.count("\n", 0, pos)
            line = start_line + buffer.count("\n", pos, end)
            buffer, pos = buffer[end:], 0
            number += 1
            if isinstance(record, dict):
                yield number, start_line, record
            else:
                stats.errors.append((f"{shown(path)}[{number - 1}]", "a catalog entry must be an object"))
    except UnicodeDecodeError as exc:
        raise InputFileError(f"not valid UTF-8 ({exc.reason})") from None


def values(record: Any, spec: str) -> list[tuple[str, Any]]:
    """The values at a field path: ``description``, ``details.text``, ``bullets[]``, ``variants[].name``."""
    if "." not in spec and "[" not in spec:  # a plain column, by far the commonest
        return [(spec, record[spec])] if isinstance(record, dict) and spec in record else []
    current: list[tuple[str, Any]] = [("", record)]
    for m in _PATH_PART.finditer(spec):
        key, each = m.group(1), m.group(2)
        nxt: list[tuple[str, Any]] = []
        for label, value in current:
            if isinstance(value, dict) and key in value:
                child = value[key]
                name = f"{label}.{key}" if label else key
                if each:
                    if isinstance(child, list):
                        nxt.extend((f"{name}[{i}]", item) for i, item in enumerate(child))
                    elif isinstance(child, str):  # a CSV cell or a plain string where a list was expected
                        nxt.append((name, child))
                else:
                    nxt.append((name, child))
        current = nxt
    return current


def _present(record: Any, spec: str) -> bool:
    return bool(values(record, spec))


def _row_id(record: Any, id_field: str | None, number: int) -> str:
    if id_field:
        found = values(record, id_field)
        if found and not _missing(found[0][1]):
            return str(found[0][1])
    return str(number)


def _missing(value: object) -> bool:
    """None, an empty string, or a NaN (how pandas marks a missing value)."""
    if value is None or value == "":
        return True
    try:
        return bool(value != value)
    except (TypeError, ValueError):
        return False


def _product_type(record: Any, type_field: str | None, row_id: str, path: str, stats: CatalogStats) -> str | None:
    if not type_field:
        return None
    found = values(record, type_field)
    if not found or found[0][1] in (None, ""):
        return None
    value = str(found[0][1]).strip().lower()
    if value in ("cosmetic", "supplement"):
        return value
    stats.errors.append(
        (f"{path} row {row_id}", f"unknown product type {value!r} (cosmetic or supplement); the run's default applies")
    )
    return None


def _row_suppressions(record: Any, suppress_field: str | None) -> Sequence[Suppression]:
    if not suppress_field:
        return ()
    found = values(record, suppress_field)
    if not found or not isinstance(found[0][1], str) or not found[0][1].strip():
        return ()
    raw = found[0][1].strip()
    rules = (
        frozenset()
        if raw.lower() in ("*", "all", "true", "yes")
        else frozenset(r for r in re.split(r"[\s,;]+", raw) if r)
    )
    return (Suppression(rules, 1, 1 << 30, 1, f"{suppress_field}: {raw}"),)
