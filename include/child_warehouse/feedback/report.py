"""The feedback workbook for one province and period: every file's verdict and every flagged row.

Written with openpyxl's streaming writer, so a file with many flagged rows never sits in memory.
A value a spreadsheet would run as a formula (=, +, -, @ …) is written as text with a quote prefix:
a province's cell never executes on an officer's machine.
"""

from __future__ import annotations

from pathlib import Path

from child_warehouse import ledger, settings
from child_warehouse.db.connection import transaction
from child_warehouse.ingest.safety import looks_like_formula
from child_warehouse.ledger import Status

STATUS_LABELS = {
    Status.ACCEPTED: "Chấp nhận / Accepted",
    Status.ACCEPTED_WITH_WARNINGS: "Chấp nhận, có cảnh báo / Accepted with warnings",
    Status.REJECTED: "Từ chối / Rejected",
    Status.LOADED: "Đang kiểm tra / Being validated",
    Status.DISCOVERED: "Chờ xử lý / Waiting",
    Status.LOAD_FAILED: "Lỗi hệ thống, sẽ thử lại / System fault, will retry",
}
FILE_HEADER = (
    "Tệp / File",
    "Loại / Type",
    "Phiên bản / Version",
    "Kết quả / Verdict",
    "Số dòng / Rows",
    "Dòng lỗi / Rows with errors",
    "Dòng cảnh báo / Rows with warnings",
    "Lý do / Reason (VI)",
    "Reason (EN)",
)
ROW_HEADER = (
    "Tệp / File",
    "Dòng / Row",
    "Cột / Column",
    "Giá trị / Value",
    "Mức độ / Severity",
    "Lý do / Reason (VI)",
    "Reason (EN)",
)
SEVERITY = {"error": "Lỗi – dòng bị loại / Error – row excluded", "warning": "Cảnh báo / Warning"}

FILES_SQL = """
select file_name, submission_type, version, status, rows_in_file, rows_with_errors, rows_with_warnings,
       reason_vi, reason_en
from ledger.submissions where province_code = %s and period = %s order by submission_type, version
"""
ROWS_SQL = """
select s.file_name, i.source_row, i.column_name, i.value, i.severity, i.reason_vi, i.reason_en
from dq.row_issues as i join ledger.submissions as s using (submission_id)
where s.province_code = %s and s.period = %s
order by s.file_name, i.source_row nulls first, i.severity, i.rule
"""


def _cell(sheet, value):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and looks_like_formula(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def _append(sheet, values) -> None:
    sheet.append([_cell(sheet, v) for v in values])


def write_feedback(province: str, period: str, out_dir: Path | None = None, url: str | None = None) -> Path:
    """Write <out>/<province>/<period>/phan_hoi_<province>_<period>.xlsx and return its path."""
    from openpyxl import Workbook

    folder = (out_dir or settings.feedback_root()) / province / period
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"phan_hoi_{province}_{period}.xlsx"
    book = Workbook(write_only=True)
    files, rows = book.create_sheet("Tep - Files"), book.create_sheet("Dong - Rows")
    _append(files, FILE_HEADER)
    _append(rows, ROW_HEADER)
    with transaction(url) as conn, conn.cursor() as cur:
        cur.execute(FILES_SQL, (province, period))
        for name, kind, version, status, total, errors, warnings, vi, en in cur.fetchall():
            _append(
                files,
                (name, kind, version, STATUS_LABELS.get(status, status), total, errors, warnings, vi, en),
            )
    with transaction(url) as conn, conn.cursor(name="feedback_rows") as cur:
        cur.itersize = 10_000
        cur.execute(ROWS_SQL, (province, period))
        for name, row, column, value, severity, vi, en in cur:
            _append(rows, (name, row, column, value, SEVERITY.get(severity, severity), vi, en))
    book.save(path)
    return path


def write_feedback_for_run(run_id: str, out_dir: Path | None = None, url: str | None = None) -> list[Path]:
    """One workbook per province and period that this run processed, or that an earlier run left
    without one (it died first); each marked written in the ledger once it is on disk."""
    with transaction(url) as conn:
        pairs = ledger.feedback_due(conn, run_id)
    written = []
    for province, period in pairs:
        written.append(write_feedback(province, period, out_dir, url))
        with transaction(url) as conn:
            ledger.record_feedback(conn, province, period)
    return written
