"""A team's project: configuration, suppressions of every kind, unused ones, baselines, init."""

from __future__ import annotations

import json
import os
import textwrap
import typing
from pathlib import Path

import pytest


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "serum.md").write_text("Treats acne.\n\nClinically proven.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path / "content")  # config is found by walking up
    return tmp_path


def _json(result) -> dict:
    return json.loads(result.out)


# --- configuration ----------------------------------------------------------------------------


def test_config_in_claimlint_toml_is_found_walking_up(project: Path, run) -> None:
    (project / ".claimlint.toml").write_text(
        'markets = ["eu"]\nfail-on = "warning"\nignore = ["DIS"]\n', encoding="utf-8"
    )
    result = run(["check", "-f", "json", "serum.md"])
    report = _json(result)
    assert report["markets"] == ["eu"]
    assert [f["rule_id"] for f in report["findings"]] == ["PRF-CLINICAL"]
    assert result.code == 1  # fail-on warning from the config


def test_config_in_pyproject(project: Path, run) -> None:
    (project / "pyproject.toml").write_text(
        '[project]\nname = "shop"\n\n[tool.claimlint]\nselect = ["proof"]\n', encoding="utf-8"
    )
    assert [f["rule_id"] for f in _json(run(["check", "-f", "json", "serum.md"]))["findings"]] == ["PRF-CLINICAL"]


@pytest.mark.parametrize(
    ("toml", "has_table"),
    [
        ('[project]\nname = "shop"\n\n[tool.ruff]\nline-length = 100\n', False),  # no "claimlint": not parsed
        ('[project]\nname = "claimlint-shop"\n\n[tool.ruff]\nline-length = 100\n', False),
        ('[tool."claim\\u006cint"]\nselect = ["proof"]\n', True),  # the name escaped in a quoted key
    ],
)
def test_a_pyproject_is_read_for_its_table_once(project: Path, cache: Path, toml: str, has_table: bool) -> None:
    """Whether a ``pyproject.toml`` has a ``[tool.claimlint]`` table is kept: a later run that walks
    past it answers without the TOML parser."""
    import subprocess
    import sys

    (project / "pyproject.toml").write_text(toml, encoding="utf-8")
    code = (
        "import sys\nfrom pathlib import Path\nfrom claimlint.config import find_config\n"
        "found = find_config(Path.cwd())\n"
        "print(found is not None and found.name == 'pyproject.toml', 'tomllib' in sys.modules)\n"
    )

    def run() -> list[str]:
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        return done.stdout.split()

    first = run()
    assert first[0] == str(has_table)
    assert run() == [str(has_table), "False"]  # the answer kept, or never needing the parser


def test_flags_override_config(project: Path, run) -> None:
    (project / ".claimlint.toml").write_text('select = ["proof"]\nfail-on = "never"\n', encoding="utf-8")
    result = run(["check", "-f", "json", "--select", "disease", "--fail-on", "error", "serum.md"])
    assert [f["rule_id"] for f in _json(result)["findings"]] == ["DIS-SKIN"] and result.code == 1
    assert len(_json(run(["check", "-f", "json", "--isolated", "serum.md"]))["findings"]) == 2


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("marketz = ['us']", ".claimlint.toml: marketz: unknown key"),
        ("markets = ['fr']", "markets.0: Input should be 'us', 'eu' or 'uk'"),
        ("fail-on = 'always'", "fail-on: Input should be"),
        ("[catalog]\ntext-field = ['d']", "catalog.text-field: unknown key"),
        ("markets = [", "not valid TOML"),
    ],
)
def test_a_bad_config_names_the_key(project: Path, run, toml: str, message: str) -> None:
    (project / ".claimlint.toml").write_text(toml, encoding="utf-8")
    result = run(["check", "serum.md"])
    assert result.code == 2 and message in result.err and result.err.count("\n") == 1


def test_config_rules_and_per_file_ignores(project: Path, run) -> None:
    (project / "brand").mkdir()
    (project / "brand" / "pack.yaml").write_text(textwrap.dedent("""\
        rules:
          - id: BRAND-GLOW
            category: absolute
            title: No "glow" in our voice
            match: [{kind: phrase, terms: [glow]}]
            message: Brand voice.
            rationale: House style.
            suggestion: radiance
            markets:
              us: {severity: warning, cite: [US-FTC-5-12]}
              eu: {severity: warning, cite: [EU-655-2013]}
              uk: {severity: warning, cite: [UK-CAP-3.1]}
            examples: {flag: ["A [[glow]]."], pass: ["Radiance."]}
        """), encoding="utf-8")  # fmt: skip
    (project / ".claimlint.toml").write_text(
        'rules = ["brand"]\n[per-file-ignores]\n"content/blog/**" = ["DIS"]\n', encoding="utf-8"
    )
    (project / "content" / "blog").mkdir()
    (project / "content" / "blog" / "post.md").write_text("Treats acne with glow.\n", encoding="utf-8")
    report = _json(run(["check", "-f", "json", "blog/post.md", "serum.md"]))
    assert sorted((Path(f["path"]).name, f["rule_id"]) for f in report["findings"]) == [
        ("post.md", "BRAND-GLOW"), ("serum.md", "DIS-SKIN"), ("serum.md", "PRF-CLINICAL"),
    ]  # fmt: skip


def test_init_writes_a_config_that_loads(project: Path, run) -> None:
    os.chdir(project)
    assert run(["init"]).code == 0
    assert (project / ".claimlint.toml").read_text(encoding="utf-8").startswith("# claimlint settings")
    assert run(["init"]).code == 2  # will not overwrite
    assert run(["check", "content/serum.md"]).code == 1  # the starter config is valid
    (project / ".claimlint.toml").unlink()
    (project / "pyproject.toml").write_text('[project]\nname = "shop"\n', encoding="utf-8")
    assert run(["init", "--pyproject"]).code == 0
    assert "[tool.claimlint.catalog]" in (project / "pyproject.toml").read_text(encoding="utf-8")
    assert run(["check", "content/serum.md"]).code == 1


def test_the_settings_of_a_run_without_a_file_are_those_of_an_empty_file(tmp_path: Path) -> None:
    import dataclasses

    from claimlint.config import default_config, load_config
    from claimlint.config_schema import Config

    empty = tmp_path / ".claimlint.toml"
    empty.write_text("", encoding="utf-8")
    defaults = dataclasses.asdict(default_config())  # made without pydantic
    assert defaults == load_config(empty).model_dump() == Config().model_dump()
    assert default_config().catalog.text_fields == [] and default_config().select == []
    # Field for field, with the same types: a key added to the file's schema is added here too.
    for plain, model in (
        (type(default_config()), Config),
        (type(default_config().catalog), Config.model_fields["catalog"].annotation),
    ):
        hints, fields = typing.get_type_hints(plain), model.model_fields  # type: ignore[union-attr]
        assert list(hints) == list(fields)
        # (the schema's markets also carry a minimum length; its catalog is the schema's own model)
        assert all(hints[n] == f.annotation or n in ("markets", "catalog") for n, f in fields.items()), hints


# --- suppressions ---------------------------------------------------------------------------

MARKDOWN = """\
<!-- claimlint-disable-next-line DIS-SKIN -- reviewed by legal, ticket 42 -->
Treats acne.

<!-- claimlint-disable proof -->
Clinically proven. Scientifically proven.
<!-- claimlint-enable -->

Clinically proven again.
<!-- claimlint-disable-next-line QTY -->
Regrows hair.
"""


def test_markdown_suppressions_next_line_and_range(tmp_path: Path, run) -> None:
    path = tmp_path / "page.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    report = _json(run(["check", "-f", "json", "--isolated", "--report-unused-suppressions", str(path)]))
    assert sorted((f["rule_id"], f["line"]) for f in report["findings"]) == [("DIS-HAIR-LOSS", 10), ("PRF-CLINICAL", 8)]
    assert [(u["line"], u["text"]) for u in report["unused_suppressions"]] == [(9, "claimlint-disable-next-line QTY")]


def test_unused_suppressions_are_listed_only_when_asked(tmp_path: Path, run) -> None:
    path = tmp_path / "page.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    assert _json(run(["check", "-f", "json", "--isolated", str(path)]))["unused_suppressions"] == []
    text = run(["check", "--isolated", "--no-color", "--report-unused-suppressions", str(path)]).out
    assert f"{path}:9: unused suppression: claimlint-disable-next-line QTY" in text


def test_html_range_suppression(tmp_path: Path, run) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        "<!-- claimlint-disable DIS-SKIN -->\n<p>Treats acne.</p>\n<!-- claimlint-enable DIS-SKIN -->\n<p>Cures eczema.</p>\n",
        encoding="utf-8",
    )
    report = _json(run(["check", "-f", "json", "--isolated", str(path)]))
    assert [(f["rule_id"], f["line"]) for f in report["findings"]] == [("DIS-SKIN", 4)]


# --- baselines ------------------------------------------------------------------------------


def test_baseline_round_trip_survives_moved_lines(tmp_path: Path, run) -> None:
    page = tmp_path / "page.md"
    page.write_text("# Serum\n\nTreats acne.\n\nClinically proven.\n", encoding="utf-8")
    baseline = tmp_path / "claimlint-baseline.json"
    assert run(["check", "--isolated", "--write-baseline", str(baseline), str(page)]).code == 1
    assert json.loads(baseline.read_text(encoding="utf-8"))["format"] == "claimlint-baseline/1"
    # Copy moves down and a new claim arrives: only the new claim is reported.
    page.write_text(
        "# Serum\n\nNew intro line.\n\nMore words here.\n\nTreats acne.\n\nClinically proven.\n\nRegrows hair.\n",
        encoding="utf-8",
    )
    result = run(["check", "-f", "json", "--isolated", "--baseline", str(baseline), str(page)])
    assert [(f["rule_id"], f["line"]) for f in _json(result)["findings"]] == [("DIS-HAIR-LOSS", 11)]
    # Editing the words of a baselined claim makes it new again.
    page.write_text("# Serum\n\nTreats rosacea.\n\nClinically proven.\n", encoding="utf-8")
    result = run(["check", "-f", "json", "--isolated", "--baseline", str(baseline), str(page)])
    assert [f["text"] for f in _json(result)["findings"]] == ["Treats rosacea"]


def test_baseline_survives_reordered_catalog_rows(tmp_path: Path, run) -> None:
    path = tmp_path / "feed.csv"
    path.write_text("sku,d\nA,Treats acne.\nB,Regrows hair.\n", encoding="utf-8")
    baseline = tmp_path / "b.json"
    run(["check", "--isolated", "--text-field", "d", "--id-field", "sku", "--write-baseline", str(baseline), str(path)])
    path.write_text("sku,d\nB,Regrows hair.\nC,Cures eczema.\nA,Treats acne.\n", encoding="utf-8")
    report = _json(
        run(
            [
                "check",
                "-f",
                "json",
                "--isolated",
                "--text-field",
                "d",
                "--id-field",
                "sku",
                "--baseline",
                str(baseline),
                str(path),
            ]
        )
    )
    assert [f["row"] for f in report["findings"]] == ["C"]


def test_a_missing_baseline_is_an_error(tmp_path: Path, run) -> None:
    result = run(["check", "--isolated", "--baseline", str(tmp_path / "nope.json"), "-"], stdin=b"Treats acne.")
    assert result.code == 2 and "no such baseline file" in result.err
