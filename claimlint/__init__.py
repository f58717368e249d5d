"""claimlint — a product-claim compliance linter for cosmetics, hair care and supplement copy.

    >>> import claimlint
    >>> findings = claimlint.lint_text("Stimulates collagen production.", markets=["us"])
    >>> findings[0].rule_id, findings[0].category, findings[0].severity.value
    ('SF-COLLAGEN', 'structure_function', 'error')

claimlint gives compliance guidance, not legal advice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from claimlint.findings import (
    CATEGORIES,
    MARKETS,
    CitationRef,
    Finding,
    InputError,
    MarketVerdict,
    Quantity,
    Report,
    Severity,
)
from claimlint.rulebook import Rulebook, RuleFileError, load_rulebook

if TYPE_CHECKING:
    from claimlint.engine import Linter, Settings

__version__ = "0.1.0"

__all__ = [
    "CATEGORIES",
    "MARKETS",
    "CitationRef",
    "Finding",
    "InputError",
    "Linter",
    "MarketVerdict",
    "Quantity",
    "Report",
    "RuleFileError",
    "Rulebook",
    "Settings",
    "Severity",
    "__version__",
    "get_linter",
    "lint_paths",
    "lint_text",
    "load_rulebook",
]


def __getattr__(name: str) -> object:
    # The engine pulls in spaCy; import it only when it is used.
    if name in ("Linter", "Settings"):
        from claimlint import engine

        return getattr(engine, name)
    raise AttributeError(name)


def get_linter(
    markets: Sequence[str] = MARKETS,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    rules: Sequence[str | Path] = (),
    product_type: str = "cosmetic",
) -> Linter:
    """A cached :class:`Linter` for these settings (the spaCy pipeline is built once)."""
    from claimlint.engine import Settings, warm_linter

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
