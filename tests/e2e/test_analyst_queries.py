"""The analyst guide's eight questions, run exactly as documented, as the national analyst, on a night.

The queries are read from docs/analyst-guide.md, so the guide and this test cannot drift apart. Each
answer is checked against the sample generator's truth, with small-cell suppression (counts of 1-4,
and counts whose complement within their parent is 1-4, withheld) worked out here independently.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

import psycopg2
import psycopg2.extras
import pytest
from psycopg2 import sql

from child_warehouse.db import connection

pytestmark = pytest.mark.e2e

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "analyst-guide.md"
QUERY_BLOCK = re.compile(r"<!-- query: (\w+) -->\s*```sql\n(.*?)```", re.DOTALL)
QUESTIONS = {
    "share_supported_2022_2026",
    "abuse_victims_latest_period",
    "drowning_deaths_by_year",
    "late_or_rejected_last_period",
    "partial_figures_2022",
    "child_friendly_communes_2025",
    "hotline_latest_month",
    "swimming_and_drowning",
}
REFORM = date(2025, 7, 1)
PROVINCE = "66"  # today's Đắk Lắk: Đắk Lắk (66) and Phú Yên (54) before July 2025


def documented_queries() -> dict[str, str]:
    return dict(QUERY_BLOCK.findall(GUIDE.read_text(encoding="utf-8")))


def _small(value) -> bool:
    return value is not None and 1 <= value <= 4


def _withheld(value, parent=None) -> bool:
    """The marts' rule: a small count, or a count whose complement within its parent is small."""
    return _small(value) or (parent is not None and value is not None and _small(parent - value))


def _share(numerator, denominator, hidden: bool):
    if hidden or not denominator:
        return None
    return round(Decimal(numerator) / Decimal(denominator), 4)


def _truth(night, name: str) -> list[dict[str, str]]:
    with (night.truth / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _admin(night, sql: str) -> list[tuple]:
    with connection.transaction(night.url) as conn, conn.cursor() as cur:
        cur.execute(sql)
        return cur.fetchall()


def _as(url: str, query: str | sql.Composable) -> list[dict]:
    conn = psycopg2.connect(url)
    try:
        with conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor) as cur:
            cur.execute(query)
            return [dict(row) for row in cur.fetchall()]
    finally:
        conn.close()


@pytest.fixture(scope="module")
def logins(night):
    """A national analyst and a provincial analyst of today's Đắk Lắk; dropped after."""
    with night.logins({"national": "analyst_national", "province": "analyst_province"}, PROVINCE) as urls:
        yield urls


@pytest.fixture(scope="module")
def answers(logins):
    """Every documented query's rows, run as the national analyst."""
    return {name: _as(logins["national"], sql) for name, sql in documented_queries().items()}


@pytest.fixture(scope="module")
def today_of(night) -> dict[str, str]:
    return dict(
        _admin(night, "select old_province_code, new_province_code from reference.province_crosswalk_2025")
    )


def test_the_guide_documents_one_query_per_question():
    assert set(documented_queries()) == QUESTIONS


def _reported_by_province(night) -> dict[str, dict[str, int | None]]:
    values: dict[str, dict[str, int | None]] = defaultdict(dict)
    for row in _truth(night, "expected_reports.csv"):
        values[row["province_code"]][row["indicator_code"]] = int(row["value"]) if row["value"] else None
    return values


def _reported_2022(night, today_of) -> dict[str, dict]:
    """The 2022 annual reports summed onto today's provinces, with what the marts must withhold."""
    rebased: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    for code, values in _reported_by_province(night).items():
        target = rebased[today_of[code]]
        target["provinces"] += 1
        target["children"] += values["children_total"]
        target["hcdb"] += values["hcdb_children"]
        target["drowning"] += values["drowning_deaths"]
        target["hcdb_hidden"] |= _withheld(values["hcdb_children"], values["children_total"])
        target["drowning_hidden"] |= _withheld(values["drowning_deaths"])
        if values["hcdb_supported"] is None:  # not reported: today's sum is partial, never a total
            target["supported_missing"] = True
            continue
        target["supported"] += values["hcdb_supported"]
        target["supported_hidden"] |= _withheld(values["hcdb_supported"], values["hcdb_children"])
    return rebased


def test_share_supported_2022_and_2026_on_todays_boundaries(night, answers, today_of):
    rows = answers["share_supported_2022_2026"]
    records_2026 = {r["province_code"]: r for r in _truth(night, "expected_by_province.csv")}
    assert {r["period"] for r in rows} == {"2022-Y", "2026-9M"}
    assert {r["province_code"] for r in rows} == set(records_2026)
    assert len(rows) == 2 * len(records_2026)
    expected_2022 = _reported_2022(night, today_of)
    for row in rows:
        if row["period"] == "2022-Y":
            truth = expected_2022[row["province_code"]]
            hcdb_hidden = truth["hcdb_hidden"] or _withheld(truth["hcdb"], truth["children"])
            supported_hidden = truth["supported_hidden"] or _withheld(truth["supported"], truth["hcdb"])
            assert row["provinces_as_reported"] == truth["provinces"], row
            assert row["hcdb_children_reported"] == (None if hcdb_hidden else truth["hcdb"]), row
            assert row["hcdb_supported_share_reported"] == _share(
                truth["supported"],
                truth["hcdb"],
                hcdb_hidden or supported_hidden or truth["supported_missing"],
            ), row
            assert row["hcdb_children_records"] is None  # no individual records before 2026 in the sample
        else:
            truth = {k: int(v) for k, v in records_2026[row["province_code"]].items() if v.isdigit()}
            hcdb_hidden = _withheld(truth["hcdb_children"], truth["children_total"])
            supported_hidden = _withheld(truth["hcdb_supported"], truth["hcdb_children"])
            assert row["hcdb_children_records"] == (None if hcdb_hidden else truth["hcdb_children"]), row
            assert row["hcdb_supported_share_records"] == _share(
                truth["hcdb_supported"], truth["hcdb_children"], hcdb_hidden or supported_hidden
            ), row
    published = [
        r for r in rows if r["period"] == "2022-Y" and r["hcdb_supported_share_reported"] is not None
    ]
    assert len(published) >= 0.75 * len(records_2026)  # real shares, not a page of nulls
    assert all(0 < r["hcdb_supported_share_reported"] <= 1 for r in published)


def test_a_figure_one_predecessor_did_not_report_is_partial_on_todays_boundaries(night, logins, today_of):
    """Phú Yên (54) left its 2022 supported count empty: today's Đắk Lắk shows no total and no share
    for it, only the partial sum of Đắk Lắk's own count, marked as 1 of 2 provinces."""
    missing = {
        code for code, values in _reported_by_province(night).items() if values["hcdb_supported"] is None
    }
    assert missing == {"54"}
    (row,) = _as(
        logins["national"],
        """select provinces_expected, hcdb_children_reported, hcdb_supported_reported,
                  hcdb_supported_share_reported, hcdb_supported_reported_partial,
                  hcdb_supported_reported_provinces_reporting
           from marts.provincial_scorecard_today where province_code = '66' and period = '2022-Y'""",
    )
    own = _reported_by_province(night)["66"]["hcdb_supported"]
    assert row["provinces_expected"] == 2
    assert row["hcdb_children_reported"] is not None  # both reported this one: a total
    assert row["hcdb_supported_reported"] is None
    assert row["hcdb_supported_share_reported"] is None
    assert row["hcdb_supported_reported_partial"] == (None if _small(own) else own)
    assert row["hcdb_supported_reported_provinces_reporting"] == 1
    assert today_of["54"] == today_of["66"] == "66"
    # The long mart says the same, and which province did not report.
    (long,) = _as(
        logins["national"],
        """select value_numeric, value_partial, coverage, provinces_expected, provinces_reporting,
                  provinces_not_reporting
           from marts.indicator_values
           where boundaries = 'today' and province_code = '66' and period = '2022-Y'
             and indicator_code = 'hcdb_supported' and disaggregation = 'total'
             and value_source = 'reported'""",
    )
    assert long == {
        "value_numeric": None,
        "value_partial": None if _small(own) else own,
        "coverage": "partial",
        "provinces_expected": 2,
        "provinces_reporting": 1,
        "provinces_not_reporting": ["54"],
    }


def test_the_figures_todays_provinces_cannot_give_in_full(night, answers, today_of):
    """Exactly the figures a predecessor left empty, each with who is missing."""
    expected = {
        (today_of[code], indicator)
        for code, values in _reported_by_province(night).items()
        for indicator, value in values.items()
        if value is None
    }
    rows = answers["partial_figures_2022"]
    assert {(r["province_code"], r["indicator_code"]) for r in rows} == expected
    for row in rows:
        assert row["provinces_reporting"] < row["provinces_expected"], row
        assert row["provinces_not_reporting"], row


def test_every_indicator_a_province_reported_reaches_the_analysts(night, logins):
    """Each catalogue indicator in the warehouse's accepted reports is in marts.indicator_values, as
    reported and on today's boundaries: none is left without a place an analyst can read it."""
    reported = {
        code for (code,) in _admin(night, "select distinct indicator_code from core.fct_indicator_values")
    }
    catalogue = {code for (code,) in _admin(night, "select indicator_code from reference.indicators")}
    published = _as(
        logins["national"],
        "select distinct boundaries, indicator_code from marts.indicator_values "
        "where value_source = 'reported'",
    )
    assert reported
    assert reported <= catalogue
    for boundaries in ("as_reported", "today"):
        assert {r["indicator_code"] for r in published if r["boundaries"] == boundaries} == reported, (
            boundaries
        )


def test_abuse_victims_and_share_intervened_for_the_latest_period(night, answers):
    rows = answers["abuse_victims_latest_period"]
    truth = {r["province_code"]: int(r["abuse_cases"]) for r in _truth(night, "expected_cases.csv")}
    assert {r["period"] for r in rows} == {"2026-M10"}
    assert {r["province_code"] for r in rows} == set(truth)
    for row in rows:
        cases = truth[row["province_code"]]
        assert row["abuse_cases_records"] == (None if _small(cases) else cases), row
        victims = row["abuse_victims_records"]
        assert victims is None or (victims <= cases and not _small(victims)), row
        share = row["abuse_victims_intervened_share_records"]
        assert share is None or 0 <= share <= 1, row
    assert any(r["abuse_cases_records"] is not None for r in rows)


def test_drowning_deaths_by_province_and_year(night, answers, today_of):
    rows = answers["drowning_deaths_by_year"]
    assert {r["period_year"] for r in rows} == {2022, 2026}
    expected_2022 = _reported_2022(night, today_of)
    deaths_2026 = dict(
        _admin(
            night,
            """select p.today_province_code, count(distinct c.victim_key) filter (where c.is_drowning_case
                      and c.is_death)
               from core.fct_protection_cases c
               join core.dim_province p on p.province_code = c.province_code
                and c.period_end_date between p.valid_from and coalesce(p.valid_to, date '9999-12-31')
               where c.period like '2026-%' group by 1""",
        )
    )
    for row in rows:
        if row["period_year"] == 2022:
            truth = expected_2022[row["province_code"]]
            hidden = truth["drowning_hidden"] or _small(truth["drowning"])
            assert row["drowning_deaths_reported"] == (None if hidden else truth["drowning"]), row
        else:
            deaths = deaths_2026.get(row["province_code"], 0)
            assert row["case_months_received"] == 1, row
            assert row["drowning_deaths_records"] == (None if _small(deaths) else deaths), row
    reported_2022 = [r for r in rows if r["period_year"] == 2022]
    assert sum(1 for r in reported_2022 if r["drowning_deaths_reported"]) >= len(reported_2022) // 2


def test_provinces_late_or_rejected_last_period(night, answers):
    rows = answers["late_or_rejected_last_period"]
    last = set(
        _admin(
            night,
            "select distinct submission_type, period from marts.submission_compliance where is_last_period",
        )
    )
    expected = {
        (r["submission_type"], r["period"], r["province_code"])
        for r in _truth(night, "expected_arrivals.csv")
        if r["late"] == "1" and (r["submission_type"], r["period"]) in last
    }
    assert {(r["submission_type"], r["period"], r["province_code"]) for r in rows} == expected
    assert all(r["compliance_status"] == "late" and r["days_late"] > 0 for r in rows)
    if last == {
        ("child_records", "2026-Q3"),
        ("indicator_report", "2026-9M"),
        ("protection_cases", "2026-M10"),
    }:
        assert rows  # the sample makes about one file in seven late


NEW_MARTS = ("provincial_scorecard", "provincial_scorecard_today", "submission_compliance")


@pytest.mark.parametrize("mart", NEW_MARTS)
def test_a_provincial_analyst_sees_only_its_province(logins, today_of, mart):
    query = sql.SQL("select province_code, period_end_date from {}").format(sql.Identifier("marts", mart))
    rows = _as(logins["province"], query)
    assert rows
    seen = {
        today_of[r["province_code"]] if r["period_end_date"] < REFORM else r["province_code"] for r in rows
    }
    assert seen == {PROVINCE}
    if mart != "provincial_scorecard_today":  # as reported: Phú Yên's own rows before the reform
        assert "54" in {r["province_code"] for r in rows}


@pytest.mark.parametrize(
    "table", ["core.fct_child_status", "core.fct_protection_cases", "core.fct_scorecard_counts"]
)
def test_analysts_cannot_read_child_level_or_unsuppressed_tables(logins, table):
    for kind in ("national", "province"):
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            _as(logins[kind], sql.SQL("select * from {} limit 1").format(sql.Identifier(*table.split("."))))


def test_the_raw_layer_is_fresh_after_a_night(night):
    result = night.run("dbt", "source", "freshness")
    assert "ERROR STALE" not in result.stdout
    assert "WARN" not in result.stdout


def test_child_friendly_communes_2025_as_the_assessments_say(night, answers):
    rows = answers["child_friendly_communes_2025"]
    truth = {r["province_code"]: r for r in _truth(night, "expected_assessments.csv")}
    assert {r["province_code"] for r in rows} == set(truth)
    for row in rows:
        expected = truth[row["province_code"]]
        assert row["communes_assessed"] == int(expected["communes_assessed"])
        assert (
            row["communes_recognised"]
            == row["communes_recognised_by_rules"]
            == int(expected["communes_recognised"])
        )
        assert row["recognition_disagreements"] == 0
        assert row["recognised_share"] == round(
            Decimal(row["communes_recognised"]) / row["communes_total"], 4
        )
    shares = [r["recognised_share"] for r in rows]
    assert shares == sorted(shares, reverse=True)


def test_hotline_latest_month_with_small_cells_withheld(night, answers):
    rows = answers["hotline_latest_month"]
    truth = {r["province_code"]: r for r in _truth(night, "expected_hotline.csv")}
    cases = {r["province_code"]: r for r in _truth(night, "expected_cases.csv")}
    assert {r["province_code"] for r in rows} == set(truth)
    for row in rows:
        expected = truth[row["province_code"]]
        assert row["calls"] == int(expected["calls"])
        interventions = int(expected["interventions"])
        assert row["interventions"] == (None if _small(interventions) else interventions)
        if row["province_code"] == "00":
            assert row["children_source"] is None
            assert row["abuse_cases_detected"] is None
            continue
        assert row["children_source"] == "indicator_report"  # the report's count before the records'
        case = cases[row["province_code"]]
        abuse, total = int(case["abuse_cases"]), int(case["cases_total"])
        assert row["abuse_cases_detected"] == (None if _withheld(abuse, total) or _small(total) else abuse)


def test_swimming_reach_beside_drowning_says_when_drowning_is_partial(night, answers):
    rows = answers["swimming_and_drowning"]
    truth = {
        r["province_code"]: int(r["children_reached"])
        for r in _truth(night, "expected_programmes.csv")
        if r["activity_type"] == "lop_hoc_boi"
    }
    assert {r["province_code"] for r in rows} >= set(truth)
    for row in rows:
        assert row["swimming_children_reached"] == truth.get(row["province_code"], 0)
        # the sample's cases are of October only: none of the half year's months is there, so the
        # drowning figures are not known (null), never 0
        assert (row["period"], row["period_months"], row["case_months_received"]) == ("2026-H1", 6, 0)
        assert row["drowning_cases"] is None
        assert row["drowning_deaths"] is None
