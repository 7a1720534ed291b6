"""Persons of the population register: children, their parents and unrelated residents."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta

from child_warehouse.synth.names import full_name, pick_surname
from child_warehouse.synth.reference import Reference

PERIOD_END = date(2026, 9, 30)
CHILD_AGE_LIMIT = 16
# Parents are adults with their own IDs, born in the 20th-century ID regime or 2000 (brief and ID rules).
PARENT_BIRTH_YEARS = (1975, 2000)


@dataclass(frozen=True)
class Person:
    personal_id: str
    full_name: str
    date_of_birth: date
    sex: str  # "male" or "female"
    ethnicity_code: str
    birth_province_code: str  # pre-reform 2-digit code of the birth registration
    commune_code: str  # post-reform commune of residence
    mother_id: str = ""
    father_id: str = ""
    date_of_death: date | None = None


class IdIssuer:
    """Issues unique personal IDs ``PPP G YY RRRRRR``; remembers every ID handed out."""

    def __init__(self) -> None:
        # A set is fine at sample scale; the national generator will partition by PPP+G+YY prefix.
        self._issued: set[str] = set()

    def issue(self, rng: random.Random, birth_province: str, sex: str, born: date) -> str:
        while True:
            candidate = personal_id(birth_province, sex, born, rng.randrange(1_000_000))
            if candidate not in self._issued:
                self._issued.add(candidate)
                return candidate


def personal_id(birth_province: str, sex: str, born: date, serial: int) -> str:
    """Twelve digits: '0' + province code, century/sex code, year % 100, six serial digits."""
    century = (born.year - 1900) // 100
    code = 2 * century + (1 if sex == "female" else 0)
    return f"0{birth_province}{code}{born.year % 100:02d}{serial:06d}"


def random_date(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


def child_birth_window(period_end: date = PERIOD_END) -> tuple[date, date]:
    """Born after the 16th birthday cut-off and not after the period end: under 16 at period end."""
    cutoff = period_end.replace(year=period_end.year - CHILD_AGE_LIMIT)
    return cutoff + timedelta(days=1), period_end


def birth_province(rng: random.Random, ref: Reference, province: str, local_share: float) -> str:
    """Mostly one of the pre-reform provinces merged into ``province``; the rest moved in from anywhere."""
    if rng.random() < local_share:
        return rng.choice(ref.constituents[province])
    return rng.choice(ref.pre_reform_codes)


def ethnicity(rng: random.Random, ref: Reference) -> str:
    groups = ref.ethnic_groups
    return rng.choices(groups, weights=[group.weight for group in groups])[0].code


@dataclass(frozen=True)
class Household:
    province: str
    commune: str
    ethnicity: str


def make_adult(
    rng: random.Random, ref: Reference, ids: IdIssuer, home: Household, *, sex: str, years: tuple[int, int]
) -> Person:
    born = random_date(rng, date(years[0], 1, 1), date(years[1], 12, 31))
    origin = birth_province(rng, ref, home.province, local_share=0.85)
    return Person(
        personal_id=ids.issue(rng, origin, sex, born),
        full_name=full_name(rng, sex, born.year),
        date_of_birth=born,
        sex=sex,
        ethnicity_code=home.ethnicity if rng.random() < 0.9 else ethnicity(rng, ref),
        birth_province_code=origin,
        commune_code=home.commune,
    )


def parent_years(child_born: date, min_age: int, max_age: int) -> tuple[int, int]:
    """Birth-year range for a parent aged ``min_age``-``max_age`` at the birth, within 1975-2000."""
    low = max(PARENT_BIRTH_YEARS[0], child_born.year - max_age)
    high = min(PARENT_BIRTH_YEARS[1], child_born.year - min_age)
    return low, high


def make_child(
    rng: random.Random,
    ref: Reference,
    ids: IdIssuer,
    home: Household,
    *,
    parents: tuple[Person, Person] | None,
    sex: str,
    born: date,
) -> Person:
    """A child of ``parents`` (or of unknown parents); takes the father's surname when he is known."""
    origin = birth_province(rng, ref, home.province, local_share=0.9)
    mother, father = parents or (None, None)
    surname = father.full_name.split()[0] if father else pick_surname(rng)
    return Person(
        personal_id=ids.issue(rng, origin, sex, born),
        full_name=full_name(rng, sex, born.year, surname=surname),
        date_of_birth=born,
        sex=sex,
        ethnicity_code=home.ethnicity,
        birth_province_code=origin,
        commune_code=home.commune,
        mother_id=mother.personal_id if mother else "",
        father_id=father.personal_id if father else "",
    )


def make_family(
    rng: random.Random, ref: Reference, ids: IdIssuer, home: Household, *, parents_known: bool
) -> tuple[Person, list[Person]]:
    """A child under 16 at period end, plus the mother and father when they are known."""
    sex = rng.choice(("male", "female"))
    born = random_date(rng, *child_birth_window())
    if not parents_known:
        return make_child(rng, ref, ids, home, parents=None, sex=sex, born=born), []
    mother = make_adult(rng, ref, ids, home, sex="female", years=parent_years(born, 18, 42))
    father = make_adult(rng, ref, ids, home, sex="male", years=parent_years(born, 20, 50))
    return make_child(rng, ref, ids, home, parents=(mother, father), sex=sex, born=born), [mother, father]


def make_unrelated(rng: random.Random, ref: Reference, ids: IdIssuer, home: Household) -> Person:
    """A resident not linked to any record: sometimes a child, so linkage meets near-misses."""
    if rng.random() < 0.3:
        sex = rng.choice(("male", "female"))
        born = random_date(rng, *child_birth_window())
        return make_child(rng, ref, ids, home, parents=None, sex=sex, born=born)
    person = make_adult(rng, ref, ids, home, sex=rng.choice(("male", "female")), years=(1935, 2008))
    if person.date_of_birth.year < 1950 and rng.random() < 0.3:
        died = random_date(rng, date(2015, 1, 1), date(2026, 10, 31))
        return replace(person, date_of_death=died)
    return person
