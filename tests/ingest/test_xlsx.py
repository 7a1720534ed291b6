"""XLSX: the sheet choice, title rows, two-row merged headers, dates, and codes Excel stored as numbers."""

import datetime as dt

from openpyxl import Workbook

from child_warehouse.ingest.headers import map_headers
from child_warehouse.ingest.loader import cell_notes
from child_warehouse.ingest.readers import read_table
from child_warehouse.ingest.xlsx import combine_header_rows


def _save(book, tmp_path, name="child_records.xlsx"):
    path = tmp_path / name
    book.save(path)
    return path


def test_the_indicator_form_with_a_merged_parent_header_maps_to_totals_and_sexes(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "BaoCao"
    sheet.append(["BÁO CÁO SỐ LIỆU TRẺ EM 6 THÁNG ĐẦU NĂM 2026"])
    sheet.append(["Mã chỉ tiêu", "Tên chỉ tiêu", "Đơn vị tính", "Số liệu", None, None, "Ghi chú"])
    sheet.append([None, None, None, "Tổng số", "Nam", "Nữ", None])
    sheet.merge_cells("D2:F2")
    for column in "ABCG":
        sheet.merge_cells(f"{column}2:{column}3")
    sheet.append(["0101", "Số trẻ em", "người", 1200, 610, 590, None])
    table = read_table(_save(book, tmp_path, "indicator_report.xlsx"), "indicator_report")
    assert table.header_row == 3
    assert table.headers == ["Mã chỉ tiêu", "Tên chỉ tiêu", "Đơn vị tính", "Tổng số", "Nam", "Nữ", "Ghi chú"]
    mapping = map_headers("indicator_report", table.headers)
    assert mapping.wide_positions == {"total": 3, "sex:male": 4, "sex:female": 5}
    assert mapping.missing("indicator_report") == []
    assert list(table.rows) == [(4, ["0101", "Số trẻ em", "người", "1200", "610", "590", ""])]


def test_a_merged_down_cell_keeps_its_parent_name():
    assert combine_header_rows(["Mã hồ sơ", "Thông tin trẻ", ""], ["", "Họ và tên", "Ngày sinh"]) == [
        "Mã hồ sơ",
        "Họ và tên",
        "Ngày sinh",
    ]


def test_the_dulieu_sheet_is_chosen_over_the_first(tmp_path):
    book = Workbook()
    book.active.title = "HuongDan"
    book.active.append(["Hướng dẫn nhập liệu"])
    data = book.create_sheet("DuLieu")
    data.append(["Mã hồ sơ", "Mã xã", "Họ và tên", "Ngày sinh", "Giới tính"])
    data.append(["HS-1", "00004", "Lê Thị Mai", dt.datetime(2015, 3, 5), "Nữ"])
    data.append(["HS-2", "00004", "Lê Văn Nam", 42005, "Nam"])  # a date typed as an Excel serial
    rows = list(read_table(_save(book, tmp_path), "child_records").rows)
    assert rows == [
        (2, ["HS-1", "00004", "Lê Thị Mai", "2015-03-05", "Nữ"]),
        (3, ["HS-2", "00004", "Lê Văn Nam", "42005", "Nam"]),  # kept as shown; util.parse_vn_date reads it
    ]


def test_codes_excel_stored_as_numbers_are_kept_as_shown_and_warned(tmp_path):
    book = Workbook()
    book.active.append(["Mã hồ sơ", "Mã xã", "Họ và tên", "Ngày sinh", "Giới tính", "Số định danh cá nhân"])
    book.active.append(["HS-1", 4, "Lê Thị Mai", "05/03/2015", "Nữ", 1315000001])
    table = read_table(_save(book, tmp_path), "child_records")
    assert list(table.rows) == [(2, ["HS-1", "4", "Lê Thị Mai", "05/03/2015", "Nữ", "1315000001"])]
    assert [(n.row, n.column, n.value, n.rule) for n in table.notes] == [
        (2, "commune_code", "4", "code_stored_as_number"),
        (2, "personal_id", "1315000001", "code_stored_as_number"),
    ]
    assert "số 0" in table.notes[0].reason.vi


def test_an_id_in_scientific_notation_is_named_and_formulas_are_flagged():
    headers = ["Mã hồ sơ", "Họ và tên", "Số định danh cá nhân"]
    mapping = map_headers("child_records", headers)
    notes = cell_notes(7, headers, ["=1+1", "Lê Thị Mai", "1.23457E+11"], mapping)
    assert [(n.row, n.column, n.value, n.rule) for n in notes] == [
        (7, "record_id", "=1+1", "formula_like_cell"),
        (7, "personal_id", "1.23457E+11", "id_in_scientific_notation"),
    ]
    # Stored under the contract's name, told as the officer's sheet heads the column.
    assert notes[0].reason.vi.startswith("Dòng 7, cột Mã hồ sơ:")
    assert "column Mã hồ sơ (record_id)" in notes[0].reason.en
    assert "column Số định danh cá nhân (personal_id)" in notes[1].reason.en
    assert "without an ID" in notes[1].reason.en


def test_row_issues_are_bounded_and_the_rest_counted(monkeypatch):
    from child_warehouse.ingest import loader

    monkeypatch.setattr(loader, "MAX_ROW_ISSUES", 2)
    report = loader.LoadReport()
    for row in range(5):
        report.add_issue((1, row))
    assert (len(report.row_issues), report.issues_not_kept) == (2, 3)
