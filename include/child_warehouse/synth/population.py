"""One new province's register population, vectorised: families of children, parents and residents."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

import numpy as np

from child_warehouse.synth.bulk_names import ROLE_STRIDE, draw_full_names, draw_surnames, issue_ids
from child_warehouse.synth.geography import Geography

EPOCH = date(1970, 1, 1)
NO_DEATH = -(2**40)
YEAR = 365.25
COVERAGE = 0.95  # share of the register's children the communes manage (the rest are near-misses)
FAMILY_SIZES, FAMILY_P = np.array([1, 2, 3]), np.array([0.35, 0.45, 0.20])
LOCAL_BIRTH = 0.9  # births registered in the province of residence; the rest moved in
PARENTS_UNKNOWN = 0.005


def day_number(day: date) -> int:
    return (day - EPOCH).days


@dataclass
class People:
    """Register persons as columns; ``mother``/``father`` index into the same table (-1: unknown)."""

    pid: np.ndarray
    name: np.ndarray
    dob: np.ndarray  # days since 1970-01-01
    sex: np.ndarray  # 0 male, 1 female
    eth: np.ndarray  # index into Geography.ethnic_codes
    birth_prov: np.ndarray  # pre-reform province code as int
    commune: np.ndarray  # pre-reform commune code of residence
    mother: np.ndarray
    father: np.ndarray
    death: np.ndarray  # days, NO_DEATH when alive

    def take(self, index: np.ndarray) -> People:
        return People(**{f.name: getattr(self, f.name)[index] for f in fields(self)})

    def __len__(self) -> int:
        return len(self.pid)


def concat(parts: list[People], offsets: list[int]) -> People:
    """Stack tables, shifting each part's parent indices by where the part starts."""
    columns = {}
    for f in fields(People):
        arrays = [getattr(part, f.name) for part in parts]
        if f.name in ("mother", "father"):
            arrays = [np.where(a >= 0, a + off, -1) for a, off in zip(arrays, offsets, strict=True)]
        columns[f.name] = np.concatenate(arrays)
    return People(**columns)


def years_of(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


def place(
    rng: np.random.Generator, geo: Geography, olds: list[str], count: int
) -> tuple[np.ndarray, np.ndarray]:
    """Old province (int) and old commune of ``count`` households, weighted by 2019 population."""
    weights = np.array([geo.population[old] for old in olds])
    which = rng.choice(len(olds), size=count, p=weights / weights.sum())
    communes = np.empty(count, dtype=object)
    for index, old in enumerate(olds):
        where = np.flatnonzero(which == index)
        communes[where] = rng.choice(geo.communes[old], size=len(where))
    return np.array([int(old) for old in olds])[which], communes


def ethnicities(rng: np.random.Generator, geo: Geography, provinces: np.ndarray) -> np.ndarray:
    out = np.zeros(len(provinces), dtype=np.int16)
    for code in np.unique(provinces):
        where = np.flatnonzero(provinces == code)
        out[where] = rng.choice(len(geo.ethnic_codes), size=len(where), p=geo.ethnic_mix[f"{code:02d}"])
    return out


def birth_provinces(rng: np.random.Generator, geo: Geography, home: np.ndarray, local: float) -> np.ndarray:
    weights = np.array([geo.population[old] for old in geo.old_provinces])
    elsewhere = rng.choice([int(old) for old in geo.old_provinces], size=len(home), p=weights / weights.sum())
    return np.where(rng.random(len(home)) < local, home, elsewhere)


def make_persons(
    rng: np.random.Generator,
    geo: Geography,
    *,
    dob: np.ndarray,
    sex: np.ndarray,
    surnames: np.ndarray,
    home: np.ndarray,
    commune: np.ndarray,
    eth: np.ndarray,
    slot: int,
    local: float = LOCAL_BIRTH,
) -> People:
    years = years_of(dob)
    born_in = birth_provinces(rng, geo, home, local)
    count = len(dob)
    return People(
        pid=issue_ids(rng, born_in, home, sex=sex, years=years, slot=slot),
        name=draw_full_names(rng, surnames, sex, years),
        dob=dob,
        sex=sex,
        eth=eth,
        birth_prov=born_in,
        commune=commune,
        mother=np.full(count, -1),
        father=np.full(count, -1),
        death=np.full(count, NO_DEATH),
    )


@dataclass
class Families:
    size: int
    home: np.ndarray
    commune: np.ndarray
    eth: np.ndarray
    of_child: np.ndarray  # family index of each child


def make_families(rng: np.random.Generator, geo: Geography, olds: list[str], children: int) -> Families:
    sizes = rng.choice(FAMILY_SIZES, size=children + 1, p=FAMILY_P)
    of_child = np.repeat(np.arange(len(sizes)), sizes)[:children]
    count = int(of_child[-1]) + 1 if children else 0
    home, commune = place(rng, geo, olds, count)
    return Families(count, home, commune, ethnicities(rng, geo, home), of_child)


def _parents(
    rng: np.random.Generator, geo: Geography, fam: Families, eldest: np.ndarray, slot: int
) -> tuple[People, np.ndarray]:
    """Mothers then fathers, one each per family; also the fathers' surnames the children take."""
    mother_dob = eldest - (rng.uniform(19, 38, fam.size) * YEAR).astype(np.int64)
    father_dob = mother_dob - (rng.uniform(-2, 8, fam.size) * YEAR).astype(np.int64)
    fathers_surname = draw_surnames(rng, fam.size)
    # Most couples share the household's ethnicity; some mothers come from another group.
    mother_eth = np.where(rng.random(fam.size) < 0.92, fam.eth, ethnicities(rng, geo, fam.home))
    parents = [
        make_persons(rng, geo, dob=born, sex=np.full(fam.size, sex), surnames=surnames, home=fam.home,
                     commune=fam.commune, eth=eth, slot=slot, local=0.8)
        for born, sex, surnames, eth in ((mother_dob, 1, draw_surnames(rng, fam.size), mother_eth),
                                         (father_dob, 0, fathers_surname, fam.eth))
    ]  # fmt: skip
    return concat(parents, [0, 0]), fathers_surname


def make_children(
    rng: np.random.Generator, geo: Geography, fam: Families, window: tuple[int, int], slot: int
) -> tuple[People, People]:
    """Children of a window of birth dates, and their mothers and fathers (parents known for most)."""
    n = len(fam.of_child)
    dob = rng.integers(window[0], window[1] + 1, n)
    starts = np.flatnonzero(np.r_[True, fam.of_child[1:] != fam.of_child[:-1]]) if n else np.array([], int)
    eldest = np.minimum.reduceat(dob, starts) if n else dob
    parents, fathers_surname = _parents(rng, geo, fam, eldest, slot + ROLE_STRIDE)
    at = fam.of_child
    kids = make_persons(rng, geo, dob=dob, sex=rng.integers(0, 2, n), surnames=fathers_surname[at],
                        home=fam.home[at], commune=fam.commune[at], eth=fam.eth[at], slot=slot)  # fmt: skip
    known = rng.random(fam.size) >= PARENTS_UNKNOWN
    # Indices into the province table, which stacks children, then mothers, then fathers.
    kids.mother = np.where(known[at], n + at, -1)
    kids.father = np.where(known[at], n + fam.size + at, -1)
    return kids, parents


def make_residents(
    rng: np.random.Generator, geo: Geography, olds: list[str], count: int, *, ref_end: int, slot: int
) -> People:
    """Adults and adolescents not in any family above; the old may have died since 2015."""
    age = np.where(rng.random(count) < 0.78, rng.uniform(16, 60, count), rng.triangular(60, 60, 100, count))
    dob = ref_end - (age * YEAR).astype(np.int64)
    home, commune = place(rng, geo, olds, count)
    people = make_persons(
        rng,
        geo,
        dob=dob,
        sex=rng.integers(0, 2, count),
        surnames=draw_surnames(rng, count),
        home=home,
        commune=commune,
        eth=ethnicities(rng, geo, home),
        slot=slot + 2 * ROLE_STRIDE,
        local=0.8,
    )
    dies = rng.random(count) < np.where(age > 70, 0.25, np.where(age > 60, 0.05, 0.002))
    since = day_number(date(2015, 1, 1))
    people.death = np.where(dies, rng.integers(since, ref_end, count), NO_DEATH)
    return people
