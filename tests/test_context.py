"""Context components on real sentences: questions, testimonials, footnoted substantiation,
product type and the supplement disclaimer."""

from __future__ import annotations

import json
import random
import re
import textwrap
from pathlib import Path

import pytest

import claimlint
from claimlint.engine import Linter, Settings


def one(text: str, rule: str, **kw) -> claimlint.Finding:
    found = [f for f in claimlint.lint_text(text, **kw) if f.rule_id == rule]
    assert len(found) == 1, [(f.rule_id, f.text) for f in claimlint.lint_text(text, **kw)]
    return found[0]


# --- questions -----------------------------------------------------------------------------


def test_an_unanswered_question_is_reported_one_step_lower() -> None:
    f = one("Can exosomes regrow hair?", "DIS-HAIR-LOSS")
    assert f.context["question"] == "Can exosomes regrow hair?"
    assert {m: v.severity.value for m, v in f.markets.items()} == {"us": "warning", "eu": "warning", "uk": "warning"}


def test_a_question_the_copy_answers_yes_is_a_claim() -> None:
    f = one("Can exosomes regrow hair? Yes! Our serum is the answer.", "DIS-HAIR-LOSS")
    assert f.context["question"] == "answered yes"
    assert f.severity.value == "error"


def test_a_question_the_copy_answers_no_is_not_a_claim() -> None:
    assert claimlint.lint_text("Can exosomes cure acne? No. But they can help skin look clearer.") == []


# --- testimonials --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "rule", "how"),
    [
        ("“This serum cleared my acne,” says Jane, 34.", "DIS-SKIN", "quoted"),
        ('"It stimulates collagen like nothing else," one reviewer wrote.', "SF-COLLAGEN", "quoted"),
        ("I swear it boosted my collagen in a week.", "SF-COLLAGEN", "first person"),
        ("Clients tell us it cleared their acne.", "DIS-SKIN", "reported"),
    ],
)
def test_a_claim_in_a_testimonial_keeps_its_category_and_gains_endorsement_rules(
    text: str, rule: str, how: str
) -> None:
    f = one(text, rule)
    assert f.context["testimonial"] == how
    assert "US-FTC-255" in [c.id for c in f.markets["us"].citations]
    assert "UK-CAP-3.45" in [c.id for c in f.markets["uk"].citations]


def test_brand_voice_is_not_a_testimonial() -> None:
    f = one("Our serum stimulates collagen production.", "SF-COLLAGEN")
    assert "testimonial" not in f.context
    assert "US-FTC-255" not in [c.id for c in f.markets["us"].citations]


def test_first_person_stories_that_carry_a_disease_claim_are_testimonials() -> None:
    found = {f.rule_id: f for f in claimlint.lint_text("I love what it did for my rosacea. My bald spot filled in!")}
    assert found["TST-CONDITION-HELPED"].category == "testimonial"
    assert found["TST-CONDITION-HEALED"].category == "testimonial"


# --- footnoted substantiation -------------------------------------------------------------

STUDY = textwrap.dedent(
    """\
    Up to 90% fewer wrinkles* in 4 weeks. Clinically proven¹.

    *In a 4-week consumer study of 32 women, 87% saw smoother skin.
    ¹ Results may vary.
    """
)


def test_a_claim_whose_footnote_describes_a_study_is_reported_lower_with_the_footnote() -> None:
    f = one(STUDY, "QTY-PERCENT")
    assert f.context["substantiation"] == "In a 4-week consumer study of 32 women, 87% saw smoother skin."
    assert f.severity.value == "info"


def test_the_words_of_a_study_footnote_are_its_evidence_not_claims(linter: Linter) -> None:
    """A footnote describing a study holds claim-like words ("90% saw", "proven results"): they
    are the evidence for the marked claim, not claims of their own, in whichever paragraph."""
    text = (
        "Clinically proven to reduce wrinkles by 45%.*\n\n"
        "* In a 4-week clinical study of 30 women, 90% saw 45% fewer wrinkles, proven results.\n"
    )
    note = text.index("* In")
    found = linter.lint_text(text)
    assert {f.rule_id for f in found} >= {"PRF-CLINICAL", "QTY-PERCENT"}
    assert all(f.end <= note for f in found)
    assert all("substantiation" in f.context for f in found if f.rule_id in ("PRF-CLINICAL", "QTY-PERCENT"))


def test_a_footnote_that_is_not_a_study_is_attached_but_changes_nothing() -> None:
    f = one(STUDY, "PRF-CLINICAL")
    assert f.context["footnote"] == "Results may vary."
    assert f.severity.value == "warning"


def test_the_study_description_itself_is_not_a_claim() -> None:
    assert not [f for f in claimlint.lint_text(STUDY) if f.line == 3]


@pytest.mark.parametrize(
    ("name", "page"),
    [
        (
            "page.html",
            "<ul><li>Reduces breakage by 45%*</li></ul>\n"
            '<p class="fine"><small>*Instrumental combing test &amp; panel, 2024.</small></p>\n',
        ),
        ("page.md", "- Reduces breakage by 45%*\n\n<small>*Instrumental combing test &amp; panel, 2024.</small>\n"),
    ],
)
def test_a_footnote_behind_markup_substantiates_the_claim(tmp_path: Path, name: str, page: str) -> None:
    (tmp_path / name).write_text(page, encoding="utf-8")
    [f] = [f for f in claimlint.lint_paths([tmp_path / name]).findings if f.rule_id == "QTY-PERCENT"]
    assert f.context["substantiation"] == "Instrumental combing test & panel, 2024."
    assert f.severity.value == "info"


def test_footnotes_are_found_on_every_line_start_as_the_multiline_definition_finds_them() -> None:
    """Footnote lines are searched from newline to newline; the definition is a ``(?m)^`` search."""
    from claimlint.document import _DEFINITION_LINE, DocumentContext, normalize_marker

    definition = re.compile("(?m)^" + _DEFINITION_LINE)
    rng = random.Random(5)
    pieces = [
        "*",
        "**",
        "¹",
        "²³",
        "†",
        "[1]",
        "(2)",
        "[^a]:",
        "3.",
        "4)",
        "\\*",
        "<p><small>",
        "> ",
        "\t",
        " ",
        "In a study of 30 women.",
        "Results may vary.",
        "Stimulates collagen.",
        "x",
        "\n",
        "\n",
        "\r\n",
        "\r",
    ]
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 30)))
        expected: dict[str, tuple[int, int]] = {}
        for m in definition.finditer(text):
            expected.setdefault(normalize_marker(m.group("marker")), (m.start("marker"), m.end("text")))
        found = {key: (note.start, note.end) for key, note in DocumentContext(text).footnotes.items()}
        assert found == expected, repr(text)
    assert DocumentContext("¹ First line.\nMore.").footnotes["1"].start == 0


def test_footnote_markers_do_not_break_matching() -> None:
    assert one("Stimulates collagen¹ production.", "SF-COLLAGEN").text == "Stimulates collagen¹ production"


# --- product type ---------------------------------------------------------------------------

DISCLAIMER = (
    "*These statements have not been evaluated by the Food and Drug Administration. "
    "This product is not intended to diagnose, treat, cure, or prevent any disease."
)


def test_supplement_structure_function_claim_without_disclaimer_is_a_warning() -> None:
    f = one("Supports healthy collagen production.*", "SF-COLLAGEN", product_type="supplement")
    assert {m: v.severity.value for m, v in f.markets.items()} == {"us": "warning", "eu": "warning", "uk": "warning"}
    assert [c.id for c in f.markets["us"].citations] == ["US-DSHEA-SF", "US-CFR-101.93"]
    assert [c.id for c in f.markets["eu"].citations] == ["EU-1924-2006"]


def test_supplement_structure_function_claim_with_disclaimer_is_info_in_the_us() -> None:
    f = one(f"Supports healthy collagen production.*\n\n{DISCLAIMER}", "SF-COLLAGEN", product_type="supplement")
    assert f.markets["us"].severity.value == "info"
    assert f.markets["eu"].severity.value == "warning"
    assert f.context["disclaimer"] == "FDA supplement disclaimer present"


def test_the_disclaimer_is_found_as_the_case_insensitive_search_finds_it() -> None:
    """The search is skipped for text without "evaluated" or "prevent": never for one it matches,
    in any case, and with the letters Unicode folds onto Latin ones (long s, dotless i)."""
    from claimlint.document import _DISCLAIMER, DocumentContext

    rng = random.Random(9)
    phrases = [
        "not been evaluated by the FDA",
        "NOT BEEN EVALUATED BY THE FOOD AND DRUG ADMINISTRATION",
        "not intended to diagnose, treat, cure, or prevent any disease",
        "Not Intended To Diagnose Treat Cure And PREVENT Any Disease",
        "not intended to dıagnoſe, treat, cure, or prevent any diſeaſe",
        "not  been\nevaluated by the fda",
        "not evaluated",
        "prevents breakage",
        "intended to diagnose",
        "Supports healthy collagen.",
        "K",
        " ",
    ]
    texts = ["".join(rng.choice(phrases) for _ in range(rng.randint(1, 6))) for _ in range(400)]
    skipped = 0
    for text in texts:
        assert DocumentContext(text).has_supplement_disclaimer == bool(_DISCLAIMER.search(text)), repr(text)
        skipped += "evaluated" not in text.lower() and "prevent" not in text.lower()
    assert skipped > 20 and any(_DISCLAIMER.search(t) for t in texts)


def test_the_disclaimer_itself_never_flags() -> None:
    for product_type in ("cosmetic", "supplement"):
        assert claimlint.lint_text(DISCLAIMER, product_type=product_type) == []


def test_a_supplement_disease_claim_is_still_an_error() -> None:
    f = one(f"Cures arthritis.\n\n{DISCLAIMER}", "DIS-SYSTEMIC", product_type="supplement")
    assert f.severity.value == "error"


def test_a_cosmetic_structure_function_claim_is_an_error() -> None:
    assert one("Supports healthy collagen production.", "SF-COLLAGEN").severity.value == "error"


def test_cli_product_type(run, tmp_path: Path) -> None:
    path = tmp_path / "gummies.txt"
    path.write_text(f"Supports healthy collagen production.\n\n{DISCLAIMER}\n", encoding="utf-8")
    report = json.loads(run(["check", "-f", "json", "--product-type", "supplement", str(path)]).out)
    assert report["findings"][0]["markets"]["us"]["severity"] == "info"
    assert run(["check", "--product-type", "drug", str(path)]).code == 2


def test_unknown_product_type_in_the_api() -> None:
    with pytest.raises(ValueError, match="unknown product type 'drug'"):
        Linter(Settings(product_type="drug"))


# --- negation: a user pack may still note a "free from" claim -------------------------------


def test_a_pack_can_note_a_negated_claim_in_chosen_markets(tmp_path: Path) -> None:
    (tmp_path / "free-from.yaml").write_text(
        textwrap.dedent(
            """\
            rules:
              - id: BRAND-FREE-FROM-HUMAN
                category: prohibited_ingredient
                title: Human-origin material, also when said to be absent
                match:
                  - kind: phrase
                    terms: ["human-derived|human_origin ingredient|ingredients"]
                message: Names human-origin material.
                rationale: A "free from" claim about a banned ingredient is not acceptable in the EU.
                suggestion: Leave banned ingredients unmentioned.
                markets:
                  us: {severity: error, cite: [US-PHSA-351]}
                  eu: {severity: error, cite: [EU-1223-ANNEXII-416]}
                  uk: {severity: error, cite: [UK-COSREG-ANNEXII-416]}
                negated:
                  eu: {severity: info, cite: [EU-CLAIMS-TECHDOC]}
                examples:
                  flag: ["With [[human-derived ingredients]]."]
                  pass: ["With rose-derived ingredients."]
            """
        ),
        encoding="utf-8",
    )
    [f] = claimlint.lint_text("Free of human-derived ingredients.", rules=[tmp_path], select=["BRAND"])
    assert list(f.markets) == ["eu"] and f.severity.value == "info" and f.context["negated"] == "free of"
    assert (
        claimlint.lint_text("Free of human-derived ingredients.", rules=[tmp_path], select=["BRAND"], markets=["us"])
        == []
    )
