"""Report formats: one module per format, each a ``render(report, rulebook) -> str``."""

from __future__ import annotations

from collections.abc import Callable

from claimlint.findings import Report
from claimlint.rulebook import Rulebook

Renderer = Callable[[Report, Rulebook], str]

FORMATS = ("text", "json", "sarif", "github", "junit", "markdown", "html")
# Formats that show the copy itself, so the run keeps each file's text for them.
NEEDS_TEXT = frozenset({"text", "html"})


def renderers() -> dict[str, Renderer]:
    from claimlint.report import github, html, json, junit, markdown, sarif, text

    return {
        "text": text.render,
        "json": json.render,
        "sarif": sarif.render,
        "github": github.render,
        "junit": junit.render,
        "markdown": markdown.render,
        "html": html.render,
    }
