"""Baselines: record today's findings, then report only new ones (adopt claimlint gradually).

A finding is matched by its fingerprint (file, catalog row and field, rule, the claim's words and
the words around it), never by line number: moving copy around or reordering rows keeps it matched.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from claimlint.findings import Finding

FORMAT = "claimlint-baseline/1"


class BaselineError(ValueError):
    """A baseline file that cannot be read; one line."""


def entry(f: Finding) -> dict[str, object]:
    """What a baseline keeps of a finding: its fingerprint, and enough to read the file by eye."""
    return {
        "fingerprint": f.fingerprint,
        "rule_id": f.rule_id,
        "path": f.path,
        "row": f.row,
        "field": f.field,
        "text": f.text,
    }


def dumps(findings: Iterable[Finding]) -> str:
    recorder = Recorder()
    for f in sorted(findings, key=lambda f: (f.path, f.row or "", f.field or "", f.start, f.rule_id)):
        recorder(f)
    return recorder.dumps()


def load(path: Path) -> Counter[str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"{path}: no such baseline file (create one with --write-baseline)") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise BaselineError(f"{path}: not a claimlint baseline ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("findings"), list):
        raise BaselineError(f"{path}: not a claimlint baseline (expected format {FORMAT})")
    return Counter(str(e.get("fingerprint")) for e in data["findings"] if isinstance(e, dict))


class Filter:
    """A streaming ``--baseline``: accepts a finding unless the baseline still holds its fingerprint."""

    def __init__(self, baseline: Counter[str]) -> None:
        self.remaining = Counter(baseline)

    def __call__(self, finding: Finding) -> bool:
        if self.remaining[finding.fingerprint] > 0:
            self.remaining[finding.fingerprint] -= 1
            return False
        return True


class Recorder:
    """A streaming ``--write-baseline``: keeps what a baseline entry needs, not whole findings."""

    def __init__(self) -> None:
        self.entries: list[dict[str, object]] = []

    def __call__(self, f: Finding) -> None:
        self.entries.append(entry(f))

    def dumps(self) -> str:
        return json.dumps({"format": FORMAT, "findings": self.entries}, indent=2, ensure_ascii=False) + "\n"


def new_findings(findings: Iterable[Finding], baseline: Counter[str]) -> list[Finding]:
    """Findings not in the baseline; a claim written twice counts twice."""
    remaining = Counter(baseline)
    out = []
    for f in findings:
        if remaining[f.fingerprint] > 0:
            remaining[f.fingerprint] -= 1
        else:
            out.append(f)
    return out
