"""Catch rates join the generator's faults to the row issues validation recorded."""

from child_warehouse.validation.catch_rates import catch_rates, table


def test_faults_are_counted_caught_by_error_or_warning(db, warehouse_db, make_submission, tmp_path):
    submission = make_submission()
    with db, db.cursor() as cur:
        cur.execute("update ledger.submissions set file_name = '01/2026-Q3/child_records.csv'")
        cur.execute(
            """insert into dq.row_issues (submission_id, source_row, column_name, value, rule, severity,
                   reason_vi, reason_en)
               values (%s, 5, 'commune_code', '99999', 'commune_in_province', 'error', 'x', 'x'),
                      (%s, 7, 'personal_id', '1', 'personal_id_agrees_with_birth_and_sex', 'warning',
                       'x', 'x')""",
            (submission, submission),
        )
    faults = tmp_path / "faults.csv"
    faults.write_text(
        "file,row,column,fault,record_id,original,written\n"
        "01/2026-Q3/child_records.csv,5,commune_code,unknown_commune,a,1,2\n"
        "01/2026-Q3/child_records.csv,6,commune_code,unknown_commune,b,1,2\n"
        "01/2026-Q3/child_records.csv,7,sex,wrong_sex,c,Nam,Nữ\n"
    )
    rows = catch_rates(faults, warehouse_db)
    assert rows == [
        ("unknown_commune", 2, 1, 0, "commune_in_province"),
        ("wrong_sex", 1, 0, 1, "personal_id_agrees_with_birth_and_sex"),
    ]
    assert "50.0%" in table(rows)
