"""Build hook: compile claimlint's per-sentence modules with mypyc when a wheel is built.

The modules listed in ``COMPILED`` are plain, fully typed Python; mypyc turns them into C
extensions that run the same code about 1.3× faster (docs/performance.md). The compiled files
are built in a temporary directory, never beside the sources, so a source tree and an editable
install always run the ``.py`` files as written.

Compiling is best effort: with no C compiler, no mypy, ``CLAIMLINT_PURE_PYTHON=1`` or any build
error, the wheel is the pure-Python package, which gives the same findings.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

# The code that runs once per word or sentence: term automata, sentence views, matchers, context.
COMPILED = (
    "claimlint/engine.py",
    "claimlint/nlp/lemmas.py",
    "claimlint/fingerprint.py",
    "claimlint/nlp/automaton.py",
    "claimlint/nlp/boundaries.py",
    "claimlint/nlp/context.py",
    "claimlint/nlp/kinds/__init__.py",
    "claimlint/nlp/kinds/pair.py",
    "claimlint/nlp/kinds/phrase.py",
    "claimlint/nlp/matcher.py",
    "claimlint/nlp/quantities.py",
    "claimlint/nlp/relevance.py",
    "claimlint/nlp/sentence.py",
    "claimlint/nlp/terms.py",
    "claimlint/nlp/tokentable.py",
    "claimlint/report/encode.py",
)

_SETUP = """\
from mypyc.build import mypycify
from setuptools import setup

setup(name="claimlint_compiled", ext_modules=mypycify({args!r}, opt_level="3", group_name="claimlint"))
"""


class MypycHook(BuildHookInterface):  # type: ignore[misc]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        self._workdir: str | None = None
        if version == "editable" or os.environ.get("CLAIMLINT_PURE_PYTHON"):
            return
        workdir = tempfile.mkdtemp(prefix="claimlint-mypyc-")
        self._workdir = workdir
        try:
            built = self._compile(Path(workdir))
        except Exception as exc:  # noqa: BLE001 - any failure leaves the pure-Python wheel
            sys.stderr.write(f"claimlint: building the pure-Python package (mypyc: {exc})\n")
            return
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        build_data["force_include"].update({str(path): rel for path, rel in built.items()})

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        if self._workdir:
            shutil.rmtree(self._workdir, ignore_errors=True)

    def _compile(self, workdir: Path) -> dict[Path, str]:
        root = Path(self.root)
        src = workdir / "src"
        shutil.copytree(
            root / "claimlint", src / "claimlint", ignore=shutil.ignore_patterns("__pycache__", "*.so", "*.pyd")
        )
        # The build environment holds no spaCy or pydantic: their types are unknown (Any) there, and
        # only the compiled modules' own errors count (the project's strict mypy run is in CI).
        (src / "mypy.ini").write_text(
            "[mypy]\nignore_missing_imports = True\nfollow_imports = silent\n", encoding="utf-8"
        )
        (src / "setup.py").write_text(_SETUP.format(args=list(COMPILED)), encoding="utf-8")
        out = workdir / "out"
        result = subprocess.run(
            [sys.executable, "setup.py", "build_ext", "--build-lib", str(out), "--build-temp", str(workdir / "tmp")],
            cwd=src,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        if result.returncode:
            last = [line for line in result.stdout.splitlines() if line.strip()][-3:]
            raise RuntimeError(" / ".join(last) or f"exit code {result.returncode}")
        built = {path: path.relative_to(out).as_posix() for path in out.rglob("*") if path.suffix in (".so", ".pyd")}
        expected = {module[: -len(".py")] for module in COMPILED}
        found = {rel.split(".")[0] for rel in built.values()}
        if not expected <= found:
            raise RuntimeError(f"missing compiled modules: {sorted(expected - found)}")
        return built
