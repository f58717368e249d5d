from __future__ import annotations

import atexit
import io
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

import claimlint.nlp.matcher
from claimlint.cli import main
from claimlint.engine import Linter, Settings
from claimlint.evaluate import read_corpus

# The suite keeps a disk cache of its own (claimlint.diskcache), never the user's, and starts cold.
os.environ["CLAIMLINT_CACHE_DIR"] = tempfile.mkdtemp(prefix="claimlint-test-cache-")
atexit.register(shutil.rmtree, os.environ["CLAIMLINT_CACHE_DIR"], ignore_errors=True)
os.environ.pop("CLAIMLINT_NO_CACHE", None)

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
# An installed wheel runs the per-sentence modules compiled with mypyc (hatch_build.py).
COMPILED = not str(claimlint.nlp.matcher.__file__).endswith(".py")


def run_on_sources(*args: str) -> subprocess.CompletedProcess[str]:
    """``python ARGS`` in the repository with the sources first on the path, whatever is installed."""
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True
    )


@pytest.fixture
def on_sources(request: pytest.FixtureRequest) -> bool:
    """For white-box tests that patch claimlint's classes: compiled code calls their methods
    directly and never sees a patch. Under a compiled install the test runs again in a child
    pytest on the sources, and this is True: the test has passed there and returns."""
    if not COMPILED:
        return False
    result = run_on_sources("-m", "pytest", "-q", "-p", "no:cacheprovider", request.node.nodeid)
    assert result.returncode == 0, result.stdout[-4000:]
    return True


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A disk cache (claimlint.diskcache) of the test's own, empty; the rulebook read afresh."""
    from claimlint.rulebook import rulebook_for

    where = tmp_path / "cache"
    monkeypatch.setenv("CLAIMLINT_CACHE_DIR", str(where))
    rulebook_for.cache_clear()  # the in-process cache would answer before the disk is asked
    yield where
    rulebook_for.cache_clear()


@pytest.fixture
def not_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    """As on a developer's machine, wherever the suite runs: no CI job's variables (claimlint keeps
    no findings between runs in a CI job, and starts no daemon there)."""
    from claimlint.daemon.protocol import CI_VARIABLES

    for name in CI_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def brand_pack(term: str = "guaranteed glow", message: str = "Promises a glow.") -> str:
    """A user's rule pack of one rule, BRAND-GLOW, flagging ``term``."""
    return f"""\
rules:
  - id: BRAND-GLOW
    category: absolute
    title: Our brand never promises a glow
    match:
      - kind: phrase
        terms: ["{term}"]
    message: {message}
    rationale: House style.
    suggestion: a soft glow
    markets:
      us: {{severity: warning, cite: [US-FTC-5-12]}}
      eu: {{severity: warning, cite: [EU-655-2013]}}
      uk: {{severity: info, cite: [UK-CAP-3.1]}}
    examples:
      flag: ["A [[{term}]] every morning."]
      pass: ["A soft light every morning."]
"""


def sample_copy() -> list[str]:
    """The labeled corpus, generated benchmark copy and word salad: the texts on which two ways
    of linting must agree finding for finding."""
    if str(ROOT / "benchmarks") not in sys.path:
        sys.path.insert(0, str(ROOT / "benchmarks"))
    from corpora import generate

    texts = [e.text for split in ("dev.txt", "test.txt", "holdout.txt") for e in read_corpus(ROOT / "corpus" / split)]
    return texts + [generate(4_000, 0.3, seed) for seed in range(3)] + _word_salad(texts, 400)


def _word_salad(texts: list[str], n: int) -> list[str]:
    """Random copy: the corpus's own words reshuffled into short rows with random punctuation,
    so that rule words meet in combinations no curated sentence has."""
    rng = random.Random(11)
    words = " ".join(texts).split()
    out = []
    for _ in range(n):
        row = [
            rng.choice(words) + rng.choice(["", "", "", ",", ".", "?", "!", "\n", "*", "%"])
            for _ in range(rng.randint(3, 30))
        ]
        out.append(" ".join(row))
    return out


@pytest.fixture(scope="session")
def linter() -> Linter:
    return Linter(Settings())


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    """Run the CLI in-process: ``run(["check", "x.txt"], stdin=b"...")`` → Result(code, out, err)."""

    def _run(argv: Sequence[str], stdin: bytes | None = None) -> Result:
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
        try:
            main(list(argv))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return _run


CHROMIUM = Path("/usr/bin/chromium")
REQUIRE_BROWSER = os.environ.get("CLAIMLINT_REQUIRE_BROWSER") == "1"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]  # fmt: skip


@pytest.fixture(scope="module")
def chromium():
    """Headless Debian Chromium driven by Playwright; skipped when either is missing, unless
    CLAIMLINT_REQUIRE_BROWSER=1 (CI sets it), which turns their absence into a failure."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if REQUIRE_BROWSER:
            raise
        pytest.skip("playwright is not installed")
    if not CHROMIUM.exists():
        if REQUIRE_BROWSER:
            pytest.fail("Chromium is not installed at /usr/bin/chromium")
        pytest.skip("Chromium is not installed")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_healthy(url: str, seconds: float = 60) -> None:
    import httpx

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{url} did not become healthy")
