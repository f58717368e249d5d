"""The ``claimlint`` command imports spaCy without spaCy's own command line (typer, weasel, requests),
and everything that reads from that command line still gets the real one."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def probe(code: str) -> list[str]:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return out.splitlines()[-1].split()


def test_the_command_checks_copy_without_importing_spacys_command_line(tmp_path: Path) -> None:
    copy = tmp_path / "copy.txt"
    copy.write_text("Our serum stimulates collagen production and cures acne.\n", encoding="utf-8")
    report = tmp_path / "report.json"
    code = (
        "import sys\n"
        "from claimlint.cli import main\n"
        "try:\n"
        f"    main(['check', '--isolated', {str(copy)!r}, '-f', 'json', '-o', {str(report)!r}])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(*(name in sys.modules for name in ('spacy', 'weasel', 'typer', 'requests')))\n"
    )
    assert probe(code) == ["True", "False", "False", "False"]
    found = {f["rule_id"] for f in json.loads(report.read_text(encoding="utf-8"))["findings"]}
    assert {"SF-COLLAGEN", "DIS-SKIN"} <= found


def test_what_reads_spacys_command_line_gets_the_real_one() -> None:
    code = (
        "import sys\n"
        "from claimlint.nlp import spacy_cli\n"
        "spacy_cli.defer()\n"
        "import claimlint.nlp.pipeline\n"
        "import spacy\n"
        "deferred = 'weasel' not in sys.modules\n"
        "data = spacy.info()\n"  # the function spaCy re-exports, called through the stand-in
        "real = type(sys.modules['spacy.cli']).__name__\n"
        "from spacy.cli import download\n"
        "import spacy.cli.train\n"
        "print(deferred, data['spacy_version'] == spacy.__version__, real, download.__module__,\n"
        "      spacy.cli is sys.modules['spacy.cli'], hasattr(spacy.cli.train, 'train_cli'))\n"
    )
    assert probe(code) == ["True", "True", "module", "spacy.cli.download", "True", "True"]


def test_an_attribute_of_the_stand_in_loads_the_real_module() -> None:
    code = (
        "from claimlint.nlp import spacy_cli\n"
        "spacy_cli.defer()\n"
        "import claimlint.nlp.pipeline\n"
        "import spacy\n"
        "print(spacy.cli.download.__module__, type(spacy.cli).__name__)\n"
    )
    assert probe(code) == ["spacy.cli.download", "module"]


def test_the_library_leaves_spacy_as_it_is() -> None:
    code = (
        "import sys\n"
        "from claimlint import Linter\n"
        "Linter().lint_text('Cures acne.')\n"
        "print(type(sys.modules['spacy.cli']).__name__, 'weasel' in sys.modules)\n"
    )
    assert probe(code) == ["module", "True"]
