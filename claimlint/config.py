"""Project settings: ``[tool.claimlint]`` in ``pyproject.toml`` or a ``.claimlint.toml``, found by
walking up from the working directory. Command-line flags override them; unknown keys and bad
values are errors that name the key."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from claimlint.findings import Market

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CONFIG_FILES = (".claimlint.toml", "pyproject.toml")


class ConfigError(ValueError):
    """A configuration that cannot be used; one line naming the file and the key."""


class _Model(BaseModel):
    # Built when a config file is first read, not at import: most runs have none.
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True, defer_build=True)


class CatalogConfig(_Model):
    text_fields: list[str] = Field(default_factory=list, alias="text-fields")
    id_field: str | None = Field(default=None, alias="id-field")
    product_type_field: str | None = Field(default=None, alias="product-type-field")
    suppress_field: str | None = Field(default=None, alias="suppress-field")


class Config(_Model):
    """Every key of ``[tool.claimlint]``; see ``claimlint init`` for a commented example."""

    markets: Annotated[list[Market], Field(min_length=1)] | None = None
    product_type: Literal["cosmetic", "supplement"] | None = Field(default=None, alias="product-type")
    fail_on: Literal["error", "warning", "info", "never"] | None = Field(default=None, alias="fail-on")
    select: list[str] = Field(default_factory=list)
    ignore: list[str] = Field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = Field(default_factory=dict, alias="per-file-ignores")
    rules: list[str] = Field(default_factory=list, description="extra rule-pack directories")
    include: list[str] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list)
    front_matter_fields: list[str] | None = Field(default=None, alias="front-matter-fields")
    report_unused_suppressions: bool | None = Field(default=None, alias="report-unused-suppressions")
    catalog: CatalogConfig = Field(default_factory=CatalogConfig)

    @classmethod
    def default(cls) -> Config:
        """The settings of a run without a settings file: every default, with nothing to validate
        (so the validators are never built: most runs have no settings file)."""
        return cls.model_construct(catalog=CatalogConfig.model_construct())


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
        return "claimlint" in tomllib.loads(path.read_text(encoding="utf-8")).get("tool", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False


def load_config(path: Path) -> Config:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    table: Any = data.get("tool", {}).get("claimlint", {}) if path.name == "pyproject.toml" else data
    prefix = "tool.claimlint." if path.name == "pyproject.toml" else ""
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
