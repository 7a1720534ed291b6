"""A run that dies between two stages leaves its files where the ledger says; the next run's stages
find them there and finish them, whichever run started them."""

from child_warehouse import ledger
from child_warehouse.db.connection import transaction
from child_warehouse.feedback.report import write_feedback_for_run
from child_warehouse.ingest.stage import load_province
from child_warehouse.linkage.deterministic import link_pending
from child_warehouse.linkage.nightly import link_unlinked_records
from child_warehouse.operations.reprocess import mark_for_reprocessing, plan
from child_warehouse.sources.discover import discover_submissions
from child_warehouse.validation.runner import validate_province
from support import land

RECORDS = (
    "Mã hồ sơ,Mã xã,Họ và tên,Ngày sinh,Giới tính,Số định danh cá nhân\n"
    "HN-1,00004,Nguyễn Thị Hoà,05/03/2015,Nữ,001315000001\n"
    "HN-2,00004,Trần Văn Đức,02/01/2016,Nam,\n"
)


def _progress(url: str) -> tuple:
    with transaction(url) as conn, conn.cursor() as cur:
        cur.execute(
            """select status, processed_run_id, linked_at is not null, matched_at is not null,
                      (select count(*) from links.child_links as l where l.submission_id = s.submission_id)
               from ledger.submissions as s"""
        )
        return cur.fetchone()


def test_a_run_killed_after_loading_is_finished_by_the_next(db, warehouse_db, tmp_path):
    land(tmp_path, "01/2026-Q3/child_records.csv", RECORDS)
    discover_submissions("night-1", str(tmp_path), warehouse_db)
    load_province("01", "night-1", warehouse_db)
    # night-1 dies here: its file is loaded, nothing else
    assert _progress(warehouse_db) == ("loaded", "night-1", False, False, 0)

    assert discover_submissions("night-2", str(tmp_path), warehouse_db) == ["01"]
    load_province("01", "night-2", warehouse_db)  # nothing to load: the rows are not loaded twice
    validate_province("01", warehouse_db, "night-2")
    assert _progress(warehouse_db) == ("accepted", "night-2", False, False, 0)
    link_pending("night-2", warehouse_db)
    assert _progress(warehouse_db) == ("accepted", "night-2", True, False, 2)
    assert discover_submissions("night-3", str(tmp_path), warehouse_db) == []  # nothing left per province
    with transaction(warehouse_db) as conn:
        waiting = ledger.to_match(conn)
    assert len(waiting) == 1  # ...but the national step has not run yet

    link_unlinked_records("night-3", warehouse_db)
    assert _progress(warehouse_db) == ("accepted", "night-3", True, True, 2)
    with transaction(warehouse_db) as conn:
        assert ledger.to_match(conn) == []
    with db.cursor() as cur:
        cur.execute("select count(*) from raw.child_records")
        assert cur.fetchone()[0] == 2


def test_a_verdict_given_again_or_a_reprocess_makes_linkage_to_do_again(db, warehouse_db, tmp_path):
    land(tmp_path, "01/2026-Q3/child_records.csv", RECORDS)
    discover_submissions("night-1", str(tmp_path), warehouse_db)
    load_province("01", "night-1", warehouse_db)
    validate_province("01", warehouse_db, "night-1")
    link_pending("night-1", warehouse_db)
    link_unlinked_records("night-1", warehouse_db)
    assert _progress(warehouse_db)[2:4] == (True, True)

    mark_for_reprocessing(plan("01", "2026-Q3", url=warehouse_db), warehouse_db)
    assert _progress(warehouse_db)[:4] == ("discovered", None, False, False)
    assert discover_submissions("night-2", str(tmp_path), warehouse_db) == ["01"]


def test_feedback_a_run_died_before_writing_is_written_by_the_next(db, warehouse_db, tmp_path):
    land(tmp_path / "landing", "01/2026-Q3/child_records.csv", RECORDS)
    discover_submissions("night-1", str(tmp_path / "landing"), warehouse_db)
    load_province("01", "night-1", warehouse_db)
    validate_province("01", warehouse_db, "night-1")
    # night-1 dies before write_feedback; night-2 has nothing of its own to process
    written = write_feedback_for_run("night-2", tmp_path / "feedback", warehouse_db)
    assert [path.name for path in written] == ["phan_hoi_01_2026-Q3.xlsx"]
    assert write_feedback_for_run("night-3", tmp_path / "feedback", warehouse_db) == []  # once is enough
