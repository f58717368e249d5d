"""Report formats on the bundled examples: SARIF validated against the official schema, JUnit,
GitHub annotations, Markdown, HTML; several outputs in one run."""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pytest

from conftest import ROOT, SHARED

EXAMPLES = ["examples/exosome-serum.txt", "examples/site", "examples/catalog.csv"]
CATALOG = ["--text-field", "name,description", "--id-field", "sku", "--product-type-field", "product_type"]


@pytest.fixture
def at_root(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(ROOT)
    return ROOT


def _check(run, fmt: str, *extra: str):
    return run(["check", "--isolated", "--format", fmt, *EXAMPLES, *CATALOG, *extra])


def _sarif_schema() -> dict:
    shared = SHARED / "schemas" / "sarif-schema-2.1.0.json"
    path = shared if shared.exists() else ROOT / "tests" / "fixtures" / "sarif-schema-2.1.0.json"
    return json.loads(path.read_text(encoding="utf-8"))


def test_sarif_validates_against_the_official_schema(run, at_root: Path) -> None:
    result = _check(run, "sarif")
    assert result.code == 1, result.err
    sarif = json.loads(result.out)
    jsonschema.validate(sarif, _sarif_schema())
    run_ = sarif["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    assert len(rules) >= 60
    collagen = next(r for r in rules if r["id"] == "SF-COLLAGEN")
    assert collagen["helpUri"] == "https://www.law.cornell.edu/uscode/text/21/321"
    assert collagen["defaultConfiguration"]["level"] == "error"
    assert collagen["shortDescription"]["text"] and collagen["fullDescription"]["text"]
    results = run_["results"]
    first = results[0]
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "examples/exosome-serum.txt"  # relative to the repository root
    region = location["region"]
    assert region["snippet"]["text"] == "stimulates collagen production"
    assert (region["startLine"], region["startColumn"], region["endLine"], region["endColumn"]) == (3, 25, 3, 55)
    assert re.fullmatch(r"[0-9a-f]{20}", first["partialFingerprints"]["claimlintFingerprint/v1"])
    catalog = [
        r for r in results if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "examples/catalog.csv"
    ]
    assert catalog and catalog[0]["locations"][0]["logicalLocations"][0]["name"].startswith("EXO-001/")
    assert catalog[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 2  # the row's line in the file


def test_sarif_fingerprints_are_stable_when_lines_move(run, tmp_path: Path) -> None:
    page = tmp_path / "p.md"
    page.write_text("Treats acne.\n", encoding="utf-8")
    before = json.loads(run(["check", "--isolated", "-f", "sarif", str(page)]).out)["runs"][0]["results"][0]
    page.write_text("# New heading\n\nIntro.\n\nTreats acne.\n", encoding="utf-8")
    after = json.loads(run(["check", "--isolated", "-f", "sarif", str(page)]).out)["runs"][0]["results"][0]
    assert before["partialFingerprints"] == after["partialFingerprints"]
    assert (
        before["locations"][0]["physicalLocation"]["region"]["startLine"]
        != after["locations"][0]["physicalLocation"]["region"]["startLine"]
    )


def test_github_annotations(run, at_root: Path) -> None:
    lines = _check(run, "github").out.splitlines()
    assert lines[0].startswith(
        "::error file=examples/exosome-serum.txt,line=3,col=25,endLine=3,endColumn=55,title=SF-COLLAGEN [structure_function]::"
    )
    assert any(line.startswith("::warning ") for line in lines)
    catalog = [line for line in lines if "file=examples/catalog.csv" in line]
    assert catalog and all(",line=" in line and "[row " in line for line in catalog)
    assert all("\n" not in line and "%0A" not in line.split("::", 2)[1] for line in lines)


def test_junit_has_a_case_per_file_and_catalog_row(run, at_root: Path) -> None:
    xml = ET.fromstring(_check(run, "junit").out)
    suite = xml.find("testsuite")
    assert suite is not None
    names = [case.get("name") for case in suite.iter("testcase")]
    assert "examples/exosome-serum.txt" in names
    assert "examples/catalog.csv row EXO-001" in names and "examples/catalog.csv row EXO-002" not in names
    assert "examples/catalog.csv" in names  # the catalog itself, passing
    failing = [c for c in suite.iter("testcase") if c.find("failure") is not None]
    assert int(suite.get("failures", "0")) == len(failing) > 0
    assert "SF-COLLAGEN" in (failing[0].find("failure").text or "")


def test_markdown_summary_for_a_pull_request(run, at_root: Path) -> None:
    out = _check(run, "markdown").out
    assert out.startswith("### claimlint: ")
    assert "| US |" in out and "| 🔴 |" in out and "`SF-COLLAGEN`" in out


def test_html_report_is_self_contained_and_escapes_copy(run, tmp_path: Path) -> None:
    page = tmp_path / "evil.html"
    page.write_text(
        "<p>&lt;script&gt;window.pwned=1&lt;/script&gt; Treats acne.</p><p>Regrows hair.</p>", encoding="utf-8"
    )
    out = run(["check", "--isolated", "-f", "html", str(page)]).out
    assert out.count('<mark class="claim"') == 2
    assert "window.pwned=1" in out and "<script>window.pwned" not in out  # shown as text
    assert not re.search(r"""(src|href)=["']https?://""", out.split('id="claimlint-data"')[0])  # no CDN
    assert "<svg" in out and "<style>" in out


def test_several_outputs_in_one_run(run, tmp_path: Path, at_root: Path) -> None:
    sarif, html, junit = tmp_path / "r.sarif", tmp_path / "r.html", tmp_path / "r.xml"
    result = _check(
        run,
        "text",
        "--no-color",
        "--report",
        f"sarif:{sarif}",
        "--report",
        f"html:{html}",
        "--report",
        f"junit:{junit}",
    )
    assert "SF-COLLAGEN [structure_function]" in result.out
    jsonschema.validate(json.loads(sarif.read_text(encoding="utf-8")), _sarif_schema())
    assert html.read_text(encoding="utf-8").startswith("<!doctype html>")
    ET.fromstring(junit.read_text(encoding="utf-8"))
    bad = run(["check", "--isolated", "--report", "pdf:x.pdf", "examples/exosome-serum.txt"])
    assert bad.code == 2 and "unknown format 'pdf'" in bad.err


def test_json_streams_one_finding_per_line(run, at_root: Path) -> None:
    out = _check(run, "json").out
    report = json.loads(out)
    finding_lines = [line for line in out.splitlines() if line.startswith('    {"path":')]
    assert len(finding_lines) == report["summary"]["findings"] > 0


def test_json_and_sarif_are_utf8_on_a_terminal_that_is_not(tmp_path: Path) -> None:
    """JSON is UTF-8 (RFC 8259): an ASCII or Latin-1 locale gets the same bytes, not an error."""
    import os
    import subprocess
    import sys

    page = tmp_path / "page.md"
    page.write_text("# Sérum ✓\n\nStimulates collagen — clinically proven.\n", encoding="utf-8")
    outputs = {}
    for fmt in ("json", "sarif"):
        for encoding in ("utf-8", "latin-1", "ascii"):
            env = {**os.environ, "PYTHONIOENCODING": encoding, "CLAIMLINT_DAEMON": "off"}
            done = subprocess.run(
                [sys.executable, "-m", "claimlint", "check", "--isolated", "-f", fmt, str(page)],
                capture_output=True, env=env, cwd=tmp_path, timeout=120,
            )  # fmt: skip
            assert (done.returncode, done.stderr) == (1, b""), done.stderr.decode(errors="replace")
            outputs[fmt, encoding] = done.stdout
        assert outputs[fmt, "latin-1"] == outputs[fmt, "ascii"] == outputs[fmt, "utf-8"]
    assert json.loads(outputs["json", "utf-8"].decode("utf-8"))["findings"][0]["path"] == str(page)
    assert "§" in outputs["sarif", "utf-8"].decode("utf-8")  # its rules' citations


def test_copy_file_uses_the_kernel_and_falls_back_when_it_cannot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno
    import os

    from claimlint import atomic

    data = "".join(f"finding {i} – ✓\n" for i in range(50_000)).encode("utf-8")
    (tmp_path / "part").write_bytes(data)

    def copy(name: str) -> bytes:
        with open(tmp_path / "part", "rb") as src, open(tmp_path / name, "wb") as dst:
            dst.write(b"head,")
            dst.flush()
            atomic.copy_file(src, dst)
            dst.write(b",tail")
        return (tmp_path / name).read_bytes()

    sent: list[int] = []
    sendfile = os.sendfile

    def counted(*args: int) -> int:
        sent.append(args[-1])
        return sendfile(*args)

    monkeypatch.setattr(os, "sendfile", counted)
    assert copy("kernel") == b"head," + data + b",tail" and sent

    def refuse(*args: int) -> int:
        raise OSError(errno.EINVAL, "not supported here")

    monkeypatch.setattr(os, "sendfile", refuse)  # e.g. macOS, where it sends only to sockets
    assert copy("read-and-write") == b"head," + data + b",tail"

    def half(out: int, src: int, offset: None, count: int) -> int:
        if sent:
            raise OSError(errno.EIO, "disk gone")
        sent.append(count)
        return os.write(out, os.read(src, 1000))

    sent.clear()
    monkeypatch.setattr(os, "sendfile", half)
    with pytest.raises(OSError, match="disk gone"):  # never written twice
        copy("half")


def test_a_temporary_file_is_new_private_and_never_one_that_exists(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import stat

    from claimlint import atomic

    fd, name = atomic.mkstemp(tmp_path, ".report.json.")
    os.close(fd)
    made = Path(name)
    assert made.is_absolute() and made.parent == tmp_path and made.name.startswith(".report.json.")
    assert stat.S_IMODE(made.stat().st_mode) == 0o600 and made.read_bytes() == b""
    # A name already taken is skipped, not opened: the same random part twice, then another.
    made.write_bytes(b"someone else's")
    taken = bytes.fromhex(made.name.removeprefix(".report.json."))
    parts = iter([taken, taken, b"\x00" * 6])
    monkeypatch.setattr(atomic.os, "urandom", lambda n: next(parts))
    fd, other = atomic.mkstemp(str(tmp_path), ".report.json.")
    os.close(fd)
    assert other == str(tmp_path / ".report.json.000000000000") and made.read_bytes() == b"someone else's"
    # Not a file a symbolic link points at either.
    os.unlink(other)
    os.symlink(tmp_path / "elsewhere", other)
    monkeypatch.setattr(atomic.os, "urandom", lambda n: b"\x00" * 6)
    with pytest.raises(FileExistsError):
        atomic.mkstemp(tmp_path, ".report.json.")
    assert not (tmp_path / "elsewhere").exists()


def test_a_big_report_replaced_is_freed_after_the_command_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess
    import sys
    import time

    from claimlint import atomic

    report = tmp_path / "report.json"

    def commit(text: str, is_report: bool = True) -> None:
        f = atomic.AtomicFile(report, report=is_report)
        f.write(text)
        f.commit()

    def names() -> list[str]:
        return sorted(p.name for p in tmp_path.iterdir())

    # A library caller: one rename, the old file gone with it, nothing left beside the report.
    monkeypatch.setattr(atomic, "SET_ASIDE_BYTES", 100)
    report.write_text("old " * 1000, encoding="utf-8")
    commit("new")
    assert names() == ["report.json"] and report.read_text() == "new"

    # Where removals are deferred: a big report is set aside until remove_set_aside; a small
    # one, or a file that is not a report (copy fixed in place), is replaced by one rename.
    monkeypatch.setattr(atomic, "_set_aside", [])
    report.write_text("old " * 1000, encoding="utf-8")
    commit("newer")
    aside = [p for p in tmp_path.iterdir() if p.name != "report.json"]
    assert len(aside) == 1 and aside[0].name.startswith(".report.json.") and aside[0].name.endswith(".old")
    assert aside[0].read_text() == "old " * 1000 and report.read_text() == "newer"
    commit("small")
    report.write_text("old " * 1000, encoding="utf-8")
    commit("fixed copy", is_report=False)
    assert len(names()) == 2 and report.read_text() == "fixed copy"
    atomic.remove_set_aside()
    assert names() == ["report.json"]

    # A failed replacement puts the old report back.
    real_replace = atomic.os.replace

    def refuse(src: str, dst: object) -> None:
        raise OSError("refused")

    report.write_text("old " * 1000, encoding="utf-8")
    monkeypatch.setattr(atomic.os, "replace", refuse)
    f = atomic.AtomicFile(report, report=True)
    f.write("never")
    with pytest.raises(OSError, match="refused"):
        f.commit()
    monkeypatch.setattr(atomic.os, "replace", real_replace)
    f.abort()
    assert names() == ["report.json"] and report.read_text() == "old " * 1000

    # The command's way out (process.finish) removes them in a process nobody waits for.
    code = (
        "from pathlib import Path\n"
        "from claimlint import atomic, process\n"
        "atomic.SET_ASIDE_BYTES = 100\n"
        "atomic.defer_removals()\n"
        f"f = atomic.AtomicFile(Path({str(report)!r}), report=True)\n"
        "f.write('from the command')\n"
        "f.commit()\n"
        f"print(len(list(Path({str(tmp_path)!r}).iterdir())))\n"
        "process.finish(SystemExit(3))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (3, "2\n", "")
    deadline = time.monotonic() + 10
    while len(names()) > 1 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert names() == ["report.json"] and report.read_text() == "from the command"


def test_workers_write_their_report_parts_a_finding_at_a_time(linter, tmp_path: Path) -> None:
    """A worker's part goes to its file as each finding is encoded, never as one joined copy of
    the whole part (10 MB of claim-dense copy, in fresh pages), and its bytes are what the writer
    itself writes for those findings after a first one."""
    import io

    from claimlint.report.json import JsonWriter
    from claimlint.report.sarif import SarifWriter

    findings = linter.lint_text(
        "Treats acne. Stimulates collagen production. Clinically proven to regrow hair. Cures eczema."
    )
    assert len(findings) >= 4
    for make in (lambda out: JsonWriter(out), lambda out: SarifWriter(out, linter.rulebook, tmp_path)):
        pieces: list[bytes] = []
        make(io.StringIO()).renderer()(findings, pieces.append)
        assert len(pieces) == 2 * len(findings) - 1  # each finding, and a separator between two
        assert max(map(len, pieces)) < 4_000
        whole = io.StringIO()
        writer = make(whole)
        writer.add(findings[0])  # the part comes after a first finding, as a worker's parts do
        start = len(whole.getvalue())
        for finding in findings:
            writer.add(finding)
        written, part = whole.getvalue()[start:].encode("utf-8"), b"".join(pieces)
        # what the worker's file holds is appended after the separator the report writes itself
        assert written.endswith(part) and written[: len(written) - len(part)].strip() == b","
