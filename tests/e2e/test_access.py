"""Connected as each role, analysts see what they may and nothing else (marts from a real night)."""

from __future__ import annotations

import psycopg2
import pytest
from psycopg2 import sql

from child_warehouse.db import connection

pytestmark = pytest.mark.e2e
MART = "marts.special_circumstances_by_province"


def _select(columns: str, table: str, limit: int | None = None) -> sql.Composed:
    """`select <columns> from <schema.table>` for a table named in this module."""
    query = sql.SQL("select {} from {}").format(sql.SQL(columns), sql.Identifier(*table.split(".")))
    return query + sql.SQL(" limit {}").format(sql.Literal(limit)) if limit else query


@pytest.fixture(scope="module")
def logins(night):
    """Login roles for a national analyst, a provincial analyst (79) and a loader; dropped after."""
    members = {"national": "analyst_national", "province": "analyst_province", "loader": "loader"}
    with night.logins(members, province="79") as urls:
        yield urls


def _rows(url: str, query: str | sql.Composable) -> list[tuple]:
    conn = psycopg2.connect(url)
    try:
        with conn.cursor() as cur:
            cur.execute(query)
            return cur.fetchall()
    finally:
        conn.close()


def test_the_national_analyst_sees_every_province(logins, night):
    with (night.truth / "expected_by_province.csv").open(encoding="utf-8") as handle:
        provinces = {line.split(",")[0] for line in list(handle)[1:]}
    assert {row[0] for row in _rows(logins["national"], _select("province_code", MART))} == provinces


NEWER_MARTS = (
    "marts.commune_assessment_by_province",
    "marts.commune_criterion_scores",
    "marts.communes_nearest_recognition",
    "marts.hotline_calls_by_province",
    "marts.hotline_calls_by_topic",
    "marts.programme_activities_by_province",
    "marts.swimming_reach_and_drowning",
    "marts.source_cross_checks",
)


def test_a_provincial_analyst_sees_only_its_province_in_every_mart(logins):
    """Today's rows are 79's only; before the reform, those of the provinces merged into it (Bình
    Dương 74, Bà Rịa-Vũng Tàu 77) and no other."""
    from child_warehouse.synth.periods import parse_period

    marts = (MART, "marts.protection_cases_by_province", "marts.linkage_quality_by_group", *NEWER_MARTS)
    for mart in marts:
        seen = {
            (code, parse_period(period).pre_reform)
            for code, period in _rows(logins["province"], _select("province_code, period", mart))
        }
        assert {code for code, pre_reform in seen if not pre_reform} == {"79"}, mart
        assert {code for code, _ in seen} <= {"74", "77", "79"}, mart


def test_the_hotlines_calls_of_unknown_province_are_the_national_analysts_only(logins):
    """The hotline 111 reports every province's calls in one national file: each province sees its
    own callers' rows; the calls whose province is unknown ('00') belong to no province."""
    query = _select("province_code", "marts.hotline_calls_by_province")
    assert "00" in {row[0] for row in _rows(logins["national"], query)}
    assert {row[0] for row in _rows(logins["province"], query)} == {"79"}


def test_a_provincial_analyst_sees_its_province_and_its_predecessors_in_the_indicator_values(logins):
    """Hồ Chí Minh City's analyst: today's 79, and as reported 79, Bình Dương (74) and Bà Rịa-Vũng Tàu
    (77) before the reform; nothing of any other province."""
    query = (
        "select distinct boundaries, province_code, period_end_date < date '2025-07-01' "
        "from marts.indicator_values"
    )
    seen = set(_rows(logins["province"], query))
    assert ("today", "79", False) in seen
    assert {code for boundaries, code, _ in seen if boundaries == "today"} == {"79"}
    assert {code for boundaries, code, before in seen if boundaries == "as_reported" and before} == {
        "74",
        "77",
        "79",
    }
    assert {code for boundaries, code, before in seen if boundaries == "as_reported" and not before} == {"79"}


@pytest.mark.parametrize(
    "table",
    [
        "raw.child_records",
        "staging.stg_raw__child_records",
        "register.persons",
        "links.child_links",
        "ops.analyst_provinces",
    ],
)
def test_analysts_cannot_read_personal_data(logins, table):
    for kind in ("national", "province"):
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            _rows(logins[kind], _select("*", table, limit=1))


def test_the_loader_cannot_read_the_marts(logins):
    with pytest.raises(psycopg2.errors.InsufficientPrivilege):
        _rows(logins["loader"], _select("*", MART, limit=1))


def test_rls_is_forced_and_no_group_role_bypasses_it(night):
    rows = _query_admin(
        night.url,
        """select c.relname, c.relrowsecurity, c.relforcerowsecurity
                                        from pg_class c join pg_namespace n on n.oid = c.relnamespace
                                        where n.nspname = 'marts' and c.relkind = 'r'""",
    )
    assert rows
    assert all(enabled and forced for _, enabled, forced in rows)
    bypass = _query_admin(
        night.url,
        """select rolname from pg_roles where rolbypassrls
           and rolname in ('loader', 'transformer', 'analyst_national', 'analyst_province')""",
    )
    assert bypass == []


def _query_admin(url: str, sql: str) -> list[tuple]:
    with connection.transaction(url) as conn, conn.cursor() as cur:
        cur.execute(sql)
        return cur.fetchall()


def test_a_provincial_analyst_cannot_ask_which_province_another_role_sees(logins, night):
    """util.analyst_can_see answers only about the caller's own roles: asked about another analyst's
    role (or a group), it says false whatever the province."""
    with night.logins({"other": "analyst_province"}, province="01") as other:
        other_role = psycopg2.extensions.parse_dsn(other["other"])["user"]
        ask = "select util.analyst_can_see({}, '01', '2026-Q3')"
        assert _rows(other["other"], sql.SQL(ask).format(sql.Literal(other_role))) == [(True,)]
        for role in (other_role, "analyst_province", "analyst_national"):
            assert _rows(logins["province"], sql.SQL(ask).format(sql.Literal(role))) == [(False,)]
