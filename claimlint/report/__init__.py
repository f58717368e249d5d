"""Report formats: one module per format, each a ``render(report, rulebook) -> str``."""

from __future__ import annotations

from collections.abc import Callable

from claimlint.findings import Report
from claimlint.rulebook import Rulebook

Renderer = Callable[[Report, Rulebook], str]


def renderers() -> dict[str, Renderer]:
    from claimlint.report import json, text

    return {"text": text.render, "json": json.render}


FORMATS = ("text", "json")
