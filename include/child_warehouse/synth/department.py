"""The department's other sources (contract §3.4–3.6): child-friendly commune assessments, programme
activities, and the national hotline 111's monthly figures, fault-free, with their truth.

Each province assesses most of its communes for the year (13 criteria, the recognition the scoring rules
give), reports its programme activities for the half year (the Month of Action in June, swimming
classes, play areas, training), and the hotline reports each province's calls of the cases month by
channel and topic, with interventions never above the cases that province detected that month (so the
cross-check agrees), plus calls whose province is unknown ('00').
"""

from __future__ import annotations

import csv
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from child_warehouse.synth.reference import reference_dir

ASSESSMENT_PERIOD = "2025-Y"
PROGRAMME_PERIOD = "2026-H1"
HOTLINE_PERIOD = "2026-M10"  # the sample's cases month: the hotline's interventions are compared with it
UNKNOWN_PROVINCE = "00"
CRITERIA = tuple(f"criterion_{i:02d}" for i in range(1, 14))
CHANNELS = ("dien_thoai", "ung_dung", "zalo", "khac")
TOPICS = ("tu_van", "bao_luc", "xam_hai_tinh_duc", "bo_roi", "thong_tin", "khac")
ACTIVITY_TYPES = ("thang_hanh_dong", "lop_hoc_boi", "diem_vui_choi", "tap_huan", "khac")

ASSESSMENT_HEADERS = {
    "commune_code": "Mã xã",
    "commune_type": "Loại xã",
    **{c: f"Tiêu chí {i}" for i, c in enumerate(CRITERIA, start=1)},
    "total_score": "Tổng điểm",
    "recognised": "Được công nhận",
    "decision_no": "Số quyết định công nhận",
}
PROGRAMME_HEADERS = {
    "activity_type": "Loại hoạt động",
    "commune_code": "Mã xã",
    "activities": "Số hoạt động",
    "children_reached": "Số lượt trẻ em tham gia",
    "spending_vnd": "Kinh phí (đồng)",
    "note": "Ghi chú",
}
HOTLINE_HEADERS = {
    "province_code": "Mã tỉnh",
    "channel": "Kênh",
    "topic": "Nội dung",
    "calls": "Số cuộc gọi",
    "counselling_calls": "Số cuộc tư vấn",
    "referrals": "Số ca chuyển tuyến",
    "interventions": "Số ca can thiệp, hỗ trợ",
}
ASSESSMENT_TRUTH = ("province_code", "period", "communes_assessed", "communes_recognised")
PROGRAMME_TRUTH = (
    "province_code",
    "period",
    "activity_type",
    "activities",
    "children_reached",
    "spending_vnd",
)
HOTLINE_TRUTH = ("province_code", "period", "calls", "counselling_calls", "referrals", "interventions")


@dataclass(frozen=True)
class Rules:
    criterion_max: int
    min_total: int


@cache
def scoring_rules() -> dict[str, Rules]:
    """The assessment's rules by commune type, as the warehouse reads them (commune_assessment_rules.csv)."""
    with (reference_dir() / "commune_assessment_rules.csv").open(encoding="utf-8", newline="") as handle:
        return {
            row["commune_type"]: Rules(int(row["criterion_max"]), int(row["min_total"]))
            for row in csv.DictReader(handle)
        }


@cache
def commune_types(on: date) -> dict[str, tuple[tuple[str, str], ...]]:
    """Each province's communes valid on `on`, with their type as the assessment names it."""
    by_province: dict[str, list[tuple[str, str]]] = {}
    with (reference_dir() / "communes.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            valid_to = row["valid_to"] or "9999-12-31"
            if row["valid_from"] <= on.isoformat() <= valid_to:
                kind = row["unit_type"] if row["unit_type"] in ("phuong", "dac_khu") else "xa"
                by_province.setdefault(row["province_code"], []).append((row["commune_code"], kind))
    return {code: tuple(sorted(communes)) for code, communes in by_province.items()}


@dataclass(frozen=True)
class Assessment:
    commune_code: str
    commune_type: str
    scores: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.scores)

    @property
    def recognised(self) -> bool:
        rules = scoring_rules()[self.commune_type]
        return min(self.scores) > 0 and self.total >= rules.min_total


def draw_assessments(rng: random.Random, province: str, on: date) -> list[Assessment]:
    """Most communes assessed; scores mostly high, now and then a criterion at 0 or a weak commune."""
    assessments = []
    for commune, kind in commune_types(on).get(province, ()):
        if rng.random() < 0.25:  # not assessed this year
            continue
        top = scoring_rules()[kind].criterion_max
        base = rng.randint(45, 95)
        scores = [max(1, min(top, base + rng.randint(-15, 15))) for _ in CRITERIA]
        if rng.random() < 0.1:
            scores[rng.randrange(len(scores))] = 0
        assessments.append(Assessment(commune, kind, tuple(scores)))
    return assessments


def assessment_rows(assessments: Sequence[Assessment], yes_no: tuple[str, str], year: int) -> list[list[str]]:
    return [
        [
            a.commune_code,
            a.commune_type,
            *map(str, a.scores),
            str(a.total),
            yes_no[0] if a.recognised else yes_no[1],
            f"{index + 1}/QĐ-UBND-{year}" if a.recognised else "",
        ]
        for index, a in enumerate(assessments)
    ]


def vn_thousands(amount: int) -> str:
    """An amount as Vietnamese offices write it: '120.000.000'."""
    return f"{amount:,}".replace(",", ".")


def draw_programme(
    rng: random.Random, province: str, communes: Sequence[str], vietnamese_numbers: bool
) -> tuple[list[list[str]], list[list[str | int]]]:
    """The half year's activity lines (file rows) and, per activity type, the truth's sums."""
    rows: list[list[str]] = []
    sums: dict[str, list[int]] = {}
    for activity in ACTIVITY_TYPES:
        for _ in range(rng.randint(0 if activity == "khac" else 1, 3)):
            commune = rng.choice(communes) if communes and rng.random() < 0.6 else ""
            count = rng.randint(1, 12)
            reached = count * rng.randint(10, 120)
            spending = count * rng.randint(2, 40) * 1_000_000
            money = vn_thousands(spending) if vietnamese_numbers else str(spending)
            note = "Tháng hành động vì trẻ em" if activity == "thang_hanh_dong" else ""
            rows.append([activity, commune, str(count), str(reached), money, note])
            total = sums.setdefault(activity, [0, 0, 0])
            total[0], total[1], total[2] = total[0] + count, total[1] + reached, total[2] + spending
    truth = [[province, PROGRAMME_PERIOD, activity, *values] for activity, values in sums.items()]
    return rows, truth


def draw_hotline(
    rng: random.Random, cases_by_province: dict[str, int]
) -> tuple[list[list[str]], list[list[str | int]]]:
    """The month's rows for every province and for unknown callers, and each one's sums."""
    rows: list[list[str]] = []
    truth: list[list[str | int]] = []
    for province in [*sorted(cases_by_province), UNKNOWN_PROVINCE]:
        pairs = [(c, t) for c in CHANNELS for t in TOPICS if rng.random() < 0.35] or [
            ("dien_thoai", "tu_van")
        ]
        budget = cases_by_province.get(province, 0)  # interventions never above the month's cases
        sums = [0, 0, 0, 0]
        for channel, topic in pairs:
            calls = rng.randint(1, 400)
            counselling = rng.randint(0, calls)
            referrals = rng.randint(0, min(calls, 5))
            interventions = (
                rng.randint(0, min(budget, calls, 3)) if topic in ("bao_luc", "xam_hai_tinh_duc") else 0
            )
            budget -= interventions
            rows.append(
                [province, channel, topic, str(calls), str(counselling), str(referrals), str(interventions)]
            )
            for i, value in enumerate((calls, counselling, referrals, interventions)):
                sums[i] += value
        truth.append([province, HOTLINE_PERIOD, *sums])
    return rows, truth


def headers(names: dict[str, str], vietnamese: bool) -> list[str]:
    return list(names.values()) if vietnamese else list(names)


def write_truth(path: Path, header: Sequence[str], rows: Sequence[Sequence[str | int]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
