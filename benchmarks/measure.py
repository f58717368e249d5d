"""Wall time and peak RSS of one command, as ``/usr/bin/time`` measures them: the one way every
benchmark here times a run (start-up included, as a user would see it). A fresh process each time:
a claimlint daemon the user may have running is bypassed unless ``env`` asks for it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# How every benchmark runs claimlint: this interpreter's installed command. Not `python -m`: run
# from the repository, that would import the sources beside it instead of the installed package
# (whose per-sentence modules are compiled).
_SCRIPT = Path(sys.executable).with_name("claimlint")
CLAIMLINT = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "claimlint"]
CHECK = [*CLAIMLINT, "check", "--isolated"]  # ignoring the user's settings files


def timed(
    cmd: list[str],
    *,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    ok: tuple[int, ...] | None = None,
) -> tuple[float, float, str]:
    """(wall seconds, peak RSS in MB, standard output). With ``ok``, any other exit code stops the
    benchmark with the command's error output (1 is claimlint's "claims found")."""
    result = subprocess.run(
        ["/usr/bin/time", "-f", "%e %M", *cmd],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "CLAIMLINT_DAEMON": "off", **(env or {})},
    )
    if ok is not None and result.returncode not in ok:
        sys.exit(f"{' '.join(cmd)} failed:\n{result.stderr}")
    wall, rss = result.stderr.strip().splitlines()[-1].split()
    return float(wall), int(rss) / 1024, result.stdout
