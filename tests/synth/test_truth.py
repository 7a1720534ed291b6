"""Ground truth agrees with what a correct pipeline computes from the files themselves."""

from __future__ import annotations

from .helpers import Sample, parse_groups, parse_yes, read_csv, submission

Records = dict[str, list[dict[str, str]]]


def _counts(rows: list[dict[str, str]]) -> dict[str, int]:
    hcdb = [row for row in rows if parse_groups(row["special_circumstances"])]
    at_risk = [row for row in rows if parse_yes(row["at_risk"])]
    return {
        "children_total": len(rows),
        "hcdb_children": len(hcdb),
        "hcdb_supported": sum(parse_yes(row["supported"]) for row in hcdb),
        "at_risk_children": len(at_risk),
        "at_risk_supported": sum(parse_yes(row["supported"]) for row in at_risk),
        "records_with_personal_id": sum(bool(row["personal_id"]) for row in rows),
    }


def test_expected_by_province_matches_the_child_records(sample: Sample, records: Records) -> None:
    expected = read_csv(sample.truth_dir / "expected_by_province.csv")
    assert {row["province_code"] for row in expected} == set(records)
    for row in expected:
        assert row["period"] == "2026-Q3"
        stated = {key: int(value) for key, value in row.items() if key not in {"province_code", "period"}}
        assert stated == _counts(records[row["province_code"]]), row["province_code"]
    totals = {key: sum(int(row[key]) for row in expected) for key in ("hcdb_children", "at_risk_supported")}
    assert all(totals.values())  # the sample exercises every count, not only zeros


def test_expected_cases_match_the_case_files(sample: Sample, records: Records) -> None:
    expected = {row["province_code"]: row for row in read_csv(sample.truth_dir / "expected_cases.csv")}
    assert set(expected) == set(records)
    for province, row in expected.items():
        cases = submission(sample, province, "protection_cases").rows
        abuse = {"xam_hai_tinh_duc", "bao_luc", "boc_lot", "mua_ban", "bo_roi", "xam_hai_khac"}
        assert row["period"] == "2026-M10"
        assert int(row["cases_total"]) == len(cases)
        assert int(row["abuse_cases"]) == sum(case["case_type"] in abuse for case in cases)
        assert int(row["drowning_cases"]) == sum(case["case_type"] == "duoi_nuoc" for case in cases)
        assert int(row["intervened_cases"]) == sum(bool(case["intervened_on"]) for case in cases)


def test_child_links_cover_every_record_once(sample: Sample, records: Records, register: dict) -> None:
    rows = read_csv(sample.truth_dir / "child_links.csv")
    keys = [(row["province_code"], row["period"], row["record_id"]) for row in rows]
    assert len(keys) == len(set(keys))
    assert set(keys) == {(p, "2026-Q3", record["record_id"]) for p, rs in records.items() for record in rs}
    assert all(row["personal_id"] in register for row in rows)
    assert len({row["personal_id"] for row in rows}) == len(rows)  # one record per registered child


def test_truth_is_not_under_the_landing_root(sample: Sample) -> None:
    names = {path.name for path in sample.landing.rglob("*")}
    assert not names & {"child_links.csv", "expected_by_province.csv", "expected_cases.csv", "persons.csv"}
