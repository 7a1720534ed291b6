"""A whole nightly load through Airflow on real PostgreSQL: the marts equal the generator's truth.

Run on the narrow night (every change) and on the whole country's (slow tier): four provinces, two
of them merged in July 2025 and two sending legacy-encoded files, against 34 provinces and the 63
before the reform.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from nights import Warehouse

pytestmark = pytest.mark.e2e


@pytest.fixture(
    params=[
        "narrow",
        pytest.param("full", marks=[pytest.mark.slow, pytest.mark.xdist_group("full-night")]),
    ]
)
def any_night(request) -> Warehouse:
    return request.getfixturevalue("night" if request.param == "narrow" else "full_night")


def _truth(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_mart_equals_the_generated_truth(any_night):
    # The counts before small-cell suppression (the analyst mart withholds 1-4): restricted layer.
    expected = {
        (r["province_code"], r["period"]): r for r in _truth(any_night.truth / "expected_by_province.csv")
    }
    rows = any_night.query(
        """select province_code, period, children_total, hcdb_children, hcdb_supported,
                  at_risk_children, at_risk_supported, children_linked
           from intermediate.int_special_circumstances_by_province"""
    )
    assert {(code, period) for code, period, *_ in rows} == set(expected)
    for code, period, children, hcdb, supported, at_risk, at_risk_supported, linked in rows:
        truth = expected[(code, period)]
        assert children == int(truth["children_total"]), code
        assert hcdb == int(truth["hcdb_children"]), code
        assert supported == int(truth["hcdb_supported"]), code
        assert at_risk == int(truth["at_risk_children"]), code
        assert at_risk_supported == int(truth["at_risk_supported"]), code
        # Every sample child is in the register: those without an ID are linked probabilistically.
        assert int(truth["records_with_personal_id"]) <= linked <= children, code


def test_cases_mart_equals_the_generated_truth(any_night):
    expected = {(r["province_code"], r["period"]): r for r in _truth(any_night.truth / "expected_cases.csv")}
    rows = any_night.query(
        """select province_code, period, cases_total, abuse_cases, drowning_cases, intervened_cases
           from intermediate.int_protection_cases_by_province"""
    )
    assert {(r[0], r[1]) for r in rows} == set(expected)
    for code, period, total, abuse, drowning, intervened in rows:
        truth = expected[(code, period)]
        assert (total, abuse, drowning, intervened) == (
            int(truth["cases_total"]),
            int(truth["abuse_cases"]),
            int(truth["drowning_cases"]),
            int(truth["intervened_cases"]),
        ), code


@pytest.mark.slow
@pytest.mark.xdist_group("full-night")
def test_a_province_with_no_case_sent_a_nil_return_and_its_row_says_zero(full_night):
    """A header-only cases file is a nil return: 0, not "missing" (the whole country has such a province)."""
    zero = [r for r in _truth(full_night.truth / "expected_cases.csv") if int(r["cases_total"]) == 0]
    assert zero, "the sample has a province without cases"
    rows = dict(
        full_night.query(
            "select province_code, cases_total from intermediate.int_protection_cases_by_province"
        )
    )
    assert all(rows[r["province_code"]] == 0 for r in zero)


def test_every_file_is_accounted_for_and_every_province_summarised(any_night):
    arrivals = _truth(any_night.truth / "expected_arrivals.csv")
    statuses = dict(any_night.query("select status, count(*) from ledger.submissions group by 1"))
    assert sum(statuses.values()) == len(arrivals)
    assert set(statuses) <= {"accepted", "accepted_with_warnings"}
    runs = any_night.query("select province_code, files_found, outcome from ops.province_runs")
    assert {code for code, _, _ in runs} == {r["province_code"] for r in arrivals}
    assert sum(found for _, found, _ in runs) == len(arrivals)
    assert all(outcome == "ok" for _, _, outcome in runs)


def test_legacy_encoded_files_are_read_as_unicode(any_night):
    """Files typed in TCVN3 or VNI come out in NFC Unicode: every child's name is the register's."""
    legacy = {
        r["province_code"]
        for r in _truth(any_night.truth / "file_encodings.csv")
        if r["encoding"] in ("tcvn3", "vni") and r["submission_type"] == "child_records"
    }
    assert legacy, "the night has legacy-encoded child records"
    links = {
        (r["province_code"], r["record_id"]): r["personal_id"]
        for r in _truth(any_night.truth / "child_links.csv")
    }
    register = {
        r["personal_id"]: r["full_name"] for r in _truth(any_night.truth.parent / "register" / "persons.csv")
    }
    rows = any_night.query(
        """select s.province_code, r.record_id, r.full_name from raw.child_records r
           join ledger.submissions s using (submission_id) where s.province_code = any(%s)""",
        None,
        (sorted(legacy),),
    )
    assert rows
    for province, record_id, name in rows:
        # TCVN3 has no bytes for capitals with a tone mark: those arrive in lower case (as in real files).
        assert name.casefold() == register[links[(province, record_id)]].casefold(), (province, record_id)


def test_links_are_correct_against_the_truth(any_night):
    from child_warehouse.linkage.evaluate import measure, read_truth

    accuracy = measure(read_truth(any_night.truth / "child_links.csv"), any_night.url)
    assert accuracy.precision >= 0.995
    assert accuracy.recall >= 0.98
    assert "probabilistic" in accuracy.by_method


def test_marts_carry_no_names_or_personal_ids(night):
    columns = night.query(
        "select table_name, column_name from information_schema.columns where table_schema = 'marts'"
    )
    assert columns
    forbidden = {"full_name", "personal_id", "caregiver_name", "caregiver_personal_id", "record_id"}
    assert not [c for c in columns if c[1] in forbidden]


def test_the_dbt_docs_site_builds_with_every_mart_documented(night):
    night.run("dbt", "docs", "generate", "--quiet")
    assert (night.dbt_target / "index.html").exists()
    catalog = json.loads((night.dbt_target / "catalog.json").read_text())
    marts = {
        node["metadata"]["name"]
        for node in catalog["nodes"].values()
        if node["metadata"]["schema"] == "marts"
    }
    assert {"special_circumstances_by_province", "protection_cases_by_province"} <= marts


def test_commune_assessment_mart_equals_the_generated_truth(any_night):
    expected = {
        (r["province_code"], r["period"]): r for r in _truth(any_night.truth / "expected_assessments.csv")
    }
    rows = any_night.query(
        """select province_code, period, communes_assessed, communes_recognised, communes_recognised_by_rules,
                  recognition_disagreements, communes_total
           from marts.commune_assessment_by_province"""
    )
    assert {(code, period) for code, period, *_ in rows} == set(expected)
    for code, period, assessed, recognised, by_rules, disagreements, total in rows:
        truth = expected[(code, period)]
        assert (assessed, recognised) == (int(truth["communes_assessed"]), int(truth["communes_recognised"]))
        assert (by_rules, disagreements) == (recognised, 0)  # the sample decides as the rules do
        assert assessed <= total
    today = dict(
        any_night.query(
            "select province_code, communes_recognised from marts.commune_assessment_by_province_today"
        )
    )
    assert today == {code: recognised for code, _, _, recognised, *_ in rows}  # after the reform: as reported


def test_hotline_mart_equals_the_generated_truth(any_night):
    expected = {
        (r["province_code"], r["period"]): r for r in _truth(any_night.truth / "expected_hotline.csv")
    }
    rows = any_night.query(
        """select province_code, period, calls, counselling_calls, referrals, interventions
           from marts.hotline_calls_by_province"""
    )
    assert {(code, period) for code, period, *_ in rows} == set(expected)
    for code, period, calls, counselling, referrals, interventions in rows:
        truth = expected[(code, period)]
        assert (calls, counselling, referrals) == tuple(
            int(truth[c]) for c in ("calls", "counselling_calls", "referrals")
        ), code
        sent = int(truth["interventions"])
        assert interventions == (None if 1 <= sent <= 4 else sent), code  # a small cell is withheld


def test_programme_mart_equals_the_generated_truth(any_night):
    expected = {
        (r["province_code"], r["period"], r["activity_type"]): r
        for r in _truth(any_night.truth / "expected_programmes.csv")
    }
    rows = any_night.query(
        """select province_code, period, activity_type, activities, children_reached, spending_vnd
           from marts.programme_activities_by_province"""
    )
    assert {(code, period, kind) for code, period, kind, *_ in rows} == set(expected)
    for code, period, kind, activities, children, spending in rows:
        truth = expected[(code, period, kind)]
        assert (activities, children, spending) == (
            int(truth["activities"]),
            int(truth["children_reached"]),
            int(truth["spending_vnd"]),
        ), (code, kind)
    swimming = dict(
        any_night.query(
            "select province_code, swimming_children_reached from marts.swimming_reach_and_drowning"
        )
    )
    for (code, _, kind), truth in expected.items():
        if kind == "lop_hoc_boi":
            assert swimming[code] == int(truth["children_reached"])


def test_the_cross_checks_agree_on_the_clean_sample(any_night):
    statuses = dict(any_night.query("select status, count(*) from marts.source_cross_checks group by 1"))
    assert statuses.get("warning", 0) == 0
    assert statuses.get("agrees", 0) > 0


def test_the_demo_prints_the_newer_sources_per_province(night):
    from child_warehouse.reporting.marts import department_table

    table = department_table(night.url)
    lines = {line.split(" ", 1)[0]: line for line in table.splitlines()[2:-1]}
    assessed = {r["province_code"]: r for r in _truth(night.truth / "expected_assessments.csv")}
    assert set(lines) == set(assessed) | {"00"}
    for code, truth in assessed.items():
        assert f"{truth['communes_recognised']}/" in lines[code], lines[code]
        assert "2025-Y" in lines[code]
        assert "2026-M10" in lines[code]
    assert lines["00"].split()[1:3] == ["Không", "rõ"]
