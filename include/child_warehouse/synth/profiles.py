"""Vectorised circumstances of managed children: Article 10 groups, risk, poverty, support, insurance."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from child_warehouse.synth.children import (
    AT_RISK_SHARE,
    AT_RISK_SUPPORTED_SHARE,
    GROUP_WEIGHTS,
    HCDB_SHARE,
    HCDB_SUPPORTED_SHARE,
)

LETTERS = tuple(GROUP_WEIGHTS)  # in the law's order
_GROUP_P = np.array(list(GROUP_WEIGHTS.values()), dtype=float) / sum(GROUP_WEIGHTS.values())
SUPPORT_OPTIONS = ("tro_cap_xa_hoi", "bhyt", "giao_duc", "y_te", "cham_soc_thay_the", "tu_van", "khac")
AT_RISK_OPTIONS = ("tu_van", "giao_duc", "khac")
POOR, NEAR_POOR = 0.05, 0.06  # of children outside group n, whose households are poor by definition


@dataclass
class Profiles:
    groups: np.ndarray  # ";"-joined law letters, "" for none
    at_risk: np.ndarray
    supported: np.ndarray
    support_types: np.ndarray
    poverty: np.ndarray
    insured: np.ndarray
    carer: np.ndarray  # 0 none, 1 mother, 2 father
    update_lag: np.ndarray  # days before the period end the record was last updated

    def take(self, index: np.ndarray) -> Profiles:
        return Profiles(**{name: value[index] for name, value in vars(self).items()})


def _groups(rng: np.random.Generator, hcdb: np.ndarray) -> np.ndarray:
    count = len(hcdb)
    first = rng.choice(len(LETTERS), size=count, p=_GROUP_P)
    second = np.where(rng.random(count) < 0.2, rng.choice(len(LETTERS), size=count, p=_GROUP_P), first)
    out = np.full(count, "", dtype=object)
    for index in np.flatnonzero(hcdb):
        pair = sorted({int(first[index]), int(second[index])})
        out[index] = ";".join(LETTERS[i] for i in pair)
    return out


def _support_types(rng: np.random.Generator, groups: np.ndarray, supported: np.ndarray) -> np.ndarray:
    out = np.full(len(groups), "", dtype=object)
    for index in np.flatnonzero(supported):
        options = SUPPORT_OPTIONS if groups[index] else AT_RISK_OPTIONS
        picked = rng.choice(len(options), size=int(rng.integers(1, 3)), replace=False)
        out[index] = ";".join(options[i] for i in sorted(picked))
    return out


def draw_profiles(rng: np.random.Generator, ages: np.ndarray) -> Profiles:
    """About 7 % in special circumstances, 5 % at risk; shares from domain.md section 6."""
    count = len(ages)
    hcdb = rng.random(count) < HCDB_SHARE
    groups = _groups(rng, hcdb)
    at_risk = ~hcdb & (rng.random(count) < AT_RISK_SHARE / (1 - HCDB_SHARE))
    supported = rng.random(count) < np.where(
        hcdb, HCDB_SUPPORTED_SHARE, np.where(at_risk, AT_RISK_SUPPORTED_SHARE, 0)
    )
    ill_and_poor = np.array(["n" in g.split(";") for g in groups], dtype=bool) if count else hcdb
    roll = rng.random(count)
    poverty = np.where(roll < POOR, "ngheo", np.where(roll < POOR + NEAR_POOR, "can_ngheo", "khong")).astype(
        object
    )
    poverty[ill_and_poor] = np.where(roll[ill_and_poor] < 0.5, "ngheo", "can_ngheo")
    return Profiles(
        groups=groups,
        at_risk=at_risk,
        supported=supported,
        support_types=_support_types(rng, groups, supported),
        poverty=poverty,
        insured=rng.random(count) < np.where(ages < 6, 0.97, 0.88),
        carer=rng.choice(3, size=count, p=[0.1, 0.65, 0.25]),
        update_lag=rng.integers(0, 270, count),
    )
