"""Report formats, one module per format.

Streaming formats (text, json, sarif, github) write each finding as it is found, so a catalog of
millions of rows is reported in bounded memory; the others (junit, markdown, html) render once,
from all findings. Every format also has ``render(report, rulebook) -> str``.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Protocol, TextIO, Union

from claimlint.findings import Finding, Report

if TYPE_CHECKING:
    from claimlint.rulebook import Rulebook

Renderer = Callable[[Report, "Rulebook"], str]
# The rulebook, or how to get it: only SARIF and the whole-report formats read it, and reading it
# costs a run answered from kept findings a tenth of its time (the rules' classes, the kept rulebook).
BookSource = Union["Rulebook", Callable[[], "Rulebook"]]

FORMATS = ("text", "json", "sarif", "github", "junit", "markdown", "html")
STREAMING = frozenset({"text", "json", "sarif", "github"})
# Formats that show the copy itself, so the run keeps each file's text for them.
NEEDS_TEXT = frozenset({"text", "html"})


class Writer(Protocol):
    def begin(self, report: Report) -> None: ...
    def add(self, finding: Finding) -> None: ...
    def end(self, report: Report) -> None: ...


class _Buffered:
    """A whole-report format behind the writer interface: renders at the end."""

    def __init__(self, render: Renderer, out: TextIO, rulebook: Rulebook) -> None:
        self._render, self._out, self._book = render, out, rulebook

    def begin(self, report: Report) -> None:
        pass

    def add(self, finding: Finding) -> None:
        pass

    def end(self, report: Report) -> None:
        self._out.write(self._render(report, self._book))


def writer(fmt: str, out: TextIO, rulebook: BookSource, color: bool = False) -> Writer:
    # Each format imports only its own module: the HTML one alone brings in Jinja, a sixtieth of
    # the command's start-up.
    if fmt == "text":
        from claimlint.report.text import TextWriter

        return TextWriter(out, color)
    if fmt == "json":
        from claimlint.report.json import JsonWriter

        return JsonWriter(out)
    if fmt == "sarif":
        from claimlint.report.sarif import SarifWriter

        return SarifWriter(out, _book(rulebook))
    if fmt == "github":
        from claimlint.report.github import GithubWriter

        return GithubWriter(out)
    if fmt == "junit":
        from claimlint.report.junit import render
    elif fmt == "markdown":
        from claimlint.report.markdown import render
    elif fmt == "html":
        from claimlint.report.html import render
    else:
        raise ValueError(f"unknown report format {fmt!r}; choose from {', '.join(FORMATS)}")
    return _Buffered(render, out, _book(rulebook))


def _book(source: BookSource) -> Rulebook:
    return source() if callable(source) else source


def render_with(fmt: str, report: Report, rulebook: Rulebook, color: bool = False) -> str:
    """A whole report in ``fmt`` as a string (for findings already collected)."""
    buffer = io.StringIO()
    w = writer(fmt, buffer, rulebook, color)
    w.begin(report)
    if fmt in STREAMING:
        for finding in report.findings:
            w.add(finding)
    w.end(report)
    return buffer.getvalue()


def renderers() -> dict[str, Renderer]:
    return {fmt: partial(render_with, fmt) for fmt in FORMATS}
