"""Child records: a child's circumstances, support, caregiver and the register persons behind them."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date

from child_warehouse.synth.people import (
    PERIOD_END,
    Household,
    IdIssuer,
    Person,
    ethnicity,
    make_adult,
    make_family,
    random_date,
)
from child_warehouse.synth.reference import Reference

HCDB_SHARE = 0.07
HCDB_SUPPORTED_SHARE = 0.85
AT_RISK_SHARE = 0.05
AT_RISK_SUPPORTED_SHARE = 0.70
PERSONAL_ID_REPORTED_SHARE = 0.8
# Relative frequency of Article 10 groups among children in special circumstances: disability and
# orphanhood dominate in MOLISA reporting; drugs, trafficking and migration are rare.
GROUP_WEIGHTS = {"a": 12, "b": 3, "c": 12, "d": 30, "đ": 3, "e": 3, "g": 1, "h": 8, "i": 5, "k": 3,
                 "l": 5, "m": 1, "n": 10, "o": 1}  # fmt: skip
ORPHANED = "a"
PARENTS_UNKNOWN = frozenset({"b", "o"})  # abandoned; migrant children whose parents are unknown
NEEDS_POOR_HOUSEHOLD = "n"  # serious illness counts only in poor or near-poor households
DISABILITY = "d"


@dataclass(frozen=True)
class Profile:
    groups: tuple[str, ...]  # Article 10 law letters, in the law's order
    at_risk: bool
    supported: bool
    support_types: tuple[str, ...]
    household_poverty: str


@dataclass(frozen=True)
class ChildRecord:
    record_id: str
    child: Person
    caregiver: Person | None
    profile: Profile
    report_personal_id: bool
    report_caregiver_id: bool
    has_health_insurance: bool
    updated_on: date

    @property
    def has_disability(self) -> bool:
        return DISABILITY in self.profile.groups


def draw_groups(rng: random.Random, ref: Reference) -> tuple[str, ...]:
    """One group, sometimes two distinct ones, weighted by how often each is reported."""
    letters = [item.letter for item in ref.circumstances]
    weights = [GROUP_WEIGHTS.get(letter, 1) for letter in letters]
    chosen = set(rng.choices(letters, weights=weights, k=1 if rng.random() < 0.8 else 2))
    return tuple(letter for letter in letters if letter in chosen)


def draw_poverty(rng: random.Random, groups: tuple[str, ...]) -> str:
    roll = rng.random()
    if NEEDS_POOR_HOUSEHOLD in groups:
        return "ngheo" if roll < 0.5 else "can_ngheo"
    return "ngheo" if roll < 0.05 else "can_ngheo" if roll < 0.11 else "khong"


def draw_support_types(rng: random.Random, groups: tuple[str, ...]) -> tuple[str, ...]:
    options = ["tro_cap_xa_hoi", "bhyt", "giao_duc", "y_te", "tu_van", "khac"]
    if ORPHANED in groups or PARENTS_UNKNOWN & set(groups):
        options.append("cham_soc_thay_the")
    if not groups:  # at-risk children get prevention, not allowances
        options = ["tu_van", "giao_duc", "khac"]
    chosen = set(rng.sample(options, k=rng.randint(1, 2)))
    return tuple(option for option in options if option in chosen)


def draw_profile(rng: random.Random, ref: Reference) -> Profile:
    groups = draw_groups(rng, ref) if rng.random() < HCDB_SHARE else ()
    # At-risk children are drawn from the rest so that the overall share stays near AT_RISK_SHARE.
    at_risk = not groups and rng.random() < AT_RISK_SHARE / (1 - HCDB_SHARE)
    share = HCDB_SUPPORTED_SHARE if groups else AT_RISK_SUPPORTED_SHARE if at_risk else 0.0
    supported = rng.random() < share
    return Profile(
        groups=groups,
        at_risk=at_risk,
        supported=supported,
        support_types=draw_support_types(rng, groups) if supported else (),
        household_poverty=draw_poverty(rng, groups),
    )


def _orphaned(rng: random.Random, parents: list[Person], child: Person) -> list[Person]:
    return [replace(p, date_of_death=random_date(rng, child.date_of_birth, PERIOD_END)) for p in parents]


def _caregiver(
    rng: random.Random, ref: Reference, ids: IdIssuer, home: Household, *, parents: list[Person], orphan: bool
) -> tuple[Person, bool]:
    """The parent who cares for the child, or a new grandparent or foster carer; True when new."""
    if parents and not orphan:
        return (parents[0] if rng.random() < 0.7 else parents[1]), False
    return make_adult(rng, ref, ids, home, sex=rng.choice(("male", "female")), years=(1945, 1985)), True


def build_record(
    rng: random.Random, ref: Reference, ids: IdIssuer, province: str, record_id: str
) -> tuple[ChildRecord, list[Person]]:
    """One child record and every register person it brings along (child, parents, new carer)."""
    profile = draw_profile(rng, ref)
    home = Household(province, rng.choice(ref.communes[province]), ethnicity(rng, ref))
    known = not PARENTS_UNKNOWN & set(profile.groups)
    child, parents = make_family(rng, ref, ids, home, parents_known=known)
    orphan = ORPHANED in profile.groups
    if orphan:
        parents = _orphaned(rng, parents, child)
    caregiver, new_caregiver = _caregiver(rng, ref, ids, home, parents=parents, orphan=orphan)
    under_six = child.date_of_birth > PERIOD_END.replace(year=PERIOD_END.year - 6)
    record = ChildRecord(
        record_id=record_id,
        child=child,
        caregiver=caregiver if rng.random() < 0.9 else None,
        profile=profile,
        report_personal_id=rng.random() < PERSONAL_ID_REPORTED_SHARE,
        report_caregiver_id=rng.random() < 0.6,
        has_health_insurance=rng.random() < (0.97 if under_six else 0.88),
        updated_on=random_date(rng, max(child.date_of_birth, date(2026, 1, 1)), PERIOD_END),
    )
    return record, [child, *parents, *([caregiver] if new_caregiver else [])]
