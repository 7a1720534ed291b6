"""Protection cases detected in October 2026, each about a child already in the province's records."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from child_warehouse.synth.children import ChildRecord
from child_warehouse.synth.people import random_date

CASE_PERIOD = "2026-M10"
MONTH_START, MONTH_END = date(2026, 10, 1), date(2026, 10, 31)
ABUSE_TYPES = ("xam_hai_tinh_duc", "bao_luc", "boc_lot", "mua_ban", "bo_roi", "xam_hai_khac")
INJURY_TYPES = ("duoi_nuoc", "tai_nan_giao_thong", "tai_nan_khac")
CASE_WEIGHTS = {"xam_hai_tinh_duc": 20, "bao_luc": 15, "boc_lot": 3, "mua_ban": 1, "bo_roi": 4,
                "xam_hai_khac": 5, "duoi_nuoc": 15, "tai_nan_giao_thong": 20, "tai_nan_khac": 17}  # fmt: skip
# Youngest age at which a case type is plausible enough to generate.
MIN_AGE = {"xam_hai_tinh_duc": 4, "boc_lot": 8, "mua_ban": 6, "tai_nan_giao_thong": 2}
REFERRALS = ("", "Công an xã", "Trạm y tế xã", "Trung tâm Công tác xã hội tỉnh", "Bệnh viện đa khoa tỉnh")


@dataclass(frozen=True)
class ProtectionCase:
    case_id: str
    record: ChildRecord
    case_type: str
    occurred_on: date
    detected_on: date
    outcome: str
    intervention_status: str
    intervened_on: date | None
    referred_to: str

    @property
    def is_abuse(self) -> bool:
        return self.case_type in ABUSE_TYPES


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def draw_case_type(rng: random.Random, age: int) -> str:
    types = [kind for kind in CASE_WEIGHTS if age >= MIN_AGE.get(kind, 0)]
    return rng.choices(types, weights=[CASE_WEIGHTS[kind] for kind in types])[0]


def draw_outcome(rng: random.Random, case_type: str) -> str:
    roll = rng.random()
    if case_type == "duoi_nuoc":
        return "tu_vong" if roll < 0.6 else "bi_thuong"
    if case_type in INJURY_TYPES:
        return "tu_vong" if roll < 0.15 else "bi_thuong" if roll < 0.85 else "khong"
    return "bi_thuong" if roll < 0.4 else "khong"


def draw_intervention(rng: random.Random, detected: date) -> tuple[str, date | None]:
    roll = rng.random()
    if roll < 0.65:
        # Intervention follows detection within days, but never after the reporting month ends.
        return "da_can_thiep", min(detected + timedelta(days=rng.randint(0, 3)), MONTH_END)
    return ("dang_xu_ly" if roll < 0.9 else "chua_can_thiep"), None


def draw_case(rng: random.Random, case_id: str, record: ChildRecord) -> ProtectionCase:
    detected = random_date(rng, MONTH_START, MONTH_END)
    occurred = max(MONTH_START, detected - timedelta(days=rng.randint(0, 6)))
    case_type = draw_case_type(rng, age_on(record.child.date_of_birth, occurred))
    status, intervened = draw_intervention(rng, detected)
    return ProtectionCase(
        case_id=case_id,
        record=record,
        case_type=case_type,
        occurred_on=occurred,
        detected_on=detected,
        outcome=draw_outcome(rng, case_type),
        intervention_status=status,
        intervened_on=intervened,
        referred_to=rng.choice(REFERRALS),
    )


def draw_cases(rng: random.Random, province: str, records: list[ChildRecord]) -> list[ProtectionCase]:
    """Zero to four cases, each about a different child of the province."""
    count = min(rng.randint(0, 4), len(records))
    chosen = rng.sample(records, k=count)
    return [
        draw_case(rng, f"VV-{province}-202610-{index:04d}", record) for index, record in enumerate(chosen, 1)
    ]


def deaths(cases: list[ProtectionCase]) -> dict[str, date]:
    """Register IDs of children who died in a case, with the date, so the register records the death."""
    return {case.record.child.personal_id: case.occurred_on for case in cases if case.outcome == "tu_vong"}
