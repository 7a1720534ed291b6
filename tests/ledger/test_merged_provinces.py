"""A pre-reform province's files are the work of the province it merged into on 1 July 2025: one task
per province of today loads and validates them beside its own (util.province_now), so a night with
history has 34 province tasks, not one more per province that no longer exists."""

import pytest

from child_warehouse import ledger
from child_warehouse.db.connection import fetch_all, transaction
from child_warehouse.ingest.stage import load_province
from child_warehouse.operations.reprocess import provinces_for_run
from child_warehouse.sources.discover import discover_submissions
from child_warehouse.validation.runner import validate_province
from support import land

HEADER = "Mã hồ sơ,Mã xã,Họ và tên,Ngày sinh,Giới tính,Số định danh cá nhân\n"
# Hà Giang (02) in 2024, with one of its communes then; Tuyên Quang (08), which Hà Giang joined, now
HA_GIANG_2024 = HEADER + "HG-1,00688,Hoàng Thị Mai,05/03/2015,Nữ,\n"
TUYEN_QUANG_2026 = HEADER + "TQ-1,00691,Hoàng Văn Nam,02/01/2016,Nam,\n"


@pytest.mark.parametrize(
    ("code", "period", "now"),
    [
        ("02", "2024-Y", "08"),  # Hà Giang's last year: Tuyên Quang's today
        ("02", "2025-H1", "08"),  # ends 30 June 2025, the last day before the reform
        ("08", "2024-Y", "08"),  # Tuyên Quang itself
        ("08", "2026-Q3", "08"),
        ("10", "2024-Q4", "15"),  # Lào Cai's old code: today's Lào Cai is 15...
        ("15", "2024-Q4", "15"),  # ...the code Yên Bái had, which merged into it
        ("15", "2025-9M", "15"),  # a period ending after the reform keeps its code
        ("national", "2026-M10", "national"),  # the hotline's folder is in no crosswalk
    ],
)
def test_the_province_answering_today(db, code, period, now):
    with db.cursor() as cur:
        cur.execute("select util.province_now(%s, %s)", (code, period))
        assert cur.fetchone()[0] == now


def test_a_predecessors_files_are_loaded_and_validated_by_its_successors_task(db, warehouse_db, tmp_path):
    land(tmp_path, "02/2024-Q4/child_records.csv", HA_GIANG_2024)
    land(tmp_path, "08/2026-Q3/child_records.csv", TUYEN_QUANG_2026)

    assert discover_submissions("night-1", str(tmp_path), warehouse_db, dry_run=True) == ["08"]
    assert discover_submissions("night-1", str(tmp_path), warehouse_db) == ["08"]
    assert load_province("08", "night-1", warehouse_db)["files_loaded"] == 2
    verdicts = validate_province("08", warehouse_db, "night-1")
    assert sum(verdicts.values()) == 2

    # each file keeps the province and period its folder names: feedback, sign-offs and the marts read them
    ledger_rows = fetch_all(
        "select province_code, period, status from ledger.submissions order by province_code",
        url=warehouse_db,
    )
    assert [(code, period) for code, period, _ in ledger_rows] == [("02", "2024-Q4"), ("08", "2026-Q3")]
    assert {status for _, _, status in ledger_rows} <= {s.value for s in ledger.FINAL}


def test_reprocessing_a_predecessor_runs_its_successors_task(db, warehouse_db, tmp_path):
    land(tmp_path, "02/2024-Q4/child_records.csv", HA_GIANG_2024)
    discover_submissions("night-1", str(tmp_path), warehouse_db)
    load_province("08", "night-1", warehouse_db)
    validate_province("08", warehouse_db, "night-1")

    params = {"province_code": "02", "period_from": "2024-Q4"}
    assert provinces_for_run([], params, warehouse_db) == ["08"]
    with transaction(warehouse_db) as conn:
        pending = [s.file_name for s in ledger.pending_submissions(conn, "08")]
        assert pending == ["02/2024-Q4/child_records.csv"]
        assert ledger.pending_submissions(conn, "02") == []
