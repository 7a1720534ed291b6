"""The Great Expectations suites run on PostgreSQL and settle each submission's verdict."""

import pytest

from child_warehouse.validation.runner import validate_province
from child_warehouse.validation.suites import load_suite_spec

HEADER = "record_id,commune_code,full_name,date_of_birth,sex,personal_id,household_poverty\n"


def _submit(db, rows: list[str], province="01", sha="a"):
    with db, db.cursor() as cur:
        cur.execute("""insert into ledger.submissions (province_code, period, submission_type, file_uri, file_name,
                       size_bytes, sha256, arrived_at, version, status)
                       values (%s, '2026-Q3', 'child_records', 'file:///x', 'x.csv', 1, %s, now(), 1, 'loaded')
                       returning submission_id""", (province, sha))
        submission_id = cur.fetchone()[0]
        for number, line in enumerate(rows, start=2):
            values = line.split(",")
            cur.execute("""insert into raw.child_records (submission_id, source_row, record_id, commune_code,
                           full_name, date_of_birth, sex, personal_id, household_poverty)
                           values (%s, %s, %s, %s, %s, %s, %s, %s, %s)""",
                        (submission_id, number, *[v or None for v in values]))
    return submission_id


def _issues(db, submission_id):
    with db.cursor() as cur:
        cur.execute("select source_row, rule, severity from dq.row_issues where submission_id = %s order by 1, 2",
                    (submission_id,))
        return cur.fetchall()


def _status(db, submission_id):
    with db.cursor() as cur:
        cur.execute("select status from ledger.submissions where submission_id = %s", (submission_id,))
        return cur.fetchone()[0]


GOOD = [f"HN-{i},00004,Nguyễn Văn A,05/03/2015,Nam,001215{i:06d},khong" for i in range(10)]


def test_clean_submission_is_accepted(db, warehouse_db):
    submission = _submit(db, GOOD)
    assert validate_province("01", "run", warehouse_db)["accepted"] == 1
    assert _status(db, submission) == "accepted"
    assert _issues(db, submission) == []


def test_bad_rows_are_quarantined_and_malformed_id_only_warned(db, warehouse_db):
    rows = [*GOOD[:8], "HN-8,00004,Lê Thị B,12/31/2015,X,12345,giau", "HN-9,,Lê Thị C,2015-01-01,Nữ,,"]
    submission = _submit(db, rows)
    validate_province("01", "run", warehouse_db)
    assert _status(db, submission) == "accepted_with_warnings"
    assert _issues(db, submission) == [
        (10, "date_of_birth_valid", "error"), (10, "household_poverty_code", "error"),
        (10, "personal_id_format", "warning"), (10, "sex_code", "error"), (11, "commune_code_required", "error"),
    ]


def test_a_mostly_bad_file_is_rejected_with_its_share(db, warehouse_db):
    rows = [f"HN-{i},00004,Nguyễn Văn A,31/31/2015,Nam,,khong" for i in range(5)]
    submission = _submit(db, rows)
    validate_province("01", "run", warehouse_db)
    assert _status(db, submission) == "rejected"
    with db.cursor() as cur:
        cur.execute("select reason_en, rows_with_errors from ledger.submissions where submission_id = %s",
                    (submission,))
        reason, errors = cur.fetchone()
    assert errors == 5 and "5 of 5 rows" in reason


def test_indicator_codes_come_from_the_reference_catalogue():
    spec = load_suite_spec("indicator_report")
    (rule,) = [e for e in spec["expectations"] if e["meta"]["rule"] == "indicator_code_known"]
    assert "children_total" in rule["kwargs"]["value_set"]
    assert "drowning_deaths" in rule["kwargs"]["value_set"]


@pytest.mark.parametrize("submission_type", ["child_records", "protection_cases", "indicator_report"])
def test_every_expectation_carries_severity_and_both_reasons(submission_type):
    for expectation in load_suite_spec(submission_type)["expectations"]:
        meta = expectation["meta"]
        assert meta["severity"] in {"error", "warning"}
        assert meta["reason_vi"] and meta["reason_en"] and meta["rule"]
