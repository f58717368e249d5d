"""claimlint — a product-claim compliance linter for cosmetics, hair care and supplement copy.

    >>> import claimlint
    >>> findings = claimlint.lint_text("Stimulates collagen production.", markets=["us"])
    >>> findings[0].rule_id, findings[0].category, findings[0].severity.value
    ('SF-COLLAGEN', 'structure_function', 'error')

claimlint gives compliance guidance, not legal advice.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing's: importing typing would be a third of this module's cost
if TYPE_CHECKING:
    from claimlint.api import get_linter, lint_paths, lint_text
    from claimlint.engine import Linter, Settings
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

# Every name is imported on first use (PEP 562), so ``import claimlint`` costs about a millisecond
# and the ``claimlint`` command reaches a running daemon at once: the findings pull in dataclasses,
# the rule packs' schema pydantic (only to read a pack), the engine spaCy.
_LAZY = {
    **dict.fromkeys(
        ("CATEGORIES", "MARKETS", "CitationRef", "Finding", "InputError", "MarketVerdict", "Quantity", "Report",
         "Severity"),
        "claimlint.findings",
    ),
    **dict.fromkeys(("Rulebook", "RuleFileError", "load_rulebook"), "claimlint.rulebook"),
    **dict.fromkeys(("Linter", "Settings"), "claimlint.engine"),
    **dict.fromkeys(("get_linter", "lint_text", "lint_paths"), "claimlint.api"),
}  # fmt: skip


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'claimlint' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
