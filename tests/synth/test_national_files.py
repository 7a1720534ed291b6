"""National submissions: layout by period, formats, truth consistency, fault rates, resubmissions."""

from __future__ import annotations

import json
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import openpyxl

from child_warehouse.contract.columns import required_columns
from child_warehouse.synth.faults import BLANK_CELLS, FaultRates

from .helpers import REFERENCE, read_csv
from .national_helpers import read_cells, submissions, truth

RATES = FaultRates()
# The required columns a blank may hit in child records and cases: all but the row's own ID
REQUIRED = {
    name
    for kind in ("child_records", "protection_cases")
    for name in required_columns(kind)
    if name not in ("record_id", "case_id")
}


def _communes(valid_to_empty: bool) -> set[str]:
    rows = read_csv(REFERENCE / "communes.csv")
    return {row["commune_code"] for row in rows if (not row["valid_to"]) == valid_to_empty}


def test_pre_reform_periods_use_the_63_old_provinces_and_communes(national: Path) -> None:
    old = {p.name for p in national.glob("landing/*") if (p / "2025-Q2").exists()}
    new = {p.name for p in national.glob("landing/*") if (p / "2026-Q3").exists()}
    assert len(old) == 63
    assert len(new) == 34
    old_communes, new_communes = _communes(False), _communes(True)
    faults = {
        (f["file"], f["record_id"])
        for f in truth(national, "faults")
        if f["fault"] == "unknown_commune"
        or (f["fault"], f["column"]) == ("required_cell_empty", "commune_code")
    }
    for name, row in submissions(national).items():
        if row["submission_type"] != "child_records" or row["encoding"] not in ("utf-8", "utf-8-sig"):
            continue
        _, cells, header = read_cells(national / "landing" / name, row["encoding"])
        valid = old_communes if row["period"] == "2025-Q2" else new_communes
        for cell in cells:
            if len(cell) == len(header) and (name, cell[0]) not in faults:
                assert cell[header.index("commune_code")] in valid


def test_every_record_is_in_the_truth_and_its_person_in_the_register(national: Path) -> None:
    persons = {row["personal_id"] for row in truth(national, "persons")}
    links = {
        (r["province_code"], r["period"], r["record_id"]): r["personal_id"]
        for r in truth(national, "child_links")
    }
    assert set(links.values()) - {""} <= persons
    assert "" in links.values()  # strangers: children the register lacks, truth says so
    for name, row in submissions(national).items():
        if row["submission_type"] == "child_records" and row["format"] != "csv":
            _, cells, header = read_cells(national / "landing" / name, row["encoding"])
            for cell in cells:
                assert (row["province_code"], row["period"], cell[header.index("record_id")]) in links


def test_formats_follow_the_contract(national: Path) -> None:
    rows = submissions(national)
    formats = Counter(row["format"] for row in rows.values())
    assert formats["csv"]
    assert formats["xlsx"]
    assert formats["json"]
    for name, row in rows.items():
        path = national / "landing" / name
        if row["format"] == "json":
            data = json.loads(path.read_text(encoding="utf-8"))
            key = "values" if row["submission_type"] == "indicator_report" else "records"
            assert data["province_code"] == row["province_code"]
            assert data["period"] == row["period"]
            assert isinstance(data[key], list)
        elif row["format"] == "xlsx":
            book = openpyxl.load_workbook(path, read_only=True)
            sheet = book.sheetnames[0]
            assert sheet == ("BaoCao" if row["submission_type"] == "indicator_report" else "DuLieu")
            if row["submission_type"] == "indicator_report":
                header = next(book.worksheets[0].iter_rows(min_row=3, max_row=3, values_only=True))
                assert list(header) == [
                    "Mã chỉ tiêu",
                    "Tên chỉ tiêu",
                    "Đơn vị tính",
                    "Tổng số",
                    "Nam",
                    "Nữ",
                    "Ghi chú",
                ]


def _rates(national: Path) -> tuple[Counter[str], int]:
    rows = submissions(national)
    child_v1 = {
        name
        for name, row in rows.items()
        if row["submission_type"] == "child_records" and row["version"] == "1"
    }
    counted = Counter(f["fault"] for f in truth(national, "faults") if f["file"] in child_v1)
    return counted, sum(int(rows[name]["rows"]) for name in child_v1)


def test_row_fault_rates_are_near_the_configured_rates(national: Path) -> None:
    counted, total = _rates(national)
    for fault, rate, slack in (
        ("missing_id", RATES.missing_id, 0.03),
        ("no_diacritics", RATES.no_diacritics, 0.01),
        ("id_typo", RATES.id_typo, 0.01),
        ("duplicate_in_province", RATES.duplicate_in_province, 0.006),
        ("turned_16", RATES.turned_16, 0.006),
        ("wrong_sex", RATES.wrong_sex, 0.003),
        ("unknown_commune", RATES.unknown_commune, 0.003),
        ("required_cell_empty", RATES.required_cell_empty, 0.0015),
    ):
        assert abs(counted[fault] / total - rate) < slack, (fault, counted[fault] / total, rate)


def test_faults_csv_matches_the_cells_written(national: Path) -> None:
    rows = submissions(national)
    by_file = defaultdict(list)
    for fault in truth(national, "faults"):
        by_file[fault["file"]].append(fault)
    checked = 0
    for name, faults in by_file.items():
        meta = rows[name]
        if meta["submission_type"] == "indicator_report" or meta["encoding"] not in ("utf-8", "utf-8-sig"):
            continue
        first, cells, header = read_cells(national / "landing" / name, meta["encoding"])
        for fault in faults:
            row = cells[int(fault["row"]) - first]
            if fault["fault"] == "malformed_row":
                assert len(row) != len(header)
                continue
            if fault["column"] in ("full_name", "personal_id", "commune_code", "record_id") and len(
                row
            ) == len(header):
                assert row[header.index(fault["column"])] == fault["written"], fault
                checked += 1
    assert checked > 1000


def test_a_required_cell_is_empty_exactly_where_the_truth_says(national: Path) -> None:
    """Required cells of child records and cases are filled in, in every format and encoding, except
    those faults.csv names as left blank: so validation's catch rate for the fault is measurable."""
    files = submissions(national)
    blanks, malformed, forms = defaultdict(dict), defaultdict(set), Counter()
    for fault in truth(national, "faults"):
        if files[fault["file"]]["submission_type"] not in ("child_records", "protection_cases"):
            continue
        if fault["fault"] == "required_cell_empty":
            blanks[fault["file"]][int(fault["row"]), fault["column"]] = fault["written"]
            assert fault["written"] in BLANK_CELLS, fault
            assert fault["original"], fault
            forms[fault["written"]] += 1
        elif fault["fault"] == "malformed_row":
            malformed[fault["file"]].add(int(fault["row"]))
    columns = {column for cells in blanks.values() for _, column in cells}
    assert {"full_name", "date_of_birth", "sex", "commune_code"} <= columns <= REQUIRED
    checked = Counter()
    for name, meta in files.items():
        if meta["submission_type"] not in ("child_records", "protection_cases"):
            continue
        first, rows, header = read_cells(national / "landing" / name, meta["encoding"])
        if not rows:  # a nil return
            continue
        required = REQUIRED.intersection(header)
        assert {"full_name", "date_of_birth", "sex", "commune_code"} <= required, name
        for number, row in enumerate(rows, first):
            if number in malformed[name]:
                continue
            for column in required:
                cell = row[header.index(column)]
                empty = cell.strip() == ""
                assert empty == ((number, column) in blanks[name]), (name, number, column)
                if empty:  # as written: a cell that only looks empty reaches the file so
                    assert cell == blanks[name][number, column], (name, number, column, cell)
                checked[empty] += 1
    assert checked[True] == sum(map(len, blanks.values()))
    assert checked[False] > 50_000
    assert set(forms) == set(BLANK_CELLS)  # empty cells and cells that only look empty


def test_name_faults_look_as_named(national: Path) -> None:
    for fault in truth(national, "faults"):
        kind, before, after = fault["fault"], fault["original"], fault["written"]
        if kind == "no_diacritics":
            assert after.isascii()
            assert not before.isascii()
        elif kind == "nfd_text":
            assert unicodedata.normalize("NFC", after) == before
            assert after != before
        elif kind == "missing_id":
            assert after == ""
            assert len(before) == 12


def test_resubmissions_are_later_second_versions(national: Path) -> None:
    rows = submissions(national)
    seconds = [name for name, row in rows.items() if row["version"] == "2"]
    assert seconds
    for name in seconds:
        first = name.replace(".v2", "")
        assert ".v2." in name
        assert first in rows
        assert rows[name]["submitted_at"] > rows[first]["submitted_at"]
        assert (national / "landing" / name).stat().st_mtime > (national / "landing" / first).stat().st_mtime


def test_some_files_are_late_and_some_in_legacy_encodings(national: Path) -> None:
    rows = list(submissions(national).values())
    assert any(row["late"] == "1" for row in rows)
    encodings = Counter(row["encoding"] for row in rows)
    assert encodings["utf-8"] > encodings["tcvn3"] + encodings["vni"] + encodings["cp1258"] > 0


def test_expected_shares_of_special_circumstances(national: Path) -> None:
    expected = truth(national, "expected_by_province")
    children = sum(int(row["children_total"]) for row in expected)
    hcdb = sum(int(row["hcdb_children"]) for row in expected)
    at_risk = sum(int(row["at_risk_children"]) for row in expected)
    assert 0.06 < hcdb / children < 0.08
    assert 0.04 < at_risk / children < 0.06
    assert sum(int(row["cases_total"]) for row in truth(national, "expected_cases")) > 0
