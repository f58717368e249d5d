"""``--format sarif``: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

Every rule is listed in ``tool.driver.rules`` (short and full description, help with the rewrite,
``helpUri`` to its main citation, default level); every finding is a result with a physical location
relative to the repository root, a snippet, and a ``partialFingerprints`` entry so code scanning
tracks it across commits. Catalog findings point at the row's line and name the row and field.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TextIO

from claimlint.findings import MARKETS, Finding, Report, Severity, worst_of
from claimlint.report.utf8 import ArrayItems, PartRenderer, append_part, end_report, utf8_target
from claimlint.rulebook import Rule, Rulebook

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFO_URI = "https://github.com/claimlint/claimlint"


class SarifWriter:
    """Writes the run header and rules, then each result as it is found, then the invocation."""

    def __init__(self, out: TextIO, rulebook: Rulebook, root: Path | None = None) -> None:
        self.out = utf8_target(out)
        self.book = rulebook
        self.root = repository_root(root or Path.cwd())
        self.index = {rule.id: i for i, rule in enumerate(rulebook.rules)}
        self.results = ArrayItems(8)

    def begin(self, report: Report) -> None:
        from claimlint import __version__

        driver = {
            "name": "claimlint",
            "version": __version__,
            "semanticVersion": __version__,
            "informationUri": INFO_URI,
            "rules": [_rule(rule, self.book) for rule in self.book.rules],
        }
        head = json.dumps({"tool": {"driver": driver}}, indent=2, ensure_ascii=False)
        base = json.dumps({"%SRCROOT%": {"uri": self.root.as_uri() + "/"}})
        self.out.write(
            f'{{\n  "$schema": "{SCHEMA}",\n  "version": "2.1.0",\n  "runs": [\n    {{\n'
            f'      "tool": {head[head.index("{", 1) : -2].strip()},\n'
            f'      "columnKind": "unicodeCodePoints",\n      "originalUriBaseIds": {base},\n      "results": ['
        )

    def add(self, finding: Finding) -> None:
        text = json.dumps(_result(finding, self.index, self.root), ensure_ascii=False)
        self.out.write(self.results.head().decode() + text)

    def renderer(self) -> PartRenderer:
        """Renders findings as :meth:`add` writes them after the first, for workers (see
        :meth:`add_part`)."""
        index, root = self.index, self.root
        return self.results.part_renderer(
            lambda finding: json.dumps(_result(finding, index, root), ensure_ascii=False).encode("utf-8")
        )

    def add_part(self, path: str, count: int) -> None:
        """Append ``count`` results rendered by :meth:`renderer` into the file at ``path``."""
        if count:
            append_part(self.out, self.results.head(), path)

    def end(self, report: Report) -> None:
        tail = self.results.close()
        invocation = {
            "executionSuccessful": not report.errors,
            "toolExecutionNotifications": [
                {"level": "error", "message": {"text": f"{e.path}: {e.message}"}} for e in report.errors
            ],
        }
        self.out.write(
            f'{tail},\n      "invocations": [{json.dumps(invocation, ensure_ascii=False)}]\n    }}\n  ]\n}}\n'
        )
        end_report(self.out)


def render(report: Report, rulebook: Rulebook, root: Path | None = None) -> str:
    import io

    buffer = io.StringIO()
    w = SarifWriter(buffer, rulebook, root)
    w.begin(report)
    for finding in report.findings:
        w.add(finding)
    w.end(report)
    return buffer.getvalue()


def repository_root(start: Path) -> Path:
    """The nearest directory with a ``.git`` (paths in SARIF are relative to it), else ``start``."""
    start = start.resolve()
    for directory in (start, *start.parents):
        if (directory / ".git").exists():
            return directory
    return start


def _rule(rule: Rule, book: Rulebook) -> dict[str, Any]:
    worst = worst_of(rule.markets.get(m).severity for m in MARKETS)
    main = book.citations[rule.markets.get("us").cite[0]]
    references = "\n".join(
        f"- {m.upper()} ({rule.markets.get(m).severity.value}): "
        + "; ".join(f"[{book.citations[c].reference}]({book.citations[c].url})" for c in rule.markets.get(m).cite)
        for m in MARKETS
    )
    return {
        "id": rule.id,
        "name": "".join(part.capitalize() for part in rule.id.split("-")),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": " ".join(rule.rationale.split())},
        "helpUri": main.url,
        "help": {
            "text": f"{rule.message} Write instead: {rule.suggestion}",
            "markdown": f"{rule.message}\n\n**Write instead:** {rule.suggestion}\n\n**References**\n\n{references}",
        },
        "defaultConfiguration": {"level": LEVELS[worst]},
        "properties": {"category": rule.category, "tags": ["compliance", rule.category]},
    }


def _result(f: Finding, index: dict[str, int], root: Path) -> dict[str, Any]:
    markets = "; ".join(f"{m.upper()} {v.severity.value}" for m, v in f.markets.items())
    where = f" (row {f.row}, {f.field})" if f.row is not None else ""
    location: dict[str, Any] = {
        "physicalLocation": {
            "artifactLocation": {"uri": _uri(f.path, root), "uriBaseId": "%SRCROOT%"},
            "region": _region(f),
        }
    }
    if f.row is not None:
        location["logicalLocations"] = [{"name": f"{f.row}/{f.field}", "kind": "member"}]
    result: dict[str, Any] = {
        "ruleId": f.rule_id,
        "ruleIndex": index.get(f.rule_id, -1),
        "level": LEVELS[f.severity],
        "message": {"text": f'{f.message} "{f.text}"{where} — {markets}. Try: {f.suggestion}'},
        "locations": [location],
        "partialFingerprints": {"claimlintFingerprint/v1": f.fingerprint},
        "properties": {
            "category": f.category,
            "markets": {
                m: {"severity": v.severity.value, "citations": [c.id for c in v.citations]}
                for m, v in f.markets.items()
            },
        },
    }
    if f.context:
        result["properties"]["context"] = f.context
    if result["ruleIndex"] < 0:
        del result["ruleIndex"]
    return result


def _region(f: Finding) -> dict[str, Any]:
    if f.row is not None:
        # Positions count within the field; the file position is the row's line.
        line = f.row_line or 1
        return {"startLine": line, "snippet": {"text": f.text}}
    return {
        "startLine": f.line,
        "startColumn": f.column,
        "endLine": f.end_line,
        "endColumn": f.end_column,
        "charOffset": f.start,
        "charLength": f.end - f.start,
        "snippet": {"text": f.text},
    }


def _uri(path: str, root: Path) -> str:
    p = Path(path)
    try:
        rel = p.resolve().relative_to(root)
    except (ValueError, OSError):
        return p.as_posix()
    return rel.as_posix()
