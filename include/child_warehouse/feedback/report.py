"""The feedback workbook for one province and period: every file's verdict and every flagged row.

Laid out to be read and printed as it opens, by an officer who should not have to touch it:

- sheet *Tóm tắt - Summary*: one line per file, its verdict, rows accepted / with warnings / excluded,
  how the file was read (encoding, delimiter, sheet, header row), the reason and what to do next;
  then one line per sign-off (approval.json) of the period: in force, refused, withdrawn, with why;
- sheet *Dòng - Rows*: every excluded, warned or noted row, with the row number and the column header
  as the officer's own sheet has them ("Ngày sinh", not `date_of_birth`), filters on.

Vietnamese comes first and English below it in the same cell; columns have set widths and wrap, the
header row is styled and frozen, and each sheet prints landscape, fitted to the page width, with the
header repeated on every page. Written with openpyxl's streaming writer, so a file with many flagged
rows never sits in memory. A value a spreadsheet would run as a formula (=, +, -, @ …) is written as
text with a quote prefix: a province's cell never executes on an officer's machine.
"""

from __future__ import annotations

from contextlib import closing
from copy import copy
from pathlib import Path
from zoneinfo import ZoneInfo

from child_warehouse import ledger, settings
from child_warehouse.contract.columns import NATIONAL
from child_warehouse.contract.reading import Reading
from child_warehouse.db.connection import connect, transaction, transaction_on
from child_warehouse.ingest.safety import looks_like_formula
from child_warehouse.ledger import Status, signoffs

STATUS_LABELS = {
    Status.ACCEPTED: "Chấp nhận\nAccepted",
    Status.ACCEPTED_WITH_WARNINGS: "Chấp nhận, có cảnh báo\nAccepted with warnings",
    Status.REJECTED: "Từ chối\nRejected",
    Status.LOADED: "Đang kiểm tra\nBeing validated",
    Status.DISCOVERED: "Chờ xử lý\nWaiting",
    Status.LOAD_FAILED: "Lỗi hệ thống, sẽ thử lại\nSystem fault, will retry",
}
SEVERITY = {
    "error": "Lỗi – dòng bị loại\nError – row excluded",
    "warning": "Cảnh báo – dòng được nhận\nWarning – row kept",
    "note": "Ghi chú – cách đọc\nNote – how it was read",
}
SIGNOFF_LABELS = {
    "received": "Đã nhận, chờ kiểm tra tệp\nReceived, files not yet validated",
    "approved": "Phê duyệt có hiệu lực\nSign-off in force",
    "refused": "Phê duyệt bị từ chối\nSign-off refused",
    "withdrawn": "Phê duyệt đã bị rút lại\nSign-off withdrawn",
    "superseded": "Đã được thay thế\nReplaced by a newer one",
}
SIGNOFF_NEXT = {
    "received": "Không cần làm gì: sẽ được xét khi các tệp được kiểm tra xong.\n"
    "Nothing: it is decided once the files are validated.",
    "approved": "Không cần làm gì. Gửi lại tệp sẽ rút lại phê duyệt.\n"
    "Nothing. Sending a file again withdraws the sign-off.",
    "refused": "Sửa approval.json theo lý do rồi gửi lại.\n"
    "Correct approval.json as the reason says and send it again.",
    "withdrawn": "Gửi approval.json mới cho nội dung hiện tại.\n"
    "Send a new approval.json for the current contents.",
    "superseded": "Không cần làm gì.\nNothing.",
}
SUMMARY_SHEET, ROWS_SHEET = "Tóm tắt - Summary", "Dòng - Rows"

# (header, width in characters) per column; Vietnamese above English in every header cell.
SUMMARY_COLUMNS = (
    ("Tệp\nFile", 22),
    ("Loại, phiên bản\nType, version", 16),
    ("Kết quả\nVerdict", 17),
    ("Dòng trong tệp\nRows in file", 10),
    ("Dòng được nhận\nRows accepted", 10),
    ("Dòng cảnh báo\nRows warned", 10),
    ("Dòng bị loại\nRows excluded", 10),
    ("Cách đọc tệp\nHow the file was read", 24),
    ("Lý do\nReason", 44),
    ("Việc cần làm\nWhat to do next", 40),
)
ROW_COLUMNS = (
    ("Tệp\nFile", 22),
    ("Dòng\nRow", 8),
    ("Cột\nColumn", 18),
    ("Giá trị\nValue", 20),
    ("Mức độ\nSeverity", 18),
    ("Lý do\nReason", 72),
)
LINE_POINTS = 15  # one line of 11-point text
# Spreadsheet programs keep a written file's row heights (LibreOffice does not fit them on opening),
# so each row gets the height its wrapped text needs: lines per cell estimated from the column width.


def row_height(values, columns) -> float:
    import math

    def lines(value, width: int) -> int:
        if value is None:
            return 1
        return sum(max(1, math.ceil(len(part) / (width * 1.15))) for part in str(value).split("\n"))

    return LINE_POINTS * max(lines(v, w) for v, (_, w) in zip(values, columns, strict=True)) + 3


FILES_SQL = """
select s.file_name, s.submission_type, s.version, s.status, s.rows_in_file, s.rows_with_errors,
       s.rows_with_warnings, s.reason_vi, s.reason_en, s.encoding, s.delimiter, s.sheet_name,
       s.header_row,
       (select max(n.version) from ledger.submissions as n
        where (n.province_code, n.period, n.submission_type) = (s.province_code, s.period, s.submission_type)
          and n.version > s.version and n.status in ('accepted', 'accepted_with_warnings')) as replaced_by
from ledger.submissions as s where s.province_code = %s and s.period = %s
order by s.submission_type, s.version, s.file_name
"""
ROWS_SQL = """
select s.file_name, i.source_row, coalesce(s.headers ->> i.column_name, i.column_name), i.value, i.severity,
       i.reason_vi, i.reason_en
from dq.row_issues as i join ledger.submissions as s using (submission_id)
where s.province_code = %s and s.period = %s
order by s.file_name, i.source_row nulls first,
         array_position(array['error', 'warning', 'note'], i.severity), i.rule
"""


def both(vi: str | None, en: str | None) -> str | None:
    """Vietnamese, then English on the line below."""
    return "\n".join(part for part in (vi, en) if part) or None


def how_read(reading: Reading) -> str:
    """'Mã hóa / Encoding: tcvn3' and so on, one fact per line."""
    return "\n".join(f"{vi} / {en}: {value}" for vi, en, value in reading.facts(quoted=False)) or "–"


NEXT_STEPS = {
    "replaced": (
        "Không cần làm gì: đã được thay bằng phiên bản {replaced_by}.",
        "Nothing to do: replaced by version {replaced_by}.",
    ),
    "rejected": (
        "Sửa tệp theo lý do bên cạnh rồi gửi lại cả tệp; chưa dòng nào của tệp này được tính.",
        "Correct the file as the reason says and send it again; none of its rows is counted yet.",
    ),
    "pending": (
        "Chưa có kết quả; sẽ có trong phản hồi sau.",
        "No verdict yet; it comes in the next feedback.",
    ),
    "nil_return": (
        "Báo cáo không có dòng nào (không có vụ việc trong kỳ); nếu đúng vậy, không cần làm gì.",
        "A nil return (no case in the period); if that is right, nothing to do.",
    ),
    "errors": (
        "Sửa {errors} dòng bị loại (xem trang Dòng) rồi gửi lại cả tệp; các dòng khác đã được tính.",
        "Fix the {errors} excluded rows (see the Rows sheet) and resend the whole file; the other rows "
        "are counted already.",
    ),
    "warnings": (
        "Xem {warnings} dòng có cảnh báo (trang Dòng); nếu số liệu sai, sửa và gửi lại cả tệp.",
        "Review the {warnings} rows with warnings (Rows sheet); if a value is wrong, correct it and resend "
        "the whole file.",
    ),
    "done": ("Không cần làm gì.", "Nothing to do."),
}


def next_step(status: str, rows: int | None, errors: int | None, warnings: int | None, replaced_by) -> str:
    """What the officer does about one file, in both languages."""
    if replaced_by:
        key = "replaced"
    elif status == Status.REJECTED:
        key = "rejected"
    elif status not in ledger.ACCEPTED:
        key = "pending"
    elif rows == 0:
        key = "nil_return"
    else:
        key = "errors" if errors else "warnings" if warnings else "done"
    vi, en = NEXT_STEPS[key]
    facts = {"replaced_by": replaced_by, "errors": errors, "warnings": warnings}
    return both(vi.format(**facts), en.format(**facts))


def _styles(sheet) -> dict:
    """The workbook's cell styles, each as the style array a cell takes (`sheet`: any of its sheets).

    openpyxl keeps each font, fill, border and alignment once per workbook; assigning them cell by
    cell looks each one up again by hashing it, which took three quarters of a workbook's time with
    thousands of flagged rows. A cell here takes a copy of a prototype's array instead, as openpyxl
    copies styles itself (`WorksheetCopy`).
    """
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="A6A6A6")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)

    def prototype(**attributes):
        cell = WriteOnlyCell(sheet)
        for name, value in attributes.items():
            setattr(cell, name, value)
        return cell._style

    return {
        "title": prototype(font=Font(bold=True, size=13)),
        "header": prototype(
            border=border,
            font=Font(bold=True, color="FFFFFF"),
            fill=PatternFill("solid", fgColor="1F4E78"),
            alignment=Alignment(wrap_text=True, vertical="center", horizontal="center"),
        ),
        "body": prototype(border=border, alignment=Alignment(wrap_text=True, vertical="top")),
        "number": prototype(border=border, alignment=Alignment(vertical="top", horizontal="right")),
    }


def _cell(sheet, value, style: str, styles: dict):
    """A cell with `style` ("body": a number is set right), a formula-like text kept as text."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    if style == "body" and isinstance(value, int):
        style = "number"
    cell._style = copy(styles[style])
    if isinstance(value, str) and looks_like_formula(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def _lay_out(sheet, heading: str, columns, styles) -> None:
    """Set widths, a title line, a frozen and filtered header; printed landscape and fitted to the
    page width with the header repeated on every page."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.worksheet import Worksheet

    for index, (_, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "2:2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.gridLines = False
    sheet.row_dimensions[1].height = 22
    sheet.append([_cell(sheet, heading, "title", styles)])
    headers = [header for header, _ in columns]
    sheet.row_dimensions[2].height = row_height(headers, columns)
    sheet.append([_cell(sheet, header, "header", styles) for header in headers])


def _append(sheet, number: int, values, columns, styles) -> None:
    """Body row `number` (rows 1 and 2 are the title and the header), its height fitted to its text."""
    sheet.row_dimensions[number].height = row_height(values, columns)
    sheet.append([_cell(sheet, v, "body", styles) for v in values])


def signoff_line(signoff: dict) -> tuple:
    """A summary line for one of the province's sign-offs (approval.json) of the period."""
    when = signoff["approved_at"]
    who = (
        f"Người phê duyệt / Approved by: {signoff['approved_by']}\n"
        f"Lúc / At: {when.astimezone(ZoneInfo(settings.TIMEZONE)).strftime('%d/%m/%Y %H:%M')}"
        if signoff["approved_by"] and when
        else "–"
    )
    return (
        signoff["file_uri"].rsplit("/", 1)[-1],
        "phê duyệt của tỉnh\nprovincial sign-off",
        SIGNOFF_LABELS.get(signoff["status"], signoff["status"]),
        None,
        None,
        None,
        None,
        who,
        both(signoff["reason_vi"], signoff["reason_en"]) or "–",
        SIGNOFF_NEXT.get(signoff["status"], ""),
    )


def write_feedback(
    province: str, period: str, out_dir: Path | None = None, url: str | None = None, conn=None
) -> Path:
    """Write <out>/<province>/<period>/phan_hoi_<province>_<period>.xlsx and return its path (read in
    the transaction of `conn` when given, else in one of its own)."""
    from openpyxl import Workbook

    folder = (out_dir or settings.feedback_root()) / province / period
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"phan_hoi_{province}_{period}.xlsx"
    book = Workbook(write_only=True)
    summary, rows_sheet = book.create_sheet(SUMMARY_SHEET), book.create_sheet(ROWS_SHEET)
    styles = _styles(summary)
    if province == NATIONAL:  # the hotline 111 operator's folder, not a province's
        where = (
            f"Tổng đài quốc gia bảo vệ trẻ em 111, kỳ {period} / national child helpline 111, period {period}"
        )
    else:
        where = f"tỉnh {province}, kỳ {period} / province {province}, period {period}"
    _lay_out(summary, f"Phản hồi về các tệp đã nộp – {where}", SUMMARY_COLUMNS, styles)
    _lay_out(rows_sheet, f"Các dòng có lỗi, cảnh báo hoặc ghi chú – {where}", ROW_COLUMNS, styles)
    with transaction_on(conn, url) as reading:
        _fill(reading, (summary, rows_sheet), styles, province, period)
    book.save(path)
    return path


def _fill(conn, sheets: tuple, styles, province: str, period: str) -> None:
    """The workbook's two sheets: each file's verdict and the sign-offs, then every flagged row."""
    from openpyxl.utils import get_column_letter

    summary, rows_sheet = sheets

    with conn.cursor() as cur:
        cur.execute(FILES_SQL, (province, period))
        files = cur.fetchall()
    for number, (name, kind, version, status, total, errors, warnings, vi, en, encoding, delimiter,
                 sheet, header_row, replaced_by) in enumerate(files, start=3):  # fmt: skip
        # Counted only once there is a verdict: a refused file has none of its rows taken.
        loaded = total is not None and status in ledger.ACCEPTED
        refused = status == Status.REJECTED
        values = (
            name.rsplit("/", 1)[-1],
            f"{kind}\nphiên bản / version {version}" if version else kind,
            STATUS_LABELS.get(status, status),
            total,
            (total - (errors or 0)) if loaded else 0 if refused else None,
            warnings if loaded else None,
            errors if loaded else total if refused else None,
            how_read(Reading(encoding, delimiter, sheet, header_row)),
            both(vi, en) or "–",
            next_step(status, total, errors, warnings, replaced_by),
        )
        _append(summary, number, values, SUMMARY_COLUMNS, styles)
    signed = signoffs.for_feedback(conn, province, period)
    for number, signoff in enumerate(signed, start=len(files) + 3):
        _append(summary, number, signoff_line(signoff), SUMMARY_COLUMNS, styles)
    last = max(len(files) + len(signed), 1) + 2
    summary.auto_filter.ref = f"A2:{get_column_letter(len(SUMMARY_COLUMNS))}{last}"
    flagged = 0
    with conn.cursor(name="feedback_rows") as cur:
        cur.itersize = 10_000
        cur.execute(ROWS_SQL, (province, period))
        for name, row, column, value, severity, vi, en in cur:
            values = (name.rsplit("/", 1)[-1], row if row is not None else "cả tệp\nwhole file", column,
                      value, SEVERITY.get(severity, severity), both(vi, en))  # fmt: skip
            flagged += 1
            _append(rows_sheet, flagged + 2, values, ROW_COLUMNS, styles)
    rows_sheet.auto_filter.ref = f"A2:{get_column_letter(len(ROW_COLUMNS))}{max(flagged, 1) + 2}"


def write_feedback_for_run(run_id: str, out_dir: Path | None = None, url: str | None = None) -> list[Path]:
    """One workbook per province and period that this run processed, or that an earlier run left
    without one (it died first); each marked written in the ledger once it is on disk."""
    with transaction(url) as conn:
        signoffs.settle(conn)  # the files' verdicts are in: decide the sign-offs that waited for them
        pairs = ledger.feedback_due(conn, run_id)
    written = []
    # one connection (a connection costs its authentication and a server process, about 8 ms),
    # two transactions a workbook
    with closing(connect(url)) as conn:
        for province, period in pairs:
            with conn:
                written.append(write_feedback(province, period, out_dir, conn=conn))
            with conn:
                ledger.record_feedback(conn, province, period)
    return written
