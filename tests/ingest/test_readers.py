"""Readers turn CSV, XLSX and JSON into a header and numbered rows, or refuse with a reason."""

import codecs
import json

import pytest

from child_warehouse.contract.reasons import FileRejected
from child_warehouse.ingest.readers import as_stream, detect_encoding, read_table

ROWS = "Mã hồ sơ;Họ và tên\nHN-1;Nguyễn Thị Hoà\nHN-2;Trần Văn Đức\n"


@pytest.mark.parametrize(
    ("encoding", "prefix", "expected"),
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", codecs.BOM_UTF8, "utf-8-sig"),
        ("utf-16-le", codecs.BOM_UTF16_LE, "utf-16"),
    ],
)
def test_unicode_encodings_are_detected(tmp_path, encoding, prefix, expected):
    path = tmp_path / "child_records.csv"
    path.write_bytes(prefix + ROWS.encode(encoding))
    assert detect_encoding(path) == expected
    table = read_table(path, "child_records")
    assert table.headers == ["Mã hồ sơ", "Họ và tên"]
    assert list(table.rows) == [(2, ["HN-1", "Nguyễn Thị Hoà"]), (3, ["HN-2", "Trần Văn Đức"])]


def test_undeterminable_encoding_is_refused_not_guessed(tmp_path):
    path = tmp_path / "child_records.csv"
    path.write_bytes(
        b"record_id,full_name\n1,\x81\x8d\x90\x9d\xc3\x28\n"
    )  # bytes no Vietnamese encoding yields
    with pytest.raises(FileRejected) as caught:
        read_table(path, "child_records")
    assert caught.value.reason.code == "encoding_unknown"
    assert "bảng mã" in caught.value.reason.vi


def test_nfd_text_is_read_as_sent_and_its_headers_still_match(tmp_path):
    """The raw layer keeps what was sent (the contract: full_name 'never altered in the raw layer');
    staging composes. Decomposed headers still name their columns."""
    path = tmp_path / "child_records.csv"
    path.write_text("Mã hồ sơ,Họ và tên\n1,Nguye\u0302\u0303n\n".replace("ã", "a\u0303"), encoding="utf-8")
    table = read_table(path, "child_records")
    assert table.headers == ["Mã hồ sơ", "Họ và tên"]
    assert list(table.rows) == [(2, ["1", "Nguye\u0302\u0303n"])]
    assert (table.encoding, table.delimiter) == ("utf-8", ",")


def test_an_xlsx_cell_typed_decomposed_is_kept_so(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "DuLieu"
    book.active.append(["Mã hồ sơ", "Mã xã", "Họ và tên", "Ngày sinh", "Giới tính"])
    book.active.append(["1", "00004", "Nguye\u0302\u0303n An", "01/01/2015", "Nam"])
    book.save(tmp_path / "child_records.xlsx")
    table = read_table(tmp_path / "child_records.xlsx", "child_records")
    assert [cells[2] for _, cells in table.rows] == ["Nguye\u0302\u0303n An"]
    assert (table.sheet, table.header_row, table.encoding) == ("DuLieu", 1, None)


def test_xlsx_title_rows_are_skipped_and_dates_become_text(tmp_path):
    import datetime as dt

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "DuLieu"
    sheet.append(["DANH SÁCH TRẺ EM QUÝ III/2026"])
    sheet.append([])
    sheet.append(["Mã hồ sơ", "Mã xã", "Họ và tên", "Ngày sinh", "Giới tính"])
    sheet.append(["HN-1", "00004", "Lê Thị Mai", dt.datetime(2015, 3, 5), "Nữ"])
    path = tmp_path / "child_records.xlsx"
    book.save(path)
    table = read_table(path, "child_records")
    assert table.header_row == 3
    assert list(table.rows) == [(4, ["HN-1", "00004", "Lê Thị Mai", "2015-03-05", "Nữ"])]


def test_json_records_keep_their_order(tmp_path):
    path = tmp_path / "child_records.json"
    path.write_text(
        json.dumps(
            {
                "province_code": "01",
                "period": "2026-Q3",
                "records": [{"record_id": "a", "sex": "Nam"}, {"record_id": "b", "note": "x"}],
            }
        )
    )
    table = read_table(path, "child_records")
    assert table.headers == ["record_id", "sex", "note"]
    assert list(table.rows) == [(1, ["a", "Nam", ""]), (2, ["b", "", "x"])]


def test_a_stream_reads_in_pieces_without_losing_any():
    """At most `size` characters (or bytes) a read, from one piece at a time; an empty piece ends
    nothing (COPY reads until a read gives nothing)."""
    stream = as_stream(iter(["abc", "de", "", "fghij"]))
    pieces = []
    while piece := stream.read(3):
        pieces.append(piece)
    assert pieces == ["abc", "de", "fgh", "ij"]
    rest = as_stream(iter(["abc", "", "de", "f"]))
    assert rest.read(2) == "ab"
    assert rest.read() == "cdef"
    assert rest.read() == ""
    raw = as_stream(iter([b"ab", b"", b"", b"cde"]))
    assert raw.read(1) == b"a"
    assert raw.read() == b"bcde"
    assert not raw.read()
