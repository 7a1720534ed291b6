"""The officer's check: the night's reading and rules on a file, with no warehouse to connect to."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

CLI = str(Path(sys.executable).parent / "child-warehouse")
HEADER = "Mã hồ sơ;Mã xã;Họ và tên;Ngày sinh;Giới tính\n"
GOOD = HEADER + "HN-1;00004;Nguyễn Thị Hoà;05/03/2015;Nữ\nHN-2;00004;Trần Văn Đức;2016-01-20;Nam\n"


def _check(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    # A warehouse address that cannot answer: the check must not need one.
    env = {**os.environ, "CHILD_WAREHOUSE_DB_URL": "postgresql://nobody:none@127.0.0.1:9/nothing"}
    return subprocess.run(
        [CLI, "check", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=600
    )


@pytest.fixture(scope="module")
def officer_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("officer")
    (folder / "child_records.csv").write_text(GOOD, encoding="utf-8")
    more = "".join(f"HN-{n};00004;Phạm Văn An;05/03/2015;Nam\n" for n in range(10, 20))
    bad = (
        GOOD
        + more
        + "HN-3;99999;Lê Văn Cường;31/02/2015;Nam\n"
        + 'HN-4;00004;=HYPERLINK("x");01/01/2016;Nam\n'
        + "HN-5;00004;Lê Văn Dũng;2015-13-45;Nam\n"
        + "HN-6;00004;Lê Thị Én;31/02/2015;Nữ\n"
    )
    (folder / "child_records.sai.csv").write_text(bad, encoding="utf-8")
    (folder / "indicator_report.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    return folder


def test_a_clean_file_is_accepted_and_exits_zero(officer_folder):
    result = _check("child_records.csv", "--province", "01", "--period", "2026-Q3", cwd=officer_folder)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "child_records.csv: CHẤP NHẬN / ACCEPTED" in result.stdout
    assert "2 dòng / rows; 0 dòng lỗi / with errors" in result.stdout


def test_bad_rows_and_bad_files_get_the_nights_reasons_and_a_workbook(officer_folder):
    result = _check(
        "child_records.sai.csv",
        "indicator_report.xlsx",
        "--province",
        "01",
        "--period",
        "2026-Q3",
        "--out",
        "phan_hoi",
        cwd=officer_folder,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    out = result.stdout
    assert "child_records.sai.csv: CHẤP NHẬN, CÓ CẢNH BÁO / ACCEPTED WITH WARNINGS" in out
    assert "mã hóa / encoding utf-8; dấu phân cách / delimiter ';'; dòng tiêu đề / header row 1" in out
    assert "- commune_in_province [lỗi, dòng bị loại / error, row excluded]: 1 dòng / rows" in out
    assert "- date_of_birth_valid [lỗi, dòng bị loại / error, row excluded]: 3 dòng / rows" in out
    # Both kinds of bad date, each once, under the officer's own header, before any repeated value.
    assert "Dòng 14, cột Ngày sinh: Ngày sinh '31/02/2015'" in out
    assert "Dòng 16, cột Ngày sinh: Ngày sinh '2015-13-45'" in out
    assert "Row 16, column Ngày sinh (date_of_birth)" in out
    assert "Dòng 14, cột Mã xã: Mã xã '99999' không thuộc tỉnh này" in out
    assert "cột date_of_birth" not in out
    assert "cột commune_code" not in out
    assert "indicator_report.xlsx: TỪ CHỐI / REJECTED" in out
    # No library or stage log lines, and nothing said twice.
    logged = re.compile(r"^(DEBUG|INFO|WARNING):", re.MULTILINE)
    assert not logged.search(out + "\n" + result.stderr), out + result.stderr
    said = [line for line in out.splitlines() if line.strip()]
    assert len(said) == len(set(said)), said
    book = load_workbook(officer_folder / "phan_hoi" / "01" / "2026-Q3" / "phan_hoi_01_2026-Q3.xlsx")
    rows = list(book["Dòng - Rows"].iter_rows(min_row=3, values_only=True))
    flagged = {(r[1], r[2]) for r in rows}
    assert {(14, "Mã xã"), (14, "Ngày sinh"), (16, "Ngày sinh"), (17, "Ngày sinh")} <= flagged
    formula = [r for r in rows if r[3] and str(r[3]).startswith("=HYPERLINK")]
    assert formula, "the formula-like name is reported"
    assert book["Dòng - Rows"].cell(2, 1).value == "Tệp\nFile"


def test_examples_can_be_fewer_or_none(officer_folder):
    result = _check(
        "child_records.sai.csv",
        "--province",
        "01",
        "--period",
        "2026-Q3",
        "--examples",
        "0",
        cwd=officer_folder,
    )
    assert "date_of_birth_valid [lỗi, dòng bị loại / error, row excluded]: 3 dòng / rows" in result.stdout
    assert "Dòng 14, cột Ngày sinh" not in result.stdout


def test_province_and_period_come_from_landing_folders(tmp_path_factory):
    folder = tmp_path_factory.mktemp("landing") / "01" / "2026-Q3"
    folder.mkdir(parents=True)
    (folder / "child_records.csv").write_text(GOOD, encoding="utf-8")
    result = _check(str(folder / "child_records.csv"), cwd=folder)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "01/2026-Q3/child_records.csv: CHẤP NHẬN / ACCEPTED" in result.stdout


def test_without_province_or_period_the_officer_is_told_what_to_add(officer_folder):
    result = _check("child_records.csv", cwd=officer_folder)
    assert result.returncode == 2
    assert "--province" in result.stderr
    assert "--period" in result.stderr
