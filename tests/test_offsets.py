"""Offsets are sacred: every finding points at the exact characters of the original text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import claimlint

COPY = (
    "🌿 ReGen Serum — café edition\r\n"
    "\r\n"
    "\tOur serum stimulates collagen production.\r\n"
    "Clinically   proven.  Treats\r\n"
    "acne overnight.\n"
    "\n"
    "Ünïcode first: 100% pure.\n"
)


def _position(text: str, offset: int) -> tuple[int, int]:
    """Independent reference: count lines and columns by walking the text."""
    line, col, i = 1, 1, 0
    while i < offset:
        if text[i] == "\r" and i + 1 < len(text) and text[i + 1] == "\n":
            i += 1
            line, col = line + 1, 0
        elif text[i] in "\r\n":
            line, col = line + 1, 0
        col += 1
        i += 1
    return line, col


def test_every_finding_maps_back_to_its_characters() -> None:
    findings = claimlint.lint_text(COPY)
    assert {f.rule_id for f in findings} >= {"SF-COLLAGEN", "PRF-CLINICAL", "DIS-SKIN", "ABS-PURE"}
    for f in findings:
        assert COPY[f.start : f.end] == f.text
        assert (f.line, f.column) == _position(COPY, f.start)
        assert (f.end_line, f.end_column) == _position(COPY, f.end)


def test_a_claim_across_a_line_break() -> None:
    [f] = [f for f in claimlint.lint_text(COPY) if f.rule_id == "DIS-SKIN"]
    assert f.text == "Treats\r\nacne"
    assert (f.line, f.column, f.end_line, f.end_column) == (4, 23, 5, 5)


def test_file_offsets_count_characters_after_the_bom(tmp_path: Path, run) -> None:
    path = tmp_path / "copy.txt"
    path.write_bytes(b"\xef\xbb\xbf" + COPY.encode("utf-8"))
    report = json.loads(run(["check", "-f", "json", str(path)]).out)
    for f in report["findings"]:
        assert COPY[f["start"] : f["end"]] == f["text"]
        assert (f["line"], f["column"]) == _position(COPY, f["start"])


@pytest.mark.parametrize("markets", [["us"], ["eu", "uk"]])
def test_public_api_returns_typed_findings(markets: list[str]) -> None:
    [f] = claimlint.lint_text("It stimulates collagen.", markets=markets)
    assert isinstance(f, claimlint.Finding)
    assert isinstance(f.severity, claimlint.Severity)
    assert list(f.markets) == markets
    assert all(isinstance(c, claimlint.CitationRef) for v in f.markets.values() for c in v.citations)


def test_lint_paths_collects_findings_and_errors(tmp_path: Path) -> None:
    good = tmp_path / "a.txt"
    good.write_text("Regrows hair in weeks.", encoding="utf-8")
    report = claimlint.lint_paths([good, tmp_path / "missing.txt"])
    assert [f.rule_id for f in report.findings] == ["DIS-HAIR-LOSS"]
    assert [(e.path, e.message) for e in report.errors] == [(str(tmp_path / "missing.txt"), "no such file")]


@pytest.mark.parametrize(
    "text",
    [
        COPY,
        COPY.replace("\r\n", "\n"),  # newlines only: the fast path
        "one\rtwo\r\rthree\n\r\nfour",  # lone carriage returns count as line breaks
        "no break at all",
        "\n\nends with a break\n",
    ],
)
def test_line_index_agrees_with_walking_the_text(text: str) -> None:
    from claimlint.sources.base import LineIndex

    index = LineIndex(text)
    # Every offset a finding can start or end at: any but the middle of a "\r\n" pair.
    offsets = [i for i in range(len(text) + 1) if not (0 < i < len(text) and text[i - 1 : i + 1] == "\r\n")]
    assert [index.position(i) for i in offsets] == [_position(text, i) for i in offsets]


def test_plain_text_cut_into_runs_splits_into_the_same_paragraphs() -> None:
    """A long plain file linted in parallel is split by the workers, each its own run of
    characters: together they must find the very paragraphs the whole-text split finds."""
    import random
    from itertools import repeat

    from claimlint.sources.plain import cut_points, split_blocks, split_range

    rng = random.Random(11)
    # Every kind of whitespace a break can hold or end in, Unicode ones too (\s matches them).
    pieces = [
        "word",
        "Treats acne.",
        "x",
        "\n",
        "\n\n",
        " \n \n",
        "\t",
        "\r\n\r\n",
        "\xa0",
        "\u2028",
        "\u3000",
        " ",
        "\f",
    ]
    texts = ["", "one line only", "\n\n\n", "\n\npara\n\n", "a\n\nb\n\n\n\nc\n \n\xa0d\n\n"]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 400))) for _ in range(400)]
    for text in texts:
        whole = [(b.start, b.text) for b in split_blocks(text)]
        for size in (1, 2, 3, 7, 25, 100, 10_000):
            cuts = cut_points(text, repeat(size))
            assert cuts[-1] == len(text) and cuts == sorted(set(cuts))
            runs = zip([0, *cuts[:-1]], cuts, strict=True)
            assert [(b.start, b.text) for lo, hi in runs for b in split_range(text, lo, hi)] == whole, (text, size)


def test_a_plain_source_is_split_when_its_blocks_are_first_asked_for() -> None:
    from claimlint.sources import source_from_text
    from claimlint.sources.plain import PlainSource, split_blocks

    text = "Treats acne.\n\nA light scent.\n"
    source = source_from_text("copy.txt", text)
    assert isinstance(source, PlainSource) and not source.split
    assert [(b.start, b.text) for b in source.blocks] == [(b.start, b.text) for b in split_blocks(text)]
    assert source.split
    assert [f.rule_id for f in claimlint.lint_text(text, path="copy.txt")] == ["DIS-SKIN"]


def test_positions_asked_in_any_order_agree_with_the_line_index() -> None:
    """A paragraph's place remembers the line of the last position it gave and tries it first: in
    whatever order offsets come, the answer must be the line index's."""
    import random

    from claimlint.engine import _Place
    from claimlint.sources import source_from_text

    rng = random.Random(5)
    text = "".join(rng.choice(["claim ", "word. ", "\n", "\n\n", "x"]) for _ in range(3_000))
    source = source_from_text("copy.txt", text)
    place = _Place(source, source.blocks[0], "cosmetic", 0, 0)
    offsets = [rng.randrange(len(text) + 1) for _ in range(2_000)]
    offsets += sorted(offsets) + [o + d for o in offsets[:300] for d in (0, 1, 2) if o + d <= len(text)]
    assert [place.position(o) for o in offsets] == [source.lines.position(o) for o in offsets]


@pytest.mark.parametrize(
    ("lo", "hi"),
    [(0, 0), (0, 5), (10, 5_000), (4_090, 4_100), (131_000, 131_071), (131_000, 131_100), (200_000, 200_010)],
)
def test_block_builder_maps_copied_characters_to_their_offsets(lo: int, hi: int) -> None:
    """Copied runs are sliced from a table of offsets while it is short enough, then counted."""
    from claimlint.sources.base import BlockBuilder

    source = "ab\ncd " * 40_000
    builder = BlockBuilder()
    builder.put("x", 3, 4)  # one decoded character first
    builder.copy(source, lo, hi)
    block = builder.take()
    assert block is not None and block.text == "x" + source[lo:hi]
    assert list(block.starts or ()) == [3, *range(lo, hi)]
    assert list(block.ends or ()) == [4, *range(lo + 1, hi + 1)]
