"""pre-commit for real, and the CI recipes: their YAML parses and their commands are real,
working claimlint commands on the bundled examples."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

REQUIRED = os.environ.get("CLAIMLINT_REQUIRE_PRE_COMMIT") == "1"


def _claimlint_commands(text: str) -> list[list[str]]:
    """Every `claimlint check …` command in a YAML file's shell steps."""
    commands = []
    for line in text.splitlines():
        line = line.strip().removeprefix("- ").removeprefix("run: ")
        if line.startswith("claimlint check"):
            commands.append(shlex.split(line)[2:])
    return commands


def _redirect(argv: list[str], directory: Path) -> list[str]:
    """The same command, with its output files put in ``directory``."""
    out: list[str] = []
    args = iter(argv)
    for arg in args:
        if arg in ("-o", "--output"):
            out += [arg, str(directory / Path(next(args)).name)]
        elif arg == "--report":
            fmt, _, path = next(args).partition(":")
            out += [arg, f"{fmt}:{directory / Path(path).name}"]
        else:
            out.append(arg)
    return out


def test_pre_commit_hook_definition() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    [hook] = hooks
    assert hook["id"] == "claimlint" and hook["language"] == "python" and hook["entry"] == "claimlint check --daemon"
    assert {"markdown", "html", "plain-text", "csv", "json"} <= set(hook["types_or"])


@pytest.mark.parametrize("name", ["github-workflow.yml", "gitlab-ci.yml", "pre-commit-config.yaml"])
def test_ci_examples_parse(name: str) -> None:
    data = yaml.safe_load((ROOT / "examples" / "ci" / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict) and data


def test_action_yml_is_a_composite_action() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    assert any("pip install" in step.get("run", "") for step in steps)
    assert any("claimlint check" in step.get("run", "") for step in steps)
    assert set(action["inputs"]) == {"args", "sarif", "python-version"}


@pytest.mark.parametrize("name", ["github-workflow.yml", "gitlab-ci.yml"])
def test_ci_commands_run_on_the_bundled_examples(
    name: str, run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(ROOT)
    commands = _claimlint_commands((ROOT / "examples" / "ci" / name).read_text(encoding="utf-8"))
    assert commands
    for argv in commands:
        result = run(["check", "--isolated", *_redirect(argv, tmp_path)])
        expected = 0 if "never" in argv else 1  # the examples hold claims: a gate fails, a report-only step does not
        assert result.code == expected, (argv, result.err)
        assert "error:" not in result.err


def test_action_command_runs(run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(ROOT)
    sarif = tmp_path / "claimlint.sarif"
    result = run(["check", "--isolated", "--format", "github", "--report", f"sarif:{sarif}", "examples/site"])
    assert result.code == 1 and result.out.startswith("::error ")
    assert json.loads(sarif.read_text(encoding="utf-8"))["version"] == "2.1.0"


def _pre_commit() -> list[str] | None:
    try:
        import pre_commit  # noqa: F401
    except ImportError:
        return None
    return [sys.executable, "-m", "pre_commit"]


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def test_pre_commit_try_repo_fails_on_claims_and_passes_clean_copy(tmp_path: Path, pre_commit_home: Path) -> None:
    command = _pre_commit()
    if command is None:
        if REQUIRED:
            pytest.fail("pre-commit is not installed")
        pytest.skip("pre-commit is not installed")
    site = tmp_path / "site"
    site.mkdir()
    env = {**os.environ, "PRE_COMMIT_HOME": str(pre_commit_home), "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}  # fmt: skip
    # The hook starts a daemon for later commits, except in CI: as in CI here, so none is left behind.
    runtime = tmp_path / "run"
    env.update({"CI": "true", "CLAIMLINT_RUNTIME_DIR": str(runtime)})
    env.pop("CLAIMLINT_DAEMON", None)
    subprocess.run(["git", "init", "-q"], cwd=site, check=True, env=env)
    (site / "bad.md").write_text(
        "# Serum\n\nOur serum stimulates collagen production and treats acne.\n", encoding="utf-8"
    )
    (site / "good.md").write_text("# Serum\n\nLeaves skin looking smoother and feeling soft.\n", encoding="utf-8")
    (site / "package.json").write_text('{"name": "site"}\n', encoding="utf-8")
    subprocess.run(["git", "add", "."], cwd=site, check=True, env=env)

    def try_repo(*files: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*command, "try-repo", str(ROOT), "claimlint", "--files", *files],
            cwd=site, env=env, capture_output=True, text=True, timeout=900,
        )  # fmt: skip

    bad = try_repo("bad.md")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "SF-COLLAGEN" in bad.stdout and "DIS-SKIN" in bad.stdout
    good = try_repo("good.md", "package.json")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Passed" in good.stdout
    assert not runtime.exists() or not any(runtime.rglob("*.sock"))
