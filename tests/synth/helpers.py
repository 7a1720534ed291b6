"""Reads a generated sample back the way the submission contract describes it."""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from child_warehouse.db.reference import reference_dir
from child_warehouse.synth import SampleSummary

REFERENCE = reference_dir()
PERIOD_END = date(2026, 9, 30)
# Written out from the submission contract (3.1, 3.2, 3.4-3.6) rather than imported, so a drift is caught.
CONTRACT_HEADERS = {
    "Mã hồ sơ": "record_id", "Mã hồ sơ trẻ em": "record_id", "Mã xã": "commune_code",
    "Họ và tên": "full_name", "Ngày sinh": "date_of_birth", "Giới tính": "sex",
    "Mã dân tộc": "ethnicity_code", "Dân tộc": "ethnicity_code", "Số định danh cá nhân": "personal_id",
    "Họ tên cha, mẹ hoặc người chăm sóc": "caregiver_name",
    "Số định danh người chăm sóc": "caregiver_personal_id", "Hộ nghèo, cận nghèo": "household_poverty",
    "Nhóm hoàn cảnh đặc biệt": "special_circumstances", "Có nguy cơ rơi vào HCĐB": "at_risk",
    "Được trợ giúp": "supported", "Hình thức trợ giúp": "support_types", "Khuyết tật": "has_disability",
    "Có thẻ BHYT": "has_health_insurance", "Đã đăng ký khai sinh": "birth_registered",
    "Trạng thái": "record_status", "Ngày cập nhật": "updated_on", "Mã vụ việc": "case_id",
    "Loại vụ việc": "case_type", "Ngày xảy ra": "occurred_on", "Ngày phát hiện": "detected_on",
    "Hậu quả": "outcome", "Tình trạng can thiệp": "intervention_status", "Ngày can thiệp": "intervened_on",
    "Chuyển tuyến đến": "referred_to",
    # 3.4-3.6
    "Loại xã": "commune_type", **{f"Tiêu chí {i}": f"criterion_{i:02d}" for i in range(1, 14)},
    "Tổng điểm": "total_score", "Được công nhận": "recognised", "Số quyết định công nhận": "decision_no",
    "Mã tỉnh": "province_code", "Kênh": "channel", "Nội dung": "topic", "Số cuộc gọi": "calls",
    "Số cuộc tư vấn": "counselling_calls", "Số ca chuyển tuyến": "referrals",
    "Số ca can thiệp, hỗ trợ": "interventions", "Loại hoạt động": "activity_type",
    "Số hoạt động": "activities", "Số lượt trẻ em tham gia": "children_reached",
    "Kinh phí (đồng)": "spending_vnd", "Ghi chú": "note",
}  # fmt: skip
SEX = {"Nam": "male", "M": "male", "1": "male", "Nữ": "female", "F": "female", "2": "female"}
YES = {"Có", "x", "1"}
NO = {"Không", "", "0"}


@dataclass(frozen=True)
class Table:
    delimiter: str
    headers: list[str]  # as written in the file
    rows: list[dict[str, str]]  # keyed by canonical column name


@dataclass(frozen=True)
class Sample:
    summary: SampleSummary
    landing: Path
    register_dir: Path
    truth_dir: Path


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def read_submission(path: Path, encoding: str = "utf-8") -> Table:
    from child_warehouse.synth.legacy import DECODERS

    text = DECODERS[encoding](path.read_bytes())
    first_line = text.split("\n", 1)[0]
    # Vietnamese headers contain commas inside quotes, but never as many as the separators.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(text.splitlines(), delimiter=delimiter)
    headers = next(reader)
    columns = [CONTRACT_HEADERS.get(header, header) for header in headers]
    return Table(delimiter, headers, [dict(zip(columns, row, strict=True)) for row in reader])


def parse_date(value: str) -> date:
    if "-" in value:
        return date.fromisoformat(value)
    day, month, year = (int(part) for part in value.split("/"))
    return date(year, month, day)


def parse_yes(value: str) -> bool:
    assert value in YES | NO, f"unexpected yes/no value {value!r}"
    return value in YES


def group_letters() -> dict[str, str]:
    """Every accepted spelling of an Article 10 group mapped to its law letter."""
    spellings: dict[str, str] = {}
    for row in read_csv(REFERENCE / "special_circumstances.csv"):
        spellings[row["law_letter"]] = spellings[row["number"]] = row["law_letter"]
    spellings["dd"] = "đ"
    return spellings


def parse_groups(value: str) -> tuple[str, ...]:
    letters = group_letters()
    return tuple(letters[token] for token in value.split(";") if token)


def valid_on(row: dict[str, str], day: date) -> bool:
    return row["valid_from"] <= day.isoformat() and (
        not row["valid_to"] or row["valid_to"] >= day.isoformat()
    )


def current_provinces() -> set[str]:
    return {
        row["province_code"] for row in read_csv(REFERENCE / "provinces.csv") if valid_on(row, PERIOD_END)
    }


def communes_by_province() -> dict[str, set[str]]:
    result: dict[str, set[str]] = defaultdict(set)
    for row in read_csv(REFERENCE / "communes.csv"):
        if valid_on(row, PERIOD_END):
            result[row["province_code"]].add(row["commune_code"])
    return result


def submission(sample: Sample, province: str, kind: str) -> Table:
    period = {"child_records": "2026-Q3", "protection_cases": "2026-M10", "indicator_report": "2026-9M"}[kind]
    encodings = {
        (row["province_code"], row["submission_type"]): row["encoding"]
        for row in read_csv(sample.truth_dir / "file_encodings.csv")
    }
    return read_submission(sample.landing / province / period / f"{kind}.csv", encodings[(province, kind)])


def pre_reform_codes() -> set[str]:
    return {
        row["province_code"]
        for row in read_csv(REFERENCE / "provinces.csv")
        if valid_on(row, date(2025, 6, 30))
    }
