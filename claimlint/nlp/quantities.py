"""Numbers in copy, written as digits or words, and the quantity expressions built on them.

Recognised per sentence, once, so that rule terms can use them as slots:

``#num``   a number: "10,000", "2.5", "ten thousand", "100 billion"
``#mult``  a multiplier: "10,000 times", "10,000x", "3-fold", "threefold", "twice", "double"
``#pct``   a percentage: "90%", "90 percent", "ninety per cent"
``#dur``   a duration: "48 hours", "7 days", "two weeks", "a month"
``#big``   a number of at least a thousand: "100 billion", "10,000" (counts that need proof)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

SPECIAL_SLOTS: Final = ("#num", "#mult", "#pct", "#dur", "#big")
BIG: Final = 1_000

_UNITS: Final = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "dozen": 12,
}
_SCALES: Final = {
    "hundred": 100,
    "thousand": 1_000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000,
    "k": 1_000,
    "m": 1_000_000,
    "bn": 1_000_000_000,
}
_MULT_WORDS: Final = {"twice": 2, "double": 2, "triple": 3, "treble": 3, "quadruple": 4, "tenfold": 10}
_TIME_UNITS: Final = {
    "second": "second",
    "sec": "second",
    "minute": "minute",
    "min": "minute",
    "hour": "hour",
    "hr": "hour",
    "h": "hour",
    "day": "day",
    "night": "night",
    "week": "week",
    "wk": "week",
    "month": "month",
    "year": "year",
    "yr": "year",
}
# Every quantity expression holds a digit or one of these words (the test that lets a sentence
# without any skip quantity parsing; see ``claimlint.nlp.relevance``).
QUANTITY_WORDS: Final = frozenset(
    {*_UNITS, *_MULT_WORDS, *_TIME_UNITS, *(u + "s" for u in _TIME_UNITS), "hundred", "thousand", "million", "billion"}
)
_DIGITS: Final = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")
_DIGITS_X: Final = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)[x×]$")
_WORD_FOLD: Final = re.compile(r"^([a-z]+)fold$")


class QuantityMatch:
    """A quantity expression over words ``[start, end)`` of a sentence.

    A plain class, not a dataclass: compiled, its ``__init__`` is native code, where a frozen
    dataclass's sets each field through ``object.__setattr__`` (ten times the cost, and there
    are several per sentence with a number)."""

    start: int
    end: int
    slot: str  # one of SPECIAL_SLOTS
    value: float
    unit: str

    def __init__(self, start: int, end: int, slot: str, value: float, unit: str) -> None:
        self.start = start
        self.end = end
        self.slot = slot
        self.value = value
        self.unit = unit

    def _key(self) -> tuple[int, int, str, float, str]:
        return (self.start, self.end, self.slot, self.value, self.unit)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, QuantityMatch) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return "QuantityMatch(start={!r}, end={!r}, slot={!r}, value={!r}, unit={!r})".format(*self._key())


def may_start_quantity(word: str) -> bool:
    """Whether a quantity expression can start at this (lower-case) word; most words cannot."""
    return word in _STARTERS or word[:1].isdigit() or word.endswith("fold")


def find_quantities(lowers: Sequence[str], starts: Sequence[int] | None = None) -> dict[int, list[QuantityMatch]]:
    """All quantity expressions in a sentence's words, keyed by the word they start at.

    ``starts``: the positions of the words that :func:`may_start_quantity`, in order, when the
    caller already knows them (a sentence view learns them once per distinct word)."""
    found: dict[int, list[QuantityMatch]] = {}
    if starts is None:
        starts = [i for i, w in enumerate(lowers) if may_start_quantity(w)]
    free = 0  # the first word not inside an expression found already
    for i in starts:
        if i < free:
            continue
        free = _quantities_at(lowers, i, found)
    return found


def _quantities_at(lowers: Sequence[str], i: int, found: dict[int, list[QuantityMatch]]) -> int:
    """Add the expressions starting at word ``i`` (which may start one); return the word after."""
    n = len(lowers)
    w = lowers[i]
    # Each expression is tried only on words it can match (a regular expression costs more than
    # these tests, and most starts are "a", "an" and "one").
    m = _DIGITS_X.match(w) if w[:1].isdigit() else None
    if m:
        _add(found, QuantityMatch(i, i + 1, "#mult", _to_float(m.group(1)), "times"))
        return i + 1
    if w in _MULT_WORDS:
        _add(found, QuantityMatch(i, i + 1, "#mult", float(_MULT_WORDS[w]), "times"))
        return i + 1
    fold = _WORD_FOLD.match(w) if w.endswith("fold") else None
    if fold and fold.group(1) in _UNITS:
        _add(found, QuantityMatch(i, i + 1, "#mult", float(_UNITS[fold.group(1)]), "times"))
        return i + 1
    number = _number_at(lowers, i)
    if number is None:
        # "a month", "an hour": a duration without digits
        if w in ("a", "an", "one") and i + 1 < n and _time_unit(lowers[i + 1]):
            _add(found, QuantityMatch(i, i + 2, "#dur", 1.0, _time_unit(lowers[i + 1]) or ""))
        return i + 1
    end, value = number
    _add(found, QuantityMatch(i, end, "#num", value, ""))
    if value >= BIG:
        _add(found, QuantityMatch(i, end, "#big", value, "count"))
    nxt = lowers[end] if end < n else ""
    if nxt in ("times", "x", "×", "fold"):
        _add(found, QuantityMatch(i, end + 1, "#mult", value, "times"))
    elif nxt in ("%", "percent", "pct"):
        _add(found, QuantityMatch(i, end + 1, "#pct", value, "percent"))
    elif nxt == "per" and end + 1 < n and lowers[end + 1] == "cent":
        _add(found, QuantityMatch(i, end + 2, "#pct", value, "percent"))
    elif _time_unit(nxt):
        _add(found, QuantityMatch(i, end + 1, "#dur", value, _time_unit(nxt) or ""))
    return end


# Words other than digits and "…fold" that can start a quantity expression.
_STARTERS: Final = frozenset({*_MULT_WORDS, *_UNITS, "a", "an", "one"})


def _add(found: dict[int, list[QuantityMatch]], match: QuantityMatch) -> None:
    found.setdefault(match.start, []).append(match)


def _time_unit(word: str) -> str | None:
    if word in _TIME_UNITS:
        return _TIME_UNITS[word]
    if word.endswith("s") and word[:-1] in _TIME_UNITS:
        return _TIME_UNITS[word[:-1]]
    return None


def _to_float(text: str) -> float:
    return float(text.replace(",", ""))


def _number_at(lowers: Sequence[str], i: int) -> tuple[int, float] | None:
    """The number starting at word i as (end, value), digits or words, with a trailing scale."""
    n = len(lowers)
    w = lowers[i]
    if w[:1].isdigit() and _DIGITS.match(w):
        value, j = _to_float(w), i + 1
    elif w in _UNITS or (
        w == "a" and i + 1 < n and lowers[i + 1] in ("hundred", "thousand", "million", "billion", "dozen")
    ):
        value, j = 0.0, i
        current = 0.0
        seen = False
        while j < n:
            word = lowers[j]
            if word in _UNITS:
                current += _UNITS[word]
            elif word == "a" and not seen:
                current += 1
            elif word in _SCALES and seen and word not in ("k", "m", "bn"):
                scale = _SCALES[word]
                if scale == 100:
                    current *= 100
                else:
                    value += current * scale
                    current = 0.0
            elif word == "and" and seen and j + 1 < n and lowers[j + 1] in _UNITS:
                pass
            else:
                break
            seen = True
            j += 1
        value += current
        if j == i:
            return None
        return j, value
    else:
        return None
    # digits followed by a scale word: "100 billion", "1.5 million"
    while j < n and lowers[j] in _SCALES:
        value *= _SCALES[lowers[j]]
        j += 1
    return j, value
