"""Protection cases of one period, vectorised: type by age, outcome, intervention, dates in the period."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from child_warehouse.synth.cases import ABUSE_TYPES, CASE_WEIGHTS, MIN_AGE, REFERRALS
from child_warehouse.synth.periods import Period
from child_warehouse.synth.population import YEAR, day_number

# About 1,800 abused and 2,000 drowned children a year among ~25 million, plus traffic and other
# injuries handled by the communes (domain.md section 6): roughly 3 cases per 10,000 children a year.
CASES_PER_CHILD_YEAR = 3e-4
_TYPES = tuple(CASE_WEIGHTS)


@dataclass
class Cases:
    case_id: np.ndarray
    person: np.ndarray  # index into the province's people
    case_type: np.ndarray
    occurred: np.ndarray  # days
    detected: np.ndarray
    outcome: np.ndarray
    status: np.ndarray
    intervened: np.ndarray  # days, -1 when not intervened
    referred: np.ndarray

    def take(self, index: np.ndarray) -> Cases:
        return Cases(**{name: value[index] for name, value in vars(self).items()})

    def __len__(self) -> int:
        return len(self.case_id)


def _types(rng: np.random.Generator, ages: np.ndarray) -> np.ndarray:
    out = np.empty(len(ages), dtype=object)
    for index, age in enumerate(ages.tolist()):
        allowed = [kind for kind in _TYPES if age >= MIN_AGE.get(kind, 0)]
        weights = np.array([CASE_WEIGHTS[kind] for kind in allowed], dtype=float)
        out[index] = allowed[int(rng.choice(len(allowed), p=weights / weights.sum()))]
    return out


def _outcomes(rng: np.random.Generator, types: np.ndarray) -> np.ndarray:
    roll = rng.random(len(types))
    drowning = types == "duoi_nuoc"
    injury = np.isin(types, ("tai_nan_giao_thong", "tai_nan_khac"))
    injured = np.where(roll < 0.15, "tu_vong", np.where(roll < 0.85, "bi_thuong", "khong"))
    abused = np.where(roll < 0.4, "bi_thuong", "khong")
    return np.where(drowning, np.where(roll < 0.6, "tu_vong", "bi_thuong"), np.where(injury, injured, abused))


def draw_cases(
    rng: np.random.Generator,
    province: str,
    period: Period,
    eligible: np.ndarray,
    *,
    dob: np.ndarray,
    rate: float,
) -> Cases:
    """Cases about children of ``eligible`` (people indices), ``rate`` per child-year."""
    expected = rate * len(eligible) * period.months / 12
    count = min(int(rng.poisson(expected)), len(eligible))
    person = np.sort(rng.choice(eligible, size=count, replace=False))
    start, end = day_number(period.start), day_number(period.end)
    detected = rng.integers(start, end + 1, count)
    occurred = np.maximum(np.maximum(start, dob[person]), detected - rng.integers(0, 7, count))
    types = _types(rng, (occurred - dob[person]) / YEAR)
    roll = rng.random(count)
    status = np.where(roll < 0.65, "da_can_thiep", np.where(roll < 0.9, "dang_xu_ly", "chua_can_thiep"))
    intervened = np.where(status == "da_can_thiep", np.minimum(detected + rng.integers(0, 4, count), end), -1)
    label = period.label.replace("-", "")
    return Cases(
        case_id=np.array([f"VV-{province}-{label}-{i:05d}" for i in range(1, count + 1)], dtype=object),
        person=person,
        case_type=types,
        occurred=occurred,
        detected=detected,
        outcome=_outcomes(rng, types),
        status=status,
        intervened=intervened,
        referred=rng.choice(np.array(REFERRALS, dtype=object), size=count),
    )


def is_abuse(types: np.ndarray) -> np.ndarray:
    return np.isin(types, ABUSE_TYPES)
