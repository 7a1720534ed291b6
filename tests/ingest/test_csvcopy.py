"""CSV through COPY, set-based, against the row-by-row reader: the same raw rows, notes and refusals.

Every CSV file of the hostile corpus and the cases below is loaded twice into the same warehouse: by
`copy_file_into_raw` as the night runs it, and with the set-based path switched off. Raw rows (every
column), the notes with their reasons, how the file was read and any refusal must be equal; the
set-based path must also be the one that loaded the files it can read exactly, rows of another width
and stray quotes included, and must have declined the rest (records over two lines, odd line ends);
and of those, the plain lines must have gone by COPY straight into the raw table and the others
by the lines' path (a stray quote or a row of another width after the first megabyte of plain ones
too); a line quoted as RFC 4180 says and as wide as the header is a plain line.
"""

from __future__ import annotations

import codecs
import csv
import sys

import pytest
from corpus import CASES_HEADER, CHILDREN, HEADER_VI, ROWS, cases

from child_warehouse.contract import reasons
from child_warehouse.contract.columns import canonical_columns
from child_warehouse.db.connection import transaction
from child_warehouse.ingest import csvcopy, loader

_ROWS = "\n".join(ROWS)
_COLUMNS = canonical_columns("child_records")
_INDICATORS = "Mã chỉ tiêu,Phân tổ,Số liệu,Ghi chú\n0101,,1200,\n0101,  Nam ,610,x\n0101,sex:female,590,\n"

# (name, file name, bytes, whether the set-based path must take it)
EXTRA = [
    ("crlf line ends", "child_records.csv", CHILDREN.replace("\n", "\r\n").encode(), True),
    ("no final line end", "child_records.csv", CHILDREN.rstrip("\n").encode(), True),
    ("blank lines at the end", "child_records.csv", (CHILDREN + "\n\n\n").encode(), True),
    (
        "blank lines at the end, crlf",
        "child_records.csv",
        (CHILDREN + "\n\n").replace("\n", "\r\n").encode(),
        True,
    ),
    # the blank lines are left out before COPY sees their line ends: the direct path takes it
    ("blank lines at the end, mixed", "child_records.csv", (CHILDREN + "\n\r\n\n").encode(), True),
    (
        "a row of delimiters only",
        "child_records.csv",
        (HEADER_VI + "\n" + ROWS[0] + "\n,,,,\n" + ROWS[1] + "\n").encode(),
        True,
    ),
    (
        "whitespace-only cells and a blank row of spaces",
        "child_records.csv",
        (HEADER_VI + "\n" + ROWS[0] + "\n , ,\u00a0,\t, \n" + "HS-9, ,An,05/03/2015,Nam\n").encode(),
        True,
    ),
    (
        "RFC 4180 quoting",
        "child_records.csv",
        (HEADER_VI + '\n"HS-1","00004","Lê ""Bé"" Mai, con",05/03/2015,""\n' + ROWS[1] + "\n").encode(),
        True,
    ),
    (
        "quoted header",
        "child_records.csv",
        ('"Mã hồ sơ","Mã xã","Họ và tên","Ngày sinh","Giới tính"\n' + _ROWS + "\n").encode(),
        True,
    ),
    (
        "formula cells and scientific IDs",
        "child_records.csv",
        (
            HEADER_VI
            + ",Số định danh\n"
            + "HS-1,00004,=1+2,05/03/2015,Nữ,1.23457E+11\n"
            + "HS-2,00004,+84 90,2016-01-02,Nam,-5\n"
            + "HS-3,00004,@SUM(A1),2/1/2016,nu,001234567890\n"
        ).encode(),
        True,
    ),
    (
        "formula cells first in their lines",
        "child_records.csv",
        (
            HEADER_VI
            + "\n=1+2,00004,An,05/03/2015,Nữ\n"
            + "HS-2,00004,Bình,2016-01-02,Nam\n"
            + "@SUM(A1),00004,Chi,2/1/2016,nu\n"
            + "\t=cmd,00004,Dũng,2/1/2016,nam\n"
        ).encode(),
        True,
    ),
    (
        "unknown and form columns kept",
        "child_records.csv",
        (
            HEADER_VI
            + ",STT,Ghi chú riêng,Cột lạ\n"
            + "HS-1,00004,An,05/03/2015,Nữ,1,,x\n"
            + "HS-2,00004,Bình,2016-01-02,Nam,2,ghi chú,\n"
        ).encode(),
        True,
    ),
    (
        "sixty unknown columns",
        "child_records.csv",
        (
            HEADER_VI
            + ","
            + ",".join(f"Cột {i}" for i in range(60))
            + "\n"
            + ROWS[0]
            + ","
            + ",".join(str(i) for i in range(60))
            + "\n"
        ).encode(),
        True,
    ),
    ("indicator report, long form", "indicator_report.csv", _INDICATORS.encode(), True),
    ("nil return of cases", "protection_cases.csv", (CASES_HEADER + "\n").encode(), True),
    (
        "stray quote inside a field",
        "child_records.csv",
        (HEADER_VI + '\nHS-1,00004,Lê "Bé" Mai,05/03/2015,Nữ\n' + _ROWS + "\n").encode(),
        True,
    ),
    (
        "doubled quote in an unquoted field",
        "child_records.csv",
        (HEADER_VI + '\nHS-1,00004,Lê ""Mai,05/03/2015,Nữ\n').encode(),
        True,
    ),
    (
        "blank line between rows",
        "child_records.csv",
        (HEADER_VI + "\n" + ROWS[0] + "\n\n" + ROWS[1] + "\n").encode(),
        True,
    ),
    ("lone carriage returns", "child_records.csv", CHILDREN.replace("\n", "\r").encode(), False),
    # each line's CR goes before COPY reads it, as csv.reader reads CRLF and LF alike
    (
        "mixed line ends",
        "child_records.csv",
        (HEADER_VI + "\r\n" + ROWS[0] + "\n" + ROWS[1] + "\r\n").encode(),
        True,
    ),
    # numbered before COPY reads it, the line is no longer COPY's end-of-data marker
    (
        "end-of-data marker line",
        "child_records.csv",
        (HEADER_VI + "\n" + ROWS[0] + "\n\\.\n" + ROWS[1] + "\n").encode(),
        True,
    ),
    (
        "a short row",
        "child_records.csv",
        (HEADER_VI + "\n" + ROWS[0] + "\nHS-9,00004\n" + ROWS[1] + "\n").encode(),
        True,
    ),
    (
        "a long row",
        "child_records.csv",
        (HEADER_VI + "\n" + ROWS[0] + ",extra,cells\n" + ROWS[1] + "\n").encode(),
        True,
    ),
    (
        "a NUL character",
        "child_records.csv",
        (HEADER_VI + "\n" + ROWS[0].replace("Hoà", "Ho\x00à") + "\n").encode(),
        False,
    ),
    (
        "utf-8 BOM, semicolons, crlf",
        "child_records.csv",
        codecs.BOM_UTF8 + CHILDREN.replace(",", ";").replace("\n", "\r\n").encode(),
        True,
    ),
    # a plain line over two chunks (19 cells of 100,000 characters); a cell past the csv module's
    # field size limit (131,072 characters), for which the row-by-row reader refuses the file
    (
        "a line longer than a chunk",
        "child_records.csv",
        (",".join(_COLUMNS) + "\n" + ",".join(c[:1] * 100_000 for c in _COLUMNS) + "\nx\n").encode(),
        True,
    ),
    (
        "a cell longer than the csv module reads",
        "child_records.csv",
        (HEADER_VI + "\n" + ROWS[0] + "\nHS-9,00004," + "b" * 3_000_000 + ",05/03/2015,Nam\n").encode(),
        False,
    ),
    (
        "a quoted cell longer than the csv module reads",
        "child_records.csv",
        (HEADER_VI + "\n" + ROWS[0] + '\nHS-9,00004,"' + "b," * 100_000 + '",05/03/2015,Nam\n').encode(),
        False,
    ),
    # a quote, or a row of another width, after a megabyte of plain lines: that line alone takes the
    # lines' path, the chunk it is in and those before went straight into the raw table
    (
        "a quote after the first megabyte",
        "child_records.csv",
        (HEADER_VI + "\n" + (ROWS[0] + "\n") * 25_000 + 'HS-9,00004,Lê "Bé" An,05/03/2015,Nam\n').encode(),
        True,
    ),
    (
        "a quoted line after the first megabyte",
        "child_records.csv",
        (HEADER_VI + "\n" + (ROWS[0] + "\n") * 25_000 + '"HS-9",00004,"An, ""B""",05/03/2015,Nam\n').encode(),
        True,
    ),
    # a UTF-8 file's bytes go to COPY undecoded: a bad byte past the encoding's sample makes
    # PostgreSQL refuse the COPY, and the row-by-row reader refuses the file
    (
        "a bad byte after the first megabyte",
        "child_records.csv",
        (HEADER_VI + "\n" + (ROWS[0] + "\n") * 25_000).encode() + b"HS-9,00004,\xff\xfe,05/03/2015,Nam\n",
        False,
    ),
    # lines of non-ASCII letters and spaces only: a blank one (no-break and ideographic spaces) is
    # left out, the others kept
    (
        "non-ASCII letters and spaces only",
        "child_records.csv",
        (
            HEADER_VI
            + "\n"
            + ROWS[0]
            + "\nỶ,Ố,Ữ,Đ,Ư\n\u00a0,\u3000, ,\u2003,\n,,\n \n\u00a0\n\u00a0HS-7,00004,An,05/03/2015,Nam\n"
            + ROWS[1]
            + "\n"
        ).encode(),
        True,
    ),
    # the commune cells the set-based path counts on the way: empty (null), quoted empty, spaces
    (
        "empty and blank commune cells",
        "child_records.csv",
        (
            HEADER_VI
            + "\n"
            + ROWS[0]
            + '\nHS-7,,An,05/03/2015,Nam\nHS-8,"",Bình,05/03/2015,Nam\nHS-9,  ,Chi,05/03/2015,Nữ\n'
            + 'HS-10," 00004",Dũng,05/03/2015,Nam,extra\n'
        ).encode(),
        True,
    ),
    # quoted as RFC 4180 says: straight into the raw table when as wide as the header (COPY reads the
    # cells as the csv module does), by the lines' path otherwise
    (
        "quoted multi-valued cells, semicolons",
        "child_records.csv",
        (
            HEADER_VI.replace(",", ";")
            + ";Nhóm hoàn cảnh đặc biệt;Hình thức trợ giúp\n"
            + 'HS-1;00004;An;05/03/2015;Nữ;"4;5";"giao_duc;khac"\n'
            + "HS-2;00004;Bình;2016-01-02;Nam;13;\n"
            + '"HS-3";"00004";"Chi ""Bé""";"2/1/2016";"nu";"";" "\n'
        ).encode(),
        True,
    ),
    (
        "quoted lines of another width",
        "child_records.csv",
        (HEADER_VI + "\n" + ROWS[0] + '\n"HS-9","00004"\n"HS-8",00004,"An",05/03/2015,Nam,"x, y"\n').encode(),
        True,
    ),
    (
        "quoted blank lines",
        "child_records.csv",
        (HEADER_VI + "\n" + ROWS[0] + '\n"",""," ","\u00a0",""\n""," "\n' + ROWS[1] + "\n").encode(),
        True,
    ),
    (
        "quoted formula cells and scientific IDs",
        "child_records.csv",
        (
            HEADER_VI
            + ",Số định danh\n"
            + '"=1+2",00004,An,05/03/2015,Nữ,"1.23457E+11"\n'
            + 'HS-2,00004,"@SUM(A1)",2016-01-02,Nam,"-5"\n'
            + 'HS-3,"+84 90","Chi, =x",2/1/2016,nu,"001234567890"\n'
        ).encode(),
        True,
    ),
    (
        "a long row after the first megabyte",
        "child_records.csv",
        (HEADER_VI + "\n" + (ROWS[1] + "\n") * 25_000 + ROWS[0] + ",x\n").encode(),
        True,
    ),
]
# Of the files the set-based path takes, every plain line (as wide as the header; no quote, or quoted as
# RFC 4180 says) goes by COPY straight into the raw table, the others by the lines' path; in these,
# some lines take each:
SOME_LINES_ODD = {
    "a long row", "a short row", "short row", "stray quote inside a field",
    "end-of-data marker line", "a long row after the first megabyte",
    "a line longer than a chunk",
    "a quote after the first megabyte", "quoted lines of another width", "quoted blank lines",
    "empty and blank commune cells",
}  # fmt: skip
# and in these every line takes the lines' path (a header that is no raw column, or a stray quote in each)
EVERY_LINE_ODD = {
    "unknown and form columns kept", "sixty unknown columns", "unknown extra column", "indicator long form",
    "indicator report, long form", "doubled quote in an unquoted field",
}  # fmt: skip
PLAIN_CORPUS = {
    "utf-8", "utf-8 BOM, semicolons", "utf-16 LE", "utf-16 BE", "windows-1258", "tcvn3", "vni",
    "vni re-saved as utf-8", "tcvn3 re-saved as utf-8", "NFD text", "English headers", "folded headers",
}  # fmt: skip


def _all_cases() -> list[tuple[str, str, bytes, bool | None]]:
    corpus = [
        (c.name, c.file_name, c.content, c.name in PLAIN_CORPUS or None)
        for c in cases()
        if c.file_name.endswith(".csv")
    ]
    return corpus + EXTRA


def _load(warehouse_db, path, kind: str, submission_id: int) -> dict:
    """What one load left: raw rows, notes, reading, or the refusal (nothing kept then)."""
    try:
        with transaction(warehouse_db) as conn:
            report = loader.copy_file_into_raw(conn, path, kind, submission_id)
            with conn.cursor() as cur:
                cur.execute(
                    f"""select to_jsonb(r) - 'submission_id' from raw.{kind} as r
                        where submission_id = %s order by source_row, to_jsonb(r)::text""",  # noqa: S608
                    (submission_id,),
                )
                rows = [r[0] for r in cur.fetchall()]
                if report.commune_rows is not None:  # counted on the way: as the raw table holds them
                    cur.execute(
                        f"""select commune_code, count(*) from raw.{kind}
                            where submission_id = %s group by 1""",  # noqa: S608
                        (submission_id,),
                    )
                    assert report.commune_rows == dict(cur.fetchall())
            conn.rollback()  # the next load of the same file starts from nothing
    except reasons.FileRejected as refusal:
        return {"refused": refusal.reason.code, "reason": refusal.reason.en, "reading": refusal.reading}
    except csv.Error as error:  # the stage refuses the file as unreadable, with this message
        return {"unreadable": str(error)}
    issues = [
        (i.source_row, i.column_name, i.value, i.rule, i.severity, i.reason_vi, i.reason_en)
        for i in report.row_issues
    ]
    return {
        "rows": rows,
        "rows_loaded": report.rows_loaded,
        "issues": issues,
        "unknown": report.unknown_columns,
        "reading": report.reading,
    }


@pytest.mark.parametrize("case", _all_cases(), ids=[c[0] for c in _all_cases()])
def test_the_set_based_load_equals_the_row_by_row_load(
    case, warehouse_db, make_submission, tmp_path, monkeypatch
):
    name, file_name, content, fast = case
    path = tmp_path / file_name
    path.write_bytes(content)
    kind = file_name.split(".")[0]
    submission_id = make_submission(kind)
    taken, sorted_lines = [], []
    original = csvcopy.try_copy

    def watched(*args, **kwargs):
        result = original(*args, **kwargs)
        taken.append(result is not None)
        return result

    class Watched(csvcopy._Sorted):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            sorted_lines.append(self)

    monkeypatch.setattr(csvcopy, "try_copy", watched)
    monkeypatch.setattr(csvcopy, "_Sorted", Watched)
    set_based = _load(warehouse_db, path, kind, submission_id)
    monkeypatch.setattr(csvcopy, "try_copy", lambda *args, **kwargs: None)
    row_by_row = _load(warehouse_db, path, kind, submission_id)
    assert set_based == row_by_row
    if fast is not None:
        assert taken == [fast], f"{name}: the set-based path {'declined' if fast else 'took'} it"
    if taken == [True]:
        (lines,) = sorted_lines
        assert (lines.sent > 0, lines.odd_lines > 0) == (
            name not in EVERY_LINE_ODD and "nil return" not in name,
            name in SOME_LINES_ODD | EVERY_LINE_ODD,
        ), f"{name}: {lines.sent} lines direct, {lines.odd_lines} by the lines' path"


def test_the_whitespace_class_is_pythons_own():
    """The set-based path strips cells as str.strip() does: its class is every code point Python
    calls whitespace, written out (testing them all costs each task process 0.2 s)."""
    computed = "".join(f"\\u{ord(c):04x}" for c in map(chr, range(sys.maxunicode + 1)) if c.isspace())
    assert computed == csvcopy.PY_SPACE
