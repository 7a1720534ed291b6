"""Reasons a file or a row is refused, in Vietnamese with English beside it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Reason:
    """One reason an officer can act on: what is wrong, in both languages."""

    code: str
    vi: str
    en: str


class FileRejected(Exception):
    """The whole file is refused; the reason goes to the ledger and the province's feedback."""

    def __init__(self, reason: Reason) -> None:
        super().__init__(f"{reason.code}: {reason.en}")
        self.reason = reason
        self.reading = None  # how the file was read, when it was opened before being refused


def undeterminable_encoding(file_name: str) -> Reason:
    return Reason(
        "encoding_unknown",
        f"Không xác định được bảng mã của tệp {file_name}; hãy lưu lại dưới dạng CSV UTF-8.",
        f"The character encoding of {file_name} could not be determined; save it again as CSV UTF-8.",
    )


def changed_since_received(file_name: str) -> Reason:
    return Reason(
        "changed_since_received",
        f"Tệp {file_name} đã thay đổi sau khi được tiếp nhận: nội dung hiện có không phải nội dung đã ghi "
        "nhận. Lần chạy sau sẽ tiếp nhận nội dung mới như một phiên bản mới.",
        f"{file_name} changed after it was received: its content is not the content recorded. The next "
        "run takes the new content in as a new version.",
    )


def missing_columns(file_name: str, columns: list[str]) -> Reason:
    names = ", ".join(columns)
    return Reason(
        "missing_required_columns",
        f"Tệp {file_name} thiếu cột bắt buộc: {names}.",
        f"{file_name} lacks required columns: {names}.",
    )


def no_header(file_name: str) -> Reason:
    return Reason(
        "header_not_found",
        f"Không tìm thấy dòng tiêu đề cột trong tệp {file_name}.",
        f"No header row naming the contract's columns was found in {file_name}.",
    )


def empty_file(file_name: str) -> Reason:
    """Nothing at all: no bytes, or only blank lines, so not even a header."""
    return Reason(
        "empty_file",
        f"Tệp {file_name} trống (không có cả dòng tiêu đề); có thể tệp chưa được lưu hoặc tải lên hết.",
        f"{file_name} is empty (not even a header row); it may not have been saved or uploaded completely.",
    )


def nul_character(file_name: str, row: int, column: str | None, header: str | None) -> Reason:
    """A NUL character (byte 0) in a cell: no text holds one, so the file is binary or damaged (a
    spreadsheet saved in another format under a .csv name, a copy cut short)."""
    vi, en = column_labels(column, header)
    return Reason(
        "nul_character",
        f"Tệp {file_name} có ký tự NUL (byte 0) ở dòng {row}, cột {vi}: tệp bị hỏng hoặc không phải "
        "tệp văn bản CSV. Hãy lưu lại thành CSV (UTF-8) và gửi lại.",
        f"{file_name} has a NUL character (byte 0) in row {row}, column {en}: the file is damaged or not "
        "a CSV text file. Save it again as CSV (UTF-8) and resend.",
    )


def header_only(file_name: str, submission_type: str) -> Reason:
    """A header and no data row, in a type that lists what the province manages (children, indicator
    values) and so is never empty: most often an export that failed or a filter left on. Types that
    allow a nil return (protection cases: no case in the period) accept such a file instead."""
    return Reason(
        "header_only",
        f"Tệp {file_name} chỉ có dòng tiêu đề (hoặc danh sách rỗng), không có dòng dữ liệu nào. "
        f"Báo cáo loại {submission_type} không thể rỗng; có thể phần mềm xuất tệp bị lỗi hoặc còn bật "
        "bộ lọc. Hãy xuất lại và gửi lại.",
        f"{file_name} has a header row (or an empty list) but no data rows. A report of type "
        f"{submission_type} is never empty; the export may have failed or a filter been left on. "
        "Export it again and resend.",
    )


def unreadable(file_name: str, detail: str) -> Reason:
    return Reason(
        "unreadable_file",
        f"Không đọc được tệp {file_name}: {detail}.",
        f"{file_name} could not be read: {detail}.",
    )


def load_failed(file_name: str, detail: str) -> Reason:
    return Reason(
        "load_failed",
        f"Lỗi hệ thống khi nạp tệp {file_name} ({detail}); tệp sẽ được nạp lại, tỉnh không cần làm gì.",
        f"A system fault stopped loading {file_name} ({detail}); it will be loaded again, the province "
        "need do nothing.",
    )


def bad_path(path: str, detail_vi: str, detail_en: str) -> Reason:
    return Reason(
        "bad_landing_path",
        f"Tệp {path} đặt sai vị trí: {detail_vi}. Đúng là <mã tỉnh>/<kỳ báo cáo>/<loại>.csv|xlsx|json.",
        f"{path} is not where the contract puts files: {detail_en}. "
        "Expected <province_code>/<period>/<submission_type>.csv|xlsx|json.",
    )


def ambiguous_encoding(file_name: str, first: str, second: str) -> Reason:
    return Reason(
        "encoding_ambiguous",
        f"Tệp {file_name} có thể là bảng mã {first} hoặc {second}; không đoán. "
        "Hãy lưu lại dưới dạng CSV UTF-8.",
        f"{file_name} reads as {first} or as {second}; we do not guess. Save it again as CSV UTF-8.",
    )


def oversize(file_name: str, size: int, limit: int) -> Reason:
    return Reason(
        "file_too_large",
        f"Tệp {file_name} có {size:,} byte, vượt giới hạn {limit:,} byte; hãy chia nhỏ tệp.",
        f"{file_name} is {size:,} bytes, over the {limit:,}-byte limit; split it into smaller files.",
    )


def unsafe_xlsx(file_name: str, detail_vi: str, detail_en: str) -> Reason:
    return Reason(
        "unsafe_xlsx",
        f"Tệp {file_name} bị từ chối vì không an toàn: {detail_vi}. Hãy xuất lại từ phần mềm quản lý.",
        f"{file_name} was refused as unsafe: {detail_en}. Export it again from the management software.",
    )


def manifest_mismatch(file_name: str, detail_vi: str, detail_en: str) -> Reason:
    return Reason(
        "manifest_mismatch",
        f"Tệp {file_name} không khớp với manifest.json: {detail_vi}.",
        f"{file_name} disagrees with manifest.json: {detail_en}.",
    )


def foreign_communes(file_name: str, province: str, share: float, examples: list[str]) -> Reason:
    listed = ", ".join(examples)
    return Reason(
        "communes_of_another_province",
        f"Tệp {file_name}: {share:.0%} mã xã không thuộc tỉnh {province} vào cuối kỳ (ví dụ {listed}); "
        "tệp có thể bị đặt nhầm thư mục tỉnh.",
        f"{file_name}: {share:.0%} of commune codes are not communes of province {province} at period end "
        f"(e.g. {listed}); the file may be in another province's folder.",
    )


def accepted_with_warnings(
    rows_total: int, rows_with_errors: int, rows_with_warnings: int, unknown_columns: list[str]
) -> Reason:
    """Why a file was accepted with warnings: what was left out, what is flagged, what was not read."""
    parts_vi, parts_en = [], []
    if rows_with_errors:
        parts_vi.append(
            f"{rows_with_errors}/{rows_total} dòng có lỗi không được đưa vào số liệu "
            "(dưới ngưỡng từ chối cả tệp)"
        )
        parts_en.append(
            f"{rows_with_errors} of {rows_total} rows have errors and are left out of the figures "
            "(below the threshold that rejects the whole file)"
        )
    if rows_with_warnings:
        parts_vi.append(f"{rows_with_warnings} dòng có cảnh báo (vẫn được dùng)")
        parts_en.append(f"{rows_with_warnings} rows carry warnings (still used)")
    if unknown_columns:
        listed = ", ".join(unknown_columns)
        parts_vi.append(f"cột không thuộc mẫu, được lưu nguyên văn nhưng không dùng: {listed}")
        parts_en.append(f"columns the contract does not name, kept as sent but not used: {listed}")
    return Reason(
        "accepted_with_warnings",
        "Tệp được nhận: " + "; ".join(parts_vi) + ". Chi tiết trong tệp phản hồi.",
        "File accepted: " + "; ".join(parts_en) + ". Details in the feedback workbook.",
    )


@dataclass(frozen=True)
class RowNote:
    """A problem found while reading one cell: kept as sent, reported to the province."""

    row: int
    column: str
    value: str
    rule: str
    severity: str
    reason: Reason


def column_labels(column: str | None, header: str | None) -> tuple[str, str]:
    """How a reason names a column: as the officer's sheet does (Vietnamese), and that header with the
    contract's name beside it (English), e.g. ('Ngày sinh', 'Ngày sinh (date_of_birth)')."""
    if not column:
        return "", ""
    if not header or header.strip() == column:
        return column, column
    return header.strip(), f"{header.strip()} ({column})"


def formula_cell(row: int, column: str, value: str, header: str | None = None) -> RowNote:
    vi, en = column_labels(column, header)
    return RowNote(
        row,
        column,
        value,
        "formula_like_cell",
        "warning",
        Reason(
            "formula_like_cell",
            f"Dòng {row}, cột {vi}: giá trị '{value}' bắt đầu như một công thức; "
            "được giữ nguyên dạng văn bản.",
            f"Row {row}, column {en}: '{value}' starts like a spreadsheet formula; kept as text only.",
        ),
    )


def number_typed_code(row: int, column: str, value: str, header: str | None = None) -> RowNote:
    vi, en = column_labels(column, header)
    return RowNote(
        row,
        column,
        value,
        "code_stored_as_number",
        "warning",
        Reason(
            "code_stored_as_number",
            f"Dòng {row}, cột {vi}: mã '{value}' được Excel lưu dạng số nên có thể mất số 0 ở đầu; "
            "hãy định dạng cột là Văn bản (Text).",
            f"Row {row}, column {en}: code '{value}' was stored by Excel as a number and may have lost "
            "leading zeros; format the column as Text.",
        ),
    )


def scientific_id(row: int, column: str, value: str, header: str | None = None) -> RowNote:
    vi, en = column_labels(column, header)
    return RowNote(
        row,
        column,
        value,
        "id_in_scientific_notation",
        "warning",
        Reason(
            "id_in_scientific_notation",
            f"Dòng {row}, cột {vi}: số định danh '{value}' bị Excel đổi sang dạng khoa học và đã mất "
            "chữ số; dòng được nhận không có số định danh. Hãy định dạng cột là Văn bản (Text).",
            f"Row {row}, column {en}: ID '{value}' was turned into scientific notation by Excel and its "
            "digits are lost; the row continues without an ID. Format the column as Text.",
        ),
    )
