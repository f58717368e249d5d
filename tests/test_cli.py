"""The command line: exit codes, options, stdin, input errors, report formats."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from claimlint.process import LINTING_GC_THRESHOLDS

from conftest import ROOT

CLAIM = "Our serum stimulates collagen production.\n"
WARNING_ONLY = "Clinically proven hydration.\n"
CLEAN = "A light citrus scent you will love.\n"
SCHEMA = json.loads((ROOT / "docs" / "report.schema.json").read_text(encoding="utf-8"))


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    out = {}
    for name, text in {"claim.txt": CLAIM, "warn.txt": WARNING_ONLY, "clean.txt": CLEAN}.items():
        out[name] = tmp_path / name
        out[name].write_text(text, encoding="utf-8")
    return out


def test_exit_1_on_an_error_finding(run, files) -> None:
    result = run(["check", str(files["claim.txt"])])
    assert result.code == 1
    assert f"{files['claim.txt']}:1:11: SF-COLLAGEN [structure_function] error:" in result.out
    assert "Found 1 claim in 1 file: 1 error." in result.out


def test_exit_0_on_clean_copy(run, files) -> None:
    result = run(["check", str(files["clean.txt"])])
    assert result.code == 0
    assert "No claims found in 1 file" in result.out


@pytest.mark.parametrize(
    ("fail_on", "name", "code"),
    [
        ("error", "warn.txt", 0),
        ("warning", "warn.txt", 1),
        ("info", "warn.txt", 1),
        ("never", "claim.txt", 0),
        ("error", "claim.txt", 1),
    ],
)
def test_fail_on(run, files, fail_on: str, name: str, code: int) -> None:
    assert run(["check", "--fail-on", fail_on, str(files[name])]).code == code


def test_text_report_has_a_line_per_market_and_a_rewrite(run, files) -> None:
    out = run(["check", "--no-color", str(files["claim.txt"])]).out
    assert "\n  us error   FD&C Act, §201(g)(1)(C)" in out
    assert "\n  eu error   Regulation (EC) No 1223/2009, Art. 20" in out
    assert "\n  uk error   " in out
    assert "try: helps skin look firmer and plumper" in out
    assert "^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^" in out  # the claim underlined under the copy


def test_market_option_limits_markets(run, files) -> None:
    report = json.loads(run(["check", "-f", "json", "--market", "eu", str(files["claim.txt"])]).out)
    assert report["markets"] == ["eu"]
    assert list(report["findings"][0]["markets"]) == ["eu"]
    report = json.loads(run(["check", "-f", "json", "-m", "us,uk", str(files["claim.txt"])]).out)
    assert list(report["findings"][0]["markets"]) == ["us", "uk"]


def test_unknown_market_is_a_usage_error(run, files) -> None:
    result = run(["check", "--market", "fr", str(files["claim.txt"])])
    assert result.code == 2
    assert result.err.strip() == "claimlint: error: unknown market fr; choose from us, eu, uk"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--select", "proof"], {"PRF-CLINICAL"}),
        (["--select", "SF"], {"SF-COLLAGEN"}),
        (["--select", "SF-COLLAGEN,PRF-CLINICAL"], {"SF-COLLAGEN", "PRF-CLINICAL"}),
        (["--ignore", "structure_function"], {"PRF-CLINICAL"}),
        (["--ignore", "PRF-CLINICAL", "--ignore", "SF-COLLAGEN"], set()),
    ],
)
def test_select_and_ignore(run, files, args: list[str], expected: set[str]) -> None:
    out = run(["check", "-f", "json", *args, str(files["claim.txt"]), str(files["warn.txt"])]).out
    assert {f["rule_id"] for f in json.loads(out)["findings"]} == expected


def test_unknown_selector_is_a_usage_error(run, files) -> None:
    result = run(["check", "--select", "NOPE-RULE", str(files["claim.txt"])])
    assert result.code == 2
    assert "unknown rule or category 'NOPE-RULE'" in result.err


def test_stdin(run) -> None:
    result = run(["check", "-f", "json", "-"], stdin=CLAIM.encode())
    report = json.loads(result.out)
    assert result.code == 1
    assert report["findings"][0]["path"] == "<stdin>"
    assert report["findings"][0]["text"] == "stimulates collagen production"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "missing.txt", "no such file"),
        (lambda d: _write(d / "bin.dat", b"\x89PNG\x00\x00\x01\x02collagen"), "binary file"),
        (
            lambda d: _write(d / "latin1.txt", "Crème stimulates collagen".encode("latin-1")),
            "not valid UTF-8 (byte 0xe8 at offset 2)",
        ),
    ],
)
def test_input_errors_are_one_line_exit_2_and_others_still_linted(
    run, files, tmp_path: Path, make, message: str
) -> None:
    bad = make(_mkdir(tmp_path / "bad"))
    result = run(["check", "-f", "json", str(bad), str(files["claim.txt"])])
    assert result.code == 2
    assert result.err.count("\n") == 1 and message in result.err and "Traceback" not in result.err
    assert json.loads(result.out)["summary"]["findings"] == 1  # the good file was still checked


def test_utf8_bom_and_utf16_are_read(run, tmp_path: Path) -> None:
    bom = _write(tmp_path / "bom.txt", b"\xef\xbb\xbf" + CLAIM.encode())
    utf16 = _write(tmp_path / "u16.txt", CLAIM.encode("utf-16"))
    report = json.loads(run(["check", "-f", "json", str(bom), str(utf16)]).out)
    assert [(f["text"], f["start"], f["column"]) for f in report["findings"]] == [
        ("stimulates collagen production", 10, 11)
    ] * 2


def test_json_report_validates_against_the_documented_schema(run, files) -> None:
    out = run(["check", "-f", "json", str(files["claim.txt"]), str(files["warn.txt"]), str(files["clean.txt"])]).out
    report = json.loads(out)
    jsonschema.validate(report, SCHEMA)
    finding = report["findings"][0]
    for key in (
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
        "start",
        "end",
        "text",
        "rule_id",
        "category",
        "severity",
        "message",
        "suggestion",
        "markets",
    ):
        assert key in finding
    citation = finding["markets"]["us"]["citations"][0]
    assert set(citation) == {"id", "reference", "url"}
    assert report["summary"] == {
        "files": 3,
        "findings": 2,
        "input_errors": 0,
        "rows": 0,
        "by_severity": {"error": 1, "warning": 1},
        "by_category": {"structure_function": 1, "proof": 1},
        "by_market": {m: {"error": 1, "warning": 1} for m in ("us", "eu", "uk")},
    }


def test_documented_schema_is_current(run) -> None:
    """docs/report.schema.json is generated: `claimlint schema > docs/report.schema.json`."""
    assert json.loads(run(["schema"]).out) == SCHEMA


def test_output_file_is_written_without_colour(run, files, tmp_path: Path) -> None:
    target = tmp_path / "report.txt"
    result = run(["check", "--color", "-o", str(target), str(files["claim.txt"])])
    assert result.code == 1 and result.out == ""
    text = target.read_text(encoding="utf-8")
    assert "SF-COLLAGEN" in text and "\x1b[" not in text
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".report")] == []


def test_output_to_a_device_or_pipe_writes_to_it_and_leaves_it_be(run, files, tmp_path: Path) -> None:
    """``-o /dev/null`` (as the daemon's warm-up does) or a named pipe: written to, never replaced
    by a file renamed over it (which, as root, turned /dev/null into a regular file)."""
    import stat
    import threading

    assert run(["check", "-f", "json", "-o", os.devnull, str(files["claim.txt"])]).code == 1
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)

    fifo = tmp_path / "report.pipe"
    os.mkfifo(fifo)
    read: list[bytes] = []
    reader = threading.Thread(target=lambda: read.append(fifo.read_bytes()))
    reader.start()
    assert run(["check", "-f", "json", "-o", str(fifo), str(files["claim.txt"])]).code == 1
    reader.join(timeout=30)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert [f["rule_id"] for f in json.loads(read[0])["findings"]] == ["SF-COLLAGEN"]


def test_output_file_keeps_its_permissions_and_links(run, files, tmp_path: Path) -> None:
    """A report written over an existing file keeps that file's mode; a new one gets what the
    umask allows (not the 0600 of a temporary file); a symbolic link stays a link to it."""
    target = tmp_path / "report.json"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    assert run(["check", "-f", "json", "-o", str(target), str(files["claim.txt"])]).code == 1
    assert oct(target.stat().st_mode & 0o777) == "0o640" and "SF-COLLAGEN" in target.read_text(encoding="utf-8")

    mask = os.umask(0o027)
    try:
        fresh = tmp_path / "fresh.json"
        assert run(["check", "-f", "json", "-o", str(fresh), str(files["claim.txt"])]).code == 1
    finally:
        os.umask(mask)
    assert oct(fresh.stat().st_mode & 0o777) == "0o640"

    link = tmp_path / "latest.json"
    link.symlink_to(target)
    assert run(["check", "-f", "json", "-o", str(link), str(files["clean.txt"])]).code == 0
    assert link.is_symlink() and json.loads(target.read_text(encoding="utf-8"))["findings"] == []
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_output_to_a_directory_is_an_error(run, files, tmp_path: Path) -> None:
    result = run(["check", "-o", str(tmp_path), str(files["claim.txt"])])
    assert result.code == 2 and "is a directory; --output expects a file" in result.err


def test_usage_errors_exit_2(run) -> None:
    assert run(["check", "--market"]).code == 2  # an option without its value
    assert run(["check", "--format", "xml", "-"], stdin=b"").code == 2
    assert run(["frobnicate"]).code == 2


def test_rules_lists_every_rule(run) -> None:
    out = run(["rules"]).out
    assert "SF-COLLAGEN" in out and "structure_function" in out
    rows = json.loads(run(["rules", "--format", "json"]).out)
    assert len(rows) >= 60
    collagen = next(r for r in rows if r["id"] == "SF-COLLAGEN")
    assert collagen["markets"]["us"] == {
        "severity": "error",
        "cite": ["US-FDCA-201G1C", "US-FDA-COSDRUG", "US-CFR-201.128"],
    }
    only = json.loads(run(["rules", "-f", "json", "--category", "proof"]).out)
    assert only and {r["category"] for r in only} == {"proof"}


def test_explain_prints_rationale_citations_examples_and_rewrite(run) -> None:
    out = run(["explain", "sf-collagen"]).out
    assert "SF-COLLAGEN: Claims the product makes the body produce collagen or elastin" in out
    assert "https://www.law.cornell.edu/uscode/text/21/321" in out
    assert "✗ Our serum stimulates collagen production." in out
    assert "✓ Helps skin look firmer and plumper." in out
    assert "helps skin look firmer and plumper" in out


def test_explain_unknown_rule_suggests_close_ids(run) -> None:
    result = run(["explain", "SF-COLAGEN"])
    assert result.code == 2
    assert "did you mean SF-COLLAGEN" in result.err


def test_installed_command_and_module_run(files) -> None:
    for cmd in ([sys.executable, "-m", "claimlint"], [str(Path(sys.executable).with_name("claimlint"))]):
        proc = subprocess.run(
            [*cmd, "check", "-f", "json", str(files["claim.txt"])], capture_output=True, text=True, timeout=120
        )
        assert proc.returncode == 1, proc.stderr
        assert json.loads(proc.stdout)["findings"][0]["rule_id"] == "SF-COLLAGEN"


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _mkdir(path: Path) -> Path:
    path.mkdir()
    return path


def test_a_run_with_nothing_to_check_never_imports_spacy(tmp_path: Path) -> None:
    """Start-up matters to a pre-commit hook: empty files (or none) cost no spaCy import."""
    (tmp_path / "empty.md").write_text("", encoding="utf-8")
    (tmp_path / "blank.txt").write_text("\n   \n", encoding="utf-8")
    probe = (
        "import sys\n"
        "from claimlint.cli import main\n"
        "code = 0\n"
        "try:\n"
        f"    main(['check', '--isolated', {str(tmp_path)!r}])\n"
        "except SystemExit as exc:\n"
        "    code = exc.code\n"
        "print(code, 'spacy' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.splitlines()[-1].split() == ["0", "False"]
    (tmp_path / "copy.txt").write_text("Stimulates collagen production.\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.splitlines()[-1].split() == ["1", "True"]


def test_the_command_starts_no_math_threads_and_collects_rarely_from_its_first_import(tmp_path: Path) -> None:
    """Also: pydantic looks for no plugins (the environment says so before pydantic is imported)."""
    (tmp_path / "copy.txt").write_text("Stimulates collagen production.\n", encoding="utf-8")
    probe = (
        "import atexit, gc, os, sys\n"
        "from claimlint.process import STARTUP_GC_THRESHOLDS\n"
        "starting = []\n"  # collections from the command's set-up until its pipeline was built
        "gc.callbacks.append(lambda phase, info: phase == 'start'\n"
        "                    and gc.get_threshold() == STARTUP_GC_THRESHOLDS and starting.append(1))\n"
        "def report():\n"
        "    threads = [l for l in open('/proc/self/status') if l.startswith('Threads:')][0].split()[1]\n"
        "    young = len(starting)\n"
        "    plugins = os.environ.get('PYDANTIC_DISABLE_PLUGINS')\n"
        "    print(young, os.environ.get('OPENBLAS_NUM_THREADS'), threads, 'numpy' in sys.modules, plugins,\n"
        "          gc.get_threshold()[0])\n"
        "atexit.register(report)\n"
        "from claimlint.daemon.client import main\n"
        f"sys.argv = ['claimlint', 'check', '--isolated', {str(tmp_path / 'copy.txt')!r}]\n"
        "main()\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    env["CLAIMLINT_DAEMON"] = "off"
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env)
    assert run.returncode == 1, run.stderr  # the claim was found: the whole pipeline ran
    young, blas, threads, numpy, plugins, threshold = run.stdout.splitlines()[-1].split()
    # NumPy was imported (spaCy needs it) and started no OpenBLAS pool: one thread, this one.
    assert (blas, threads, numpy) == ("1", "1", "True")
    assert plugins == "__all__"  # pydantic read no package's metadata for plugins
    # Importing spaCy and building the pipeline made a million objects: at the default
    # thresholds that is some 250 young collections, at the linting ones 28 (2% of a small
    # check); until the pipeline was built the collector waited, then took the linting thresholds.
    assert int(young) == 0
    assert int(threshold) == LINTING_GC_THRESHOLDS[0]
    env["OPENBLAS_NUM_THREADS"] = "2"  # the user's own setting is kept
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env)
    assert run.stdout.splitlines()[-1].split()[1] == "2"


def test_the_command_line_keeps_the_collector_off_the_pipeline_and_the_library_does_not() -> None:
    probe = (
        "import gc\n"
        "default = gc.get_freeze_count(), gc.get_threshold()\n"
        "from claimlint.engine import Linter\n"
        "Linter().lint_text('Cures acne.')\n"
        "library = gc.get_freeze_count(), gc.get_threshold()\n"
        "Linter(freeze_heap=True).lint_text('Cures acne.')\n"
        "print(repr((default, library, (gc.get_freeze_count(), gc.get_threshold()))))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    default, library, command = ast.literal_eval(out.strip())
    assert library == default  # the caller's collector is the caller's business
    assert command[0] > 50_000  # the pipeline, the lemma table's containers, the compiled packs
    assert command[1][0] > 10_000  # young collections are rare: linting makes no cycles


def test_the_command_ends_without_tearing_the_interpreter_down_yet_runs_exit_handlers(tmp_path: Path) -> None:
    copy = tmp_path / "copy.txt"
    copy.write_text("Stimulates collagen production. Cures acne.\n" * 400, encoding="utf-8")
    marks = tmp_path / "marks.txt"
    probe = (
        "import atexit, sys\n"
        f"MARKS = {str(marks)!r}\n"
        "class Witness:\n"
        "    def __init__(self, path):\n"
        "        self.path = path\n"
        "    def __del__(self, open=open):\n"  # runs only when the interpreter frees its objects
        "        with open(self.path, 'a') as marks:\n"
        "            marks.write('teardown\\n')\n"
        "WITNESS = Witness(MARKS)\n"
        "atexit.register(lambda: open(MARKS, 'a').write('atexit\\n'))\n"
        "from claimlint.daemon.client import main\n"
        "sys.argv = ['claimlint', *sys.argv[1:]]\n"
        "main()\n"
    )
    env = {**os.environ, "CLAIMLINT_DAEMON": "off"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        marks.write_text("", encoding="utf-8")
        return subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, env=env)

    piped = run("check", "--isolated", str(copy), "-f", "json")
    assert piped.returncode == 1, piped.stderr  # claims found: the exit code is kept
    assert marks.read_text(encoding="utf-8") == "atexit\n"  # handlers ran, the teardown did not
    # Every byte written to a pipe arrives: the same report as one written to a file.
    report = tmp_path / "report.json"
    assert run("check", "--isolated", str(copy), "-f", "json", "-o", str(report)).returncode == 1
    assert piped.stdout == report.read_text(encoding="utf-8")
    assert len(json.loads(piped.stdout)["findings"]) == 800
    assert run("--version").returncode == 0 and marks.read_text(encoding="utf-8") == "atexit\n"
    # A usage error still exits 2 with its one line.
    bad = run("check", "--bogus")
    assert bad.returncode == 2 and "No such option" in bad.stderr


@pytest.mark.parametrize("fmt", ["json", "text", "sarif", "html", "junit", "github", "markdown"])
def test_a_file_name_that_is_not_utf8_is_read_and_shown_escaped(run, tmp_path: Path, fmt: str) -> None:
    """A name whose bytes are not UTF-8 (a Latin-1 archive unpacked here) is linted like any
    other and reported with those bytes escaped: no report can encode the name Python holds."""
    folder = os.fsencode(tmp_path)
    try:
        for name, text in ((b"caf\xe9.md", CLAIM), (b"caf\xe9.csv", "name,description\nSerum,Cures acne.\n")):
            Path(os.fsdecode(os.path.join(folder, name))).write_text(text, encoding="utf-8")
    except (OSError, UnicodeError):
        pytest.skip("this file system takes only UTF-8 names")
    Path(os.fsdecode(os.path.join(folder, b"bin\xff.txt"))).write_bytes(b"\x00\x01\x02 binary")
    unreadable = os.fsdecode(os.path.join(folder, b"gone\xff.md"))
    result = run(["check", "--no-cache", "-f", fmt, str(tmp_path), unreadable])
    assert result.code == 2 and result.out and "Traceback" not in result.err, result.err  # 2: an input unread
    shown = result.out + result.err
    assert "caf\\xe9.md" in shown.replace("\\\\", "\\") and "caf\\xe9.csv" in shown.replace("\\\\", "\\")
    shown.encode("utf-8")  # every character of it can be written
    if fmt == "json":
        report = json.loads(result.out)
        assert {f["path"].rsplit("/", 1)[-1] for f in report["findings"]} == {"caf\\xe9.md", "caf\\xe9.csv"}
        assert [e["path"].rsplit("/", 1)[-1] for e in report["errors"]] == ["gone\\xff.md"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_found_by_walking_is_skipped_not_waited_on(tmp_path: Path) -> None:
    """Reading a named pipe blocks until something writes to it: a walk over a tree that holds one
    (a dev server's, a socket left behind) names it and goes on."""
    (tmp_path / "claim.md").write_text(CLAIM, encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.md")
    env = {**os.environ, "CLAIMLINT_DAEMON": "off"}
    command = [sys.executable, "-m", "claimlint", "check", "--no-cache", "-f", "json", str(tmp_path)]
    run = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120, cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    assert [f["path"] for f in json.loads(run.stdout)["findings"]] == [str(tmp_path / "claim.md")]
    assert f"{tmp_path / 'pipe.md'}: skipped, not a regular file" in run.stderr
