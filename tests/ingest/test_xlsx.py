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


def _rewrite_sheet(path, old: bytes, new: bytes) -> None:
    """Edit the first worksheet's XML as another spreadsheet program might have written it."""
    import zipfile

    parts = {}
    with zipfile.ZipFile(path) as archive:
        for item in archive.infolist():
            parts[item.filename] = archive.read(item)
    sheet = parts["xl/worksheets/sheet1.xml"]
    assert old in sheet
    parts["xl/worksheets/sheet1.xml"] = sheet.replace(old, new)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def _cell_types_book():
    book = Workbook()
    sheet = book.active
    sheet.title = "DuLieu"
    sheet["B3"] = "Mã hồ sơ"  # the table starts at B3: rows and columns keep the officer's numbers
    sheet["C3"] = "Ngày sinh"
    values = [
        ("HS-1", dt.datetime(2015, 3, 5)),
        ("HS-2", dt.datetime(2015, 3, 5, 10, 30)),
        (True, dt.time(10, 30)),
        (123456789012, 0.1),
        (-3, 1e-7),
        ("  spaces kept ", "Lê\u0301"),
        ("=SUM(1,2)", 42005),
    ]
    for row, (left, right) in enumerate(values, start=4):
        sheet.cell(row=row, column=2, value=left)
        sheet.cell(row=row, column=3, value=right)
    sheet["C10"].number_format = "[$-42A]dd/mm/yyyy"
    return book


def test_python_calamine_gives_the_cells_openpyxl_gives(tmp_path):
    """The fast reader is used only where it reads what openpyxl reads, cell for cell."""
    from openpyxl import load_workbook

    from child_warehouse.ingest.xlsx import _calamine_sheet, _openpyxl_sheet, cell_text

    def cells(reader, path) -> list[list[str]]:
        """Each row's cells as text, without the empty cells after its last value."""
        with path.open("rb") as handle:
            _, rows, close = reader(handle, path.name)
            read = [[cell_text(v) for v in row] for row in rows]
            close()
        while read and not any(read[-1]):
            read.pop()
        return [row[: max((i + 1 for i, c in enumerate(row) if c), default=0)] for row in read]

    path = _save(_cell_types_book(), tmp_path)
    fast_cells = cells(_calamine_sheet, path)
    assert fast_cells == cells(_openpyxl_sheet, path)
    assert fast_cells[2] == ["", "Mã hồ sơ", "Ngày sinh"]
    assert fast_cells[5] == ["", "True", "10:30:00"]
    assert fast_cells[9] == ["", "", "2015-01-01"]  # a date serial with a Vietnamese-locale date format
    assert load_workbook(path).active["B10"].value == "=SUM(1,2)"  # no cached value: read as empty by both


def test_a_wrong_dimension_element_loses_no_row(tmp_path):
    """Some programs write `<dimension ref="A1:E1">` whatever the sheet holds; every row is read."""
    book = Workbook()
    book.active.title = "DuLieu"
    book.active.append(["Mã hồ sơ", "Mã xã", "Họ và tên", "Ngày sinh", "Giới tính"])
    for n in range(1, 4):
        book.active.append([f"HS-{n}", "00004", "Lê Thị Mai", "05/03/2015", "Nữ"])
    path = _save(book, tmp_path)
    _rewrite_sheet(path, b'<dimension ref="A1:E4"', b'<dimension ref="A1:E1"')
    assert [n for n, _ in read_table(path, "child_records").rows] == [2, 3, 4]


def test_an_error_cell_is_read_as_the_sheet_shows_it(tmp_path):
    """`#DIV/0!` stays `#DIV/0!` (python-calamine would read it as empty: such a workbook is read by
    openpyxl), and a wrong dimension element loses no row on that path either."""
    book = Workbook()
    book.active.title = "DuLieu"
    book.active.append(["Mã hồ sơ", "Mã xã", "Họ và tên", "Ngày sinh", "Giới tính"])
    book.active.append(["HS-1", "00004", "Lê Thị Mai", "05/03/2015", "Nữ"])
    book.active.append(["HS-2", "00004", "Lê Văn Nam", "ERR", "Nam"])
    path = _save(book, tmp_path)
    _rewrite_sheet(path, b'<dimension ref="A1:E3"', b'<dimension ref="A1:E1"')
    _rewrite_sheet(
        path,
        b'<c r="D3" t="inlineStr"><is><t>ERR</t></is></c>',
        b'<c r="D3" t="e"><f>1/0</f><v>#DIV/0!</v></c>',
    )
    rows = list(read_table(path, "child_records").rows)
    assert rows == [
        (2, ["HS-1", "00004", "Lê Thị Mai", "05/03/2015", "Nữ"]),
        (3, ["HS-2", "00004", "Lê Văn Nam", "#DIV/0!", "Nam"]),
    ]
