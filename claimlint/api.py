"""The public functions of ``import claimlint``: a cached linter, lint text, lint files."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from claimlint.engine import Linter, Settings, warm_linter
from claimlint.findings import MARKETS, Finding, Report


def get_linter(
    markets: Sequence[str] = MARKETS,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    rules: Sequence[str | Path] = (),
    product_type: str = "cosmetic",
) -> Linter:
    """A cached :class:`Linter` for these settings (the spaCy pipeline is built once)."""
    settings = Settings(
        markets=tuple(markets),
        select=tuple(select),
        ignore=tuple(ignore),
        rules_dirs=tuple(Path(r) for r in rules),
        product_type=product_type,
    )
    return warm_linter(settings)


def lint_text(
    text: str,
    *,
    markets: Sequence[str] = MARKETS,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    rules: Sequence[str | Path] = (),
    product_type: str = "cosmetic",
    path: str = "<text>",
) -> list[Finding]:
    """Find the claims in ``text`` and what they mean in each of ``markets``.

    ``select`` and ``ignore`` take rule ids ("SF-COLLAGEN"), id prefixes ("SF") or categories
    ("disease"); ``rules`` adds directories of your own rule packs; ``product_type`` is
    ``"cosmetic"`` or ``"supplement"``.
    """
    return get_linter(markets, select, ignore, rules, product_type).lint_text(text, path=path)


def lint_paths(
    paths: Iterable[str | Path],
    *,
    markets: Sequence[str] = MARKETS,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    rules: Sequence[str | Path] = (),
    product_type: str = "cosmetic",
) -> Report:
    """Lint files; unreadable ones are listed in ``Report.errors`` and the rest still linted."""
    return get_linter(markets, select, ignore, rules, product_type).lint_paths(paths)
