"""The incremental child-status fact equals a full rebuild after new periods and resubmissions."""

from __future__ import annotations

import pytest
from psycopg2 import sql

from support import run_dbt

FACT = sql.Identifier("core", "fct_child_status")
CHILDREN = {  # record_id: (personal ID, pseudonym, date of birth, sex)
    "R1": ("001216000001", "p1", "2016-03-01", "Nam"),
    "R2": ("001317000002", "p2", "2017-05-12", "Nữ"),
    "R3": ("001218000003", "p3", "2018-07-30", "Nam"),
    "R4": ("001319000004", "p4", "2019-09-09", "Nữ"),
}


def _submit(db, make_submission, period: str, records: dict[str, tuple[str, str]]) -> None:
    """An accepted child_records file for Hà Nội: record_id -> (special circumstances, supported)."""
    submission_id = make_submission("child_records", province="01", period=period, status="accepted")
    with db, db.cursor() as cur:
        for row, (record_id, (groups, supported)) in enumerate(records.items(), start=2):
            personal_id, pseudonym, born, sex = CHILDREN[record_id]
            cur.execute(
                """insert into raw.child_records (submission_id, source_row, record_id, commune_code,
                       full_name, date_of_birth, sex, personal_id, special_circumstances, supported)
                   values (%s, %s, %s, '00004', 'Nguyễn Văn A', %s, %s, %s, %s, %s)""",
                (submission_id, row, record_id, born, sex, personal_id, groups, supported),
            )
            cur.execute(
                """insert into links.child_links (submission_id, source_row, record_id, personal_id, method,
                       child_pseudonym) values (%s, %s, %s, %s, 'deterministic_id', %s)""",
                (submission_id, row, record_id, personal_id, pseudonym),
            )


def _fact(db) -> list[tuple]:
    with db, db.cursor() as cur:
        cur.execute(sql.SQL("select * from {} order by child_pseudonym, period").format(FACT))
        return cur.fetchall()


@pytest.mark.e2e
def test_incremental_build_equals_full_refresh(db, warehouse_db, make_submission, tmp_path):
    _submit(db, make_submission, "2026-Q2", {"R1": ("a", "x"), "R2": ("", ""), "R3": ("d", "x")})
    _submit(db, make_submission, "2026-Q3", {"R1": ("a", "x"), "R2": ("", ""), "R3": ("d", "x")})
    run_dbt(warehouse_db, tmp_path, "run", "--select", "+fct_child_status", "--full-refresh")
    assert len(_fact(db)) == 6

    # A new quarter arrives, and Q3 is resubmitted: R3 is gone from it, R2 is now supported.
    _submit(db, make_submission, "2026-Q4", {"R1": ("a", ""), "R2": ("b", "x"), "R4": ("", "")})
    _submit(db, make_submission, "2026-Q3", {"R1": ("a", "x"), "R2": ("b", "x")})
    run_dbt(warehouse_db, tmp_path, "run", "--select", "+fct_child_status")
    incremental = _fact(db)

    run_dbt(warehouse_db, tmp_path, "run", "--select", "fct_child_status", "--full-refresh")
    assert incremental == _fact(db)
    periods = {(row[0], row[1]) for row in incremental}
    assert ("p3", "2026-Q3") not in periods  # the resubmission replaced the whole period
    assert {("p3", "2026-Q2"), ("p4", "2026-Q4"), ("p2", "2026-Q3")} <= periods
