"""The feedback workbook: every file's verdict and every flagged row, laid out to read and print as it
opens (widths, wrapping, heights, frozen header, filters, landscape fitted to width); formulas never run."""

import math

from openpyxl import load_workbook

from child_warehouse.feedback.report import ROWS_SHEET, SUMMARY_SHEET, write_feedback


def _flagged_file(db, make_submission) -> int:
    submission = make_submission(status="accepted_with_warnings")
    with db, db.cursor() as cur:
        cur.execute(
            """update ledger.submissions set file_name = '01/2026-Q3/child_records.csv', rows_in_file = 3,
                      rows_with_errors = 1, rows_with_warnings = 1, encoding = 'tcvn3', delimiter = ';',
                      header_row = 1, headers = '{"full_name": "Họ và tên", "sex": "Giới tính"}',
                      reason_vi = 'Tệp được nhận: 1/3 dòng có lỗi.',
                      reason_en = 'File accepted: 1 of 3 rows.'"""
        )
        cur.execute(
            """insert into dq.row_issues (submission_id, source_row, column_name, value, rule, severity,
                       reason_vi, reason_en)
                       values (%s, 4, 'full_name', '=HYPERLINK("http://x")', 'formula_like_cell', 'warning',
                               'Ô giống công thức', 'Cell looks like a formula'),
                              (%s, 3, 'sex', 'X', 'sex_code', 'error', 'Giới tính sai', 'sex is wrong'),
                              (%s, null, 'has_disability', '2 ô trống / empty cells', 'empty_yes_no_cells',
                               'note', 'Ô trống được hiểu là Không', 'Empty cells read as no')""",
            (submission, submission, submission),
        )
    return submission


def test_the_summary_says_verdict_counts_reading_and_what_to_do(db, warehouse_db, make_submission, tmp_path):
    _flagged_file(db, make_submission)
    path = write_feedback("01", "2026-Q3", tmp_path, warehouse_db)
    assert path == tmp_path / "01" / "2026-Q3" / "phan_hoi_01_2026-Q3.xlsx"
    book = load_workbook(path)
    assert book.sheetnames == [SUMMARY_SHEET, ROWS_SHEET]
    summary = book[SUMMARY_SHEET]
    assert "tỉnh 01, kỳ 2026-Q3" in summary["A1"].value
    assert summary["A2"].value == "Tệp\nFile"  # Vietnamese first, English below
    line = [c.value for c in summary[3]]
    assert line[:7] == ["child_records.csv", "child_records\nphiên bản / version 1",
                        "Chấp nhận, có cảnh báo\nAccepted with warnings", 3, 2, 1, 1]  # fmt: skip
    assert "Mã hóa / Encoding: tcvn3" in line[7]
    assert "Delimiter: ;" in line[7]
    assert line[8] == "Tệp được nhận: 1/3 dòng có lỗi.\nFile accepted: 1 of 3 rows."
    assert line[9].startswith("Sửa 1 dòng bị loại")
    assert "Fix the 1 excluded rows" in line[9]


def test_flagged_rows_use_the_officers_headers_and_formulas_stay_text(
    db, warehouse_db, make_submission, tmp_path
):
    _flagged_file(db, make_submission)
    rows = list(
        load_workbook(write_feedback("01", "2026-Q3", tmp_path, warehouse_db))[ROWS_SHEET].iter_rows(
            min_row=3
        )
    )
    assert [(r[1].value, r[2].value, r[3].value) for r in rows] == [
        ("cả tệp\nwhole file", "has_disability", "2 ô trống / empty cells"),  # no header sent for it
        (3, "Giới tính", "X"),
        (4, "Họ và tên", '=HYPERLINK("http://x")'),
    ]
    assert rows[0][4].value.startswith("Ghi chú")
    formula_cell = rows[2][3]
    assert formula_cell.data_type == "s"  # stored as text, so the spreadsheet never evaluates it
    assert formula_cell.quotePrefix


def test_every_cell_reads_without_resizing_and_prints_on_the_page_width(
    db, warehouse_db, make_submission, tmp_path
):
    """Each column has a set width, every cell wraps, and every row is tall enough for its wrapped
    text (spreadsheet programs keep a file's row heights); frozen header, filters, landscape fit."""
    _flagged_file(db, make_submission)
    book = load_workbook(write_feedback("01", "2026-Q3", tmp_path, warehouse_db))
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A3"
        assert sheet.auto_filter.ref
        assert sheet.auto_filter.ref.startswith("A2:")
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.page_setup.fitToWidth == 1
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows == "$2:$2"
        assert sheet["A2"].font.bold
        for row in sheet.iter_rows(min_row=2):
            height = sheet.row_dimensions[row[0].row].height
            for cell in row:
                width = sheet.column_dimensions[cell.column_letter].width
                assert width >= 8
                if cell.value is None:
                    continue
                if isinstance(cell.value, str):
                    assert cell.alignment.wrap_text
                lines = sum(
                    math.ceil(len(part) / (width * 1.15)) or 1 for part in str(cell.value).split("\n")
                )
                assert height >= 15 * lines, (sheet.title, cell.coordinate, cell.value)
