"""claimlint — a product-claim compliance linter for cosmetics, hair care and supplement copy.

    >>> import claimlint
    >>> findings = claimlint.lint_text("Stimulates collagen production.", markets=["us"])
    >>> findings[0].rule_id, findings[0].category, findings[0].severity.value
    ('SF-COLLAGEN', 'structure_function', 'error')

claimlint gives compliance guidance, not legal advice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
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
    return _linter(tuple(markets), tuple(select), tuple(ignore), tuple(Path(r) for r in rules), product_type)


@lru_cache(maxsize=16)
def _linter(
    markets: tuple[str, ...],
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    rules: tuple[Path, ...],
    product_type: str,
) -> Linter:
    from claimlint.engine import Linter, Settings

    linter = Linter(
        Settings(markets=markets, select=select, ignore=ignore, rules_dirs=rules, product_type=product_type)
    )
    linter.nlp  # noqa: B018 - a shared linter is a warm one: build the pipeline now, not on a request
    return linter


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
