"""Everything one new province holds: its register persons, managed children and movers' stale records."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from child_warehouse.synth.bulk_names import MOVER_SLOT, draw_surnames
from child_warehouse.synth.geography import Geography
from child_warehouse.synth.population import (
    COVERAGE,
    YEAR,
    People,
    concat,
    ethnicities,
    make_children,
    make_families,
    make_persons,
    make_residents,
    place,
)
from child_warehouse.synth.profiles import Profiles, draw_profiles

PARENT_DEATH = 0.01


@dataclass(frozen=True)
class Window:
    """Birth dates of the child cohort (days) and the day the register extract describes."""

    first_birth: int
    last_birth: int
    ref_end: int
    children: int  # national managed children under 16 at ref_end
    ratio: float  # register persons per managed child


@dataclass
class Movers:
    people: People
    dest: np.ndarray  # new province code
    origin: np.ndarray
    origin_commune: np.ndarray  # the old commune they left; the stale record still says it


@dataclass
class Province:
    code: str
    people: People  # children (the cohort, movers last), mothers, fathers, other residents
    young: int  # people[:young] are the child cohort
    managed: np.ndarray  # over the cohort: the commune manages a record of this child
    record_id: np.ndarray
    profiles: Profiles
    stale: People  # children who moved away but still have a record here
    stale_record_id: np.ndarray
    register_elsewhere: frozenset[str] = frozenset()  # pids the register places in another province


def _record_ids(rng: np.random.Generator, prefix: str, count: int) -> np.ndarray:
    serials = np.cumsum(rng.integers(1, 9, count))  # gaps, as deleted records leave them
    return np.array([f"{prefix}-{serial:07d}" for serial in serials.tolist()], dtype=object)


_MOVERS: dict[tuple[int, Window, int], Movers] = {}


def draw_movers(seed: int, geo: Geography, window: Window, count: int) -> Movers:
    """A national set every worker regenerates identically, so origin and destination agree."""
    key = (seed, window, count)
    if key not in _MOVERS:
        _MOVERS.clear()  # one run per process at a time; keep memory bounded
        _MOVERS[key] = _draw_movers(seed, geo, window, count)
    return _MOVERS[key]


def _draw_movers(seed: int, geo: Geography, window: Window, count: int) -> Movers:
    rng = np.random.default_rng([seed, 10_000])
    codes = list(geo.new_provinces)
    shares = np.array([geo.new_share(code) for code in codes])
    dest = rng.choice(codes, size=count, p=shares / shares.sum())
    origin = rng.choice(codes, size=count, p=shares / shares.sum())
    origin = np.where(origin == dest, np.roll(dest, 1), origin)
    home, commune, origin_commune = (np.empty(count, dtype=object) for _ in range(3))
    for code in codes:
        at, left = np.flatnonzero(dest == code), np.flatnonzero(origin == code)
        home[at], commune[at] = place(rng, geo, geo.constituents(code), len(at))
        origin_commune[left] = place(rng, geo, geo.constituents(code), len(left))[1]
    home = home.astype(np.int64)
    dob = rng.integers(window.first_birth, window.last_birth + 1, count)
    people = make_persons(
        rng,
        geo,
        dob=dob,
        sex=rng.integers(0, 2, count),
        surnames=draw_surnames(rng, count),
        home=home,
        commune=commune,
        eth=ethnicities(rng, geo, home),
        slot=MOVER_SLOT,
    )
    return Movers(people, dest, origin, origin_commune)


def _orphan_and_widow(
    rng: np.random.Generator, people: People, young: int, profiles: Profiles, ref_end: int
) -> None:
    """Parents of children in group a (orphaned) died; a few other parents died too."""
    orphans = np.flatnonzero(np.array(["a" in g.split(";") for g in profiles.groups], dtype=bool))
    for column in (people.mother, people.father):
        parents = column[:young]
        lost = np.zeros(young, dtype=bool)
        lost[orphans] = True
        lost |= rng.random(young) < PARENT_DEATH / 2
        chosen = parents[lost & (parents >= 0)]
        born = people.dob[:young][lost & (parents >= 0)]
        people.death[chosen] = np.minimum(born + rng.integers(1, 3 * int(YEAR), len(chosen)), ref_end)


def build_province(
    seed: int, geo: Geography, code: str, slot: int, *, window: Window, movers: Movers
) -> Province:
    rng = np.random.default_rng([seed, int(code)])
    olds = geo.constituents(code)
    share = geo.new_share(code) / sum(geo.population.values())
    cohort = window.children / COVERAGE * (window.last_birth - window.first_birth) / (16 * YEAR)
    fam = make_families(rng, geo, olds, round(cohort * share))
    kids, parents = make_children(rng, geo, fam, (window.first_birth, window.last_birth), slot)
    incoming = movers.people.take(np.flatnonzero(movers.dest == code))
    young = len(kids) + len(incoming)
    # Movers go last among the children, so parent indices (which start after the cohort) shift by them.
    kids.mother, kids.father = (np.where(c >= 0, c + len(incoming), -1) for c in (kids.mother, kids.father))
    residents_count = max(0, round(window.ratio * window.children * share) - young - len(parents))
    residents = make_residents(rng, geo, olds, residents_count, ref_end=window.ref_end, slot=slot)
    people = concat([kids, incoming, parents, residents], [0, 0, 0, 0])
    ages = (window.ref_end - people.dob[:young]) / YEAR
    profiles = draw_profiles(rng, ages)
    profiles.carer[people.mother[:young] < 0] = 0
    _orphan_and_widow(rng, people, young, profiles, window.ref_end)
    managed = rng.random(young) < COVERAGE
    managed[len(kids) :] = True
    leaving = np.flatnonzero(movers.origin == code)
    return Province(
        code=code,
        people=people,
        young=young,
        managed=managed,
        record_id=_record_ids(rng, code, young),
        profiles=profiles,
        stale=_with_commune(movers.people.take(leaving), movers.origin_commune[leaving]),
        stale_record_id=_record_ids(rng, f"{code}-C", len(leaving)),
    )


def _with_commune(people: People, commune: np.ndarray) -> People:
    people.commune = commune
    return people
