"""Rule packs: the built-in book's shape, and one clear error line for every kind of mistake."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest

from claimlint.findings import CATEGORIES, MARKETS
from claimlint.nlp.pipeline import get_pipeline
from claimlint.rulebook import RuleFileError, load_rulebook

from conftest import SHARED

BOOK = get_pipeline()[0]

GOOD_RULE = """
rules:
  - id: BRAND-MIRACLE
    category: absolute
    title: Our brand never says miracle
    match:
      - kind: phrase
        terms: ["miracle|wonder glow|serum"]
    message: Brand voice avoids miracle words.
    rationale: House style.
    suggestion: radiant-looking
    markets:
      us: {severity: warning, cite: [US-FTC-5-12]}
      eu: {severity: warning, cite: [EU-655-2013]}
      uk: {severity: info, cite: [UK-CAP-3.1]}
    examples:
      flag: ["A [[wonder glow]] in a bottle."]
      pass: ["A radiant-looking glow."]
"""


def _pack(tmp_path: Path, text: str, name: str = "brand.yaml") -> Path:
    (tmp_path / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


def test_builtin_book_has_enough_rules_in_every_category() -> None:
    assert len(BOOK.rules) >= 60
    assert {r.category for r in BOOK.rules} == set(CATEGORIES)


def test_every_rule_cites_every_market_with_a_reference_of_that_market() -> None:
    for rule in BOOK.rules:
        for market in MARKETS:
            mapping = rule.markets.get(market)
            assert mapping.cite, f"{rule.id} has no {market} citation"
            for cite in mapping.cite:
                assert BOOK.citations[cite].jurisdiction == market


def test_rule_ids_are_unique_and_stable_shaped() -> None:
    ids = [r.id for r in BOOK.rules]
    assert len(ids) == len(set(ids))
    assert all(re.match(r"^[A-Z]+(-[A-Z0-9]+)+$", i) for i in ids)


@pytest.mark.skipif(not (SHARED / "regulatory.md").exists(), reason="shared/ is not beside the project")
def test_citations_come_from_the_regulatory_reference() -> None:
    reference = (SHARED / "regulatory.md").read_text(encoding="utf-8")
    for citation in BOOK.citations.values():
        assert citation.id in reference, citation.id
        assert citation.url in reference, f"{citation.id}: {citation.url}"


def test_every_citation_is_used() -> None:
    used = {c for r in BOOK.rules for m in MARKETS for c in r.markets.get(m).cite}
    assert set(BOOK.citations) == used, f"never cited: {set(BOOK.citations) - used}"


def test_a_user_pack_adds_rules(tmp_path: Path) -> None:
    book = load_rulebook((_pack(tmp_path, GOOD_RULE),))
    assert book.rule("BRAND-MIRACLE").category == "absolute"


def test_a_checked_pack_is_made_of_plain_classes_with_the_schemas_fields(tmp_path: Path) -> None:
    import dataclasses
    import types
    import typing

    from pydantic import BaseModel

    from claimlint import rule_schema

    book = load_rulebook((_pack(tmp_path, GOOD_RULE),))
    rule = book.rule("BRAND-MIRACLE")
    # Nothing a run keeps or reads is a model: pickled, it loads without pydantic.
    seen = [rule, *rule.match, rule.markets, rule.markets.us, rule.examples, *book.citations.values()]
    seen += book.vocabularies.values()
    assert not any(isinstance(value, BaseModel) for value in seen)
    assert rule.markets.get("eu").cite == ["EU-655-2013"] and rule.examples.pass_ == ["A radiant-looking glow."]
    # Field for field, in order, with the same types once the schema's constraints are set aside
    # (a field added to a model is added to its plain class too).
    plain = {model: cls for model, cls in rule_schema._PLAIN.items()}

    def bare(hint: object) -> object:
        origin, args = typing.get_origin(hint), typing.get_args(hint)
        if origin is typing.Annotated:
            return bare(args[0])
        if origin in (typing.Union, types.UnionType):
            return frozenset(bare(arg) for arg in args)
        if origin is typing.Literal:
            return ("Literal", args)
        if args:
            return (origin, tuple(bare(arg) for arg in args))
        return plain.get(hint, hint)  # type: ignore[call-overload]

    for model, cls in plain.items():
        hints = typing.get_type_hints(cls)
        assert [f.name for f in dataclasses.fields(cls)] == list(model.model_fields), cls
        for name, info in model.model_fields.items():
            assert bare(hints[name]) == bare(info.annotation), (cls.__name__, name)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("severity: warning, cite: [US-FTC-5-12]", "severity: fatal, cite: [US-FTC-5-12]"),
            r"rule BRAND-MIRACLE: markets\.us\.severity: ",
        ),
        (("    title:", "    titel: typo\n    title:"), r"rule BRAND-MIRACLE: titel: unknown key"),
        (
            ("cite: [EU-655-2013]", "cite: [EU-NOPE]"),
            r"rule BRAND-MIRACLE: markets\.eu\.cite\[0\]: unknown citation id 'EU-NOPE'",
        ),
        (
            ("cite: [EU-655-2013]", "cite: [US-FTC-5-12]"),
            r"markets\.eu\.cite\[0\]: US-FTC-5-12 is a us reference, not eu",
        ),
        (("category: absolute", "category: cosmetic_claim"), r"rule BRAND-MIRACLE: category: "),
        (
            ("kind: phrase", "kind: regex"),
            r"rule BRAND-MIRACLE: match\[0\]: unknown kind; expected one of: phrase, verb_object, near",
        ),
        (
            ('terms: ["miracle|wonder glow|serum"]', 'terms: ["@nonexistent glow"]'),
            r"rule BRAND-MIRACLE: match\[0\]: unknown vocabulary @nonexistent",
        ),
        (
            ('terms: ["miracle|wonder glow|serum"]', 'terms: ["miracle || glow"]'),
            r"rule BRAND-MIRACLE: match\[0\]: empty alternative",
        ),
        (
            ('      pass: ["A radiant-looking glow."]\n', ""),
            r"rule BRAND-MIRACLE: examples\.pass: required field is missing",
        ),
        (("id: BRAND-MIRACLE", "id: brand miracle"), r"rule brand miracle: id: "),
    ],
)
def test_a_bad_rule_names_file_rule_and_field(tmp_path: Path, change: tuple[str, str], expected: str) -> None:
    old, new = change
    assert old in GOOD_RULE
    _pack(tmp_path, GOOD_RULE.replace(old, new))
    with pytest.raises(RuleFileError) as info:
        get_pipeline((tmp_path,))
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(str(tmp_path.resolve() / "brand.yaml") + ": ") or message.startswith(
        str(tmp_path / "brand.yaml") + ": "
    )
    assert re.search(expected, message), message


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    _pack(tmp_path, "rules:\n  - id: X-Y\n    title: [unclosed\n")
    with pytest.raises(RuleFileError, match=r"brand\.yaml: not valid YAML \(line \d+\)"):
        load_rulebook((tmp_path,))


def test_duplicate_rule_id_is_an_error(tmp_path: Path) -> None:
    _pack(tmp_path, GOOD_RULE.replace("BRAND-MIRACLE", "SF-COLLAGEN"))
    with pytest.raises(RuleFileError, match=r"rule SF-COLLAGEN: id: defined twice"):
        load_rulebook((tmp_path,))


def test_missing_rules_directory(tmp_path: Path) -> None:
    with pytest.raises(RuleFileError, match="rules directory does not exist"):
        load_rulebook((tmp_path / "nope",))


def test_cli_reports_a_bad_pack_in_one_line_with_exit_2(tmp_path: Path, run) -> None:
    _pack(tmp_path, GOOD_RULE.replace("severity: info", "severity: critical"))
    result = run(["check", "--rules", str(tmp_path), "-"], stdin=b"hello")
    assert result.code == 2
    lines = result.err.strip().splitlines()
    assert len(lines) == 1
    assert "brand.yaml: rule BRAND-MIRACLE: markets.uk.severity:" in lines[0]
    assert "Traceback" not in result.err


def test_cli_uses_a_user_pack(tmp_path: Path, run) -> None:
    _pack(tmp_path, GOOD_RULE)
    result = run(
        ["check", "--rules", str(tmp_path), "--select", "BRAND", "--format", "json", "-"], stdin=b"A wonder serum."
    )
    assert result.code == 0  # warning < default fail-on error
    assert [f["rule_id"] for f in json.loads(result.out)["findings"]] == ["BRAND-MIRACLE"]


def test_rule_packs_ship_inside_the_installed_package() -> None:
    import claimlint
    from claimlint.rulebook import builtin_rules_dir

    packaged = Path(claimlint.__file__).resolve().parent / "rules"
    if "site-packages" not in str(packaged):
        pytest.skip("running from a source tree: packs are read from rules/")
    assert builtin_rules_dir() == packaged
    assert {p.name for p in packaged.glob("*.yaml")} >= {"citations.yaml", "vocabulary.yaml", "disease.yaml"}
