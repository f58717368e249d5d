"""The disk cache between runs: used only when its key is equal, never a reason for a run to fail."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from claimlint import diskcache
from claimlint.nlp.lemmas import _read_table, lookup_table
from claimlint.rulebook import RuleFileError, cached_rulebook, load_rulebook, rulebook_for

from conftest import brand_pack


def test_a_value_is_built_once_then_read_back_under_an_equal_key(cache: Path) -> None:
    built: list[int] = []

    def build() -> dict[str, list[int]]:
        built.append(1)
        return {"n": [len(built)]}

    assert diskcache.remember("probe", ("a", 1), build) == {"n": [1]}
    assert diskcache.remember("probe", ("a", 1), build) == {"n": [1]}
    assert len(built) == 1
    assert diskcache.remember("probe", ("a", 2), build) == {"n": [2]}  # another key: built again
    assert len(built) == 2
    assert oct(cache.stat().st_mode & 0o777) == "0o700"


def test_a_kept_table_is_loaded_and_saved_by_its_outermost_use_only(cache: Path) -> None:
    calls: list[str] = []
    table: diskcache.KeptTable[str, int] = diskcache.KeptTable(
        "probe", "k", 2, lambda: calls.append("begin"), lambda: calls.append("end")
    )
    with table.using():
        with table.using():  # nested: neither loads, begins, ends nor saves
            table.put("a", 1)
        assert calls == ["begin"] and not list(cache.glob("probe-*.pickle"))
        table.put("b", 2)
        table.put("c", 3)  # over the limit: not kept
    assert calls == ["begin", "end"]
    assert table.get("a") is None  # outside any use the table is empty
    assert diskcache.load("probe", "k") == {"a": 1, "b": 2}
    (entry,) = cache.glob("probe-*.pickle")
    written = entry.stat().st_mtime_ns
    with table.using():  # the next run's use: read back, nothing added, nothing written
        assert (table.get("a"), table.get("b"), table.get("c")) == (1, 2, None)
    assert entry.stat().st_mtime_ns == written and calls == ["begin", "end", "begin", "end"]


def test_a_damaged_entry_is_rebuilt_and_replaced(cache: Path) -> None:
    diskcache.save("probe", "k", [1, 2, 3])
    (entry,) = cache.glob("probe-*.pickle")
    entry.write_bytes(entry.read_bytes()[:10])
    assert diskcache.load("probe", "k") is None
    assert diskcache.remember("probe", "k", lambda: [4]) == [4]
    assert diskcache.load("probe", "k") == [4]


def test_a_directory_others_can_enter_is_never_read_or_written(cache: Path) -> None:
    cache.mkdir(mode=0o755)
    cache.chmod(0o755)  # whatever the umask made of it
    assert diskcache.cache_dir() is None
    diskcache.save("probe", "k", [1])
    assert list(cache.iterdir()) == []


def test_the_cache_can_be_turned_off(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAIMLINT_NO_CACHE", "1")
    assert diskcache.remember("probe", "k", lambda: [1]) == [1]
    assert not cache.exists()
    monkeypatch.setenv("CLAIMLINT_NO_CACHE", "0")
    assert diskcache.cache_dir() == str(cache)


def test_only_the_newest_entries_of_a_kind_are_kept(cache: Path) -> None:
    for i in range(diskcache.KEEP + 3):
        diskcache.save("probe", i, i)
        entry = diskcache._entry("probe", i)
        assert entry is not None
        os.utime(entry[0], (i, i))  # one second apart: file times can be coarser than a loop turn
    diskcache.save("other", "k", 0)
    assert len(list(cache.glob("probe-*.pickle"))) == diskcache.KEEP
    assert diskcache.load("probe", diskcache.KEEP + 2) == diskcache.KEEP + 2
    assert diskcache.load("probe", 0) is None  # the oldest went first
    assert diskcache.load("other", "k") == 0


def test_an_entry_read_back_and_touched_outlives_newer_ones(cache: Path) -> None:
    """Least recently used first: what a run reads back stays, what nothing reads goes."""
    for i in range(diskcache.KEEP):
        diskcache.save("probe", i, i)
        entry = diskcache._entry("probe", i)
        assert entry is not None
        os.utime(entry[0], (i, i))
    assert diskcache.load("probe", 0, touch=True) == 0  # the oldest, read: now the newest
    assert diskcache.load("probe", 1) == 1  # read without touching: still the oldest
    diskcache.save("probe", "new", 1)  # one over: the least recently used goes
    diskcache._prune(str(cache), "probe", diskcache.KEEP)
    assert diskcache.load("probe", 0) == 0 and diskcache.load("probe", "new") == 1
    assert diskcache.load("probe", 1) is None
    assert diskcache.load("probe", "absent", touch=True) is None


def test_a_kind_that_keeps_many_is_pruned_every_so_often_not_at_every_save(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    keep, listed = 64, []
    real_prune = diskcache._prune

    def prune(directory: str, kind: str, keep: int) -> None:
        listed.append(kind)
        real_prune(directory, kind, keep)

    monkeypatch.setattr(diskcache, "_prune", prune)  # (diskcache is not compiled)
    for i in range(200):
        diskcache.save("many", i, i, keep=keep)
        entry = diskcache._entry("many", i)
        assert entry is not None
        os.utime(entry[0], (i, i))
    assert 20 <= len(listed) <= 30  # every keep // 8 = 8 saves, not 200 times
    kept = len(list(cache.glob("many-*.pickle")))
    assert keep <= kept <= keep + keep // 8
    assert diskcache.load("many", 199) == 199
    assert diskcache.load("many", 0) is None


def test_the_rulebook_read_back_is_the_rulebook_loaded(cache: Path) -> None:
    first = cached_rulebook()
    assert list(cache.glob("rulebook-*.pickle"))
    rulebook_for.cache_clear()
    again = cached_rulebook()  # from the disk this time
    assert again is not first
    assert again == first == load_rulebook()


def test_an_edited_pack_is_read_again(cache: Path, tmp_path: Path) -> None:
    packs = tmp_path / "brand"
    packs.mkdir()
    pack = packs / "brand.yaml"
    pack.write_text(brand_pack(message="Says the glow is certain."), encoding="utf-8")
    assert cached_rulebook((packs,)).rule("BRAND-GLOW").message == "Says the glow is certain."
    pack.write_text(brand_pack(message="Promises a glow."), encoding="utf-8")
    os.utime(pack, ns=(pack.stat().st_mtime_ns + 10**9,) * 2)
    rulebook_for.cache_clear()
    assert cached_rulebook((packs,)).rule("BRAND-GLOW").message == "Promises a glow."


def test_a_directory_that_went_away_is_still_an_error(cache: Path, tmp_path: Path) -> None:
    packs = tmp_path / "brand"
    packs.mkdir()
    cached_rulebook((packs,))  # an empty directory adds nothing: the built-in rulebook is cached
    packs.rmdir()
    rulebook_for.cache_clear()
    with pytest.raises(RuleFileError, match="does not exist"):
        cached_rulebook((packs,))


def test_the_lemma_table_read_back_is_the_table_in_the_package(cache: Path) -> None:
    table = lookup_table()
    assert list(cache.glob("lemmas-*.pickle"))
    assert lookup_table() == table
    import spacy_lookups_data

    path = Path(spacy_lookups_data.__file__).parent / "data" / "en_lemma_lookup.json.gz"
    assert table == _read_table(str(path))
    assert table["stimulates"] == "stimulate"


@pytest.mark.usefixtures("not_in_ci")
def test_a_check_answers_the_same_from_a_cold_and_a_warm_cache(tmp_path: Path) -> None:
    copy = tmp_path / "copy.md"
    copy.write_text("# Serum\n\nStimulates collagen production and treats acne.\n", encoding="utf-8")
    # a project file that names claimlint, without its table: whether it has one is kept too
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "claimlint-shop"\n', encoding="utf-8")
    env = {**os.environ, "CLAIMLINT_CACHE_DIR": str(tmp_path / "cache"), "CLAIMLINT_DAEMON": "off"}

    def check() -> dict[str, object]:
        done = subprocess.run(
            [sys.executable, "-m", "claimlint", "check", "-f", "json", str(copy)],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 1, done.stderr
        report: dict[str, object] = json.loads(done.stdout)
        report.pop("elapsed_seconds", None)
        return report

    cold = check()
    entries = sorted(p.name for p in (tmp_path / "cache").glob("*.pickle"))
    assert list((tmp_path / "cache" / "tmp").iterdir()) == []  # where entries are written first
    assert [name.rsplit("-", 1)[0] for name in entries] == [
        "code",
        "entry-point-groups",
        "lemma-table",
        "pyproject-table",
        "regex",
        "results",
        "rule-index",
        "rulebook",
        "term-indexes",
        "term-lemmas",
        "terms",
    ]

    def start_up_entries() -> dict[str, int]:  # (a file's findings, once read, are marked as just used)
        return {p.name: p.stat().st_mtime_ns for p in (tmp_path / "cache").glob("*.pickle") if "results" not in p.name}

    written = start_up_entries()
    warm = check()
    assert warm == cold
    assert start_up_entries() == written  # read, not rewritten
    assert {f["rule_id"] for f in cold["findings"]} >= {"SF-COLLAGEN"}  # type: ignore[index,union-attr]
