"""What a pass over a doc knows of each distinct token, looked up for the whole doc at once.

A token's id (its ``ORTH``) is a 64-bit hash. Read out of a doc, every id is a new Python int, so
a dictionary keyed by ids pays for each token a hash of a three-digit int and, as the key it
finds is another object, a full comparison: about 330 instructions a token. Here what has been
learnt is kept in a dictionary as before, and in front of it a direct-mapped cache in numpy
arrays, where an id's slot is its low bits (the ids are hashes already): a doc's ids are looked up
with a few whole-array operations, and only those not in their slot go to the dictionary. What
comes back for each token is its value and its *canonical* id: the same int object for every
occurrence of a token, in every doc. Dictionaries and sets keyed by those (the word table, the
relevance memo) then find their keys by identity.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

import numpy as np

SLOT_BITS: Final = 16  # 65,536 slots, 1.5 MB: product copy uses a few thousand distinct tokens
_MASK: Final = (1 << SLOT_BITS) - 1

# A token id as the table hands it out. Typed ``Any`` where it is passed along, so that compiled
# code passes the object itself: mypyc keeps an ``int`` below 2**62 unboxed and boxes a new object
# when it stores it, which is what the canonical ids are there to spare.
CanonicalId = Any


class TokenTable:
    """Values by token id (``learn``: of an id never seen), for whole docs; at most ``limit``
    entries (then it starts afresh, as a bounded memo does)."""

    def __init__(self, learn: Callable[[int], int], limit: int) -> None:
        self._learn = learn
        self._limit = limit
        self._known: dict[int, tuple[CanonicalId, int]] = {}  # id → (canonical id, value)
        self._ids = _empty_slots()
        self._canonical = np.zeros(1 << SLOT_BITS, dtype=object)
        self._values = np.zeros(1 << SLOT_BITS, dtype=np.int64)

    def clear(self) -> None:
        self._known.clear()
        self._ids = _empty_slots()

    def __len__(self) -> int:
        return len(self._known)

    def lookup(self, orths: np.ndarray) -> tuple[list[CanonicalId], list[int]]:
        """The canonical id and the value of each of ``orths`` (a doc's ``ORTH`` column, uint64),
        in order."""
        ids = orths.view(np.int64)
        slots = ids & _MASK
        found = self._ids[slots] == ids
        canonical: list[CanonicalId] = self._canonical[slots].tolist()
        values: list[int] = self._values[slots].tolist()
        if found.all():
            return canonical, values
        missing: list[int] = np.flatnonzero(~found).tolist()
        known = self._known
        filled: dict[int, tuple[CanonicalId, int]] = {}  # slot → entry, the last one given to it
        orth: CanonicalId
        for i, orth in zip(missing, orths[missing].tolist(), strict=True):
            entry = known.get(orth)
            if entry is None:
                if len(known) >= self._limit:
                    self.clear()  # what this doc was given so far stays right
                entry = known[orth] = (orth, self._learn(orth))
            canonical[i], values[i] = entry
            filled[orth & _MASK] = entry
        slots_filled = list(filled)
        entries = list(filled.values())
        self._ids[slots_filled] = np.array([e[0] for e in entries], dtype=np.uint64).view(np.int64)
        self._canonical[slots_filled] = [e[0] for e in entries]
        self._values[slots_filled] = [e[1] for e in entries]
        return canonical, values


def _empty_slots() -> np.ndarray:
    """Slot ids as no slot holds any: a slot holds one id of those whose low bits are its number,
    and slot k starts with k + 1, which no id in it has."""
    return np.arange(1, (1 << SLOT_BITS) + 1, dtype=np.int64)
