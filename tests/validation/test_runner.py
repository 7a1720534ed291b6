"""The Great Expectations suites run on PostgreSQL and settle each submission's verdict."""

import pytest

from child_warehouse.validation.runner import validate_province
from child_warehouse.validation.suites import load_suite_spec


def _submit(db, make_submission, rows: list[str], province="01"):
    submission_id = make_submission(province=province)
    with db, db.cursor() as cur:
        for number, line in enumerate(rows, start=2):
            values = line.split(",")
            cur.execute(
                """insert into raw.child_records (submission_id, source_row, record_id, commune_code,
                           full_name, date_of_birth, sex, personal_id, household_poverty)
                           values (%s, %s, %s, %s, %s, %s, %s, %s, %s)""",
                (submission_id, number, *[v or None for v in values]),
            )
    return submission_id


def _issues(db, submission_id):
    with db.cursor() as cur:
        cur.execute(
            "select source_row, rule, severity from dq.row_issues where submission_id = %s order by 1, 2",
            (submission_id,),
        )
        return cur.fetchall()


def _status(db, submission_id):
    with db.cursor() as cur:
        cur.execute("select status from ledger.submissions where submission_id = %s", (submission_id,))
        return cur.fetchone()[0]


GOOD = [f"HN-{i},00004,Nguyễn Văn A,05/03/2015,Nam,001215{i:06d},khong" for i in range(10)]


def test_clean_submission_is_accepted(db, warehouse_db, make_submission):
    submission = _submit(db, make_submission, GOOD)
    assert validate_province("01", warehouse_db)["accepted"] == 1
    assert _status(db, submission) == "accepted"
    assert _issues(db, submission) == []


def test_bad_rows_are_quarantined_and_malformed_id_only_warned(db, warehouse_db, make_submission):
    rows = [*GOOD[:8], "HN-8,00004,Lê Thị B,12/31/2015,X,12345,giau", "HN-9,,Lê Thị C,2015-01-01,Nữ,,"]
    submission = _submit(db, make_submission, rows)
    validate_province("01", warehouse_db)
    assert _status(db, submission) == "accepted_with_warnings"
    assert _issues(db, submission) == [
        (10, "date_of_birth_valid", "error"),
        (10, "household_poverty_code", "error"),
        (10, "personal_id_format", "warning"),
        (10, "sex_code", "error"),
        (11, "commune_code_required", "error"),
    ]


def test_what_the_loader_noted_survives_validation_and_counts_as_a_warning(db, warehouse_db, make_submission):
    submission = _submit(db, make_submission, GOOD)
    with db, db.cursor() as cur:
        cur.execute(
            """insert into dq.row_issues (submission_id, source_row, column_name, value, rule, severity,
                       reason_vi, reason_en)
               values (%s, 3, 'full_name', '=HYPERLINK("x")', 'formula_like_cell', 'warning', 'vi', 'en')""",
            (submission,),
        )
    validate_province("01", warehouse_db)
    validate_province("01", warehouse_db)  # a second pass (a rerun) must not lose it either
    assert _issues(db, submission) == [(3, "formula_like_cell", "warning")]
    assert _status(db, submission) == "accepted_with_warnings"


def test_a_mostly_bad_file_is_rejected_with_its_share(db, warehouse_db, make_submission):
    rows = [f"HN-{i},00004,Nguyễn Văn A,31/31/2015,Nam,,khong" for i in range(5)]
    submission = _submit(db, make_submission, rows)
    validate_province("01", warehouse_db)
    assert _status(db, submission) == "rejected"
    with db.cursor() as cur:
        cur.execute(
            "select reason_en, rows_with_errors from ledger.submissions where submission_id = %s",
            (submission,),
        )
        reason, errors = cur.fetchone()
    assert errors == 5
    assert "5 of 5 rows" in reason


def test_a_commune_of_another_province_or_of_the_old_map_is_refused(db, warehouse_db, make_submission):
    # 00004 is Ba Đình in Hà Nội (01); 00001 (Phúc Xá) was merged away on 2025-07-01.
    rows = [*GOOD[:8], "HN-8,00001,Lê Thị B,05/03/2015,Nữ,,khong"]
    submission = _submit(db, make_submission, rows)
    other_province = _submit(db, make_submission, GOOD[:5], province="79")
    validate_province("01", warehouse_db)
    validate_province("79", warehouse_db)
    assert _issues(db, submission) == [(10, "commune_in_province", "error")]
    assert {rule for _, rule, _ in _issues(db, other_province)} == {"commune_in_province"}


def test_personal_id_disagreeing_with_birth_year_or_sex_is_only_a_warning(db, warehouse_db, make_submission):
    rows = [*GOOD[:8], "HN-8,00004,Lê Thị B,05/03/2015,Nữ,001215000099,khong"]  # digit 4 says male
    submission = _submit(db, make_submission, rows)
    validate_province("01", warehouse_db)
    assert _issues(db, submission) == [(10, "personal_id_agrees_with_birth_and_sex", "warning")]
    assert _status(db, submission) == "accepted_with_warnings"


def test_unknown_indicator_code_is_an_error_for_that_row_only(db, warehouse_db, make_submission):
    submission = make_submission("indicator_report", period="2026-9M")
    with db, db.cursor() as cur:
        for row, code in enumerate(["children_total", "CHILDREN_TOTAL", "chi_tieu_la", "drowning_deaths"], 2):
            cur.execute(
                """insert into raw.indicator_report (submission_id, source_row, indicator_code, value)
                           values (%s, %s, %s, '1.234')""",
                (submission, row, code),
            )
    validate_province("01", warehouse_db)
    assert _issues(db, submission) == [(4, "indicator_code_known", "error")]


@pytest.mark.parametrize("submission_type", ["child_records", "protection_cases", "indicator_report"])
def test_every_expectation_carries_severity_and_both_reasons(submission_type):
    for expectation in load_suite_spec(submission_type)["expectations"]:
        meta = expectation["meta"]
        assert meta["severity"] in {"error", "warning"}
        assert meta["reason_vi"]
        assert meta["reason_en"]
        assert meta["rule"]


def _report(db, make_submission, rows: list[tuple[str, str, str]]) -> int:
    submission = make_submission("indicator_report", period="2026-9M")
    with db, db.cursor() as cur:
        for row, (code, part, value) in enumerate(rows, 2):
            cur.execute(
                """insert into raw.indicator_report (submission_id, source_row, indicator_code,
                   disaggregation, value) values (%s, %s, %s, %s, %s)""",
                (submission, row, code, part, value),
            )
    return submission


def _reasons(db, submission_id):
    with db.cursor() as cur:
        cur.execute(
            "select source_row, rule, reason_en from dq.row_issues where submission_id = %s order by 1, 2",
            (submission_id,),
        )
        return cur.fetchall()


def test_a_consistent_report_passes_the_report_rules(db, warehouse_db, make_submission):
    submission = _report(
        db,
        make_submission,
        [
            ("children_total", "total", "1.234"),
            ("children_total", "sex:male", "634"),
            ("children_total", "sex:female", "600"),
            ("hcdb_children", "total", "86"),
            ("hcdb_share", "total", "6,97"),
        ],
    )
    validate_province("01", warehouse_db)
    assert _reasons(db, submission) == []


def test_report_rules_name_the_related_figures(db, warehouse_db, make_submission):
    submission = _report(
        db,
        make_submission,
        [
            ("children_total", "total", "1.234"),
            ("children_total", "sex:male", "634"),
            ("children_total", "sex:female", "601"),  # 634 + 601 is not 1.234
            ("hcdb_children", "total", "1.500"),  # more than all children
            ("children_total", "age:0-5", "400"),
            ("children_total", "age:6-10", "400"),
            ("children_total", "age:11-15", "400"),  # 1,200 is not 1,234
            ("hcdb_share", "total", "121,5"),  # a rate above 100 %
        ],
    )
    validate_province("01", warehouse_db)
    assert _reasons(db, submission) == [
        (
            2,
            "age_groups_add_up_to_total",
            "Row 2, column value: total 1.234 differs from the sum of the age groups (1200).",
        ),
        (
            2,
            "male_plus_female_is_total",
            "Row 2, column value: total 1.234 differs from male (634) + female (601).",
        ),
        (
            5,
            "part_not_above_whole",
            "Row 5, column value: value 1.500 exceeds children_total (1.234), the whole it is part of.",
        ),
        (9, "rate_within_0_100", "Row 9, column value: rate 121,5 is outside 0–100 %."),
    ]
