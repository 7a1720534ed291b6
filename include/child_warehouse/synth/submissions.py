"""Rows of the three provincial submission types, written in the province's dialect."""

from __future__ import annotations

import random

from child_warehouse.synth.cases import ProtectionCase
from child_warehouse.synth.children import ChildRecord
from child_warehouse.synth.dialects import Dialect
from child_warehouse.synth.reference import Reference

CHILD_COLUMNS = (
    "record_id", "commune_code", "full_name", "date_of_birth", "sex", "ethnicity_code", "personal_id",
    "caregiver_name", "caregiver_personal_id", "household_poverty", "special_circumstances", "at_risk",
    "supported", "support_types", "has_disability", "has_health_insurance", "birth_registered",
    "record_status", "updated_on",
)  # fmt: skip
CASE_COLUMNS = (
    "case_id", "record_id", "full_name", "date_of_birth", "sex", "personal_id", "commune_code",
    "case_type", "occurred_on", "detected_on", "outcome", "intervention_status", "intervened_on",
    "referred_to",
)  # fmt: skip
INDICATOR_COLUMNS = ("indicator_code", "disaggregation", "value", "note")
FLOW_NOTE = "Lũy kế 9 tháng đầu năm"


def child_header(dialect: Dialect) -> list[str]:
    return [dialect.header(column) for column in CHILD_COLUMNS]


def case_header(dialect: Dialect) -> list[str]:
    return [dialect.header(column, in_cases=True) for column in CASE_COLUMNS]


def child_row(record: ChildRecord, dialect: Dialect, ref: Reference) -> list[str]:
    child, carer, profile = record.child, record.caregiver, record.profile
    return [
        record.record_id,
        child.commune_code,
        child.full_name,
        dialect.day(child.date_of_birth),
        dialect.sex(child.sex),
        dialect.ethnicity(child.ethnicity_code, ref),
        child.personal_id if record.report_personal_id else "",
        carer.full_name if carer else "",
        carer.personal_id if carer and record.report_caregiver_id else "",
        profile.household_poverty,
        dialect.circumstances(profile.groups, ref),
        dialect.yes_no(profile.at_risk),
        dialect.yes_no(profile.supported),
        ";".join(profile.support_types),
        dialect.yes_no(record.has_disability),
        dialect.yes_no(record.has_health_insurance),
        dialect.yes_no(True),  # every generated child is in the register, so the birth was registered
        "dang_quan_ly",
        dialect.day(record.updated_on),
    ]


def case_row(case: ProtectionCase, dialect: Dialect) -> list[str]:
    record = case.record
    child = record.child
    return [
        case.case_id,
        record.record_id,
        child.full_name,
        dialect.day(child.date_of_birth),
        dialect.sex(child.sex),
        child.personal_id if record.report_personal_id else "",
        child.commune_code,
        case.case_type,
        dialect.day(case.occurred_on),
        dialect.day(case.detected_on),
        case.outcome,
        case.intervention_status,
        dialect.day(case.intervened_on),
        case.referred_to,
    ]


def indicator_rows(
    rng: random.Random, records: list[ChildRecord], communes_total: int, child_friendly: int | None = None
) -> list[list[str]]:
    """The 2026-9M report: stocks agree with the records (and child-friendly communes with the
    province's assessment, when given); the nine-month flows are plausible draws."""
    males = sum(record.child.sex == "male" for record in records)
    hcdb = [record for record in records if record.profile.groups]
    figures = [
        ("children_total", "total", len(records), ""),
        ("children_total", "sex:male", males, ""),
        ("children_total", "sex:female", len(records) - males, ""),
        ("hcdb_children", "total", len(hcdb), ""),
        ("hcdb_supported", "total", sum(record.profile.supported for record in hcdb), ""),
        ("at_risk_children", "total", sum(record.profile.at_risk for record in records), ""),
        ("abuse_cases", "total", rng.randint(0, 12), FLOW_NOTE),
        ("drowning_deaths", "total", rng.randint(0, 6), FLOW_NOTE),
        ("communes_total", "total", communes_total, ""),
        ("child_friendly_communes", "total", _child_friendly(rng, communes_total, child_friendly), ""),
    ]
    return [[code, disaggregation, str(value), note] for code, disaggregation, value, note in figures]


def _child_friendly(rng: random.Random, communes_total: int, assessed: int | None) -> int:
    drawn = round(communes_total * rng.uniform(0.5, 0.9))  # drawn either way: the stream does not move
    return drawn if assessed is None else assessed
