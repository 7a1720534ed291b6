"""Every outcome recorded: legacy encodings loaded, manifests, foreign communes, hostile files, memory://."""

import hashlib
import json

import fsspec
import pytest

from child_warehouse.ingest.stage import load_province
from child_warehouse.ingest.vietnamese import to_vni
from child_warehouse.sources.discover import discover_submissions
from support import land

HEADER = "Mã hồ sơ,Mã xã,Họ và tên,Ngày sinh,Giới tính,Số định danh cá nhân\n"
ROWS = (
    "HN-1,00004,Nguyễn Thị Hoà,05/03/2015,Nữ,001315000001\n"
    "HN-2,00004,Trần Văn Đức,2016-01-02,Nam,1.23457E+11\n"
    'HN-3,00004,=HYPERLINK("http://x"),02/01/2016,Nam,\n'
)


def _ledger(db):
    with db.cursor() as cur:
        cur.execute("select file_name, status, reason_en from ledger.submissions order by file_name")
        return {name: (status, reason) for name, status, reason in cur.fetchall()}


def test_a_vni_file_loads_as_unicode_with_cell_warnings(db, warehouse_db, tmp_path):
    land(tmp_path, "01/2026-Q3/child_records.csv", to_vni(HEADER + ROWS))
    discover_submissions("run-1", str(tmp_path), warehouse_db)
    assert load_province("01", "run-1", warehouse_db)["files_loaded"] == 1
    with db.cursor() as cur:
        cur.execute("select full_name, personal_id from raw.child_records order by source_row")
        assert cur.fetchall()[:2] == [("Nguyễn Thị Hoà", "001315000001"), ("Trần Văn Đức", "1.23457E+11")]
        cur.execute("select source_row, column_name, value, rule from dq.row_issues order by 1")
        assert cur.fetchall() == [
            (3, "personal_id", "1.23457E+11", "id_in_scientific_notation"),
            (4, "full_name", '=HYPERLINK("http://x")', "formula_like_cell"),
        ]


def test_manifest_mismatches_reject_only_their_files(db, warehouse_db, tmp_path):
    body = HEADER + ROWS
    land(tmp_path, "01/2026-Q3/child_records.csv", body)
    land(tmp_path, "01/2026-M10/protection_cases.csv", "case_id,full_name\n")
    land(
        tmp_path,
        "01/2026-Q3/manifest.json",
        json.dumps(
            {
                "province_code": "01",
                "period": "2026-Q3",
                "files": {
                    "child_records.csv": {"rows": 4, "sha256": hashlib.sha256(body.encode()).hexdigest()}
                },
            }
        ),
    )
    land(tmp_path, "01/2026-M10/manifest.json", json.dumps({"province_code": "79", "files": {}}))
    discover_submissions("run-1", str(tmp_path), warehouse_db)
    load_province("01", "run-1", warehouse_db)
    ledger = _ledger(db)
    assert ledger["01/2026-Q3/child_records.csv"][0] == "rejected"
    assert "rows 4 but the file has 3" in ledger["01/2026-Q3/child_records.csv"][1]
    assert "province_code 79" in ledger["01/2026-M10/protection_cases.csv"][1]
    with db.cursor() as cur:
        cur.execute("select count(*) from raw.child_records")
        assert cur.fetchone()[0] == 0  # nothing half-loaded


def test_a_folder_holding_another_provinces_communes_is_rejected(db, warehouse_db, tmp_path):
    with db.cursor() as cur:  # communes of Hồ Chí Minh City (79) at the period's end
        cur.execute("""select commune_code from reference.communes where province_code = '79'
                       and valid_to is null order by 1 limit 3""")
        codes = [r[0] for r in cur.fetchall()]
    rows = "".join(f"HS-{i},{code},Lê Thị Mai,05/03/2015,Nữ,\n" for i, code in enumerate(codes))
    land(tmp_path, "01/2026-Q3/child_records.csv", HEADER + rows)
    discover_submissions("run-1", str(tmp_path), warehouse_db)
    assert load_province("01", "run-1", warehouse_db)["files_rejected"] == 1
    status, reason = _ledger(db)["01/2026-Q3/child_records.csv"]
    assert status == "rejected"
    assert "not communes of province 01" in reason
    assert codes[0] in reason


@pytest.mark.parametrize(
    ("rows_of", "status"),
    # (foreign code of each foreign row, own code of each own row): by rows 60 % and 40 % foreign,
    # by distinct codes the other way round (1 of 3, and 2 of 3)
    [(([0, 0, 0], [0, 1]), "rejected"), (([0, 1], [0, 0, 0]), "loaded")],
    ids=["one foreign code on 3 of 5 rows", "two foreign codes on 2 of 5 rows"],
)
def test_the_foreign_share_counts_rows_not_distinct_codes(db, warehouse_db, tmp_path, rows_of, status):
    with db.cursor() as cur:
        cur.execute("""select array_agg(commune_code order by commune_code) from reference.communes
                       where province_code in ('01', '79') and valid_to is null
                       group by province_code order by province_code""")
        own, foreign = (row[0] for row in cur.fetchall())
    codes = [foreign[i] for i in rows_of[0]] + [own[i] for i in rows_of[1]]
    rows = "".join(f"HS-{i},{code},Lê Thị Mai,05/03/2015,Nữ,\n" for i, code in enumerate(codes))
    land(tmp_path, "01/2026-Q3/child_records.csv", HEADER + rows)
    discover_submissions("run-1", str(tmp_path), warehouse_db)
    load_province("01", "run-1", warehouse_db)
    assert _ledger(db)["01/2026-Q3/child_records.csv"][0] == status


@pytest.mark.parametrize(
    ("content", "code_in_reason"),
    [
        (b"", "is empty (not even a header row)"),
        (b"record_id,full_name\n1,\x81\x8d\x90\x9d\xc3\x28\n", "could not be determined"),
        (
            (HEADER + "HN-1,00004,Lê An,05/03/2015,Nữ,\n" * 30000).encode() + b"HN-2,\xff\xfe\n",
            "could not be determined",
        ),
    ],
    ids=["empty", "undecodable", "undecodable after 30000 good rows"],
)
def test_file_problems_are_recorded_and_the_province_goes_on(
    db, warehouse_db, tmp_path, content, code_in_reason
):
    land(tmp_path, "01/2026-Q3/child_records.csv", content)
    land(
        tmp_path,
        "01/2026-M10/protection_cases.csv",
        "case_id,full_name,date_of_birth,sex,commune_code,case_type,detected_on,intervention_status\n",
    )
    discover_submissions("run-1", str(tmp_path), warehouse_db)
    assert load_province("01", "run-1", warehouse_db) == {
        "files_found": 2,
        "files_loaded": 1,
        "files_rejected": 1,
    }
    status, reason = _ledger(db)["01/2026-Q3/child_records.csv"]
    assert (status, code_in_reason in reason) == ("rejected", True)
    with db.cursor() as cur:
        cur.execute("select count(*) from raw.child_records")
        assert cur.fetchone()[0] == 0


def test_a_file_whose_copy_failed_midway_leaves_the_connection_to_the_next_file(db, warehouse_db, tmp_path):
    """The province's files share one connection, a transaction each: a COPY the server refused
    halfway (a bad byte after 30,000 good rows) is rolled back, and the next file loads whole."""
    bad = (HEADER + "HN-1,00004,Lê An,05/03/2015,Nữ,\n" * 30000).encode() + b"HN-2,\xff\xfe\n"
    land(tmp_path, "01/2026-Q2/child_records.csv", bad)
    land(tmp_path, "01/2026-Q3/child_records.csv", HEADER + ROWS)
    discover_submissions("run-1", str(tmp_path), warehouse_db)
    assert load_province("01", "run-1", warehouse_db) == {
        "files_found": 2,
        "files_loaded": 1,
        "files_rejected": 1,
    }
    ledger = _ledger(db)
    assert ledger["01/2026-Q2/child_records.csv"][0] == "rejected"
    assert ledger["01/2026-Q3/child_records.csv"][0] == "loaded"
    with db.cursor() as cur:
        cur.execute("select count(*), count(*) filter (where record_id like 'HN-%') from raw.child_records")
        assert cur.fetchone() == (3, 3)


def test_a_landing_root_in_object_storage_loads(db, warehouse_db):
    fs = fsspec.filesystem("memory")
    fs.pipe("/night/01/2026-Q3/child_records.csv", (HEADER + ROWS).encode())
    fs.pipe("/night/01/2026-Q3/../escape.csv", b"x")
    try:
        assert discover_submissions("run-1", "memory:///night", warehouse_db) == ["01"]
        assert load_province("01", "run-1", warehouse_db)["files_loaded"] == 1
    finally:
        fs.rm("/night", recursive=True)
    with db.cursor() as cur:
        cur.execute("select file_uri, status from ledger.submissions where status = 'loaded'")
        assert cur.fetchall() == [("memory:///night/01/2026-Q3/child_records.csv", "loaded")]
        cur.execute("select count(*) from raw.child_records")
        assert cur.fetchone()[0] == 3


def test_a_file_changed_after_it_was_received_is_not_loaded_as_the_recorded_version(
    db, warehouse_db, tmp_path
):
    """The province overwrote the file in place after discovery: the ledger's version is not these bytes."""
    path = land(tmp_path, "01/2026-Q3/child_records.csv", HEADER + ROWS)
    discover_submissions("run-1", str(tmp_path), warehouse_db)
    path.write_text(HEADER + ROWS.replace("HN-1", "HN-9"), encoding="utf-8")
    assert load_province("01", "run-1", warehouse_db) == {
        "files_found": 1,
        "files_loaded": 0,
        "files_rejected": 1,
    }
    status, reason = _ledger(db)["01/2026-Q3/child_records.csv"]
    assert status == "rejected"
    assert "changed after it was received" in reason
    with db.cursor() as cur:
        cur.execute("select count(*) from raw.child_records")
        assert cur.fetchone() == (0,)
    # The next run records the new bytes as the next version and loads them.
    discover_submissions("run-2", str(tmp_path), warehouse_db)
    assert load_province("01", "run-2", warehouse_db)["files_loaded"] == 1


def test_a_fault_that_is_not_the_files_is_recorded_as_load_failed_and_raised_for_a_retry(
    db, warehouse_db, tmp_path
):
    """The storage lost the file after discovery: the task fails (Airflow retries), the ledger says why."""
    path = land(tmp_path, "01/2026-Q3/child_records.csv", HEADER + ROWS)
    discover_submissions("run-1", str(tmp_path), warehouse_db)
    content = path.read_bytes()
    path.unlink()
    with pytest.raises(FileNotFoundError):
        load_province("01", "run-1", warehouse_db)
    status, reason = _ledger(db)["01/2026-Q3/child_records.csv"]
    assert status == "load_failed"
    assert "system fault" in reason
    path.write_bytes(content)  # the storage is back: the retry loads it
    assert load_province("01", "run-1", warehouse_db)["files_loaded"] == 1
    assert _ledger(db)["01/2026-Q3/child_records.csv"][0] == "loaded"


def test_the_indicator_form_as_the_contract_draws_it_is_accepted_with_its_name_and_unit_kept(
    db, warehouse_db, tmp_path
):
    """Contract §3.3: Tên chỉ tiêu and Đơn vị tính are the form's own columns, not unknown ones."""
    from openpyxl import Workbook

    from child_warehouse.validation.runner import validate_province

    book = Workbook()
    sheet = book.active
    sheet.append(["Mã chỉ tiêu", "Tên chỉ tiêu", "Đơn vị tính", "Tổng số", "Nam", "Nữ", "Ghi chú"])
    sheet.append(["children_total", "Số trẻ em", "người", "1.200", "610", "590", None])
    folder = tmp_path / "01" / "2026-9M"
    folder.mkdir(parents=True)
    book.save(folder / "indicator_report.xlsx")
    extra = tmp_path / "01" / "2026-H1"
    extra.mkdir(parents=True)
    sheet["H1"] = "Cột riêng"
    sheet["H2"] = "x"
    book.save(extra / "indicator_report.xlsx")
    discover_submissions("run-1", str(tmp_path), warehouse_db)
    load_province("01", "run-1", warehouse_db)
    validate_province("01", warehouse_db)
    with db.cursor() as cur:
        cur.execute("select period, status, reason_vi, reason_en from ledger.submissions order by period")
        (form_period, form_status, form_vi, _), (extra_period, extra_status, extra_vi, extra_en) = (
            cur.fetchall()
        )
        cur.execute(
            """select distinct r.extra_columns from raw.indicator_report as r
               join ledger.submissions as s using (submission_id) where s.period = '2026-9M'"""
        )
        kept = cur.fetchall()
    assert (form_period, form_status, form_vi) == ("2026-9M", "accepted", None)
    assert kept == [({"Tên chỉ tiêu": "Số trẻ em", "Đơn vị tính": "người"},)]
    # A column the form does not have: accepted with a warning whose reason names it, in both languages.
    assert (extra_period, extra_status) == ("2026-H1", "accepted_with_warnings")
    assert "Cột riêng" in extra_vi
    assert "columns the contract does not name, kept as sent but not used: Cột riêng" in extra_en
