"""Releases on real PostgreSQL, with small stand-in marts (the analyst marts' names and keys, a few
figures): a release is a snapshot that never changes; the next one records revisions with their
reason; what was approved is what is published; the published views keep row-level security; the
candidate shows sign-offs and the largest changes; readiness suggests only what changed."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterator

import psycopg2
import pytest
from psycopg2 import sql

from child_warehouse.db import connection, template
from child_warehouse.releases import candidate
from child_warehouse.releases.marts import released_marts
from child_warehouse.releases.publish import StaleCandidate, publish, release_content
from nights import database_name

PERIOD = "2026-Q3"


@pytest.fixture
def warehouse(server_url: str) -> Iterator[str]:
    """A fresh warehouse of its own (release tables cannot be emptied: they are append-only), with
    each analyst mart stood in by a table of its key columns and three figures."""
    name = database_name("rel")
    url = template.create_database(name, server_url)
    with connection.transaction(url) as conn, conn.cursor() as cur:
        for mart in released_marts():
            keys = dict.fromkeys((*mart.key, "province_code", "period"))
            columns = [sql.SQL("{} text").format(sql.Identifier(k)) for k in keys]
            cur.execute(
                sql.SQL(
                    "create table marts.{} "
                    "({}, children_total integer, share numeric, suppressed_columns text[])"
                ).format(sql.Identifier(mart.name), sql.SQL(", ").join(columns))
            )
        cur.execute(
            "alter table marts.submission_compliance add column is_expected boolean default true, "
            "add column is_received boolean default true, add column deadline_date date default '2026-10-15'"
        )
        _fill(cur, {"01": 120, "79": 340, "66": None})
    yield url
    connection.drop_database(name, server_url)


def _fill(cur, totals: dict[str, int | None]) -> None:
    """Every mart: one row per province for PERIOD (other key columns 'x'); null = withheld."""
    for mart in released_marts():
        cur.execute(sql.SQL("delete from marts.{}").format(sql.Identifier(mart.name)))
        extra = [k for k in mart.key if k not in ("province_code", "period")]
        for province, total in totals.items():
            names = ["province_code", "period", *extra, "children_total", "share", "suppressed_columns"]
            values = [province, PERIOD, *["x"] * len(extra), total, 0.5, [] if total else ["children_total"]]
            cur.execute(
                sql.SQL("insert into marts.{} ({}) values ({})").format(
                    sql.Identifier(mart.name),
                    sql.SQL(", ").join(map(sql.Identifier, names)),
                    sql.SQL(", ").join(sql.Placeholder() * len(values)),
                ),
                values,
            )


def _submission(cur, province: str, sha: str, version: int = 1) -> None:
    cur.execute(
        """insert into ledger.submissions (province_code, period, submission_type, file_uri, file_name,
               size_bytes, sha256, arrived_at, version, status)
           values (%s, %s, 'child_records', 'file:///x', 'x.csv', 1, %s, now(), %s, 'accepted')""",
        (province, PERIOD, sha, version),
    )


def _publish(url: str, **kwargs):
    with connection.transaction(url) as conn:
        return publish(conn, [PERIOD], approved_by=kwargs.pop("by", "reviewer"), **kwargs)


def _query(url: str, query: str, params=None) -> list[tuple]:
    with connection.transaction(url) as conn, conn.cursor() as cur:
        cur.execute(query, params)
        return cur.fetchall()


def test_a_release_is_a_snapshot_a_later_night_does_not_change(warehouse):
    with connection.transaction(warehouse) as conn, conn.cursor() as cur:
        _submission(cur, "79", "a" * 64)
    first = _publish(warehouse)
    assert (first.release_number, first.revisions) == (1, 0)
    assert first.rows_published == 3 * len(released_marts())
    before = release_content(psycopg2.connect(warehouse), 1)
    with connection.transaction(warehouse) as conn, conn.cursor() as cur:
        _fill(cur, {"01": 121, "79": 340, "66": None})  # the next night's provisional figures
    with connection.transaction(warehouse) as conn:
        assert release_content(conn, 1) == before
    assert _query(
        warehouse,
        "select release_number, children_total from published.special_circumstances_by_province "
        "where province_code = '01'",
    ) == [(1, 120)]  # analysts still read the published 120, not tonight's 121
    for statement in (
        "update release.mart_rows set row_values = '{}'",
        "delete from release.releases",
        "truncate release.revisions",
    ):
        with pytest.raises(psycopg2.Error, match="append-only"):
            _query(warehouse, statement)


def test_a_retried_publication_returns_its_release_instead_of_a_second(warehouse):
    first = _publish(warehouse, dag_run_id="manual__1")
    again = _publish(warehouse, dag_run_id="manual__1")
    assert again == first
    assert _query(warehouse, "select count(*) from release.releases") == [(1,)]
    assert _publish(warehouse, dag_run_id="manual__2").release_number == 2


def test_the_next_release_records_revisions_with_their_reason(warehouse):
    with connection.transaction(warehouse) as conn, conn.cursor() as cur:
        _submission(cur, "79", "a" * 64)
        _submission(cur, "01", "b" * 64)
    _publish(warehouse)
    with connection.transaction(warehouse) as conn, conn.cursor() as cur:
        _fill(cur, {"01": 125, "79": 330, "66": 12})
        _submission(cur, "79", "c" * 64, version=2)  # 79 resubmitted; 01 and 66 did not
    second = _publish(warehouse)
    reasons = dict(
        _query(
            warehouse,
            "select province_code, reason from published.revisions "
            "where mart = 'special_circumstances_by_province' and figure = 'children_total'",
        )
    )
    assert reasons == {"79": "resubmission", "01": "reprocess", "66": "reprocess"}
    # per mart: 01's and 79's totals, 66's total and its list of withheld columns (now empty)
    assert second.revisions == 4 * len(released_marts())
    assert _query(
        warehouse,
        "select old_value, new_value from published.revisions where mart = 'provincial_scorecard' "
        "and province_code = '66' and figure = 'children_total'",
    ) == [(None, "12")]
    assert _query(
        warehouse,
        "select release_number, children_total from published.provincial_scorecard "
        "where province_code = '79'",
    ) == [(2, 330)]


def test_a_boundary_change_is_told_apart_from_a_reprocess(warehouse):
    _publish(warehouse)
    with connection.transaction(warehouse) as conn, conn.cursor() as cur:
        _fill(cur, {"01": 120, "79": 341, "66": None})
        cur.execute(
            "update reference.provinces set short_name_vi = short_name_vi || ' ' where province_code = '79'"
        )
    _publish(warehouse)
    assert _query(warehouse, "select distinct reason from published.revisions") == [("boundary_change",)]


def test_nothing_is_published_when_the_marts_changed_after_the_reviewer_saw_them(warehouse):
    with connection.transaction(warehouse) as conn:
        shown = candidate.assemble(conn, [PERIOD])
        conn.rollback()
    with connection.transaction(warehouse) as conn, conn.cursor() as cur:
        _fill(cur, {"01": 999, "79": 340, "66": None})
    with pytest.raises(StaleCandidate, match="changed after the reviewer"):
        _publish(warehouse, expected_fingerprint=shown.fingerprint)
    assert _query(warehouse, "select count(*) from release.releases") == [(0,)]
    with connection.transaction(warehouse) as conn:
        again = candidate.assemble(conn, [PERIOD])
        conn.rollback()
    assert _publish(warehouse, expected_fingerprint=again.fingerprint).release_number == 1


def test_published_views_keep_row_level_security_and_withheld_cells(warehouse):
    _publish(warehouse)
    login, password = f"rel_{secrets.token_hex(4)}", secrets.token_hex(16)
    with connection.transaction(warehouse) as conn, conn.cursor() as cur:
        cur.execute(
            sql.SQL("create role {} login password {} in role analyst_province").format(
                sql.Identifier(login), sql.Literal(password)
            )
        )
        cur.execute(
            "insert into ops.analyst_provinces (role_name, province_code) values (%s, '79')", (login,)
        )
    dsn = psycopg2.extensions.parse_dsn(warehouse)
    url = psycopg2.extensions.make_dsn(**{**dsn, "user": login, "password": password})
    try:
        rows = _query(url, "select province_code, children_total from published.provincial_scorecard")
        assert rows == [("79", 340)]
        assert _query(url, "select count(*) from release.mart_rows") == [(len(released_marts()),)]
        with pytest.raises(psycopg2.Error, match="permission denied"):
            _query(url, "select count(*) from release.basis")
    finally:
        with connection.transaction(warehouse) as conn, conn.cursor() as cur:
            cur.execute(sql.SQL("drop owned by {}").format(sql.Identifier(login)))
            cur.execute(sql.SQL("drop role {}").format(sql.Identifier(login)))
    withheld = _query(
        warehouse,
        "select children_total, suppressed_columns from published.provincial_scorecard "
        "where province_code = '66'",
    )
    assert withheld == [(None, ["children_total"])]


def test_the_candidate_shows_sign_offs_and_the_largest_changes(warehouse):
    with connection.transaction(warehouse) as conn, conn.cursor() as cur:
        _submission(cur, "79", "a" * 64)
        cur.execute(
            """insert into ledger.signoffs (province_code, period, file_uri, sha256, arrived_at, approved_by,
                   approved_at, status, submission_ids)
               values ('79', %s, 'file:///a', 'z', now(), 'Nguyễn Thị Lan', now(), 'approved',
                       array[(select submission_id from ledger.submissions)])""",
            (PERIOD,),
        )
    _publish(warehouse)
    with connection.transaction(warehouse) as conn, conn.cursor() as cur:
        _fill(cur, {"01": 240, "79": 341, "66": None})
    with connection.transaction(warehouse) as conn:
        found = candidate.assemble(conn, [PERIOD])
        conn.rollback()
    assert {s["province_code"]: s["status"] for s in found.signoffs} == {
        "01": "missing",
        "66": "missing",
        "79": "approved",
    }
    assert found.last_release == 1
    assert (found.changes[0]["province_code"], found.changes[0]["old"], found.changes[0]["new"]) == (
        "01",
        120,
        240,
    )
    text = candidate.as_markdown(found)
    assert "1/3 tỉnh đã phê duyệt / provinces signed off" in text
    assert "chưa gửi / not sent: 01, 66" in text
    assert "| 01 | 2026-Q3 | children_total | 120 | 240 |" in text


def test_a_period_is_suggested_once_per_contents(warehouse):
    after_deadline, before_deadline = dt.date(2026, 11, 20), dt.date(2026, 10, 1)
    with connection.transaction(warehouse) as conn:
        assert candidate.ready_periods(conn, before_deadline) == []  # nobody signed off, not due yet
        assert candidate.ready_periods(conn, after_deadline) == [(PERIOD, "the deadline has passed")]
    _publish(warehouse)
    with connection.transaction(warehouse) as conn:
        assert candidate.ready_periods(conn, after_deadline) == []  # published with these contents
    with connection.transaction(warehouse) as conn, conn.cursor() as cur:
        _fill(cur, {"01": 121, "79": 340, "66": None})
    with connection.transaction(warehouse) as conn:
        assert candidate.ready_periods(conn, after_deadline) == [(PERIOD, "the deadline has passed")]
