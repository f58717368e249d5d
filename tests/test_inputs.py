"""Real inputs: Markdown, HTML and catalogs with exact offsets; walking, stdin names, encodings."""

from __future__ import annotations

import itertools
import json
import os
import random
import textwrap
from pathlib import Path

import pytest

import claimlint
from claimlint.report.json import JsonWriter
from claimlint.report.sarif import SarifWriter
from claimlint.runner import PartSink
from claimlint.sources import read_source

from conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures"


def _report(run, *args: str, stdin: bytes | None = None) -> dict:
    result = run(["check", "-f", "json", "--isolated", *args], stdin=stdin)
    assert result.code in (0, 1), result.err
    return json.loads(result.out)


def _assert_exact(text: str, finding: dict) -> None:
    """`text` equals the file's characters at the offsets, and at the line and column."""
    assert text[finding["start"] : finding["end"]] == finding["text"]
    lines = text.splitlines(keepends=True)
    offset = sum(len(line) for line in lines[: finding["line"] - 1]) + finding["column"] - 1
    assert offset == finding["start"]
    end = sum(len(line) for line in lines[: finding["end_line"] - 1]) + finding["end_column"] - 1
    assert end == finding["end"]


# --- Markdown ---------------------------------------------------------------------------------


def test_markdown_findings_point_at_the_original_characters(run) -> None:
    path = FIXTURES / "page.md"
    text = path.read_text(encoding="utf-8")
    report = _report(run, str(path))
    for f in report["findings"]:
        _assert_exact(text, f)
    found = {(f["rule_id"], f["line"]) for f in report["findings"]}
    assert ("DIS-HAIR-LOSS", 2) in found  # front matter title
    assert ("SF-COLLAGEN", 3) in found  # front matter description
    assert ("PRF-CLINICAL", 5) in found and ("DIS-SKIN", 6) in found  # folded summary
    assert ("DIS-HAIR-LOSS", 10) in found  # heading with **bold**
    assert ("SF-CELL-RENEWAL", 12) in found  # link text
    assert ("TST-CONDITION-HEALED", 19) in found  # block quote
    assert ("DIS-SKIN", 21) in found  # list item
    assert ("DIS-HAIR-LOSS", 26) in found  # table cell
    assert ("DIS-WOUND", 28) in found  # image alt text


def _same_run_by_characters(content: str, i: int, src: str, j: int, hi: int) -> int:
    """The character loop ``markdown._same_run`` replaced, as the reference."""
    start = j
    while i < len(content) and j < hi and src[j] == content[i]:
        i += 1
        j += 1
    return j - start


def test_markdown_text_maps_to_the_same_characters_as_a_loop_over_them(monkeypatch: pytest.MonkeyPatch) -> None:
    from claimlint.sources import markdown

    rng = random.Random(11)
    pieces = ["Treats acne", " ", "\n", "*", "_", "\\*", "\\_", "&amp;", "&eacute;", "&#233;", "&bogus;", "[a link](u)",
              "`code`", "é", "\\", "<b>", "!", "# ", "- ", "1. ", "> "]  # fmt: skip
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 60))) for _ in range(400)]

    def blocks(text: str) -> list[tuple[str, str, list[int], list[int]]]:
        return [
            (b.text, b.scope, list(b.starts or ()), list(b.ends or ())) for b in markdown.parse("p.md", text).blocks
        ]

    fast = [blocks(t) for t in texts]
    monkeypatch.setattr(markdown, "_same_run", _same_run_by_characters)
    assert fast == [blocks(t) for t in texts]
    assert sum(len(b) for b in fast) > 400  # the texts made blocks, escapes and entities among them
    assert any("&" in b[0] or "é" in b[0] for page in fast for b in page)


def test_markdown_skips_code_urls_and_comments(run) -> None:
    report = _report(run, str(FIXTURES / "page.md"))
    lines = {f["line"] for f in report["findings"]}
    assert 13 not in lines  # inline code
    assert 16 not in lines  # fenced code block
    assert 31 not in lines  # suppressed by the comment above it
    assert 33 not in lines and 34 not in lines  # an HTML comment, an autolink URL


def test_markdown_link_destination_is_not_copy() -> None:
    source = read_source(FIXTURES / "page.md")
    assert not any("example.com" in block.text for block in source.blocks)


def test_markdown_front_matter_product_type(tmp_path: Path) -> None:
    page = tmp_path / "gummies.md"
    page.write_text(
        "---\ntitle: Gummies\nproduct_type: supplement\n---\n\nSupports healthy collagen production.\n",
        encoding="utf-8",
    )
    [f] = claimlint.lint_paths([page]).findings
    assert f.markets["us"].severity.value == "warning"  # a supplement, not a cosmetic


# --- HTML -------------------------------------------------------------------------------------


def test_html_findings_point_at_the_original_characters(run) -> None:
    path = FIXTURES / "page.html"
    text = path.read_text(encoding="utf-8")
    report = _report(run, str(path))
    for f in report["findings"]:
        _assert_exact(text, f)
    by_line = {(f["rule_id"], f["line"]): f for f in report["findings"]}
    assert by_line["DIS-HAIR-LOSS", 11]["text"] == "Stops&nbsp;hair loss"  # entity decoded, offsets in source
    assert by_line["SF-COLLAGEN", 4]["text"].startswith("Stimulates collagen")  # meta description
    assert by_line["ING-HUMAN-EXOSOME", 8]["text"] == "human stem cell exosomes"  # JSON-LD Product description


def test_html_reads_title_meta_alt_and_json_ld_but_skips_code(run) -> None:
    report = _report(run, str(FIXTURES / "page.html"))
    texts = [f["text"] for f in report["findings"]]
    assert "cures eczema" in texts  # <title>
    assert "Regrows hair" in texts  # og:description
    assert "Heals eczema" in texts  # img alt
    assert "heals psoriasis" in texts  # JSON-LD
    lines = {f["line"] for f in report["findings"]}
    for skipped in (6, 7, 14, 15, 16, 17, 20):  # style, script, pre, code, template, hidden, suppressed
        assert skipped not in lines
    assert 18 in lines  # a {{ template variable }} is blanked, the copy around it is not


def test_html_markup_in_copy_is_only_text() -> None:
    source = read_source(FIXTURES / "page.html")
    assert any("<script>alert(1)</script>" in block.text for block in source.blocks)


# --- catalogs ---------------------------------------------------------------------------------

CSV = (
    "sku,name,description,type,claimlint_ignore\n"
    'A1,Glow Serum,"Our serum stimulates collagen production.",cosmetic,\n'
    'A2,Hair Gummies,"Supports healthy hair growth.",supplement,\n'
    'A3,Calm Cream,"Heals eczema, ""fast"".",cosmetic,DIS-SKIN\n'
    "A4,Plain,,cosmetic,\n"
)


def test_csv_findings_name_row_field_and_offset(run, tmp_path: Path) -> None:
    path = tmp_path / "listings.csv"
    path.write_text(CSV, encoding="utf-8")
    report = _report(
        run, str(path), "--text-field", "name,description", "--id-field", "sku",
        "--product-type-field", "type", "--suppress-field", "claimlint_ignore",
    )  # fmt: skip
    rows = {(f["row"], f["field"], f["rule_id"]): f for f in report["findings"]}
    collagen = rows[("A1", "description", "SF-COLLAGEN")]
    assert (collagen["start"], collagen["end"], collagen["line"], collagen["column"]) == (10, 40, 1, 11)
    assert collagen["text"] == "Our serum stimulates collagen production."[10:40]
    assert rows[("A2", "description", "SF-HAIR-GROWTH")]["markets"]["us"]["severity"] == "warning"  # supplement row
    assert not any(r == "A3" for r, _, _ in rows)  # suppressed by its column
    assert report["summary"]["rows"] == 4


def test_tsv_and_json_array_and_nested_paths(run, tmp_path: Path) -> None:
    tsv = tmp_path / "l.tsv"
    tsv.write_text("id\tcopy\nT1\tTreats acne overnight.\n", encoding="utf-8")
    assert [f["row"] for f in _report(run, str(tsv), "--text-field", "copy", "--id-field", "id")["findings"]] == ["T1"]
    arr = tmp_path / "l.json"
    arr.write_text(
        json.dumps([{"sku": "J1", "bullets": ["Hydrating", "Clinically proven"], "details": {"text": "Regrows hair."}}])
    )
    report = _report(run, str(arr), "--text-field", "bullets[],details.text", "--id-field", "sku")
    assert [(f["field"], f["text"]) for f in report["findings"]] == [
        ("bullets[1]", "Clinically proven"),
        ("details.text", "Regrows hair"),
    ]


def test_catalog_null_empty_and_non_text_values_are_skipped(run, tmp_path: Path) -> None:
    path = tmp_path / "l.jsonl"
    rows = [{"d": None}, {"d": ""}, {"d": 42}, {"d": ["x"]}, {"d": "Cures eczema."}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    report = _report(run, str(path), "--text-field", "d")
    assert [f["row"] for f in report["findings"]] == ["5"]


def test_catalog_missing_column_is_an_error_naming_it(run, tmp_path: Path) -> None:
    path = tmp_path / "l.csv"
    path.write_text("sku,desc\n1,Treats acne\n", encoding="utf-8")
    result = run(["check", "--isolated", str(path), "--text-field", "description"])
    assert result.code == 2 and "no column 'description'" in result.err


def test_a_bad_catalog_line_is_an_input_error_and_the_rest_is_linted(run, tmp_path: Path) -> None:
    path = tmp_path / "l.jsonl"
    path.write_text('{"d": "Treats acne."}\nnot json\n{"d": "Cures eczema."}\n', encoding="utf-8")
    result = run(["check", "--isolated", "-f", "json", str(path), "--text-field", "d"])
    assert result.code == 2 and f"{path}:2: not valid JSON" in result.err
    assert len(json.loads(result.out)["findings"]) == 2


def test_a_streamed_catalog_keeps_memory_flat(tmp_path: Path) -> None:
    """8,000 rows are linted without holding them: findings arrive as rows stream past."""
    import tracemalloc

    from claimlint.runner import RunOptions
    from claimlint.runner import run as run_inputs
    from claimlint.sources.catalog import CatalogOptions

    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8") as fh:
        fh.write("sku,description\n")
        for i in range(8_000):
            claim = "Stimulates collagen production." if i % 50 == 0 else "A light citrus scent you will love."
            fh.write(f"S{i},A lovely gel cream with squalane. {claim} Apply daily.\n")
    linter = claimlint.get_linter()
    tracemalloc.start()
    report = run_inputs(
        linter, [str(path)], RunOptions(catalog=CatalogOptions(text_fields=("description",), id_field="sku"))
    )
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert report.rows == 8_000 and len(report.findings) == 160
    assert peak < 40 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"


# --- many files, stdin, encodings ----------------------------------------------------------


def test_directories_are_walked_with_include_and_exclude(run, tmp_path: Path) -> None:
    (tmp_path / "site" / "drafts").mkdir(parents=True)
    (tmp_path / "site" / "a.md").write_text("Treats acne.\n", encoding="utf-8")
    (tmp_path / "site" / "b.html").write_text("<p>Cures eczema.</p>\n", encoding="utf-8")
    (tmp_path / "site" / "drafts" / "c.md").write_text("Regrows hair.\n", encoding="utf-8")
    (tmp_path / "site" / "logo.png").write_bytes(b"\x89PNG\x00\x00")
    (tmp_path / "site" / "notes.txt").write_bytes(b"\x00\x01binary")
    report = _report(run, str(tmp_path / "site"), "--exclude", "*/drafts/*")
    assert sorted(Path(p).name for p in report_files(report)) == ["a.md", "b.html"]
    only_md = _report(run, str(tmp_path / "site"), "--include", "*.md")
    assert {Path(f["path"]).name for f in only_md["findings"]} == {"a.md", "c.md"}
    result = run(["check", "--isolated", str(tmp_path / "site")])
    assert "notes.txt: skipped, binary file" in result.err and result.code == 1


def report_files(report: dict) -> list[str]:
    return sorted({f["path"] for f in report["findings"]})


@pytest.mark.parametrize(
    ("name", "copy", "rule"),
    [
        ("page.md", b"# Regrows hair\n\n`treats acne`\n", "DIS-HAIR-LOSS"),
        ("page.html", b"<p>Regrows&nbsp;hair</p>", "DIS-HAIR-LOSS"),
    ],
)
def test_stdin_filename_picks_the_format(run, name: str, copy: bytes, rule: str) -> None:
    report = _report(run, "--stdin-filename", name, "-", stdin=copy)
    assert [(f["rule_id"], f["path"]) for f in report["findings"]] == [(rule, name)]


def test_stdin_catalog(run) -> None:
    report = _report(run, "--stdin-filename", "feed.jsonl", "--text-field", "d", "-", stdin=b'{"d": "Treats acne."}\n')
    assert [(f["row"], f["field"]) for f in report["findings"]] == [("1", "d")]


def test_utf16_markdown_offsets(run, tmp_path: Path) -> None:
    text = "# Héllo\n\nIt treats acne.\n"
    path = tmp_path / "u.md"
    path.write_bytes(text.encode("utf-16"))
    [f] = _report(run, str(path))["findings"]
    _assert_exact(text, f)


def test_plain_text_marker_suppresses_its_line(tmp_path: Path) -> None:
    path = tmp_path / "ad.txt"
    path.write_text(textwrap.dedent("""\
        Treats acne.  claimlint: ignore[DIS-SKIN]
        Treats acne again.
        Stimulates collagen. claimlint: ignore
        """), encoding="utf-8")  # fmt: skip
    report = claimlint.lint_paths([path])
    assert [(f.rule_id, f.line) for f in report.findings] == [("DIS-SKIN", 2)]


def test_parallel_catalog_gives_the_same_findings(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from claimlint import parallel, runner

    monkeypatch.setattr(runner, "SMALL_CATALOG_BYTES", 0)  # this small file would run in-process
    calls: list[str] = []
    for name in ("lint_parallel", "render_parallel"):
        real = getattr(parallel, name)

        def counted(*args: object, _real=real, _name=name, **kwargs: object):  # type: ignore[no-untyped-def]
            calls.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(parallel, name, counted)
    path = tmp_path / "feed.csv"
    lines = ["sku,description"] + [
        f"S{i},{'Treats acne and stimulates collagen.' if i % 3 == 0 else 'A light citrus scent.'} Row {i}."
        for i in range(1_500)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    args = ["check", "--isolated", str(path), "--text-field", "description", "--id-field", "sku"]
    one = json.loads(run([*args, "-f", "json", "--jobs", "1"]).out)
    two = json.loads(run([*args, "-f", "json", "--jobs", "2"]).out)
    assert one == two and len(one["findings"]) == 1_000 and one["summary"]["rows"] == 1_500
    # Byte for byte: the workers rendered the findings of one report (JSON, SARIF) in batches;
    # with a baseline every finding comes back here.
    (tmp_path / "empty-baseline.json").write_text('{"format": "claimlint-baseline/1", "findings": []}', "utf-8")
    for extra in (["-f", "json"], ["-f", "sarif"], ["-f", "json", "--baseline", str(tmp_path / "empty-baseline.json")]):
        written = []
        for jobs in ("1", "2"):
            target = tmp_path / f"out.{jobs}"
            assert run([*args, *extra, "--jobs", jobs, "-o", str(target)]).code == 1
            written.append(target.read_bytes())
        assert written[0] == written[1]
    assert calls == ["render_parallel"] * 3 + ["lint_parallel"]


def _a_tree_of_copy(root: Path, files: int) -> None:
    """Markdown, HTML and text files, some with claims, suppressions used and unused, and a binary
    file among them."""
    for i in range(files):
        claim = ("Treats acne and stimulates collagen.", "A light citrus scent.", "Clinically proven to cure eczema.")[
            i % 3
        ]
        if i % 4 == 0:
            (root / f"p{i:03d}.html").write_text(f"<html><body><p>{claim}</p><p>Page {i}.</p></body></html>", "utf-8")
        elif i % 4 == 1:
            (root / f"p{i:03d}.txt").write_text(f"{claim} Page {i}.\n", "utf-8")
        else:
            silenced = "Treats acne" if i % 8 == 2 else "A gentle cream"  # else the suppression is unused
            (root / f"p{i:03d}.md").write_text(
                f"# Page {i}\n\n{claim}\n\n<!-- claimlint-disable-next-line DIS-SKIN -->\n{silenced}, page {i}.\n",
                "utf-8",
            )
    (root / "logo.txt").write_bytes(b"\x89PNG\x00\x00\x01")


def _spied(monkeypatch: pytest.MonkeyPatch, module: object, name: str) -> list[int]:
    calls: list[int] = []
    real = getattr(module, name)

    def spy(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, spy)
    return calls


def test_many_files_on_workers_give_the_same_report(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from claimlint import parallel, runner

    monkeypatch.setattr(runner, "MANY_FILES_CHARS", 2_000)  # these small files would be linted here
    monkeypatch.setattr(runner, "FILES_PER_BATCH", 3)
    calls = _spied(monkeypatch, parallel, "lint_files_parallel")
    _a_tree_of_copy(tmp_path, 40)
    args = ["check", "--isolated", "--no-cache", "--report-unused-suppressions", str(tmp_path)]
    one, two = (run([*args, "-f", fmt, "--jobs", jobs]) for fmt, jobs in (("json", "1"), ("json", "2")))
    assert calls == [1]
    assert one.code == two.code == 1 and one.out == two.out and one.err == two.err
    report = json.loads(one.out)
    assert report["summary"]["files"] == 40 and len(report["findings"]) > 40
    assert len(report["unused_suppressions"]) == 15  # of 20 Markdown pages, 5 silence "Treats acne"
    assert "logo.txt: skipped, binary file" in one.err
    # The terminal report too, file by file in the same order.
    assert run([*args, "--jobs", "1"]).out == run([*args, "--jobs", "2"]).out


def test_many_files_are_batched_by_count_and_by_characters() -> None:
    from claimlint.parallel import _file_batches

    files = [(f"p{i}.md", "x" * size, "markdown", ()) for i, size in enumerate([10] * 6 + [700] + [10] * 4)]
    batches = list(_file_batches(iter(files), 3, 600))
    assert [f for batch in batches for f in batch] == files  # all of them, in order
    # Three files at most, and a batch closes as soon as it holds 600 characters (the long file alone).
    assert [[len(f[1]) for f in b] for b in batches] == [[10] * 3, [10] * 3, [700], [10] * 3, [10]]
    assert list(_file_batches(iter([]), 3, 600)) == []


@pytest.mark.usefixtures("not_in_ci", "cache")
def test_many_files_some_unchanged_report_in_order(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Files answered from their kept findings wait for the files before them that are on the workers."""
    from claimlint import parallel, runner

    monkeypatch.setattr(runner, "MANY_FILES_CHARS", 500)
    monkeypatch.setattr(runner, "FILES_PER_BATCH", 2)
    tree = tmp_path / "site"
    tree.mkdir()
    _a_tree_of_copy(tree, 30)
    args = ["check", "--isolated", "-f", "json", "--report-unused-suppressions", str(tree), "--jobs", "2"]
    assert run(args).code == 1  # every file's findings kept
    for changed in sorted(tree.glob("p0[0-2]*"))[::3]:
        changed.write_text(changed.read_text("utf-8") + "\nRegrows hair in two weeks.\n", "utf-8")
    calls = _spied(monkeypatch, parallel, "lint_files_parallel")
    mixed = run(args)
    assert calls == [1]
    fresh = run([*args[:-1], "1", "--no-cache"])
    assert mixed.out == fresh.out and "Regrows hair" in mixed.out
    # With at most four files read ahead, the few changed ones are linted here, in order all the same.
    monkeypatch.setattr(runner, "FILES_AHEAD", 4)
    for changed in sorted(tree.glob("p0[0-2]*"))[1::3]:
        changed.write_text(changed.read_text("utf-8") + "\nStimulates collagen.\n", "utf-8")
    assert run(args).out == run([*args[:-1], "1", "--no-cache"]).out


def _die_now(*args: object) -> None:
    os._exit(9)  # as a worker killed by the out-of-memory killer would


@pytest.mark.parametrize("task", ["_lint", "_lint_blocks", "_lint_files"])
def test_a_worker_that_dies_ends_the_run_with_one_line(
    run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, task: str
) -> None:
    from claimlint import parallel, runner

    monkeypatch.setattr(runner, "SMALL_CATALOG_BYTES", 0)
    monkeypatch.setattr(parallel, "PARALLEL_MIN_CHARS", 1_000)
    monkeypatch.setattr(runner, "LONG_FILE_CHARS", 1_000)  # kept in step, as they are
    monkeypatch.setattr(parallel, task, _die_now)  # forked workers inherit the patched module
    if task == "_lint":  # catalog rows
        path = tmp_path / "feed.csv"
        path.write_text("sku,d\n" + "".join(f"S{i},Treats acne.\n" for i in range(600)), encoding="utf-8")
        extra = ["--text-field", "d"]
    elif task == "_lint_files":  # many files
        monkeypatch.setattr(runner, "MANY_FILES_CHARS", 1_000)
        path = tmp_path / "site"
        path.mkdir()
        for i in range(100):
            (path / f"page{i}.md").write_text("Treats acne.\n", encoding="utf-8")
        extra = ["--no-cache"]
    else:  # one long file cut between paragraphs
        path = tmp_path / "long.md"
        path.write_text("Treats acne.\n\n" * 300, encoding="utf-8")
        extra = []
    result = run(["check", "--isolated", "-f", "json", str(path), *extra, "--jobs", "2"])
    assert result.code == 2
    assert result.err.strip().splitlines() == [
        "claimlint: error: a worker process died (out of memory? killed?); run again, or with --jobs 1"
    ]


def test_a_report_mixing_parts_rendered_by_workers_and_findings_written_here(
    run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Long files and catalogs (parts rendered by the workers), short files and a file without a
    claim (written here), in one report: the same bytes as one process writes."""
    from claimlint import parallel, runner

    monkeypatch.setattr(parallel, "PARALLEL_MIN_CHARS", 1_000)
    monkeypatch.setattr(runner, "LONG_FILE_CHARS", 1_000)  # kept in step, as they are
    monkeypatch.setattr(runner, "SMALL_CATALOG_BYTES", 0)
    copied: list[int] = []
    copy_parts = runner._copy_parts

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        copied[-1] += 1
        return copy_parts(*args, **kwargs)

    monkeypatch.setattr(runner, "_copy_parts", counted)
    (tmp_path / "a-long.md").write_text("\n\n".join(_long_copy("Treats acne.", " ")) + "\n", encoding="utf-8")
    (tmp_path / "b-short.md").write_text("Stimulates collagen.\n", encoding="utf-8")
    (tmp_path / "c-clean.txt").write_text("A light citrus scent.\n" * 200, encoding="utf-8")
    rows = [f"S{i},{'Cures eczema.' if i % 4 == 0 else 'Soft.'}" for i in range(300)]
    (tmp_path / "d-feed.csv").write_text("sku,description\n" + "\n".join(rows) + "\n", encoding="utf-8")
    (tmp_path / "e-long.txt").write_text("\n\n".join(_long_copy("Treats acne.", " ")) + "\n", encoding="utf-8")
    for fmt in ("json", "sarif"):
        written = []
        copied.append(0)
        for jobs in ("1", "2"):
            target = tmp_path.parent / f"{tmp_path.name}.{fmt}.{jobs}"
            args = ["check", "--isolated", "-f", fmt, str(tmp_path), "--text-field", "description", "-o", str(target)]
            assert run([*args, "--jobs", jobs]).code == 1
            written.append(target.read_bytes())
        assert written[0] == written[1]
    report = json.loads((tmp_path.parent / f"{tmp_path.name}.json.1").read_text(encoding="utf-8"))
    assert report["summary"]["files"] == 5 and report["summary"]["rows"] == 300
    assert len({f["path"] for f in report["findings"]}) == 4
    # Two long files, the file without a claim and the catalog came in parts, in both formats.
    assert copied == [4, 4]


def test_a_full_disk_while_workers_write_their_parts_is_one_line(
    run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno
    import tempfile
    import types

    from claimlint import parallel, runner

    def full(*args: object, **kwargs: object) -> tuple[int, str]:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(parallel, "PARALLEL_MIN_CHARS", 1_000)
    monkeypatch.setattr(runner, "LONG_FILE_CHARS", 1_000)  # kept in step, as they are
    monkeypatch.setattr(parallel, "tempfile", types.SimpleNamespace(mkdtemp=tempfile.mkdtemp, mkstemp=full))
    path = tmp_path / "long.md"
    path.write_text("Treats acne.\n\n" * 300, encoding="utf-8")
    target = tmp_path / "report.json"
    result = run(["check", "--isolated", "-f", "json", str(path), "--jobs", "2", "-o", str(target)])
    assert (result.code, result.err) == (2, "claimlint: error: [Errno 28] No space left on device\n")
    assert not target.exists() and list(tmp_path.iterdir()) == [path]  # nothing half-written left


def _long_copy(suppressed: str, question_break: str) -> list[str]:
    """400 paragraphs of copy with claims, a suppressed claim, a question answered after
    ``question_break``, and a footnote at the very end that claims across the file point at."""
    paragraphs = []
    for i in range(400):
        if i % 7 == 0:
            paragraphs.append(f"Clinically proven¹ to reduce wrinkles by {i % 90 + 5}% in 4 weeks.")
        elif i % 5 == 0:
            paragraphs.append(suppressed)
        elif i % 3 == 0:
            paragraphs.append(f"It stimulates collagen production.{question_break}Does it cure eczema? No.")
        else:
            paragraphs.append("A light citrus scent that fades as it dries.\nApply morning and evening.")
    paragraphs.append("¹ In a 4-week study of 32 women.")
    return paragraphs


@pytest.mark.parametrize("suffix", ["md", "txt"])
def test_a_long_file_split_over_processes_gives_the_same_findings(
    run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    from claimlint import parallel, runner
    from claimlint.sources import plain

    if suffix == "md":  # cut between its blocks
        paragraphs = _long_copy("<!-- claimlint-disable-next-line DIS-SKIN -->\nTreats acne fast.", " ")
        joiner = "\n\n"
    else:  # cut into runs of characters
        paragraphs = _long_copy("Treats acne fast. claimlint: ignore[DIS-SKIN]", "\r\n \r\n")
        joiner = "\n\n \n"
    path = tmp_path / f"long.{suffix}"
    path.write_text(joiner.join(paragraphs) + "\n", encoding="utf-8")
    args = ["check", "--isolated", "-f", "json", str(path)]
    one = json.loads(run([*args, "--jobs", "1"]).out)
    assert run([*args, "--jobs", "1", "-o", str(tmp_path / "one.json")]).code == 1
    sarif = [*args[:-2], "sarif", str(path)]
    assert run([*sarif, "--jobs", "1", "-o", str(tmp_path / "one.sarif")]).code == 1
    monkeypatch.setattr(parallel, "PARALLEL_MIN_CHARS", 1_000)
    monkeypatch.setattr(runner, "LONG_FILE_CHARS", 1_000)  # kept in step, as they are
    parts: list[object] = []

    def tens(source: object, sizes: object) -> list[object]:
        n = len(source.blocks)  # type: ignore[attr-defined]
        parts[:] = [(i, min(i + 10, n)) for i in range(0, n, 10)]
        return parts

    def small_runs(text: str, sizes: object) -> list[object]:
        parts[:] = plain.cut_points(text, itertools.repeat(300))
        return parts

    monkeypatch.setattr(parallel, "block_ranges", tens)
    monkeypatch.setattr(parallel, "cut_points", small_runs)
    if suffix == "txt":  # by the workers, each its own run: never split whole
        monkeypatch.setattr(plain, "split_blocks", lambda *a: pytest.fail("the whole text was split"))
    rendered: list[int] = []
    add_part = JsonWriter.add_part

    def counted(self: JsonWriter, path: str, count: int) -> None:
        rendered.append(count)
        add_part(self, path, count)

    monkeypatch.setattr(JsonWriter, "add_part", counted)
    two = json.loads(run([*args, "--jobs", "2"]).out)
    assert len(parts) > 20
    assert one == two and len(one["findings"]) > 100
    # The workers rendered the findings; here they were only copied into the report.
    assert len(rendered) == len(parts) and sum(rendered) == len(two["findings"])
    # Byte for byte, into a file too (copied by the kernel), and with a filter or a second
    # report here, which take every finding through this process.
    (tmp_path / "empty-baseline.json").write_text('{"format": "claimlint-baseline/1", "findings": []}', "utf-8")
    written = []
    for extra in (
        [],
        ["--report", f"sarif:{tmp_path / 'out.sarif'}"],
        ["--baseline", str(tmp_path / "empty-baseline.json")],
    ):
        target = tmp_path / f"out{len(written)}.json"
        result = run([*args, "--jobs", "2", "-o", str(target), *extra])
        assert result.code == 1, result.err
        written.append(target.read_bytes())
    assert written == [(tmp_path / "one.json").read_bytes()] * 3
    assert run([*sarif, "--jobs", "2", "-o", str(tmp_path / "two.sarif")]).code == 1
    assert (tmp_path / "two.sarif").read_bytes() == (tmp_path / "one.sarif").read_bytes()
    assert issubclass(SarifWriter, PartSink)  # whose parts the workers rendered too
    assert len(rendered) == 2 * len(parts)  # only the first took the parts rendered
    # The footnote at the very end is found from every part of the file.
    proven = [f for f in two["findings"] if f["rule_id"] == "PRF-CLINICAL"]
    assert proven and all("substantiation" in f["context"] for f in proven)
    # Every suppression silences its claim, in whichever part it falls.
    assert "DIS-SKIN" not in {f["rule_id"] for f in two["findings"]}


def test_catalog_progress_bar_on_a_terminal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from claimlint.engine import Linter
    from claimlint.runner import RunOptions, run
    from claimlint.sources.catalog import CatalogOptions

    path = tmp_path / "feed.csv"
    rows = [f"S{i},{'Treats acne.' if i % 50 == 0 else 'A light citrus scent.'}" for i in range(3_000)]
    path.write_text("sku,description\n" + "\n".join(rows) + "\n", encoding="utf-8")
    options = RunOptions(catalog=CatalogOptions(text_fields=("description",), id_field="sku"), progress=True)
    report = run(Linter(), [str(path)], options)
    err = capsys.readouterr().err
    assert len(report.findings) == 60
    first = err.split("\r")[1]
    assert "░" in first or "█" in first, first  # a bar, with how far through the file
    assert "% " in first and " left" in first
    assert "feed.csv: 3,000 rows in " in err.split("\r")[-1]


def test_many_files_progress_on_a_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from claimlint import runner
    from claimlint.engine import Linter
    from claimlint.runner import RunOptions, run

    _a_tree_of_copy(tmp_path, 12)
    quick = run(Linter(), [str(tmp_path)], RunOptions(progress=True, jobs=2))
    assert capsys.readouterr().err == ""  # a run under a second shows nothing
    monkeypatch.setattr(runner._FilesProgress, "AFTER", 0.0)
    monkeypatch.setattr(runner, "MANY_FILES_CHARS", 500)  # on the workers, then in-process
    for jobs in (2, 1):
        report = run(Linter(), [str(tmp_path)], RunOptions(progress=True, jobs=jobs))
        err = capsys.readouterr().err
        lines = err.split("\r")
        assert lines[1].startswith("1 files checked (") and "/s)" in lines[1]
        assert lines[-1].startswith("12 files checked in ") and lines[-1].endswith(" s\x1b[K\n")
        assert len(report.findings) == len(quick.findings) > 0


def test_a_small_catalog_is_linted_in_process(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from claimlint import parallel

    monkeypatch.setattr(parallel, "lint_parallel", lambda *a, **k: pytest.fail("a pool for ten rows"))
    path = tmp_path / "feed.csv"
    path.write_text("sku,description\n" + "".join(f"S{i},Treats acne.\n" for i in range(10)), encoding="utf-8")
    result = run(["check", "--isolated", "-f", "json", str(path), "--text-field", "description", "--jobs", "2"])
    assert result.code == 1 and len(json.loads(result.out)["findings"]) == 10


def test_parts_of_a_long_file_shrink_towards_its_end() -> None:
    from claimlint.parallel import MIN_PART, part_sizes

    sizes = part_sizes(6_000_000, 2)
    assert sum(sizes) >= 6_000_000 and sum(sizes[:-1]) < 6_000_000
    assert sizes == sorted(sizes, reverse=True) and min(sizes) == MIN_PART
    # The first parts are large (few, cheap to hand out); the last ones as small as allowed, so
    # that no worker is left to finish a big part alone.
    assert sizes[0] == 750_000 and sizes[-4:] == [MIN_PART] * 4
    assert part_sizes(120_000, 4) == [MIN_PART] * 3
