"""Loading files into raw: COPY per file, one transaction, refusals recorded, the rest goes on."""

import os

import pytest

from child_warehouse.ingest.stage import load_province
from child_warehouse.linkage.deterministic import link_pending
from child_warehouse.sources.discover import discover_submissions
from child_warehouse.validation.runner import validate_province
from support import land

GOOD = (
    "Mã hồ sơ,Mã xã,Họ và tên,Ngày sinh,Giới tính,Số định danh cá nhân,Cột lạ\n"
    "HN-1,00004,Nguyễn Thị Hoà,05/03/2015,Nữ,001315000001,ghi chú\n"
    "HN-2,00004,Trần Văn Đức,2016-01-02,Nam,,\n"
    "HN-3,00004,Lê Văn An,02/01/2016,Nam\n"
)


def test_a_province_loads_and_a_bad_file_is_refused_with_its_reason(db, warehouse_db, tmp_path):
    land(tmp_path, "01/2026-Q3/child_records.csv", GOOD)
    land(tmp_path, "01/2026-M10/protection_cases.csv", "case_id,full_name\n1,x\n")  # missing columns
    land(tmp_path, "01/2026-Q3/notes.txt", "not a submission")
    provinces = discover_submissions("run-1", str(tmp_path), warehouse_db)
    assert provinces == ["01"]
    outcome = load_province("01", "run-1", warehouse_db)
    assert outcome == {"files_found": 2, "files_loaded": 1, "files_rejected": 1}
    with db.cursor() as cur:
        cur.execute(
            "select source_row, record_id, full_name, extra_columns from raw.child_records order by 1"
        )
        rows = cur.fetchall()
        assert rows[0] == (2, "HN-1", "Nguyễn Thị Hoà", {"Cột lạ": "ghi chú"})
        assert [r[0] for r in rows] == [2, 3, 4]
        cur.execute("select file_name, status, reason_en from ledger.submissions order by file_name")
        ledger = {name: (status, reason) for name, status, reason in cur.fetchall()}
        cur.execute("select source_row, rule from dq.row_issues")
        assert cur.fetchall() == [(4, "malformed_row")]  # the short row is kept and reported
    status, reason = ledger["01/2026-M10/protection_cases.csv"]
    assert status == "rejected"
    assert "lacks required columns" in reason
    status, reason = ledger["01/2026-Q3/notes.txt"]
    assert status == "rejected"
    assert "01/2026-Q3/notes.txt" in reason
    assert ledger["01/2026-Q3/child_records.csv"] == ("loaded", None)


def test_same_content_is_skipped_and_new_content_is_a_resubmission(db, warehouse_db, tmp_path):
    land(tmp_path, "01/2026-Q3/child_records.csv", GOOD)
    discover_submissions("run-1", str(tmp_path), warehouse_db)
    load_province("01", "run-1", warehouse_db)
    validate_province("01", warehouse_db, "run-1")
    link_pending("run-1", warehouse_db)
    assert discover_submissions("run-2", str(tmp_path), warehouse_db) == []
    land(tmp_path, "01/2026-Q3/child_records.v2.csv", GOOD.replace("HN-3", "HN-4"))
    assert discover_submissions("run-3", str(tmp_path), warehouse_db) == ["01"]
    with db.cursor() as cur:
        cur.execute("select file_name, version from ledger.submissions order by version")
        assert cur.fetchall() == [("01/2026-Q3/child_records.csv", 1), ("01/2026-Q3/child_records.v2.csv", 2)]


def test_reloading_a_submission_replaces_its_rows(db, warehouse_db, tmp_path):
    land(tmp_path, "01/2026-Q3/child_records.csv", GOOD)
    discover_submissions("run-1", str(tmp_path), warehouse_db)
    load_province("01", "run-1", warehouse_db)
    with db, db.cursor() as cur:
        cur.execute("update ledger.submissions set status = 'load_failed'")
    load_province("01", "run-2", warehouse_db)
    with db.cursor() as cur:
        cur.execute("select count(*) from raw.child_records")
        assert cur.fetchone()[0] == 3


def test_a_header_only_cases_file_is_a_nil_return_but_an_empty_child_list_is_refused(
    db, warehouse_db, tmp_path
):
    land(
        tmp_path,
        "01/2026-M10/protection_cases.csv",
        "case_id,full_name,date_of_birth,sex,commune_code,case_type,detected_on,intervention_status\n",
    )
    land(tmp_path, "01/2026-Q3/child_records.csv", "record_id,commune_code,full_name,date_of_birth,sex\n")
    discover_submissions("run-1", str(tmp_path), warehouse_db)
    assert load_province("01", "run-1", warehouse_db) == {
        "files_found": 2,
        "files_loaded": 1,
        "files_rejected": 1,
    }
    with db.cursor() as cur:
        cur.execute("select submission_type, status, reason_en from ledger.submissions order by 1")
        (child_type, child_status, child_reason), (case_type, case_status, _) = cur.fetchall()
    assert (child_type, child_status) == ("child_records", "rejected")
    assert "no data rows" in child_reason
    assert (case_type, case_status) == ("protection_cases", "loaded")


def test_identical_files_from_two_provinces_are_two_submissions(db, warehouse_db, tmp_path):
    nil_return = (
        "case_id,full_name,date_of_birth,sex,commune_code,case_type,detected_on,intervention_status\n"
    )
    land(tmp_path, "01/2026-M10/protection_cases.csv", nil_return)
    land(tmp_path, "79/2026-M10/protection_cases.csv", nil_return)
    land(tmp_path, "notes.txt", "misplaced")
    assert discover_submissions("run-1", str(tmp_path), warehouse_db) == ["01", "79"]
    discover_submissions("run-2", str(tmp_path), warehouse_db)  # nothing is recorded twice
    with db.cursor() as cur:
        cur.execute("select province_code, status from ledger.submissions order by 1")
        assert cur.fetchall() == [("01", "discovered"), ("79", "discovered"), (None, "rejected")]


@pytest.mark.chaos
def test_the_same_bytes_landed_twice_or_sent_again_are_one_submission(db, warehouse_db, tmp_path, caplog):
    """Two names, one content, the same night (a province's tool saved the file twice); then the
    very same bytes sent again under a third name a night later: one file, loaded once, and the log
    names each copy that was not recorded."""
    first = land(tmp_path, "01/2026-Q3/child_records.csv", GOOD)
    copy = land(tmp_path, "01/2026-Q3/child_records.copy.csv", GOOD)
    os.utime(copy, (first.stat().st_mtime + 1, first.stat().st_mtime + 1))  # saved a second later
    with caplog.at_level("INFO", logger="child_warehouse.ledger.store"):
        assert discover_submissions("run-1", str(tmp_path), warehouse_db) == ["01"]
    load_province("01", "run-1", warehouse_db)
    land(tmp_path, "01/2026-Q3/child_records.resent.csv", GOOD)
    with caplog.at_level("INFO", logger="child_warehouse.ledger.store"):
        discover_submissions("run-2", str(tmp_path), warehouse_db)
    load_province("01", "run-2", warehouse_db)
    with db.cursor() as cur:
        cur.execute("select file_name, version, status from ledger.submissions")
        assert cur.fetchall() == [("01/2026-Q3/child_records.csv", 1, "loaded")]
        cur.execute("select count(*) from raw.child_records")
        assert cur.fetchone()[0] == 3
    for copy in ("child_records.copy.csv", "child_records.resent.csv"):
        assert f"01/2026-Q3/{copy} is not recorded again" in caplog.text
