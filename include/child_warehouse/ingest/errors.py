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


def undeterminable_encoding(file_name: str) -> Reason:
    return Reason(
        "encoding_unknown",
        f"Không xác định được bảng mã của tệp {file_name}; hãy lưu lại dưới dạng CSV UTF-8.",
        f"The character encoding of {file_name} could not be determined; save it again as CSV UTF-8.",
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
    return Reason(
        "empty_file", f"Tệp {file_name} không có dòng dữ liệu nào.", f"{file_name} has no data rows."
    )


def unreadable(file_name: str, detail: str) -> Reason:
    return Reason(
        "unreadable_file",
        f"Không đọc được tệp {file_name}: {detail}.",
        f"{file_name} could not be read: {detail}.",
    )


def bad_path(path: str, detail_vi: str, detail_en: str) -> Reason:
    return Reason(
        "bad_landing_path",
        f"Tệp {path} đặt sai vị trí: {detail_vi}. Đúng là <mã tỉnh>/<kỳ báo cáo>/<loại>.csv|xlsx|json.",
        f"{path} is not where the contract puts files: {detail_en}. "
        "Expected <province_code>/<period>/<submission_type>.csv|xlsx|json.",
    )
