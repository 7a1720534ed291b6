"""Vectorised names and personal IDs for national runs: same tables as names.py, drawn with numpy."""

from __future__ import annotations

import numpy as np

from child_warehouse.synth.names import GIVEN, GIVEN_TWO, MIDDLE, SURNAME_WEIGHTS, TRADITIONAL_MIDDLE

SEXES = ("male", "female")  # index 0 and 1 in every sex array
_SURNAMES = np.array(list(SURNAME_WEIGHTS), dtype=object)
_SURNAME_P = np.array(list(SURNAME_WEIGHTS.values())) / sum(SURNAME_WEIGHTS.values())
# Occasional compound surnames (domain.md 7.1): old lineages and double surnames from both parents.
COMPOUND_SURNAMES = np.array(
    ["Hoàng Phủ", "Tôn Thất", "Nguyễn Phúc", "Âu Dương", "Trần Lê", "Lê Phạm"], dtype=object
)
COMPOUND_SHARE = 0.003
# An ID's six-digit tail is unique within its prefix (birth province, century and sex, birth year).
# A person living in the province of birth draws from that province's own block for the role (the
# province's children, parents and other residents are drawn in separate calls, and only that
# province's job issues such IDs): 250,000 tails per prefix and role, more births in one year than
# any Vietnamese province has. A person living elsewhere (and the national movers) draws from the
# last quarter, in the residue class of the job's slot (province slot + role * ROLE_STRIDE), so
# jobs running in parallel never issue the same ID.
ID_SLOTS = 128
ROLE_STRIDE = 40
MOVER_SLOT = ID_SLOTS - 1
_OWN_BLOCK = 250_000
_ELSEWHERE_BASE = 3 * _OWN_BLOCK
_ELSEWHERE_SPACE = (1_000_000 - _ELSEWHERE_BASE) // ID_SLOTS


def draw_surnames(rng: np.random.Generator, count: int) -> np.ndarray:
    names = rng.choice(_SURNAMES, size=count, p=_SURNAME_P)
    compound = rng.random(count) < COMPOUND_SHARE
    names[compound] = rng.choice(COMPOUND_SURNAMES, size=int(compound.sum()))
    return names


def _middles(rng: np.random.Generator, sex: int, count: int, modern: np.ndarray) -> np.ndarray:
    """None (5 %), Văn/Thị, Văn/Thị + another, or another; Văn/Thị fade for children born after 2000."""
    roll = rng.random(count)
    traditional = np.where(modern, 0.2, 0.45)
    other = rng.choice(np.array(MIDDLE[SEXES[sex]], dtype=object), size=count)
    plain = TRADITIONAL_MIDDLE[SEXES[sex]]
    out = other.copy()
    out[roll < 0.05] = ""
    out[(roll >= 0.05) & (roll < 0.05 + traditional)] = plain
    both = (roll >= 0.05 + traditional) & (roll < 0.12 + traditional)
    out[both] = plain + " " + other[both]
    return out


def _givens(rng: np.random.Generator, sex: int, count: int) -> np.ndarray:
    one = rng.choice(np.array(GIVEN[SEXES[sex]], dtype=object), size=count)
    two = rng.choice(np.array(GIVEN_TWO[SEXES[sex]], dtype=object), size=count)
    return np.where(rng.random(count) < 0.08, two, one)


def draw_full_names(
    rng: np.random.Generator, surnames: np.ndarray, sex: np.ndarray, years: np.ndarray
) -> np.ndarray:
    """Surname, optional middle name(s), one- or two-syllable given name (NFC, as the tables are)."""
    middle = np.empty(len(sex), dtype=object)
    given = np.empty(len(sex), dtype=object)
    for code in (0, 1):
        where = np.flatnonzero(sex == code)
        middle[where] = _middles(rng, code, len(where), years[where] >= 2000)
        given[where] = _givens(rng, code, len(where))
    return np.array(
        [f"{s} {m} {g}" if m else f"{s} {g}" for s, m, g in zip(surnames, middle, given, strict=True)],
        dtype=object,
    )


def issue_ids(
    rng: np.random.Generator,
    birth_province: np.ndarray,
    home: np.ndarray,
    *,
    sex: np.ndarray,
    years: np.ndarray,
    slot: int,
) -> np.ndarray:
    """``0PP G YY RRRRRR`` from int province codes, unique nationally (see ID_SLOTS above)."""
    century = (years - 1900) // 100
    prefix = birth_province.astype(np.int64) * 1000 + (2 * century + sex) * 100 + years % 100
    at_home = (birth_province == home) & (slot != MOVER_SLOT)
    role = slot // ROLE_STRIDE

    def tails(count: int, own: np.ndarray) -> np.ndarray:
        if not count:  # rng.integers with a size of 0 still draws nothing; keep the stream as it was
            return np.zeros(0, dtype=np.int64)
        own_tail = role * _OWN_BLOCK + rng.integers(0, _OWN_BLOCK, count)
        elsewhere = _ELSEWHERE_BASE + rng.integers(0, _ELSEWHERE_SPACE, count) * ID_SLOTS + slot
        return np.where(own, own_tail, elsewhere)

    keys = prefix * 1_000_000 + tails(len(prefix), at_home)
    for _ in range(50):
        _, first = np.unique(keys, return_index=True)
        seen_twice = np.ones(len(keys), dtype=bool)
        seen_twice[first] = False
        repeated = np.flatnonzero(seen_twice)
        if not len(repeated):
            return np.array([f"{key:012d}" for key in keys.tolist()], dtype=object)
        keys[repeated] = prefix[repeated] * 1_000_000 + tails(len(repeated), at_home[repeated])
    raise RuntimeError("personal ID space exhausted for this province; use fewer persons")
