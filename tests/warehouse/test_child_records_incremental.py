"""int_child_records_accepted and int_child_records_linked, incremental by submission, equal a full
rebuild after each kind of change a night brings: a new file, a resubmission, a file validated again,
a changed reference list, and (for the linked records) a file's links replaced or completed."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import run_dbt

MODEL = "intermediate.int_child_records_accepted"


def _submit(db, make_submission, province: str, period: str, records: list[tuple[str, str, str]]) -> int:
    """An accepted, validated child_records file: (record_id, ethnic group as sent, Article 10 groups)."""
    submission_id = make_submission("child_records", province=province, period=period, status="accepted")
    with db, db.cursor() as cur:
        cur.execute(
            "update ledger.submissions set validated_at = now() where submission_id = %s", (submission_id,)
        )
        for row, (record_id, ethnicity, groups) in enumerate(records, start=2):
            cur.execute(
                """insert into raw.child_records (submission_id, source_row, record_id, commune_code,
                       full_name, date_of_birth, sex, ethnicity_code, special_circumstances)
                   values (%s, %s, %s, '00004', 'Nguyễn Văn A', '2016-03-01', 'Nam', %s, %s)""",
                (submission_id, row, record_id, ethnicity, groups),
            )
    return submission_id


def _quarantine_every_row(db, submission_id: int) -> None:
    """Validation runs again on the file and now finds an error in every row."""
    with db, db.cursor() as cur:
        cur.execute(
            """insert into dq.row_issues (submission_id, source_row, column_name, value, rule, severity,
                   reason_vi, reason_en)
               select submission_id, source_row, 'sex', sex, 'test_rule', 'error', 'lỗi', 'error'
               from raw.child_records where submission_id = %s""",
            (submission_id,),
        )
        cur.execute(
            "update ledger.submissions set validated_at = now() where submission_id = %s", (submission_id,)
        )


def _rows(db) -> list[tuple]:
    with db, db.cursor() as cur:
        cur.execute(f"select * from {MODEL} order by submission_id, source_row")  # noqa: S608 (a constant)
        return cur.fetchall()


def _built_and_equal_to_full_refresh(db, url: str, target: Path) -> list[tuple]:
    run_dbt(url, target, "run", "--select", "+int_child_records_accepted")
    incremental = _rows(db)
    run_dbt(url, target, "run", "--select", "int_child_records_accepted", "--full-refresh")
    assert incremental == _rows(db)
    return incremental


@pytest.mark.e2e
def test_incremental_build_equals_full_refresh(db, warehouse_db, make_submission, tmp_path):
    q2 = _submit(db, make_submission, "01", "2026-Q2", [("R1", "Kinh", "a"), ("R2", "Tày", "")])
    q3 = _submit(db, make_submission, "01", "2026-Q3", [("R1", "Kinh", "a"), ("R2", "Tày", "b")])
    other = _submit(db, make_submission, "02", "2026-Q3", [("S1", "01", "5")])
    run_dbt(warehouse_db, tmp_path, "run", "--select", "+int_child_records_accepted", "--full-refresh")
    assert {row[0] for row in _rows(db)} == {q2, q3, other}

    # A new quarter, a resubmission of Q3 (R2 gone, R3 new), and province 02's file validated again
    # with every row now an error: the old Q3 rows and all of 02's rows must go.
    q4 = _submit(db, make_submission, "01", "2026-Q4", [("R1", "Kinh", "")])
    q3_again = _submit(db, make_submission, "01", "2026-Q3", [("R1", "Kinh", "a"), ("R3", "Kinh", "d")])
    _quarantine_every_row(db, other)
    rows = _built_and_equal_to_full_refresh(db, warehouse_db, tmp_path)
    assert {row[0] for row in rows} == {q2, q4, q3_again}
    assert [row[5] for row in rows if row[0] == q3_again] == ["R1", "R3"]

    # A reference list changes (the Kinh group renamed): every submission's rows are rebuilt.
    with db, db.cursor() as cur:
        cur.execute("update reference.ethnic_groups set name_vi = 'Kinh (đổi tên)' where ethnic_code = '01'")
    try:
        rows = _built_and_equal_to_full_refresh(db, warehouse_db, tmp_path)
        assert {row[10] for row in rows} == {None, "02"}  # "Kinh" no longer names a group
    finally:
        with db, db.cursor() as cur:
            cur.execute("update reference.ethnic_groups set name_vi = 'Kinh' where ethnic_code = '01'")


LINKED = "intermediate.int_child_records_linked"


def _link(db, submission_id: int, links: dict[str, tuple[str | None, str]], step: str) -> None:
    """The linkage steps replace the file's links (record_id -> (personal ID, method)) and stamp the
    ledger as they do: `by_id` sets linked_at and clears matched_at, `matched` sets matched_at."""
    with db, db.cursor() as cur:
        cur.execute("delete from links.child_links where submission_id = %s", (submission_id,))
        cur.execute(
            "select source_row, record_id from raw.child_records where submission_id = %s", (submission_id,)
        )
        for source_row, record_id in cur.fetchall():
            personal_id, method = links.get(record_id, (None, "none"))
            cur.execute(
                """insert into links.child_links (submission_id, source_row, record_id, personal_id, method,
                       child_pseudonym) values (%s, %s, %s, %s, %s, %s)""",
                (
                    submission_id,
                    source_row,
                    record_id,
                    personal_id,
                    method,
                    personal_id and f"p{personal_id}",
                ),
            )
        stamp = {
            "by_id": "linked_at = clock_timestamp(), matched_at = null",
            "matched": "matched_at = clock_timestamp()",
        }[step]
        cur.execute(f"update ledger.submissions set {stamp} where submission_id = %s", (submission_id,))  # noqa: S608


def _linked_rows(db) -> list[tuple]:
    with db, db.cursor() as cur:
        cur.execute(f"select * from {LINKED} order by submission_id, source_row")  # noqa: S608 (a constant)
        return cur.fetchall()


def _linked_equal_to_full_refresh(db, url: str, target: Path) -> dict[str, list]:
    run_dbt(url, target, "run", "--select", "+int_child_records_linked")
    incremental = _linked_rows(db)
    run_dbt(url, target, "run", "--select", "int_child_records_linked", "--full-refresh")
    assert incremental == _linked_rows(db)
    with db, db.cursor() as cur:
        cur.execute(f"select record_id, submission_id, personal_id, link_method from {LINKED}")  # noqa: S608
        return {record_id: rest for record_id, *rest in cur.fetchall()}


@pytest.mark.e2e
def test_linked_records_incremental_build_equals_full_refresh(db, warehouse_db, make_submission, tmp_path):
    hanoi = _submit(db, make_submission, "01", "2026-Q3", [("R1", "Kinh", "a"), ("R2", "Tày", "")])
    cao_bang = _submit(db, make_submission, "04", "2026-Q3", [("S1", "01", "5"), ("S2", "01", "")])
    _link(db, hanoi, {"R1": ("001216000001", "deterministic_id")}, "by_id")
    _link(db, hanoi, {"R1": ("001216000001", "deterministic_id")}, "matched")
    _link(db, cao_bang, {}, "by_id")
    run_dbt(warehouse_db, tmp_path, "run", "--select", "+int_child_records_linked", "--full-refresh")
    assert {row[5] for row in _linked_rows(db)} == {"R1", "R2", "S1", "S2"}

    # A night: Cao Bằng's probabilistic step finishes (S1 found), Hà Nội is linked by ID again (R2
    # now has an ID) and a new quarter arrives with no links yet.
    _link(db, cao_bang, {"S1": ("001216000009", "probabilistic")}, "matched")
    _link(
        db,
        hanoi,
        {"R1": ("001216000001", "deterministic_id"), "R2": ("001317000002", "deterministic_id")},
        "by_id",
    )
    q4 = _submit(db, make_submission, "01", "2026-Q4", [("R1", "Kinh", "")])
    rows = _linked_equal_to_full_refresh(db, warehouse_db, tmp_path)
    assert rows["S1"] == [cao_bang, "001216000009", "probabilistic"]
    assert rows["R2"][1:] == ["001317000002", "deterministic_id"]
    assert [row[0] for row in _linked_rows(db) if row[5] == "R1"] == [hanoi, q4]

    # Cao Bằng resubmits without S1 and revalidates into every row an error: its rows go.
    cao_bang_again = _submit(db, make_submission, "04", "2026-Q3", [("S2", "01", "")])
    _quarantine_every_row(db, cao_bang_again)
    rows = _linked_equal_to_full_refresh(db, warehouse_db, tmp_path)
    assert not {"S1", "S2"} & set(rows)
