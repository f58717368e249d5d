"""How copy really words a claim: inflections, words in between, noun forms, case, hyphens,
British and American spelling, negation, hedges and questions."""

from __future__ import annotations

import pytest

import claimlint
from claimlint.nlp.pipeline import lemmatizer
from claimlint.nlp.quantities import find_quantities


def rules(text: str, **kw) -> list[tuple[str, str]]:
    return [(f.rule_id, f.text) for f in claimlint.lint_text(text, **kw)]


@pytest.mark.parametrize(
    "text",
    [
        "It stimulates collagen.",
        "Stimulating collagen since 2019.",
        "Collagen is stimulated.",
        "STIMULATES COLLAGEN PRODUCTION",
        "It stimulates your skin's own production of collagen.",
        "Collagen stimulation in every drop.",
        "A collagen booster.",
        "A collagen-boosting peptide.",
        "Collagen-Boosting Peptides",
        "It boosts the skin’s natural collagen levels.",
    ],
)
def test_collagen_claim_in_its_many_wordings(text: str) -> None:
    assert [r for r, _ in rules(text)] == ["SF-COLLAGEN"], rules(text)


@pytest.mark.parametrize(
    ("british", "american"),
    [
        ("minimises", "minimizes"),
        ("colour", "color"),
        ("revitalising", "revitalizing"),
        ("oedema", "edema"),
        ("paralyses", "paralyzes"),
    ],
)
def test_british_and_american_spellings_share_a_lemma(british: str, american: str) -> None:
    lemma = lemmatizer().lemma
    assert lemma(british) == lemma(american)


def test_british_spelling_in_a_claim() -> None:
    assert ("SF-MUSCLE-RELAX", "Paralyses facial muscles") in rules("Paralyses facial muscles for smoother skin.")
    assert ("SF-MUSCLE-RELAX", "Paralyzes facial muscles") in rules("Paralyzes facial muscles for smoother skin.")


def test_hyphenated_and_spaced_forms_match_alike() -> None:
    assert [r for r, _ in rules("With human stem-cell exosomes.")] == ["ING-HUMAN-EXOSOME"]
    assert [r for r, _ in rules("With human stem cell exosomes.")] == ["ING-HUMAN-EXOSOME"]


def test_window_limits_the_distance_between_verb_and_object() -> None:
    assert rules("It stimulates, in a gentle and soothing and calming and lovely way, some collagen.") == []


def test_a_clause_boundary_stops_a_match() -> None:
    assert rules("Stimulates the senses; collagen is listed on the label.") == []


def test_ingredient_instrument_is_not_the_object() -> None:
    assert rules("Boosts hydration with marine collagen.") == []


@pytest.mark.parametrize(
    "text",
    [
        "Contains no human-derived exosomes.",
        "Not intended to diagnose, treat, cure or prevent any disease.",
        "This statement has not been evaluated by the Food and Drug Administration. This product is not intended to diagnose, treat, cure, or prevent any disease.",
        "Our exosomes are not derived from human cells.",
        "Free of human-derived ingredients.",
        "It does not stimulate collagen; it hydrates.",
        "Contains no parabens, sulfates or human exosomes.",
        "Our serum, which contains no parabens, sulfates or human exosomes, is gentle.",
        "Exosome therapy is not approved by the FDA for any use.",
        "Exosome therapy isn't licensed in the UK.",
        "We do not use exosomes, stem cells or any ingredient of human origin.",
    ],
)
def test_negation_cancels_a_claim(text: str) -> None:
    assert rules(text) == []


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("No more acne.", "DIS-FAREWELL"),
        ("Say goodbye to breakouts.", "DIS-FAREWELL"),
        ("Never worry about thinning hair again.", "DIS-FAREWELL"),
        ("Results without surgery.", "MED-SURGERY"),
        ("Not only hydrates, it treats acne.", "DIS-SKIN"),
        ("No parabens, and it stimulates collagen.", "SF-COLLAGEN"),
        ("This serum, which is not tested on animals, regrows hair.", "DIS-HAIR-LOSS"),
        ("No downtime, no needles, regrows hair.", "DIS-HAIR-LOSS"),
        ("No fragrance, and a cure for acne.", "DIS-SKIN"),
        ("Our exosome therapy is approved by the FDA.", "MED-IV-THERAPY"),
    ],
)
def test_negation_that_is_the_claim_still_flags(text: str, rule: str) -> None:
    assert rule in [r for r, _ in rules(text)]


@pytest.mark.parametrize(
    "text",
    [
        "Reduces the appearance of redness.",
        "Visibly reduces the look of wrinkles.",
        "Improves the appearance of fine lines.",
        "Visibly boosts firmness and the look of collagen-rich skin.",
    ],
)
def test_appearance_hedge_rescues_an_appearance_claim(text: str) -> None:
    assert rules(text) == []


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Helps treat acne.", "DIS-SKIN"),
        ("Soothes eczema.", "DIS-SKIN"),
        ("May help reduce inflammation.", "DIS-INFLAMMATION"),
    ],
)
def test_hedges_do_not_rescue_a_disease(text: str, rule: str) -> None:
    assert rule in [r for r, _ in rules(text)]


def test_a_question_lowers_severity_and_says_why() -> None:
    [finding] = [f for f in claimlint.lint_text("Can exosomes regrow hair?") if f.rule_id == "DIS-HAIR-LOSS"]
    assert finding.severity.value == "warning"
    assert "question" in finding.context


def test_a_claim_is_reported_once_per_category() -> None:
    found = claimlint.lint_text("Treats acne, eczema and psoriasis.")
    assert [(f.rule_id, f.text) for f in found] == [("DIS-SKIN", "Treats acne, eczema and psoriasis")]


@pytest.mark.parametrize(
    ("text", "slot", "value"),
    [
        ("10,000 times more", "#mult", 10_000),
        ("10,000x more", "#mult", 10_000),
        ("ten thousand times", "#mult", 10_000),
        ("3 - fold", "#mult", 3),
        ("threefold", "#mult", 3),
        ("twice as", "#mult", 2),
        ("up to 90 % fewer", "#pct", 90),
        ("ninety per cent", "#pct", 90),
        ("in 48 hours", "#dur", 48),
        ("two weeks", "#dur", 2),
        ("100 billion exosomes", "#big", 100e9),
        ("2.5 million", "#num", 2.5e6),
    ],
)
def test_quantities_are_parsed(text: str, slot: str, value: float) -> None:
    words = [w for w in text.lower().split() if w != "-"]
    found = [q for qs in find_quantities(words).values() for q in qs if q.slot == slot]
    assert found and found[0].value == value, found


def test_quantities_found_from_their_possible_starts_are_those_of_a_word_by_word_scan() -> None:
    """A sentence view hands ``find_quantities`` the words where an expression may start; the
    expressions are those of a scan that tries every word, skipping those inside one found."""
    import random

    from claimlint.nlp.quantities import _quantities_at, may_start_quantity

    def scan(lowers: list[str]) -> dict:
        found: dict = {}
        i = 0
        while i < len(lowers):
            i = _quantities_at(lowers, i, found) if may_start_quantity(lowers[i]) else i + 1
        return found

    rng = random.Random(5)
    vocab = ["a", "an", "one", "two", "hundred", "thousand", "and", "10,000", "3.5", "x", "times", "%",
             "per", "cent", "month", "weeks", "twice", "threefold", "10x", "serum", "skin", "90", "fold"]  # fmt: skip
    checked = 0
    for _ in range(3_000):
        lowers = [rng.choice(vocab) for _ in range(rng.randint(1, 14))]
        starts = [i for i, w in enumerate(lowers) if may_start_quantity(w)]
        expected = scan(lowers)
        assert find_quantities(lowers, starts) == expected == find_quantities(lowers), lowers
        checked += bool(expected)
    assert checked > 2_000


def test_finding_carries_the_parsed_quantity() -> None:
    [f] = claimlint.lint_text("Delivers 10,000x more exosomes.", select=["QTY-MULTIPLIER"])
    assert f.quantity is not None and (f.quantity.value, f.quantity.unit, f.quantity.text) == (
        10_000,
        "times",
        "10,000x",
    )
