"""A corpus of crafted submissions, one per format, encoding and fault, each with its expected outcome."""

from __future__ import annotations

import codecs
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass

from openpyxl import Workbook

from child_warehouse.ingest.vietnamese import to_tcvn3, to_vni

HEADER_VI = "Mã hồ sơ,Mã xã,Họ và tên,Ngày sinh,Giới tính"
ROWS = [
    "HS-1,00004,Nguyễn Thị Hoà,05/03/2015,Nữ",
    "HS-2,00004,Trần Văn Đức,2016-01-02,Nam",
    "HS-3,00004,Đặng Thuỳ Dương,2/1/2016,nu",
]
CHILDREN = "\n".join([HEADER_VI, *ROWS]) + "\n"
CASES_HEADER = "case_id,full_name,date_of_birth,sex,commune_code,case_type,detected_on,intervention_status"


@dataclass(frozen=True)
class Case:
    """One crafted file: where it lands, its bytes, and what must become of it."""

    name: str
    file_name: str
    content: bytes
    status: str  # loaded | rejected
    reason_code: str | None = None  # a word of the English reason when rejected
    rows: int | None = None
    warnings: tuple[str, ...] = ()
    encoding: str | None = None  # the encoding the ledger must record (CSV and JSON)


def _cp1258(text: str) -> bytes:
    import unicodedata

    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for char in text:
        parts = unicodedata.normalize("NFD", char)
        out.append(unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones)))
        out.append("".join(c for c in parts if c in tones))
    return "".join(out).encode("cp1258")


def _xlsx(rows: list[list], sheets: tuple[str, ...] = ("DuLieu",), merges: tuple[str, ...] = ()) -> bytes:
    book = Workbook()
    book.active.title = "HuongDan"
    book.active.append(["Hướng dẫn: nhập dữ liệu ở trang sau"])
    sheet = book.active
    for title in sheets:
        sheet = book.create_sheet(title)
    for row in rows:
        sheet.append(row)
    for cells in merges:
        sheet.merge_cells(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _child_xlsx() -> bytes:
    return _xlsx([["DANH SÁCH TRẺ EM"], [], HEADER_VI.split(","), *[r.split(",") for r in ROWS]])


def _with_part(name: str, content: bytes = b"", zeros_mb: int = 0) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_child_xlsx())) as source, zipfile.ZipFile(out, "w", 8) as target:
        for item in source.infolist():
            target.writestr(item.filename, content if item.filename == name else source.read(item.filename))
        if name not in source.namelist():
            with target.open(name, "w") as part:
                part.write(content)
                for _ in range(zeros_mb):
                    part.write(b"\0" * (1 << 20))
    return out.getvalue()


def _indicator_form() -> bytes:
    return _xlsx(
        [
            ["BÁO CÁO 6 THÁNG"],
            ["Mã chỉ tiêu", "Tên chỉ tiêu", "Đơn vị tính", "Số liệu", None, None, "Ghi chú"],
            [None, None, None, "Tổng số", "Nam", "Nữ", None],
            ["0101", "Số trẻ em", "người", 1200, 610, 590, None],
            ["0102", "Số trẻ em có HCĐB", "người", 35, None, None, "chưa phân tổ"],
        ],
        sheets=("BaoCao",),
        merges=("D2:F2", "A2:A3", "B2:B3", "C2:C3", "G2:G3"),
    )


def _json(document: object) -> bytes:
    return json.dumps(document, ensure_ascii=False).encode()


LAUGHS = b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><sst>&b;</sst>'
XXE = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><worksheet>&e;</worksheet>'
CHILD_FILE = "child_records.csv"


def cases() -> list[Case]:
    text = CHILDREN
    return [
        Case("utf-8", CHILD_FILE, text.encode(), "loaded", rows=3, encoding="utf-8"),
        Case(
            "utf-8 BOM, semicolons",
            CHILD_FILE,
            codecs.BOM_UTF8 + text.replace(",", ";").encode(),
            "loaded",
            rows=3,
            encoding="utf-8-sig",
        ),
        Case("utf-16 LE", CHILD_FILE, text.encode("utf-16"), "loaded", rows=3, encoding="utf-16"),
        Case("utf-16 BE", CHILD_FILE, codecs.BOM_UTF16_BE + text.encode("utf-16-be"), "loaded", rows=3),
        Case("windows-1258", CHILD_FILE, _cp1258(text), "loaded", rows=3, encoding="windows-1258"),
        Case("tcvn3", CHILD_FILE, to_tcvn3(text), "loaded", rows=3, encoding="tcvn3"),
        Case("vni", CHILD_FILE, to_vni(text), "loaded", rows=3, encoding="vni"),
        Case(
            "vni re-saved as utf-8",
            CHILD_FILE,
            to_vni(text).decode("cp1252").encode(),
            "loaded",
            rows=3,
            encoding="utf-8+vni",
        ),
        Case(
            "tcvn3 re-saved as utf-8",
            CHILD_FILE,
            to_tcvn3(text).decode("cp1252").encode(),
            "loaded",
            rows=3,
            encoding="utf-8+tcvn3",
        ),
        Case(
            "NFD text",
            CHILD_FILE,
            __import__("unicodedata").normalize("NFD", text).encode(),
            "loaded",
            rows=3,
            encoding="utf-8",
        ),
        Case(
            "English headers",
            CHILD_FILE,
            ("record_id,commune_code,full_name,date_of_birth,sex\n" + "\n".join(ROWS)).encode(),
            "loaded",
            rows=3,
        ),
        Case(
            "folded headers",
            CHILD_FILE,
            (
                "MA_HO_SO;ma xa;HO VA TEN;Ngay_sinh;gioi tinh\n"
                + "\n".join(r.replace(",", ";") for r in ROWS)
            ).encode(),
            "loaded",
            rows=3,
        ),
        Case(
            "quoted newline",
            CHILD_FILE,
            (HEADER_VI + '\nHS-1,00004,"Lê\nThị Mai",05/03/2015,Nữ\n').encode(),
            "loaded",
            rows=1,
        ),
        Case(
            "German latin-1",
            CHILD_FILE,
            HEADER_VI.encode("utf-8") + "\nHS-1,00004,Jürgen Groß,05/03/2015,Nam\n".encode("cp1252"),
            "rejected",
            "encoding",
        ),
        Case("random bytes", CHILD_FILE, bytes(range(128, 256)) * 4, "rejected", "encoding"),
        Case("empty file", CHILD_FILE, b"", "rejected", "not even a header row"),
        Case(
            "header only child list",
            CHILD_FILE,
            (HEADER_VI + "\n").encode(),
            "rejected",
            "has a header row (or an empty list) but no data rows",
        ),
        Case(
            "nil return of cases",
            "protection_cases.csv",
            (CASES_HEADER + "\n").encode(),
            "loaded",
            rows=0,
        ),
        Case(
            "missing required column",
            CHILD_FILE,
            "Mã hồ sơ,Họ và tên\nHS-1,An\n".encode(),
            "rejected",
            "lacks required columns",
        ),
        Case(
            "another province's communes",
            CHILD_FILE,
            text.replace("00004", "26734").encode(),
            "rejected",
            "not communes of province",
        ),
        Case("xlsx with title rows", "child_records.xlsx", _child_xlsx(), "loaded", rows=3),
        Case(
            "xlsx indicator form, merged header", "indicator_report.xlsx", _indicator_form(), "loaded", rows=2
        ),
        Case(
            "xlsx first sheet",
            "child_records.xlsx",
            _xlsx([HEADER_VI.split(","), ROWS[0].split(",")], sheets=()),
            "loaded",
            rows=1,
        ),
        Case(
            "xlsx codes as numbers",
            "child_records.xlsx",
            _xlsx([HEADER_VI.split(","), ["HS-1", 4, "Lê An", "05/03/2015", "Nam"]]),
            "loaded",
            rows=1,
            warnings=("code_stored_as_number",),
        ),
        Case(
            "xlsx zip bomb",
            "child_records.xlsx",
            _with_part("xl/media/bomb.xml", zeros_mb=300),
            "rejected",
            "zip bomb",
        ),
        Case(
            "xlsx billion laughs",
            "child_records.xlsx",
            _with_part("xl/sharedStrings.xml", LAUGHS),
            "rejected",
            "DOCTYPE",
        ),
        Case(
            "xlsx external entity",
            "child_records.xlsx",
            _with_part("xl/worksheets/sheet2.xml", XXE),
            "rejected",
            "DOCTYPE",
        ),
        Case("xlsx that is a csv", "child_records.xlsx", text.encode(), "rejected", "not an XLSX"),
        Case(
            "json records",
            "child_records.json",
            _json(
                {
                    "province_code": "01",
                    "records": [
                        dict(
                            zip(
                                ["record_id", "commune_code", "full_name", "date_of_birth", "sex"],
                                r.split(","),
                                strict=True,
                            )
                        )
                        for r in ROWS
                    ],
                }
            ),
            "loaded",
            rows=3,
        ),
        Case(
            "json indicator values",
            "indicator_report.json",
            _json({"values": [{"indicator_code": "0101", "disaggregation": "sex:male", "value": "610"}]}),
            "loaded",
            rows=1,
        ),
        Case("json list", "child_records.json", _json([1, 2]), "rejected", "must be an object"),
        Case(
            "json cut short",
            "child_records.json",
            '{"records": [{"record_id": "HN-1", "full_name": "Lê Văn A"}, {"record_id": "HN'.encode(),
            "rejected",
            "records item 2",
        ),
        Case("json broken", "child_records.json", b'{"records": [', "rejected", "JSON"),
        Case(
            "json nesting bomb",
            "child_records.json",
            b'{"records": [' + b"[" * 200_000 + b"]" * 200_000 + b"]}",
            "rejected",
            "nested too deeply",
        ),
        Case(
            "json nil return of cases",
            "protection_cases.json",
            b'{"province_code": "01", "records": []}',
            "loaded",
            rows=0,
        ),
        Case(
            "json empty child records", "child_records.json", b'{"records": []}', "rejected", "no data rows"
        ),
        Case(
            "formula cells",
            CHILD_FILE,
            (text + 'HS-4,00004,"=HYPERLINK(""http://x"")",05/03/2015,Nam\n').encode(),
            "loaded",
            rows=4,
            warnings=("formula_like_cell",),
        ),
        Case(
            "id in scientific notation",
            CHILD_FILE,
            (HEADER_VI + ",Số định danh cá nhân\n" + ROWS[0] + ",1.23457E+11\n").encode(),
            "loaded",
            rows=1,
            warnings=("id_in_scientific_notation",),
        ),
        Case(
            "indicator long form",
            "indicator_report.csv",
            b"indicator_code,disaggregation,value,note\n0101,total,1.200,\n0101,sex:male,610,\n",
            "loaded",
            rows=2,
        ),
        Case(
            "protection cases",
            "protection_cases.csv",
            (CASES_HEADER + "\nVV-1,Lê An,05/03/2015,Nam,00004,duoi_nuoc,03/10/2026,da_can_thiep\n").encode(),
            "loaded",
            rows=1,
        ),
        Case(
            "short row",
            CHILD_FILE,
            (HEADER_VI + "\nHS-1,00004,Lê An\n" + ROWS[1] + "\n").encode(),
            "loaded",
            rows=2,
            warnings=("malformed_row",),
        ),
        Case(
            "unknown extra column",
            CHILD_FILE,
            (HEADER_VI + ",Cột lạ\n" + ROWS[0] + ",x\n").encode(),
            "loaded",
            rows=1,
        ),
    ]


def manifest_for(body: bytes, file_name: str, rows: int) -> bytes:
    files = {file_name: {"rows": rows, "sha256": hashlib.sha256(body).hexdigest()}}
    return _json({"province_code": "01", "files": files})
