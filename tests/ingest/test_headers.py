"""Headers match in English or Vietnamese, with or without diacritics, any case or spacing."""

import pytest

from child_warehouse.ingest.headers import fold, looks_like_header, map_headers


@pytest.mark.parametrize("header", ["Ngày sinh", "ngay sinh", "NGAY_SINH", "  Ngày   Sinh ", "date_of_birth"])
def test_date_of_birth_headers_fold_to_one_column(header):
    assert map_headers("child_records", [header]).positions == {"date_of_birth": 0}


def test_fold_maps_d_with_stroke_explicitly():
    assert fold("Đã đăng ký khai sinh") == "da_dang_ky_khai_sinh"
    assert fold("\u00d0ại") == "dai"  # the look-alike ETH from legacy encodings


def test_unknown_columns_are_kept_and_missing_required_reported():
    mapping = map_headers("child_records", ["Mã hồ sơ", "Họ và tên", "Ghi chú riêng"])
    assert mapping.unknown == {"Ghi chú riêng": 2}
    assert mapping.missing("child_records") == ["commune_code", "date_of_birth", "sex"]


def test_indicator_wide_form_needs_no_value_column():
    mapping = map_headers(
        "indicator_report", ["Mã chỉ tiêu", "Tên chỉ tiêu", "Đơn vị tính", "Tổng số", "Nam", "Nữ"]
    )
    assert mapping.wide_positions == {"total": 3, "sex:male": 4, "sex:female": 5}
    assert mapping.missing("indicator_report") == []


def test_the_indicator_forms_name_and_unit_columns_are_the_forms_not_unknown():
    """Contract §3.3: Tên chỉ tiêu and Đơn vị tính belong to the XLSX form; they are kept as sent."""
    mapping = map_headers(
        "indicator_report",
        ["Mã chỉ tiêu", "Tên chỉ tiêu", "Đơn vị tính", "Tổng số", "Nam", "Nữ", "Ghi chú", "X"],
    )
    assert mapping.unknown == {"X": 7}
    assert mapping.form == {"Tên chỉ tiêu": 1, "Đơn vị tính": 2}
    assert mapping.kept_as_sent() == {"Tên chỉ tiêu": 1, "Đơn vị tính": 2, "X": 7}


def test_title_rows_are_not_headers():
    assert not looks_like_header("child_records", ["BÁO CÁO DANH SÁCH TRẺ EM", "", ""])
    assert looks_like_header("child_records", ["STT", "Mã hồ sơ", "Mã xã", "Họ và tên"])
