"""Reporting history for the sample: pre-reform annual reports, and when each file arrived.

The department compares provinces across the July 2025 reform (a 2022 figure for Phú Yên and one for
Đắk Lắk both count for today's Đắk Lắk), so the sample carries each of the 63 pre-reform provinces'
2022 annual indicator report beside the 34 provinces' 2026 submissions. Every file also gets an
arrival time against the reporting calendar (contract section 6): most on time, some late.
"""

from __future__ import annotations

import csv
import os
import random
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

from child_warehouse.synth.periods import parse_period
from child_warehouse.synth.reference import _read, _valid_on, reference_dir

HISTORY_PERIOD = "2022-Y"
REPORT_COLUMNS = ("indicator_code", "disaggregation", "value", "note")
REPORT_TRUTH_COLUMNS = ("province_code", "period", "indicator_code", "value")
ARRIVAL_TRUTH_COLUMNS = ("province_code", "period", "submission_type", "arrived_at", "deadline", "late")
LATE_SHARE = 0.15
VIETNAM = timezone(timedelta(hours=7))
# Cells a province left empty in its annual report (contract §3.3: empty is "not reported", not 0), as
# real reports do: Phú Yên (54, merged into today's Đắk Lắk) gives no count of the children in special
# circumstances who were supported. Today's Đắk Lắk must then show that figure as partial, never as a
# total of Đắk Lắk's own count. (Never produced here: a predecessor missing its whole report, a report
# giving only a rate.)
NOT_REPORTED = {("54", "hcdb_supported")}


def pre_reform_communes(on: date) -> dict[str, int]:
    """How many communes each pre-reform province had on ``on`` (from the communes seed)."""
    counts: dict[str, int] = {}
    for row in _read(reference_dir() / "communes.csv"):
        if _valid_on(row, on):
            counts[row["province_code"]] = counts.get(row["province_code"], 0) + 1
    return counts


def annual_report(rng: random.Random, communes_total: int) -> list[tuple[str, int]]:
    """One province's 2022 figures: plausible scales (about 390,000 children a province, ~7 % HCĐB).

    Flows are drawn small enough that some provinces report fewer than 5 abuse victims or drowning
    deaths, as real small provinces do: the marts must suppress those.
    """
    children = rng.randint(120_000, 900_000)
    hcdb = round(children * rng.uniform(0.04, 0.09))
    at_risk = round(children * rng.uniform(0.01, 0.03))
    abuse_cases = rng.randint(1, 45)
    victims = abuse_cases + rng.randint(0, 4)
    return [
        ("children_total", children),
        ("hcdb_children", hcdb),
        ("hcdb_supported", round(hcdb * rng.uniform(0.75, 0.98))),
        ("at_risk_children", at_risk),
        ("at_risk_supported", round(at_risk * rng.uniform(0.5, 0.9))),
        ("children_poor_households", round(children * rng.uniform(0.03, 0.12))),
        ("children_near_poor_households", round(children * rng.uniform(0.03, 0.08))),
        ("abuse_cases", abuse_cases),
        ("abuse_victims", victims),
        ("abuse_victims_supported", round(victims * rng.uniform(0.8, 1.0))),
        ("drowning_deaths", rng.randint(0, 60)),
        ("communes_total", communes_total),
        ("child_friendly_communes", round(communes_total * rng.uniform(0.6, 0.95))),
        ("village_collaborators", rng.randint(500, 5_000)),
        ("fund_mobilised_vnd", rng.randint(2, 30) * 1_000_000_000),
        ("fund_beneficiaries", rng.randint(1_000, 20_000)),
    ]


def write_history_reports(
    seed: int, landing_root: Path, pre_reform_codes: Sequence[str], truth_dir: Path
) -> list[Path]:
    """The 2022-Y indicator_report of every pre-reform province, and its values in the truth folder
    (an empty value: not reported, NOT_REPORTED)."""
    communes = pre_reform_communes(parse_period(HISTORY_PERIOD).end)
    files: list[Path] = []
    truth_dir.mkdir(parents=True, exist_ok=True)
    with (truth_dir / "expected_reports.csv").open("w", encoding="utf-8", newline="") as handle:
        truth = csv.writer(handle, lineterminator="\n")
        truth.writerow(REPORT_TRUTH_COLUMNS)
        for code in pre_reform_codes:
            rng = random.Random(f"{seed}:history:{code}")  # noqa: S311 (simulation, not security)
            figures = [
                (indicator, "" if (code, indicator) in NOT_REPORTED else value)
                for indicator, value in annual_report(rng, communes.get(code, 0))
            ]
            path = landing_root / code / HISTORY_PERIOD / "indicator_report.csv"
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("w", encoding="utf-8", newline="") as report:
                writer = csv.writer(report, lineterminator="\n")
                writer.writerow(REPORT_COLUMNS)
                writer.writerows([indicator, "total", value, ""] for indicator, value in figures)
            truth.writerows([code, HISTORY_PERIOD, indicator, value] for indicator, value in figures)
            files.append(path)
    return files


def arrival(rng: random.Random, period_label: str) -> tuple[datetime, bool]:
    """When a file arrived: within 10 days before its deadline, or 1-20 days after it (late)."""
    deadline = parse_period(period_label).deadline
    late = rng.random() < LATE_SHARE
    day = deadline + timedelta(days=rng.randint(1, 20) if late else -rng.randint(0, 10))
    return datetime.combine(day, time(8, 0), tzinfo=VIETNAM) + timedelta(minutes=rng.randint(0, 540)), late


def stamp_arrivals(seed: int, landing_root: Path, files: Sequence[Path], truth_dir: Path) -> None:
    """Set each file's modification time (what discovery reads as its arrival) and record it as truth."""
    truth_dir.mkdir(parents=True, exist_ok=True)
    with (truth_dir / "expected_arrivals.csv").open("w", encoding="utf-8", newline="") as handle:
        truth = csv.writer(handle, lineterminator="\n")
        truth.writerow(ARRIVAL_TRUTH_COLUMNS)
        for path in sorted(files):
            province, period, name = path.relative_to(landing_root).parts
            kind = name.split(".")[0]
            rng = random.Random(f"{seed}:arrival:{province}:{period}:{kind}")  # noqa: S311
            when, late = arrival(rng, period)
            os.utime(path, (when.timestamp(), when.timestamp()))
            deadline = parse_period(period).deadline
            truth.writerow([province, period, kind, when.isoformat(), deadline.isoformat(), int(late)])
