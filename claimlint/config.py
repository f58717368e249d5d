"""Project settings: ``[tool.claimlint]`` in ``pyproject.toml`` or a ``.claimlint.toml``, found by
walking up from the working directory. Command-line flags override them; unknown keys and bad
values are errors that name the key."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from claimlint.findings import Market

if TYPE_CHECKING:
    from claimlint.config_schema import Config

CONFIG_FILES = (".claimlint.toml", "pyproject.toml")


class ConfigError(ValueError):
    """A configuration that cannot be used; one line naming the file and the key."""


@dataclass(frozen=True)
class CatalogValues:
    """:class:`~claimlint.config_schema.CatalogConfig` as a plain dataclass."""

    text_fields: list[str] = field(default_factory=list)
    id_field: str | None = None
    product_type_field: str | None = None
    suppress_field: str | None = None


@dataclass(frozen=True)
class ConfigValues:
    """:class:`~claimlint.config_schema.Config` as a plain dataclass, field for field (a test
    checks that the two agree): what a run reads its settings from. Made without pydantic: a run
    without a settings file takes every default, and a settings file once checked is kept on disk
    in this form (:func:`read_config`). pydantic, nearly half the time of a run answered
    from kept findings, is then not imported by it at all."""

    markets: list[Market] | None = None
    product_type: Literal["cosmetic", "supplement"] | None = None
    fail_on: Literal["error", "warning", "info", "never"] | None = None
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    rules: list[str] = field(default_factory=list)
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    front_matter_fields: list[str] | None = None
    report_unused_suppressions: bool | None = None
    catalog: CatalogValues = field(default_factory=CatalogValues)


def default_config() -> ConfigValues:
    """The settings of a run without a settings file."""
    return ConfigValues()


def __getattr__(name: str) -> object:
    # The models, for code that takes them from here: imported on first use (PEP 562).
    if name in ("Config", "CatalogConfig"):
        from claimlint import config_schema

        return getattr(config_schema, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def find_config(start: Path) -> Path | None:
    """The nearest ``.claimlint.toml``, or ``pyproject.toml`` with a ``[tool.claimlint]`` table."""
    for directory in (start, *start.parents):
        for name in CONFIG_FILES:
            candidate = directory / name
            if candidate.is_file() and (name != "pyproject.toml" or _has_table(candidate)):
                return candidate
    return None


def _has_table(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    if "claimlint" not in text and "\\" not in text:
        return False  # a table of that name spells it out, or escapes it in a quoted key
    from claimlint import diskcache

    return diskcache.remember("pyproject-table", text, lambda: _parsed_has_table(text))


def _parsed_has_table(text: str) -> bool:
    toml = _toml()
    try:
        return "claimlint" in toml.loads(text).get("tool", {})
    except toml.TOMLDecodeError:
        return False


def _toml() -> Any:
    """The TOML parser, imported when a file is parsed: a run that finds no settings file, or only
    ones it has read before (kept on disk), does without it (16 million instructions imported
    alone; 3 million of a fresh check, which imports most of what it uses anyway)."""
    if sys.version_info >= (3, 11):
        import tomllib

        return tomllib
    import tomli  # pragma: no cover

    return tomli  # pragma: no cover


def read_config(path: Path) -> ConfigValues:
    """:func:`load_config`, kept on disk by the file's size and modification time (and the keys
    this version of claimlint knows): a file checked before is not checked again."""
    from claimlint import __version__, diskcache

    try:
        st = path.stat()
        key = (str(path.resolve()), st.st_size, st.st_mtime_ns, __version__, tuple(ConfigValues.__dataclass_fields__))
    except OSError:
        key = None  # load_config says what is wrong with it
    if key is not None:
        kept = diskcache.load("config", key)
        if isinstance(kept, ConfigValues):
            return kept
    config = load_config(path)
    values = ConfigValues(
        **{**config.model_dump(exclude={"catalog"}), "catalog": CatalogValues(**config.catalog.model_dump())}
    )
    if key is not None:
        diskcache.save("config", key, values)
    return values


def load_config(path: Path) -> Config:
    toml = _toml()
    try:
        data = toml.loads(path.read_text(encoding="utf-8"))
    except toml.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    table: Any = data.get("tool", {}).get("claimlint", {}) if path.name == "pyproject.toml" else data
    prefix = "tool.claimlint." if path.name == "pyproject.toml" else ""
    from pydantic import ValidationError

    from claimlint.config_schema import Config

    try:
        return Config.model_validate(table)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        key = prefix + ".".join(str(p) for p in err["loc"])
        message = "unknown key" if err["type"] == "extra_forbidden" else err["msg"]
        raise ConfigError(f"{path}: {key}: {message}") from None


STARTER = """\
# claimlint settings. Command-line flags override these. Docs: docs/configuration.md
# (In pyproject.toml, put the same keys under [tool.claimlint].)

# Markets to check for: us, eu, uk.
markets = ["us", "eu", "uk"]

# What the copy sells: "cosmetic" or "supplement" (a catalog can set it per row, below).
product-type = "cosmetic"

# Lowest severity that fails the run (exit code 1): error, warning, info or never.
fail-on = "error"

# Rules to run or skip: rule ids (SF-COLLAGEN), id prefixes (SF) or categories (disease).
select = []
ignore = []

# Files to check when a directory is given, and files to leave out (globs).
# include = ["content/**/*.md", "site/**/*.html", "catalog/*.csv"]
# exclude = ["drafts/**"]

# Your own rule packs (directories of YAML files), relative to this file.
# rules = ["claimlint-rules"]

# Front-matter fields of Markdown files that hold copy.
# front-matter-fields = ["title", "description", "summary"]

# List suppression comments that silenced nothing.
report-unused-suppressions = false

# Rules to skip in some files (glob = rules).
[per-file-ignores]
# "blog/archive/**" = ["QTY", "PRF-EXPERT-ENDORSED"]

[catalog]
# Fields that hold copy (JSON paths like "details.text" or "bullets[]" are allowed).
# text-fields = ["title", "description", "bullets[]"]
# id-field = "sku"
# product-type-field = "product_type"
# A column whose value (rule ids, or "all") suppresses findings in that row.
# suppress-field = "claimlint_ignore"
"""
