"""How each province writes its CSVs: headers, separator, dates, sex, yes/no and code styles."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from child_warehouse.synth.reference import Reference

T = TypeVar("T")

# Vietnamese headers exactly as in the submission contract, sections 3.1 and 3.2.
VIETNAMESE_HEADERS = {
    "record_id": "Mã hồ sơ",
    "commune_code": "Mã xã",
    "full_name": "Họ và tên",
    "date_of_birth": "Ngày sinh",
    "sex": "Giới tính",
    "ethnicity_code": "Mã dân tộc",
    "personal_id": "Số định danh cá nhân",
    "caregiver_name": "Họ tên cha, mẹ hoặc người chăm sóc",
    "caregiver_personal_id": "Số định danh người chăm sóc",
    "household_poverty": "Hộ nghèo, cận nghèo",
    "special_circumstances": "Nhóm hoàn cảnh đặc biệt",
    "at_risk": "Có nguy cơ rơi vào HCĐB",
    "supported": "Được trợ giúp",
    "support_types": "Hình thức trợ giúp",
    "has_disability": "Khuyết tật",
    "has_health_insurance": "Có thẻ BHYT",
    "birth_registered": "Đã đăng ký khai sinh",
    "record_status": "Trạng thái",
    "updated_on": "Ngày cập nhật",
    "case_id": "Mã vụ việc",
    "case_type": "Loại vụ việc",
    "occurred_on": "Ngày xảy ra",
    "detected_on": "Ngày phát hiện",
    "outcome": "Hậu quả",
    "intervention_status": "Tình trạng can thiệp",
    "intervened_on": "Ngày can thiệp",
    "referred_to": "Chuyển tuyến đến",
}
# In protection_cases the child's record is "Mã hồ sơ trẻ em"; the contract's alternative ethnicity
# header "Dân tộc" goes with names rather than codes.
CASE_RECORD_HEADER = "Mã hồ sơ trẻ em"
ETHNICITY_NAME_HEADER = "Dân tộc"

SEX_STYLES = {"vi": ("Nam", "Nữ"), "mf": ("M", "F"), "num": ("1", "2")}
YES_NO_STYLES = {"vi": ("Có", "Không"), "x": ("x", ""), "num": ("1", "0")}


@dataclass(frozen=True)
class Dialect:
    vietnamese_headers: bool
    delimiter: str
    date_style: str  # "dmy" dd/mm/yyyy, "dmy_short" d/m/yyyy, "iso" yyyy-mm-dd
    sex_style: str
    yes_no_style: str
    circumstance_style: str  # "letter" (đ), "letter_dd" (dd) or "number" (1-14)
    ethnicity_style: str  # "code" (2 digits) or "name"

    def header(self, column: str, *, in_cases: bool = False) -> str:
        if not self.vietnamese_headers:
            return column
        if column == "record_id" and in_cases:
            return CASE_RECORD_HEADER
        if column == "ethnicity_code" and self.ethnicity_style == "name":
            return ETHNICITY_NAME_HEADER
        return VIETNAMESE_HEADERS[column]

    def day(self, value: date | None) -> str:
        if value is None:
            return ""
        if self.date_style == "iso":
            return value.isoformat()
        if self.date_style == "dmy_short":
            return f"{value.day}/{value.month}/{value.year}"
        return value.strftime("%d/%m/%Y")

    def sex(self, value: str) -> str:
        male, female = SEX_STYLES[self.sex_style]
        return male if value == "male" else female

    def yes_no(self, value: bool) -> str:
        yes, no = YES_NO_STYLES[self.yes_no_style]
        return yes if value else no

    def circumstances(self, letters: Sequence[str], ref: Reference) -> str:
        numbers = {item.letter: item.number for item in ref.circumstances}
        if self.circumstance_style == "number":
            return ";".join(str(numbers[letter]) for letter in letters)
        if self.circumstance_style == "letter_dd":
            return ";".join("dd" if letter == "đ" else letter for letter in letters)
        return ";".join(letters)

    def ethnicity(self, code: str, ref: Reference) -> str:
        if self.ethnicity_style == "name":
            return next(group.name_vi for group in ref.ethnic_groups if group.code == code)
        return code


def _balanced(rng: random.Random, options: Sequence[T], count: int) -> list[T]:
    """Each option used in turn, then shuffled: every variant appears whatever the seed."""
    values = [options[index % len(options)] for index in range(count)]
    rng.shuffle(values)
    return values


# The encodings the sample's provinces write in (contract section 2): mostly UTF-8, some with the BOM
# Excel adds, and a few from offices whose software still types in the 1990s code pages.
SAMPLE_ENCODINGS = ("utf-8", "utf-8", "utf-8", "utf-8", "utf-8", "utf-8-sig", "tcvn3", "vni", "cp1258")


def assign_encodings(rng: random.Random, provinces: Sequence[str]) -> dict[str, str]:
    """Each province's file encoding; every one of SAMPLE_ENCODINGS is used when there are enough."""
    return dict(zip(provinces, _balanced(rng, SAMPLE_ENCODINGS, len(provinces)), strict=True))


def assign_dialects(rng: random.Random, provinces: Sequence[str]) -> dict[str, Dialect]:
    """A dialect per province; repeated options weight the common conventions (dd/mm/yyyy, commas)."""
    count = len(provinces)
    columns = zip(
        _balanced(rng, (True, False), count),
        _balanced(rng, (",", ",", ";"), count),
        _balanced(rng, ("dmy", "dmy", "dmy", "iso", "dmy_short"), count),
        _balanced(rng, tuple(SEX_STYLES), count),
        _balanced(rng, tuple(YES_NO_STYLES), count),
        _balanced(rng, ("letter", "letter", "letter_dd", "number"), count),
        _balanced(rng, ("code", "code", "code", "name"), count),
        strict=True,
    )
    return {province: Dialect(*values) for province, values in zip(provinces, columns, strict=True)}
