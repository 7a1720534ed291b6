"""The provincial submissions: contract columns, formats, children, communes, cases and reports."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

from .helpers import (
    PERIOD_END,
    REFERENCE,
    SEX,
    Sample,
    communes_by_province,
    current_provinces,
    parse_date,
    parse_groups,
    parse_yes,
    read_csv,
    submission,
)

CHILD_COLUMNS = [
    "record_id", "commune_code", "full_name", "date_of_birth", "sex", "ethnicity_code", "personal_id",
    "caregiver_name", "caregiver_personal_id", "household_poverty", "special_circumstances", "at_risk",
    "supported", "support_types", "has_disability", "has_health_insurance", "birth_registered",
    "record_status", "updated_on",
]  # fmt: skip
ABUSE = {"xam_hai_tinh_duc", "bao_luc", "boc_lot", "mua_ban", "bo_roi", "xam_hai_khac"}
INJURY = {"duoi_nuoc", "tai_nan_giao_thong", "tai_nan_khac"}
Records = dict[str, list[dict[str, str]]]


def _all(records: Records) -> list[dict[str, str]]:
    return [row for rows in records.values() for row in rows]


def test_child_records_carry_every_contract_column(sample: Sample, records: Records) -> None:
    for province in records:
        table = submission(sample, province, "child_records")
        assert list(table.rows[0]) == CHILD_COLUMNS, province
        assert len(table.rows) == 30


def test_formats_vary_across_provinces(sample: Sample) -> None:
    tables = [submission(sample, province, "child_records") for province in sorted(current_provinces())]
    vietnamese = sum(table.headers[0] == "Mã hồ sơ" for table in tables)
    assert 12 <= vietnamese <= 22
    assert {table.delimiter for table in tables} == {",", ";"}
    rows = [row for table in tables for row in table.rows]
    dates = {row["date_of_birth"] for row in rows}
    assert any(re.fullmatch(r"\d{2}/\d{2}/\d{4}", d) for d in dates)
    assert any(re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) for d in dates)
    assert any(re.fullmatch(r"\d{1,2}/\d/\d{4}|\d/\d{1,2}/\d{4}", d) for d in dates)
    assert {row["sex"] for row in rows} == set(SEX)
    assert {"Có", "Không", "x", "", "1", "0"} <= {row["has_health_insurance"] for row in rows}
    ethnicity = {row["ethnicity_code"] for row in rows}
    assert "01" in ethnicity
    assert "Kinh" in ethnicity


def test_records_are_unique_children_under_16(records: Records) -> None:
    cutoff = PERIOD_END.replace(year=PERIOD_END.year - 16)
    for province, rows in records.items():
        ids = [row["record_id"] for row in rows]
        assert len(set(ids)) == len(ids)
        assert all(re.fullmatch(rf"{province}-\d{{6}}", record_id) for record_id in ids)
        for row in rows:
            assert cutoff < parse_date(row["date_of_birth"]) <= PERIOD_END
            assert row["record_status"] == "dang_quan_ly"


def test_communes_belong_to_the_province_at_period_end(records: Records) -> None:
    communes = communes_by_province()
    for province, rows in records.items():
        assert {row["commune_code"] for row in rows} <= communes[province], province


def test_records_agree_with_the_register(records: Records, links: dict, register: dict) -> None:
    filled = 0
    for province, rows in records.items():
        for row in rows:
            person = register[links[province, row["record_id"]]]
            assert row["full_name"] == person["full_name"]
            assert parse_date(row["date_of_birth"]).isoformat() == person["date_of_birth"]
            assert SEX[row["sex"]] == person["sex"]
            assert row["commune_code"] == person["commune_code"]
            if row["personal_id"]:
                filled += 1
                assert row["personal_id"] == person["personal_id"]
    assert 0.7 <= filled / len(links) <= 0.9


def test_special_circumstances_and_risk_shares_are_plausible(records: Records) -> None:
    rows = _all(records)
    hcdb = [row for row in rows if parse_groups(row["special_circumstances"])]
    at_risk = [row for row in rows if parse_yes(row["at_risk"])]
    assert 0.04 <= len(hcdb) / len(rows) <= 0.11
    assert 0.70 <= sum(parse_yes(row["supported"]) for row in hcdb) / len(hcdb) <= 0.97
    assert 0.025 <= len(at_risk) / len(rows) <= 0.08
    assert not any(parse_groups(row["special_circumstances"]) for row in at_risk)
    assert all(1 <= len(parse_groups(row["special_circumstances"])) <= 2 for row in hcdb)


def test_circumstance_values_are_internally_consistent(records: Records) -> None:
    rows = _all(records)
    spellings = Counter(token for row in rows for token in row["special_circumstances"].split(";") if token)
    assert any(token.isdigit() for token in spellings)
    assert any(token.isalpha() for token in spellings)
    for row in rows:
        groups = parse_groups(row["special_circumstances"])
        assert parse_yes(row["has_disability"]) == ("d" in groups)
        if "n" in groups:  # serious illness only counts in poor or near-poor households
            assert row["household_poverty"] in {"ngheo", "can_ngheo"}
        assert row["household_poverty"] in {"ngheo", "can_ngheo", "khong"}
        if not groups and not parse_yes(row["at_risk"]):
            assert not parse_yes(row["supported"])
            assert not row["support_types"]


def test_cases_identify_a_recorded_child_with_consistent_dates(sample: Sample, records: Records) -> None:
    total = 0
    for province, rows in records.items():
        by_id = {row["record_id"]: row for row in rows}
        cases = submission(sample, province, "protection_cases").rows
        assert len(cases) <= 4
        assert len({case["case_id"] for case in cases}) == len(cases)
        for case in cases:
            child = by_id[case["record_id"]]
            assert [case[k] for k in ("full_name", "date_of_birth", "sex", "commune_code")] == [
                child[k] for k in ("full_name", "date_of_birth", "sex", "commune_code")
            ]
            occurred, detected = parse_date(case["occurred_on"]), parse_date(case["detected_on"])
            assert date(2026, 10, 1) <= occurred <= detected <= date(2026, 10, 31)
            assert case["case_type"] in ABUSE | INJURY
            intervened = case["intervention_status"] == "da_can_thiep"
            assert bool(case["intervened_on"]) == intervened
            if intervened:
                assert detected <= parse_date(case["intervened_on"]) <= date(2026, 10, 31)
        total += len(cases)
    assert total == sample.summary.cases > 0


def test_indicator_reports_agree_with_the_records(sample: Sample, records: Records) -> None:
    known = {row["indicator_code"] for row in read_csv(REFERENCE / "indicators.csv")}
    communes = communes_by_province()
    for province, rows in records.items():
        report = submission(sample, province, "indicator_report").rows
        values = {(row["indicator_code"], row["disaggregation"]): int(row["value"]) for row in report}
        assert {code for code, _ in values} <= known
        assert values["children_total", "total"] == len(rows)
        assert values["children_total", "sex:male"] + values["children_total", "sex:female"] == len(rows)
        hcdb = sum(bool(parse_groups(row["special_circumstances"])) for row in rows)
        assert values["hcdb_children", "total"] == hcdb >= values["hcdb_supported", "total"]
        assert values["at_risk_children", "total"] == sum(parse_yes(row["at_risk"]) for row in rows)
        assert values["communes_total", "total"] == len(communes[province])
        assert 0 <= values["child_friendly_communes", "total"] <= values["communes_total", "total"]
