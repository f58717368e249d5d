"""The daemon answers `claimlint check` exactly as a fresh process would: same output, same exit
code, the caller's directory, settings, standard input and Ctrl+C; and it steps aside when it
cannot answer (stale socket, turned off)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_rulebook import GOOD_RULE, _pack

from claimlint.daemon.protocol import CI_VARIABLES, private_dir, socket_path

pytestmark = pytest.mark.skipif(not hasattr(socket, "send_fds"), reason="the daemon needs a POSIX system")

BAD = "# Serum\n\nOur serum stimulates collagen production and treats acne.\n"
GOOD = "# Serum\n\nLeaves skin looking smoother and feeling soft.\n"


class Claimlint:
    """Runs the installed command the way a user would, against one runtime directory."""

    def __init__(self, runtime: Path) -> None:
        self.env = {**os.environ, "CLAIMLINT_RUNTIME_DIR": str(runtime)}
        self.env.pop("CLAIMLINT_DAEMON", None)
        for name in CI_VARIABLES:  # `check --daemon` starts none in CI: these tests may run in CI
            self.env.pop(name, None)
        # Never from the source checkout: `python -m` would import claimlint from there, and a
        # daemon only answers its own installation.
        self.home = Path(tempfile.mkdtemp(prefix="cl-home-"))
        weakref.finalize(self, shutil.rmtree, self.home, True)

    def __call__(
        self, *args: str, cwd: Path | None = None, stdin: str | None = None, daemon: bool = True
    ) -> subprocess.CompletedProcess[str]:
        env = self.env if daemon else {**self.env, "CLAIMLINT_DAEMON": "off"}
        return subprocess.run(
            [sys.executable, "-m", "claimlint", *args],
            cwd=cwd or self.home, env=env, input=stdin, capture_output=True, text=True, timeout=120,
        )  # fmt: skip

    def served(self) -> int:
        status = self("daemon", "status")
        assert status.returncode == 0, status.stdout + status.stderr
        return int(status.stdout.split(" checks answered")[0].rsplit(" ", 1)[1])


@pytest.fixture(scope="module")
def claimlint() -> Iterator[Claimlint]:
    # A short path: a Unix socket's name is limited to about 100 bytes.
    runtime = Path(tempfile.mkdtemp(prefix="cl-"))
    tool = Claimlint(runtime / "run")
    started = tool("daemon", "start", "--idle-timeout", "5")
    assert started.returncode == 0, started.stderr
    assert "claimlint daemon running (pid" in started.stdout
    yield tool
    tool("daemon", "stop")
    shutil.rmtree(runtime, ignore_errors=True)


def test_a_check_through_the_daemon_is_the_check_run_here(claimlint: Claimlint, tmp_path: Path) -> None:
    (tmp_path / "bad.md").write_text(BAD, encoding="utf-8")
    (tmp_path / "good.md").write_text(GOOD, encoding="utf-8")
    before = claimlint.served()
    cases = [
        ("check", "bad.md"),
        ("check", "good.md"),
        ("check", "bad.md", "good.md", "-f", "json"),
        ("check", "bad.md", "-f", "sarif", "--market", "uk"),
        ("check", "missing.md"),
        ("check", "bad.md", "--market", "mars"),
    ]
    for args in cases:
        there = claimlint(*args, cwd=tmp_path)
        here = claimlint(*args, cwd=tmp_path, daemon=False)
        assert (there.returncode, there.stdout, there.stderr) == (here.returncode, here.stdout, here.stderr), args
    assert [claimlint(*a, cwd=tmp_path).returncode for a in cases] == [1, 0, 1, 1, 2, 2]
    assert claimlint.served() == before + 2 * len(cases)
    assert "SF-COLLAGEN" in claimlint("check", "bad.md", cwd=tmp_path).stdout


def test_the_daemon_reads_the_callers_stdin_settings_and_writes_where_told(
    claimlint: Claimlint, tmp_path: Path
) -> None:
    # Settings are found from the caller's directory, not the daemon's.
    (tmp_path / ".claimlint.toml").write_text('markets = ["uk"]\nfail-on = "never"\n', encoding="utf-8")
    before = claimlint.served()
    result = claimlint("check", "-", "-f", "json", "-o", "report.json", cwd=tmp_path, stdin=BAD)
    assert result.returncode == 0, result.stderr
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert {f["rule_id"] for f in report["findings"]} == {"SF-COLLAGEN", "DIS-SKIN"}
    assert all(set(f["markets"]) == {"uk"} for f in report["findings"])
    assert claimlint.served() == before + 1


def test_an_edited_rule_pack_is_used_at_once(claimlint: Claimlint, tmp_path: Path) -> None:
    packs = _pack(tmp_path, GOOD_RULE)
    args = ("check", "--rules", str(packs), "--select", "BRAND", "-f", "json", "-")
    first = json.loads(claimlint(*args, stdin="A wonder serum. A miracle glow.").stdout)
    assert [f["text"] for f in first["findings"]] == ["wonder serum", "miracle glow"]
    _pack(packs, GOOD_RULE.replace('["miracle|wonder glow|serum"]', '["miracle glow"]'))
    second = json.loads(claimlint(*args, stdin="A wonder serum. A miracle glow.").stdout)
    assert [f["text"] for f in second["findings"]] == ["miracle glow"]


def test_a_silent_connection_does_not_hold_up_other_checks(claimlint: Claimlint, tmp_path: Path) -> None:
    (tmp_path / "bad.md").write_text(BAD, encoding="utf-8")
    path = next(Path(claimlint.env["CLAIMLINT_RUNTIME_DIR"]).glob("*.sock"))
    silent = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    silent.connect(str(path))  # and never says anything
    try:
        before = claimlint.served()
        result = claimlint("check", "bad.md", cwd=tmp_path)
        assert result.returncode == 1 and "SF-COLLAGEN" in result.stdout
        assert claimlint.served() == before + 1
    finally:
        silent.close()


def test_ctrl_c_reaches_the_check_the_daemon_runs(claimlint: Claimlint) -> None:
    # `check -` waits on standard input that never comes; Ctrl+C must stop it as it would here.
    proc = subprocess.Popen(
        [sys.executable, "-m", "claimlint", "check", "-"],
        cwd=claimlint.home, env=claimlint.env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while "1 running" not in claimlint("daemon", "status").stdout and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    # Standard input stays open until the command ends: closed, the check would end on its own.
    proc.wait(timeout=30)
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
    proc.stdin.close()
    proc.stdout.close()
    err = proc.stderr.read()
    proc.stderr.close()
    assert proc.returncode == 130, err
    assert "aborted" in err


def test_a_socket_left_by_a_killed_daemon_means_the_check_runs_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runtime = Path(tempfile.mkdtemp(prefix="cl-"))
    tool = Claimlint(runtime)
    (tmp_path / "bad.md").write_text(BAD, encoding="utf-8")
    expected = tool("check", "bad.md", cwd=tmp_path, daemon=False)
    monkeypatch.setenv("CLAIMLINT_RUNTIME_DIR", str(runtime))
    path = socket_path()
    assert private_dir(os.path.dirname(path), create=True)
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead.bind(path)
    dead.close()
    result = tool("check", "bad.md", cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (expected.returncode, expected.stdout, expected.stderr)
    assert tool("daemon", "status").returncode == 1
    shutil.rmtree(runtime, ignore_errors=True)


def test_start_stop_status(tmp_path: Path) -> None:
    runtime = Path(tempfile.mkdtemp(prefix="cl-"))
    tool = Claimlint(runtime)
    try:
        assert tool("daemon", "status").returncode == 1
        assert tool("daemon", "start").returncode == 0
        again = tool("daemon", "start")  # a second start finds the first
        assert again.returncode == 0 and "running" in again.stdout
        assert tool("daemon", "status").returncode == 0
        stopped = tool("daemon", "stop")
        assert "stopped (pid" in stopped.stdout
        assert tool("daemon", "status").returncode == 1
        assert not list(runtime.glob("*.sock"))
        assert "was not running" in tool("daemon", "stop").stdout
    finally:
        tool("daemon", "stop")
        shutil.rmtree(runtime, ignore_errors=True)


def test_a_directory_others_can_enter_is_not_trusted(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    assert not private_dir(str(shared), create=False)
    shared.chmod(0o700)
    assert private_dir(str(shared), create=False)
    assert not private_dir(str(tmp_path / "absent"), create=False)


def test_an_edited_pack_reaches_a_long_lived_linter(tmp_path: Path) -> None:
    import claimlint

    packs = _pack(tmp_path, GOOD_RULE)
    first = claimlint.lint_text("A wonder serum.", rules=[packs], select=["BRAND"])
    assert [f.rule_id for f in first] == ["BRAND-MIRACLE"]
    _pack(packs, GOOD_RULE.replace('["miracle|wonder glow|serum"]', '["miracle glow"]'))
    assert claimlint.lint_text("A wonder serum.", rules=[packs], select=["BRAND"]) == []
    # A long session of edits keeps only the newest few compiled packs.
    from claimlint.nlp import pipeline

    for i in range(12):
        _pack(packs, GOOD_RULE.replace("Brand voice avoids miracle words.", f"Brand voice, take {i}."))
        found = claimlint.lint_text("A wonder serum.", rules=[packs], select=["BRAND"])
        assert [f.message for f in found] == [f"Brand voice, take {i}."]
    assert pipeline._load.cache_info().currsize <= 8


def test_check_daemon_starts_one_for_the_next_check(tmp_path: Path) -> None:
    runtime = Path(tempfile.mkdtemp(prefix="cl-"))
    tool = Claimlint(runtime)
    (tmp_path / "bad.md").write_text(BAD, encoding="utf-8")
    try:
        off = tool("check", "--daemon", "bad.md", cwd=tmp_path, daemon=False)
        time.sleep(0.5)
        assert tool("daemon", "status").returncode == 1  # CLAIMLINT_DAEMON=off: none started
        first = tool("check", "--daemon", "bad.md", cwd=tmp_path)  # runs here, starts one
        assert (first.returncode, first.stdout) == (off.returncode, off.stdout)
        deadline = time.monotonic() + 60
        while tool("daemon", "status").returncode != 0 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert tool.served() == 0
        second = tool("check", "--daemon", "bad.md", cwd=tmp_path)
        assert (second.returncode, second.stdout) == (off.returncode, off.stdout)
        assert tool.served() == 1
    finally:
        tool("daemon", "stop")
        shutil.rmtree(runtime, ignore_errors=True)


def test_no_daemon_runs_here_and_ci_starts_none(claimlint: Claimlint, tmp_path: Path) -> None:
    (tmp_path / "bad.md").write_text(BAD, encoding="utf-8")
    here = claimlint("check", "bad.md", cwd=tmp_path, daemon=False)
    before = claimlint.served()
    bypassed = claimlint("check", "--no-daemon", "bad.md", cwd=tmp_path)
    assert (bypassed.returncode, bypassed.stdout) == (here.returncode, here.stdout)
    assert claimlint.served() == before
    # After `--`, "--no-daemon" is a file name: the daemon answers (and cannot find that file).
    named = claimlint("check", "bad.md", "--", "--no-daemon", cwd=tmp_path)
    assert named.returncode == 2 and "--no-daemon" in named.stderr
    assert claimlint.served() == before + 1

    runtime = Path(tempfile.mkdtemp(prefix="cl-"))
    tool = Claimlint(runtime)
    try:
        for name, value in (("CI", "true"), ("JENKINS_URL", "https://ci.example.com/")):
            tool.env[name] = value
            in_ci = tool("check", "--daemon", "bad.md", cwd=tmp_path)
            assert (in_ci.returncode, in_ci.stdout) == (here.returncode, here.stdout)
            del tool.env[name]
        tool.env["CI"] = "false"  # said, and not so
        tool("check", "--no-daemon", "bad.md", cwd=tmp_path)
        time.sleep(0.5)  # a daemon started in the background would have its socket by now
        assert tool("daemon", "status").returncode == 1
        assert not any(runtime.rglob("*.sock"))
    finally:
        tool("daemon", "stop")
        shutil.rmtree(runtime, ignore_errors=True)


def test_a_daemon_whose_code_changed_steps_aside(tmp_path: Path) -> None:
    runtime = Path(tempfile.mkdtemp(prefix="cl-"))
    tool = Claimlint(runtime)
    (tmp_path / "bad.md").write_text(BAD, encoding="utf-8")
    expected = tool("check", "bad.md", cwd=tmp_path, daemon=False)
    assert tool("daemon", "start").returncode == 0
    status = subprocess.run(
        [sys.executable, "-c", "import json; from claimlint.daemon.control import ask; print(json.dumps(ask('status')))"],
        cwd=tool.home, env=tool.env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    package = Path(json.loads(status.stdout)["identity"].split("|")[1])
    touched = package / "daemon" / "__init__.py"
    before = touched.stat()
    try:
        assert tool("check", "bad.md", cwd=tmp_path).stdout == expected.stdout
        assert tool.served() == 1
        os.utime(touched, ns=(before.st_atime_ns, before.st_mtime_ns + 10**10))  # as an upgrade would
        after = tool("check", "bad.md", cwd=tmp_path)  # declined, so run here
        assert (after.returncode, after.stdout, after.stderr) == (expected.returncode, expected.stdout, expected.stderr)
        deadline = time.monotonic() + 10
        while tool("daemon", "status").returncode == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert tool("daemon", "status").returncode == 1
    finally:
        os.utime(touched, ns=(before.st_atime_ns, before.st_mtime_ns))
        tool("daemon", "stop")
        shutil.rmtree(runtime, ignore_errors=True)


def test_a_runtime_directory_too_long_for_a_socket_is_one_clear_error(tmp_path: Path) -> None:
    tool = Claimlint(tmp_path / ("d" * 120))
    result = tool("daemon", "start")
    assert result.returncode == 2
    assert "too long for a Unix socket" in result.stderr and "CLAIMLINT_RUNTIME_DIR" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_the_daemon_learns_the_rules_examples_before_it_forks() -> None:
    """Forks keep only what the daemon's memo tables learnt before them: warming lints every
    rule's examples, so the words the packs care about are known to every fork."""
    from claimlint.daemon.server import warm
    from claimlint.nlp.pipeline import get_pipeline, relevance

    warm()
    book, nlp = get_pipeline()
    known = relevance(nlp)._words  # word → rule keys, filled as copy is linted
    words = {w.lower() for rule in book.rules for t in rule.examples.flag for w in t.split() if w.isalpha()}
    assert len(words) > 300
    assert words <= set(known)
