"""The engineers' run report counts only rows the warehouse took: not a refused file's rows, not a
version a later accepted one replaced, not rows excluded for errors; and says how each file was read."""

from child_warehouse.reporting.marts import last_run_table
from child_warehouse.reporting.runs import record_run_summary


def test_rows_loaded_leave_out_refused_files_replaced_versions_and_excluded_rows(
    db, warehouse_db, make_submission
):
    first = make_submission(province="01", status="accepted")
    second = make_submission(province="01", status="accepted_with_warnings")
    refused = make_submission("protection_cases", province="01", status="rejected")
    with db, db.cursor() as cur:
        cur.execute("update ledger.submissions set processed_run_id = 'run-1'")
        cur.execute(
            "update ledger.submissions set version = 1, rows_in_file = 100, rows_with_errors = 0,"
            " encoding = 'tcvn3', delimiter = ';', header_row = 1 where submission_id = %s",
            (first,),
        )
        cur.execute(
            "update ledger.submissions set version = 2, rows_in_file = 120, rows_with_errors = 7"
            " where submission_id = %s",
            (second,),
        )
        cur.execute("update ledger.submissions set rows_in_file = 50 where submission_id = %s", (refused,))
    record_run_summary("run-1", warehouse_db)
    with db.cursor() as cur:
        cur.execute("select rows_received, rows_loaded, rows_with_errors from ops.province_runs")
        assert cur.fetchall() == [(270, 113, 7)]  # 100 + 120 + 50 sent; 120 - 7 taken
    table = last_run_table(warehouse_db)
    assert "encoding tcvn3, delimiter ';', header row 1" in table
