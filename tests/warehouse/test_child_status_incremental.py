"""The incremental child-status fact equals a full rebuild after new periods and resubmissions,
including a child recorded in two provinces of which one resubmits."""

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
    "R5": ("001220000005", "p5", "2020-01-15", "Nam"),
    # only in the history test
    "H1": ("001216000011", "h1", "2016-02-02", "Nam"),
    "H2": ("001317000012", "h2", "2017-03-03", "Nữ"),
    "H3": ("001218000013", "h3", "2018-04-04", "Nam"),
}
HISTORY = sql.Identifier("core", "fct_child_status_history")
COMMUNES = {"01": "00004", "04": "01273"}  # Hà Nội, Cao Bằng (communes in force since July 2025)


def _submit(db, make_submission, period: str, records: dict[str, tuple[str, str]], province="01") -> None:
    """An accepted child_records file: record_id -> (special circumstances, supported)."""
    submission_id = make_submission("child_records", province=province, period=period, status="accepted")
    with db, db.cursor() as cur:
        for row, (record_id, (groups, supported)) in enumerate(records.items(), start=2):
            personal_id, pseudonym, born, sex = CHILDREN[record_id]
            cur.execute(
                """insert into raw.child_records (submission_id, source_row, record_id, commune_code,
                       full_name, date_of_birth, sex, personal_id, special_circumstances, supported)
                   values (%s, %s, %s, %s, 'Nguyễn Văn A', %s, %s, %s, %s, %s)""",
                (
                    submission_id,
                    row,
                    record_id,
                    COMMUNES[province],
                    born,
                    sex,
                    personal_id,
                    groups,
                    supported,
                ),
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


@pytest.mark.e2e
def test_a_province_resubmitting_rebuilds_its_children_wherever_else_they_are_recorded(
    db, warehouse_db, make_submission, tmp_path
):
    """A province resubmits: a child also recorded in another province keeps its row (now from the
    other province) with the right count, a child left with no record at all loses its row, and
    the incremental build equals a full refresh after each night."""
    period = "2026-Q1"  # a period no other test of this module uses
    _submit(db, make_submission, period, {"R1": ("a", "x"), "R2": ("", "")}, province="01")
    _submit(db, make_submission, period, {"R2": ("b", "x"), "R4": ("", ""), "R5": ("d", "")}, province="04")
    run_dbt(warehouse_db, tmp_path, "run", "--select", "+fct_child_status", "--full-refresh")

    def rows() -> dict[str, tuple]:  # pseudonym -> (province, records in period, Article 10 groups)
        return {r[0]: (r[3], r[20], r[13]) for r in _fact(db) if r[1] == period}

    assert rows() == {
        "p1": ("01", 1, ["art10_a"]),
        "p2": ("01", 2, []),  # the managed record of the lower province code is kept
        "p4": ("04", 1, []),
        "p5": ("04", 1, ["art10_d"]),
    }

    # Cao Bằng resubmits: the child who moved to Hà Nội is closed there, R5 is gone, R4 changed.
    _submit(db, make_submission, period, {"R4": ("e", "x")}, province="04")
    run_dbt(warehouse_db, tmp_path, "run", "--select", "+fct_child_status")
    incremental = _fact(db)
    assert rows() == {"p1": ("01", 1, ["art10_a"]), "p2": ("01", 1, []), "p4": ("04", 1, ["art10_e"])}

    run_dbt(warehouse_db, tmp_path, "run", "--select", "fct_child_status", "--full-refresh")
    assert incremental == _fact(db)

    # Hà Nội resubmits without the moved child, who is now recorded nowhere: the row goes.
    _submit(db, make_submission, period, {"R1": ("a", "x")}, province="01")
    run_dbt(warehouse_db, tmp_path, "run", "--select", "+fct_child_status")
    incremental = _fact(db)
    assert rows() == {"p1": ("01", 1, ["art10_a"]), "p4": ("04", 1, ["art10_e"])}
    run_dbt(warehouse_db, tmp_path, "run", "--select", "fct_child_status", "--full-refresh")
    assert incremental == _fact(db)


def _history(db) -> list[tuple]:
    with db, db.cursor() as cur:
        cur.execute(
            sql.SQL("select * from {} where child_pseudonym like 'h%%' order by 1, 2").format(HISTORY)
        )
        return cur.fetchall()


def _history_equal_to_full_refresh(db, url: str, target) -> dict[str, list[tuple]]:
    """Build incrementally, compare with a full refresh of the history alone, and return each child's
    versions as (version, first period, Article 10 groups, current)."""
    run_dbt(url, target, "run", "--select", "+fct_child_status_history")
    incremental = _history(db)
    run_dbt(url, target, "run", "--select", "fct_child_status_history", "--full-refresh")
    assert incremental == _history(db)
    versions: dict[str, list[tuple]] = {}
    for row in incremental:
        versions.setdefault(row[0], []).append((row[1], row[7], row[12], row[4]))
    return versions


@pytest.mark.e2e
def test_the_incremental_history_equals_a_full_refresh(db, warehouse_db, make_submission, tmp_path):
    """Periods of its own (2025) and children of its own (h1-h3): a new period, a resubmission that
    changes a status and drops a child's period, and one that leaves a child with no period at all."""
    _submit(db, make_submission, "2025-Q3", {"H1": ("a", "x"), "H2": ("", ""), "H3": ("d", "")})
    _submit(db, make_submission, "2025-Q4", {"H1": ("a", "x"), "H2": ("", ""), "H3": ("d", "")})
    run_dbt(warehouse_db, tmp_path, "run", "--select", "+fct_child_status_history", "--full-refresh")
    assert {
        child: len(v) for child, v in _history_equal_to_full_refresh(db, warehouse_db, tmp_path).items()
    } == {
        "h1": 1,
        "h2": 1,
        "h3": 1,
    }

    # 2026-M01 arrives (h1 now in group b), and 2025-Q4 is resubmitted: h2 in group c, h3 left out.
    _submit(db, make_submission, "2026-M01", {"H1": ("b", "x"), "H2": ("c", "")})
    _submit(db, make_submission, "2025-Q4", {"H1": ("a", "x"), "H2": ("c", "")})
    versions = _history_equal_to_full_refresh(db, warehouse_db, tmp_path)
    assert [(v, period, groups) for v, period, groups, _ in versions["h1"]] == [
        (1, "2025-Q3", ["art10_a"]),
        (2, "2026-M01", ["art10_b"]),
    ]
    assert [(v, period) for v, period, _, _ in versions["h2"]] == [(1, "2025-Q3"), (2, "2025-Q4")]
    assert versions["h3"] == [(1, "2025-Q3", ["art10_d"], True)]

    # 2025-Q3 is resubmitted without h3, who is now in no period: its versions go.
    _submit(db, make_submission, "2025-Q3", {"H1": ("a", "x"), "H2": ("", "")})
    versions = _history_equal_to_full_refresh(db, warehouse_db, tmp_path)
    assert set(versions) == {"h1", "h2"}
