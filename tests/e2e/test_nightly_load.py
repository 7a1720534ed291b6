"""A whole nightly load through Airflow on real PostgreSQL: the marts equal the generator's truth."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from child_warehouse.db import connection

pytestmark = pytest.mark.e2e


def _query(url: str, sql: str) -> list[tuple]:
    with connection.transaction(url) as conn, conn.cursor() as cur:
        cur.execute(sql)
        return cur.fetchall()


def _truth(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_mart_equals_the_generated_truth(night):
    # The counts before small-cell suppression (the analyst mart withholds 1-4): restricted layer.
    expected = {
        (r["province_code"], r["period"]): r for r in _truth(night["truth"] / "expected_by_province.csv")
    }
    rows = _query(
        night["url"],
        """select province_code, period, children_total, hcdb_children, hcdb_supported,
                                          at_risk_children, at_risk_supported, children_linked
                                   from intermediate.int_special_circumstances_by_province""",
    )
    assert len(rows) == 34
    for code, period, children, hcdb, supported, at_risk, at_risk_supported, linked in rows:
        truth = expected[(code, period)]
        assert children == int(truth["children_total"]), code
        assert hcdb == int(truth["hcdb_children"]), code
        assert supported == int(truth["hcdb_supported"]), code
        assert at_risk == int(truth["at_risk_children"]), code
        assert at_risk_supported == int(truth["at_risk_supported"]), code
        # Every sample child is in the register: those without an ID are linked probabilistically.
        assert int(truth["records_with_personal_id"]) <= linked <= children, code


def test_cases_mart_equals_the_generated_truth(night):
    expected = {(r["province_code"], r["period"]): r for r in _truth(night["truth"] / "expected_cases.csv")}
    rows = _query(
        night["url"],
        """select province_code, period, cases_total, abuse_cases, drowning_cases, intervened_cases
           from intermediate.int_protection_cases_by_province""",
    )
    # A province with no case sent a header-only file (a nil return): its row says 0, not "missing".
    assert {(r[0], r[1]) for r in rows} == set(expected)
    assert any(int(v["cases_total"]) == 0 for v in expected.values())
    for code, period, total, abuse, drowning, intervened in rows:
        truth = expected[(code, period)]
        assert (total, abuse, drowning, intervened) == (
            int(truth["cases_total"]),
            int(truth["abuse_cases"]),
            int(truth["drowning_cases"]),
            int(truth["intervened_cases"]),
        ), code


# The sample: three 2026 files from each of the 34 provinces, and the 2022 annual report of each of
# the 63 pre-reform provinces (their codes include the 34 kept by today's provinces).
SAMPLE_FILES = 34 * 3 + 63


def test_every_file_is_accounted_for_and_every_province_summarised(night):
    statuses = dict(_query(night["url"], "select status, count(*) from ledger.submissions group by 1"))
    assert sum(statuses.values()) == SAMPLE_FILES
    assert set(statuses) <= {"accepted", "accepted_with_warnings"}
    runs = _query(night["url"], "select province_code, files_found, outcome from ops.province_runs")
    assert len(runs) == 63
    assert sum(found for _, found, _ in runs) == SAMPLE_FILES
    assert all(outcome == "ok" for _, _, outcome in runs)


def test_links_are_correct_against_the_truth(night):
    from child_warehouse.linkage.evaluate import measure, read_truth

    accuracy = measure(read_truth(night["truth"] / "child_links.csv"), night["url"])
    assert accuracy.precision >= 0.995
    assert accuracy.recall >= 0.98
    assert "probabilistic" in accuracy.by_method


def test_marts_carry_no_names_or_personal_ids(night):
    columns = _query(
        night["url"],
        """select table_name, column_name from information_schema.columns
                                      where table_schema = 'marts'""",
    )
    assert columns
    forbidden = {"full_name", "personal_id", "caregiver_name", "caregiver_personal_id", "record_id"}
    assert not [c for c in columns if c[1] in forbidden]


def test_a_second_night_changes_nothing(night):
    before = _query(night["url"], "select * from marts.special_circumstances_by_province order by 1, 3")
    night["run"]("night", "--date", "2026-11-21")
    after = _query(night["url"], "select * from marts.special_circumstances_by_province order by 1, 3")
    assert after == before
    assert _query(night["url"], "select count(*) from ledger.submissions") == [(SAMPLE_FILES,)]


def test_reprocessing_one_province_gives_the_marts_of_a_clean_run(night):
    before = _query(night["url"], "select * from marts.special_circumstances_by_province order by 1, 3")
    night["run"]("reprocess", "--province", "01", "--period", "2026-Q3", "--to", "2026-M10")
    night["run"]("night", "--date", "2026-11-22")
    after = _query(night["url"], "select * from marts.special_circumstances_by_province order by 1, 3")
    assert after == before
    reloaded = _query(
        night["url"],
        "select count(*) from ledger.submissions where province_code = '01' and period like '2026-%' "
        "and loaded_at > validated_at - interval '1 hour' and status like 'accepted%'",
    )
    assert reloaded == [(3,)]


def test_the_dbt_docs_site_builds_with_every_mart_documented(night):
    night["run"]("dbt", "docs", "generate", "--quiet")
    target = night["dbt_target"]
    assert (target / "index.html").exists()

    catalog = json.loads((target / "catalog.json").read_text())
    marts = {
        node["metadata"]["name"]
        for node in catalog["nodes"].values()
        if node["metadata"]["schema"] == "marts"
    }
    assert {"special_circumstances_by_province", "protection_cases_by_province"} <= marts
