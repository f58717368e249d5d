"""The acceptance copy of the foundation issue, checked through the JSON report."""

from __future__ import annotations

import json

FLAGGED = (
    "Our ReGen exosome serum stimulates collagen production and speeds up cell renewal for visibly "
    "younger skin. Made with exosomes from donated young human tissue, it delivers 10,000 times more "
    "exosomes per drop than other brands. Pair it with a microneedling session for deeper results. "
    "Clients tell us it cleared their acne and stopped their hair loss, and it may even help with long "
    "Covid fatigue. Clinically proven, 100% pure and free of side effects."
)
EXPECTED = [
    ("stimulates collagen production", {"structure_function"}),
    ("speeds up cell renewal", {"structure_function"}),
    ("exosomes from donated young human tissue", {"prohibited_ingredient"}),
    ("10,000 times more exosomes per drop than other brands", {"quantified"}),
    ("microneedling session", {"medical_procedure"}),
    ("cleared their acne", {"disease", "testimonial"}),
    ("stopped their hair loss", {"disease", "testimonial"}),
    ("help with long Covid", {"disease"}),
    ("Clinically proven", {"proof"}),
    ("100% pure", {"absolute"}),
    ("free of side effects", {"absolute"}),
]
COMPLIANT = (
    "Improves the appearance of fine lines and wrinkles. Hydrates and softens dry-looking skin. "
    "Leaves hair looking fuller and shinier. A light citrus scent you will love. Made with "
    "rose-derived exosomes and hyaluronic acid."
)


def _spans() -> list[tuple[int, int, set[str]]]:
    out = []
    for phrase, categories in EXPECTED:
        start = FLAGGED.index(phrase)
        out.append((start, start + len(phrase), categories))
    return out


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def test_each_listed_claim_is_found_with_its_category(run) -> None:
    result = run(["check", "-", "--format", "json"], stdin=FLAGGED.encode())
    assert result.code == 1
    findings = json.loads(result.out)["findings"]
    for start, end, categories in _spans():
        hits = [f for f in findings if _overlaps((f["start"], f["end"]), (start, end)) and f["category"] in categories]
        assert hits, f"no {categories} finding at {FLAGGED[start:end]!r}"


def test_nothing_else_is_flagged(run) -> None:
    result = run(["check", "-", "--format", "json"], stdin=FLAGGED.encode())
    findings = json.loads(result.out)["findings"]
    for f in findings:
        assert any(_overlaps((f["start"], f["end"]), (s, e)) and f["category"] in cats for s, e, cats in _spans()), (
            f"unexpected finding {f['rule_id']} [{f['category']}] at {f['text']!r}"
        )
        assert FLAGGED[f["start"] : f["end"]] == f["text"]


def test_compliant_copy_yields_nothing(run) -> None:
    result = run(["check", "-", "--format", "json"], stdin=COMPLIANT.encode())
    assert result.code == 0
    assert json.loads(result.out)["findings"] == []
