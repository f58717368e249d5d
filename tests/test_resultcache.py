"""Findings of unchanged files are read back from the cache: the same report as linting, without
spaCy, and never when anything the findings depend on has changed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from claimlint import resultcache

from conftest import brand_pack

COPY = """\
# Serum

Stimulates collagen production and treats acne.

<!-- claimlint-disable-next-line SF-COLLAGEN -->
Boosts collagen synthesis overnight.

<!-- claimlint-disable-next-line proof -->
A gentle cream for every day.
"""


pytestmark = pytest.mark.usefixtures("not_in_ci")


def _entries(cache: Path) -> list[Path]:
    return sorted(cache.glob(f"{resultcache.KIND}-*.pickle"))


HEAVY = ("spacy", "markdown_it", "claimlint.parallel", "claimlint.rulebook", "pydantic", "socket")


def _check(*args: str, cache: Path, cwd: Path) -> tuple[dict[str, object], set[str]]:
    """A fresh ``claimlint check -f json ARGS`` process: its report, and which of :data:`HEAVY`
    (spaCy, the Markdown parser, the worker pool, the rules' models, pydantic, the daemon's socket) it
    imported."""
    probe = (
        "import atexit, sys\n"
        f"atexit.register(lambda: sys.stderr.write('\\nIMPORTED=%s\\n' % [m for m in {HEAVY!r} if m in sys.modules]))\n"
        "from claimlint.cli import main\n"
        f"main({['check', '-f', 'json', '--report-unused-suppressions', *args]!r})\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=cwd,
        env={**os.environ, "CLAIMLINT_CACHE_DIR": str(cache), "CLAIMLINT_DAEMON": "off"},
        capture_output=True,
        text=True,
    )
    assert done.returncode in (0, 1), done.stderr
    report: dict[str, object] = json.loads(done.stdout)
    report.pop("elapsed_seconds", None)
    imported = done.stderr.rsplit("IMPORTED=", 1)[1].strip()
    return report, set(json.loads(imported.replace("'", '"')))


def test_an_unchanged_file_is_answered_from_the_cache_without_parsing_it(tmp_path: Path, cache: Path) -> None:
    (tmp_path / "page.md").write_text(COPY, encoding="utf-8")
    cold, cold_imports = _check("page.md", cache=cache, cwd=tmp_path)
    assert {"spacy", "markdown_it", "claimlint.rulebook"} <= cold_imports and len(_entries(cache)) == 1
    warm, warm_imports = _check("page.md", cache=cache, cwd=tmp_path)
    assert warm == cold
    assert warm_imports == set()  # nothing parsed: not even the Markdown, nor the rule packs
    rules = {f["rule_id"] for f in cold["findings"]}  # type: ignore[attr-defined,index]
    assert "SF-COLLAGEN" in rules
    # the suppression that silenced a finding was used; the one over a plain sentence was not
    unused = cold["unused_suppressions"]
    assert [u["line"] for u in unused] == [8]  # type: ignore[attr-defined,index]


def test_an_edited_file_is_linted_again(tmp_path: Path, cache: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("Stimulates collagen production.\n", encoding="utf-8")
    first, _ = _check("page.md", cache=cache, cwd=tmp_path)
    page.write_text("Treats acne and eczema.\n", encoding="utf-8")
    second, imports = _check("page.md", cache=cache, cwd=tmp_path)
    assert "spacy" in imports
    assert {f["category"] for f in first["findings"]} == {"structure_function"}  # type: ignore[attr-defined,index]
    assert {f["category"] for f in second["findings"]} == {"disease"}  # type: ignore[attr-defined,index]
    assert len(_entries(cache)) == 2


def test_other_settings_are_other_entries(run, tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "page.md").write_text(COPY, encoding="utf-8")

    def findings(*args: str) -> list[dict[str, object]]:
        result = run(["check", "-f", "json", *args, "page.md"])
        assert result.code in (0, 1), result.err
        found: list[dict[str, object]] = json.loads(result.out)["findings"]
        return found

    everything = findings()
    assert {f["category"] for f in everything} >= {"structure_function", "disease"}
    assert findings() == everything  # from the cache
    assert {f["category"] for f in findings("--select", "disease")} == {"disease"}
    assert {f["category"] for f in findings("--ignore", "disease")} == {"structure_function"}
    assert {m for f in findings("--market", "uk") for m in f["markets"]} == {"uk"}  # type: ignore[attr-defined]
    assert findings("--market", "us,eu,uk") == everything
    assert len(_entries(cache)) == 4
    # the same text under another name is another file: its findings name it
    (tmp_path / "other.md").write_text(COPY, encoding="utf-8")
    result = run(["check", "-f", "json", "other.md"])
    assert {f["path"] for f in json.loads(result.out)["findings"]} == {"other.md"}


def test_an_edited_rule_pack_is_applied(run, tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    packs = tmp_path / "packs"
    packs.mkdir()
    pack = packs / "brand.yaml"
    pack.write_text(brand_pack("guaranteed glow"), encoding="utf-8")
    (tmp_path / "page.md").write_text("A guaranteed glow and a radiant finish.\n", encoding="utf-8")

    def brand_spans() -> list[str]:
        result = run(["check", "-f", "json", "--rules", "packs", "page.md"])
        return [f["text"] for f in json.loads(result.out)["findings"] if f["rule_id"] == "BRAND-GLOW"]

    assert brand_spans() == ["guaranteed glow"]
    pack.write_text(brand_pack("radiant finish"), encoding="utf-8")
    os.utime(pack, ns=(pack.stat().st_atime_ns, pack.stat().st_mtime_ns + 2_000_000_000))
    assert brand_spans() == ["radiant finish"]


def test_standard_input_is_not_kept(run, cache: Path) -> None:
    result = run(["check", "-f", "json", "-"], stdin=b"Stimulates collagen production.\n")
    assert result.code == 1
    assert _entries(cache) == []


def test_no_cache_means_no_entry(run, tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CLAIMLINT_NO_CACHE", "1")
    (tmp_path / "page.md").write_text(COPY, encoding="utf-8")
    assert run(["check", "page.md"]).code == 1
    assert not cache.exists()


def test_the_daemons_warm_up_leaves_no_entry(cache: Path) -> None:
    from claimlint.daemon.server import warm

    warm()
    assert _entries(cache) == []
    assert not resultcache._paused  # back on afterwards


def test_no_cache_flag_neither_reads_nor_keeps(
    run, tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pickle

    monkeypatch.chdir(tmp_path)
    (tmp_path / "page.md").write_text(COPY, encoding="utf-8")

    def rules(*args: str) -> list[str]:
        result = run(["check", "-f", "json", *args, "page.md"])
        return [f["rule_id"] for f in json.loads(result.out)["findings"]]

    linted = rules()
    assert linted
    (entry,) = _entries(cache)
    whole, known = pickle.loads(entry.read_bytes())
    entry.write_bytes(pickle.dumps((whole, resultcache.Known([], known.unused))))  # an entry that says "clean"
    assert rules() == []  # read back: the file was not linted
    assert rules("--no-cache") == linted  # not read: linted afresh
    assert pickle.loads(entry.read_bytes())[1].findings == []  # and nothing kept
    assert len(_entries(cache)) == 1


def test_a_ci_job_keeps_no_findings(run, tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CI", "true")
    (tmp_path / "page.md").write_text(COPY, encoding="utf-8")
    assert run(["check", "page.md"]).code == 1
    assert _entries(cache) == []
    monkeypatch.setenv("CI", "false")  # said off: kept
    assert run(["check", "page.md"]).code == 1
    assert len(_entries(cache)) == 1


def test_a_settings_file_checked_once_is_read_back_without_pydantic(
    tmp_path: Path, cache: Path, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Real projects have a settings file: once checked, it is kept by its size and modification
    time, so a run answered from kept findings imports no pydantic for it either; an edit is read
    and checked again."""
    (tmp_path / "page.md").write_text(COPY, encoding="utf-8")
    settings = tmp_path / ".claimlint.toml"
    settings.write_text('markets = ["uk"]\n[catalog]\ntext-fields = ["body"]\n', encoding="utf-8")
    cold, cold_imports = _check("page.md", cache=cache, cwd=tmp_path)
    assert cold["markets"] == ["uk"] and "pydantic" in cold_imports
    warm, warm_imports = _check("page.md", cache=cache, cwd=tmp_path)
    assert warm == cold and warm_imports == set()
    settings.write_text('markets = ["eu", "us"]\n', encoding="utf-8")
    edited, _ = _check("page.md", cache=cache, cwd=tmp_path)
    assert edited["markets"] == ["eu", "us"]
    settings.write_text('markets = ["mars"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # in-process, for the error's exit code and line
    result = run(["check", "page.md"])
    assert result.code == 2 and "markets.0" in result.err and result.err.count("\n") == 1


def test_an_entry_reads_back_the_findings_it_kept() -> None:
    """Entries keep findings as rows of plain values: read back, every finding is equal, field for
    field, and findings with the same verdict share one verdict object (as the engine's do)."""
    import pickle

    from claimlint.engine import Linter, Settings
    from claimlint.findings import UnusedSuppression
    from claimlint.resultcache import Known

    linter = Linter(Settings())
    found = linter.lint_text(
        "Clinically proven to cure acne in 7 days, 100% guaranteed. Our serum regrows hair.\n\n"
        "Stimulates collagen production by 300%.¹\n\n¹ In a study of 30 women.",
        path="café page.md",
    )
    assert len(found) >= 4 and any(f.quantity for f in found) and any(f.context for f in found)
    kept = Known(found, [UnusedSuppression("café page.md", 3, "<!-- claimlint-disable -->")])
    back = pickle.loads(pickle.dumps(kept))
    assert back == kept and [vars(f) for f in back.findings] == [vars(f) for f in found]
    assert all(type(b.severity) is type(f.severity) for b, f in zip(back.findings, found, strict=True))
    verdicts = [v for f in back.findings for v in f.markets.values()]
    assert len({id(v) for v in verdicts}) == len({(v.severity, tuple(v.citations)) for v in verdicts})
