"""The feedback workbook names every file's verdict and every flagged row; formulas never run."""

from openpyxl import load_workbook

from child_warehouse.feedback.report import write_feedback


def test_workbook_lists_verdicts_and_rows_and_keeps_formulas_as_text(
    db, warehouse_db, make_submission, tmp_path
):
    submission = make_submission(status="accepted_with_warnings")
    with db, db.cursor() as cur:
        cur.execute(
            "update ledger.submissions set file_name = '01/2026-Q3/child_records.csv', rows_in_file = 3, "
            "rows_with_errors = 1, rows_with_warnings = 1"
        )
        cur.execute(
            """insert into dq.row_issues (submission_id, source_row, column_name, value, rule, severity,
                       reason_vi, reason_en)
                       values (%s, 4, 'full_name', '=HYPERLINK("http://x")', 'formula_like_cell', 'warning',
                               'Ô giống công thức', 'Cell looks like a formula'),
                              (%s, 3, 'sex', 'X', 'sex_code', 'error', 'Giới tính sai', 'sex is wrong')""",
            (submission, submission),
        )
    path = write_feedback("01", "2026-Q3", tmp_path, warehouse_db)
    assert path == tmp_path / "01" / "2026-Q3" / "phan_hoi_01_2026-Q3.xlsx"
    book = load_workbook(path)
    files = list(book["Tep - Files"].iter_rows(values_only=True))
    assert files[1][:7] == (
        "01/2026-Q3/child_records.csv",
        "child_records",
        1,
        "Chấp nhận, có cảnh báo / Accepted with warnings",
        3,
        1,
        1,
    )
    rows = list(book["Dong - Rows"].iter_rows(min_row=2))
    assert [(r[1].value, r[2].value, r[3].value) for r in rows] == [
        (3, "sex", "X"),
        (4, "full_name", '=HYPERLINK("http://x")'),
    ]
    formula_cell = rows[1][3]
    assert formula_cell.data_type == "s"  # stored as text, so the spreadsheet never evaluates it
    assert formula_cell.quotePrefix
