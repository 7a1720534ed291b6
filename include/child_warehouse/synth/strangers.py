"""Children a commune manages who are not in the register extract: the records linkage must leave alone.

Real registers miss children: born after the extract, born or registered abroad, never registered,
or entered under another ID. The hard ones for linkage are those who look like a register child: a
namesake in the same commune, a sibling or twin with the same mother. Each stranger is built from a
child of the same file (its template) and has no personal ID; its truth is an empty personal_id.

What this still never produces: a stranger whose name and birth date both equal a register child's
(an exact double, which only a parent's name or ID could separate), and strangers who carry an ID
of someone else.
"""

from __future__ import annotations

import numpy as np

from child_warehouse.synth.periods import Period
from child_warehouse.synth.population import YEAR, day_number
from child_warehouse.synth.render import Rows, iso

# Kind of stranger → share among strangers.
KINDS = {
    "stranger_namesake": 0.30,  # same name and commune, another child (born another year)
    "stranger_sibling": 0.30,  # same family name and parent, another given name, born years apart
    "stranger_twin": 0.05,  # same parent and birth date, another given name
    "stranger_newborn": 0.20,  # born in the period's last months, after the extract was taken
    "stranger_abroad": 0.15,  # born abroad: a name of the province, no parent named, any age
}


_COMMON_GIVEN = ("Minh", "Anh", "Linh", "Huy", "Ngọc")


def _given_swapped(names: np.ndarray, donors: np.ndarray) -> np.ndarray:
    """Each name with its given name (last word) taken from the donor name at the same position."""
    out = []
    for name, donor in zip(names.tolist(), donors.tolist(), strict=True):
        parts, given = name.split(), donor.split()[-1]
        if given == parts[-1]:  # the donor shares the given name: take a common one it does not have
            given = next(g for g in _COMMON_GIVEN if g != parts[-1])
        out.append(" ".join([*parts[:-1], given]))
    return np.array(out, dtype=object)


def _years_apart(rng: np.random.Generator, dob: np.ndarray, low: int, high: int, window: tuple[int, int]):
    """Birth dates `low`–`high` years (and up to 40 days) before or after, kept inside `window`."""
    gap = rng.integers(low, high + 1, len(dob)) * np.where(rng.random(len(dob)) < 0.5, -1, 1)
    moved = dob + (gap * YEAR).astype(np.int64) + rng.integers(-40, 41, len(dob))
    flipped = dob - (gap * YEAR).astype(np.int64)
    return np.where((moved >= window[0]) & (moved <= window[1]), moved, flipped).clip(*window)


def make_strangers(rng: np.random.Generator, rows: Rows, rate: float, province: str, period: Period) -> Rows:
    """About ``rate`` × the file's children as stranger rows, each modelled on one of them."""
    children = np.flatnonzero(rows.kind == "child")
    count = int(rng.binomial(len(children), rate)) if len(children) else 0
    if count == 0:
        return rows.take(np.array([], dtype=int))
    template = rows.take(rng.choice(children, count))
    donor = rows.take(rng.choice(children, count))
    kind = rng.choice(list(KINDS), count, p=list(KINDS.values()))
    columns = template.columns
    end = day_number(period.end)
    window = (end - int(15.5 * YEAR), end - 1)
    dob = columns["date_of_birth"].astype("datetime64[D]").astype(np.int64)
    new_dob = dob.copy()
    names = columns["full_name"].copy()
    carers = columns["caregiver_name"].copy()
    sex = columns["sex"].copy()

    namesake = kind == "stranger_namesake"
    new_dob[namesake] = _years_apart(rng, dob[namesake], 1, 6, window)
    carers[namesake] = donor.columns["caregiver_name"][namesake]

    family = (kind == "stranger_sibling") | (kind == "stranger_twin")
    names[family] = _given_swapped(names[family], donor.columns["full_name"][family])
    sex[family] = donor.columns["sex"][family]
    sibling = kind == "stranger_sibling"
    new_dob[sibling] = _years_apart(rng, dob[sibling], 1, 6, window)

    newborn = kind == "stranger_newborn"
    new_dob[newborn] = end - rng.integers(0, 90, int(newborn.sum()))
    unrelated = newborn | (kind == "stranger_abroad")
    names[unrelated] = _given_swapped(donor.columns["full_name"][unrelated], names[unrelated])
    abroad = kind == "stranger_abroad"
    new_dob[abroad] = rng.integers(window[0], window[1], int(abroad.sum()))
    carers[abroad] = ""

    carer_ids = np.where(family, columns["caregiver_personal_id"], donor.columns["caregiver_personal_id"])
    updated = columns["updated_on"].astype("datetime64[D]").astype(np.int64)
    columns |= {
        "updated_on": iso(np.maximum(updated, new_dob)),
        "record_id": np.array([f"{province}-S{i:06d}" for i in range(1, count + 1)], dtype=object),
        "full_name": names,
        "date_of_birth": iso(new_dob),
        "sex": sex,
        "caregiver_name": carers,
        "personal_id": np.full(count, "", dtype=object),
        "caregiver_personal_id": np.where(abroad, "", carer_ids),
    }
    return Rows(columns, np.full(count, "", dtype=object), kind.astype(object))
