"""The settings file's keys as pydantic models: imported only when a settings file is read (a run
without one takes :func:`claimlint.config.default_config`, and never imports pydantic for it)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from claimlint.findings import Market


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
