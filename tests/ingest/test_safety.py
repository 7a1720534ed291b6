"""Hostile files: zip bombs, XML entities, oversize files and formula cells, refused in bounded time."""

import io
import time
import zipfile

import pytest
from openpyxl import Workbook

from child_warehouse.contract.reasons import FileRejected
from child_warehouse.ingest import safety
from child_warehouse.ingest.readers import read_table

HEADER = ["Mã hồ sơ", "Mã xã", "Họ và tên", "Ngày sinh", "Giới tính"]


def _workbook_bytes() -> bytes:
    book = Workbook()
    book.active.append(HEADER)
    book.active.append(["HS-1", "00004", "Lê Thị Mai", "05/03/2015", "Nữ"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _rewrite(original: bytes, replace: dict[str, bytes] | None = None, add_zeros: int = 0) -> bytes:
    """Copy an XLSX, replacing some parts and optionally adding a part of zeros (a bomb)."""
    replace = replace or {}
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(original)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            target.writestr(item.filename, replace.get(item.filename, source.read(item.filename)))
        for name in set(replace) - set(source.namelist()):
            target.writestr(name, replace[name])
        if add_zeros:
            with target.open("xl/worksheets/sheet2.xml", "w") as part:
                chunk = b"\0" * (1 << 20)
                for _ in range(add_zeros):
                    part.write(chunk)
    return out.getvalue()


def test_a_zip_bomb_is_refused_before_decompression(tmp_path):
    path = tmp_path / "child_records.xlsx"
    path.write_bytes(_rewrite(_workbook_bytes(), add_zeros=200))  # 200 MB of zeros in ~200 kB
    assert path.stat().st_size < 1024**2
    started = time.perf_counter()
    with pytest.raises(FileRejected) as caught:
        read_table(path, "child_records")
    assert time.perf_counter() - started < 1.0
    assert caught.value.reason.code == "unsafe_xlsx"
    assert "zip bomb" in caught.value.reason.en


def test_declared_sizes_over_the_limit_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(safety, "MAX_XLSX_UNCOMPRESSED", 1000)
    path = tmp_path / "child_records.xlsx"
    path.write_bytes(_workbook_bytes())
    with pytest.raises(FileRejected) as caught:
        read_table(path, "child_records")
    assert "expand to" in caught.value.reason.en


LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n'
    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol2;</t></si></sst>'
)
EXTERNAL = (
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">&xxe;</worksheet>'
)


@pytest.mark.parametrize(
    ("part", "content"), [("xl/sharedStrings.xml", LAUGHS), ("xl/worksheets/sheet1.xml", EXTERNAL)]
)
def test_xml_entity_declarations_are_refused_before_parsing(tmp_path, part, content):
    path = tmp_path / "child_records.xlsx"
    path.write_bytes(_rewrite(_workbook_bytes(), {part: content}))
    with pytest.raises(FileRejected) as caught:
        read_table(path, "child_records")
    assert caught.value.reason.code == "unsafe_xlsx"
    assert part in caught.value.reason.en


def test_a_file_that_is_not_a_zip_is_unreadable(tmp_path):
    path = tmp_path / "child_records.xlsx"
    path.write_bytes("Mã hồ sơ,Mã xã\n".encode())
    with pytest.raises(FileRejected) as caught:
        read_table(path, "child_records")
    assert caught.value.reason.code == "unreadable_file"


def test_an_oversize_file_is_refused_without_reading(tmp_path, monkeypatch):
    monkeypatch.setenv("CHILD_WAREHOUSE_MAX_FILE_BYTES", "10")
    path = tmp_path / "child_records.csv"
    path.write_text("record_id,full_name\n1,a\n")
    with pytest.raises(FileRejected) as caught:
        read_table(path, "child_records")
    assert caught.value.reason.code == "file_too_large"


@pytest.mark.parametrize(
    ("value", "formula"),
    [
        ('=HYPERLINK("http://x")', True),
        ("+1+cmd|' /C calc'!A0", True),
        ("@SUM(A1)", True),
        ("-2+3", True),
        ("\t=1", True),
        ("-5", False),
        ("+84912345678", False),
        ("1.234,5", False),
        ("Nguyễn", False),
    ],
)
def test_formula_like_cells_are_recognised(value, formula):
    assert safety.looks_like_formula(value) is formula
