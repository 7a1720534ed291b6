"""The Great Expectations suites run on PostgreSQL and settle each submission's verdict."""

import re

import pytest

from child_warehouse.validation.runner import refresh_raw_statistics, validate_province
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


def test_results_are_published_as_data_docs(db, warehouse_db, make_submission, tmp_path, monkeypatch):
    monkeypatch.setenv("CHILD_WAREHOUSE_DATA_DOCS", "on")
    monkeypatch.setenv("CHILD_WAREHOUSE_DATA_DOCS_DIR", str(tmp_path))
    submission = _submit(db, make_submission, [*GOOD[:9], "HN-9,00004,Lê Thị B,12/31/2015,Nữ,,"])
    with db, db.cursor() as cur:
        cur.execute(  # as the ledger has them: the path in the landing zone, the night that loaded it
            "update ledger.submissions set processed_run_id = 'manual__2026-12-04T22:24:46+00:00',"
            " file_name = '01/2026-Q3/child_records.csv' where submission_id = %s",
            (submission,),
        )
    validate_province("01", warehouse_db)
    index = (tmp_path / "01" / "index.html").read_text()
    name = f"01_2026-Q3_child_records_submission_{submission}"  # province, period, type, submission
    assert name in index
    # the file and the night that loaded it, and a page for the results under that name
    assert "child_records.csv · night manual__2026-12-04T22:24:46+00:00" in index
    pages = list((tmp_path / "01" / "validations" / name).rglob("*.html"))
    assert len(pages) == 1
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", pages[0].read_text()))
    assert "Unsuccessful Expectations 1 " in page
    # each rule in Vietnamese beside English
    assert "date_of_birth_valid (lỗi / error): Ngày sinh … không phải ngày hợp lệ" in page
    assert "/ date_of_birth … is not a valid date as dd/mm/yyyy, yyyy-mm-dd or an Excel serial" in page


def test_data_docs_load_nothing_from_the_internet(db, warehouse_db, make_submission, tmp_path, monkeypatch):
    """Offline (a ministry network), every page styles and fills itself from the site's own copies."""
    monkeypatch.setenv("CHILD_WAREHOUSE_DATA_DOCS", "on")
    monkeypatch.setenv("CHILD_WAREHOUSE_DATA_DOCS_DIR", str(tmp_path))
    _submit(db, make_submission, GOOD)
    validate_province("01", warehouse_db)
    pages = list((tmp_path / "01").rglob("*.html"))
    assert len(pages) >= 3  # the index, a suite, a validation result
    for page in pages:
        html = page.read_text()
        remote = re.findall(r'<(?:script|link|img)\b[^>]*(?:src|href)="(https?://[^"]+)"', html)
        remote += re.findall(r"url\(['\"]?(https?://[^)'\"]+)", html)
        assert remote == [], f"{page.relative_to(tmp_path)} loads {remote}"
        assert "vegaEmbed" not in html  # no chart: the chart libraries are not vendored
        assert "integrity=" not in html
        for asset in re.findall(r'<(?:script|link)\b[^>]*(?:src|href)="([^"#]+\.(?:js|css))"', html):
            assert (page.parent / asset).resolve().is_file(), f"{page.name}: {asset} is missing"
    fonts = (tmp_path / "01" / "static" / "vendor" / "webfonts").glob("*.woff2")
    assert {f.name for f in fonts} >= {"fa-solid-900.woff2", "fa-regular-400.woff2"}


def test_with_data_docs_off_the_verdicts_are_stored_and_no_site_is_written(
    db, warehouse_db, make_submission, tmp_path, monkeypatch
):
    monkeypatch.setenv("CHILD_WAREHOUSE_DATA_DOCS", "off")
    monkeypatch.setenv("CHILD_WAREHOUSE_DATA_DOCS_DIR", str(tmp_path))
    submission = _submit(db, make_submission, [*GOOD[:9], "HN-9,00004,Lê Thị B,12/31/2015,Nữ,,"])
    validate_province("01", warehouse_db)
    assert _status(db, submission) == "accepted_with_warnings"
    assert list(tmp_path.iterdir()) == []


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


def test_a_value_that_is_not_a_commune_code_is_reported_once_as_such(db, warehouse_db, make_submission):
    """util.parse_commune_code reads 'Ba Đình' and '123456' as no code at all: the format rule says so,
    and the rule on the province's communes does not report the same cell again."""
    rows = [
        *GOOD[:8],
        "HN-8,Ba Đình,Lê Thị B,05/03/2015,Nữ,,khong",
        "HN-9,123456,Lê Thị C,05/03/2015,Nữ,,khong",
    ]
    submission = _submit(db, make_submission, rows)
    validate_province("01", warehouse_db)
    assert _issues(db, submission) == [
        (10, "commune_code_format", "error"),
        (11, "commune_code_format", "error"),
    ]


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


def _report(db, make_submission, rows: list[tuple[str, str, str]], period="2026-9M", status="loaded") -> int:
    submission = make_submission("indicator_report", period=period, status=status)
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


def _history(db, make_submission, code: str, values: dict[str, str]) -> None:
    for period, value in values.items():
        _report(db, make_submission, [(code, "total", value)], period=period, status="accepted")


def _flagged(db, submission_id):
    return [(row, rule) for row, rule, _ in _reasons(db, submission_id)]


@pytest.mark.parametrize(
    ("value", "flagged"),
    [("1.030", False), ("2.000", True), ("1.040", False), ("1.100", True), ("700", True)],
)
def test_a_value_far_from_the_provinces_history_is_warned(db, warehouse_db, make_submission, value, flagged):
    # Median 1007.5 and MAD 10, whatever the one wild year: flagged beyond 3.5 x 1.4826 x 10 = 52 away.
    years = ["1.000", "1.020", "990", "1.010", "1.005", "2.400"]
    _history(db, make_submission, "children_total", {f"{2018 + i}-Y": v for i, v in enumerate(years)})
    submission = _report(db, make_submission, [("children_total", "total", value)], period="2024-Y")
    validate_province("01", warehouse_db)
    reasons = _reasons(db, submission)
    assert ([(r, rule) for r, rule, _ in reasons] == [(2, "outlier_against_history")]) is flagged
    if flagged:
        assert "usual 1007.5 over its last 6 reports" in reasons[0][2]
        assert _status(db, submission) == "accepted_with_warnings"  # an outlier is a question, not an error


@pytest.mark.parametrize(("value", "flagged"), [("0", False), ("3", False), ("40", True)])
def test_zero_heavy_counts_use_a_spread_that_is_not_zero(db, warehouse_db, make_submission, value, flagged):
    deaths = ["0", "0", "1", "0", "0", "2"]  # MAD is 0 here; mean ± SD would flag almost anything
    _history(db, make_submission, "drowning_deaths", {f"{2018 + i}-Y": v for i, v in enumerate(deaths)})
    submission = _report(db, make_submission, [("drowning_deaths", "total", value)], period="2024-Y")
    validate_province("01", warehouse_db)
    assert (_flagged(db, submission) == [(2, "outlier_against_history")]) is flagged


def test_history_from_the_other_side_of_the_reform_or_other_periods_is_not_compared(
    db, warehouse_db, make_submission
):
    # Code 01 before July 2025 and after it: compared only within one side; quarters only with quarters.
    _history(db, make_submission, "children_total", {f"{2018 + i}-Y": "1.000" for i in range(6)})
    quarters = {"2025-Q3": "5.000", "2025-Q4": "5.000", "2026-Q1": "5.000"}
    _history(db, make_submission, "children_total", quarters)
    yearly = _report(db, make_submission, [("children_total", "total", "5.100")], period="2026-Y")
    quarterly = _report(db, make_submission, [("children_total", "total", "1.000")], period="2026-Q2")
    validate_province("01", warehouse_db)
    assert _flagged(db, yearly) == []
    assert _flagged(db, quarterly) == []  # only 3 earlier quarters: too few to judge


def _records(db, make_submission, period: str, flags: list[tuple[str, str]], status="accepted") -> int:
    submission = make_submission("child_records", period=period, status=status)
    with db, db.cursor() as cur:
        for row, (circumstances, supported) in enumerate(flags, 2):
            cur.execute(
                """insert into raw.child_records (submission_id, source_row, record_id, commune_code,
                       full_name, date_of_birth, sex, special_circumstances, supported)
                   values (%s, %s, %s, '00004', 'Nguyễn Văn A', '05/03/2015', 'Nam', %s, %s)""",
                (submission, row, f"HN-{row}", circumstances, supported),
            )
    return submission


def test_the_report_is_cross_checked_against_the_provinces_records(db, warehouse_db, make_submission):
    flags = [("a", "Có")] * 30 + [("b", "Không")] * 10 + [("", "Không")] * 60
    records = _records(db, make_submission, "2026-Q3", flags)
    with db, db.cursor() as cur:  # a quarantined record is not counted
        cur.execute(
            """insert into dq.row_issues (submission_id, source_row, column_name, value, rule, severity,
                       reason_vi, reason_en) values (%s, 2, 'sex', 'X', 'sex_code', 'error', 'vi', 'en')""",
            (records,),
        )
    _records(db, make_submission, "2026-Q2", [("a", "Có")] * 500)  # another date: not compared
    submission = _report(
        db,
        make_submission,
        [
            ("children_total", "total", "101"),  # 99 counted: within 5
            ("hcdb_children", "total", "39"),  # 39 counted
            ("hcdb_supported", "total", "20"),  # 29 counted: 9 apart
            ("at_risk_children", "total", "0"),
            ("drowning_deaths", "total", "3"),  # records cannot give it
        ],
    )
    validate_province("01", warehouse_db)
    reasons = _reasons(db, submission)
    assert [(row, rule) for row, rule, _ in reasons] == [(4, "report_agrees_with_records")]
    assert "reported 20, but the province's own child records for the same date give 29" in reasons[0][2]


def test_every_failing_row_is_quarantined_not_a_sample(db, warehouse_db, make_submission):
    """GX's own query expectation returns at most 200 rows; ours returns them all, in one query."""
    rows = [f"HN-{i},00004,Nguyễn Văn A,05/03/2015,{'X' if i % 2 else 'Nam'},,khong" for i in range(600)]
    rows += ["HN-1,00004,Trần Văn B,05/03/2015,Nam,,khong"]  # a duplicate record_id: two rows fail
    submission = _submit(db, make_submission, rows)
    validate_province("01", warehouse_db)
    issues = _issues(db, submission)
    assert len([i for i in issues if i[1] == "sex_code"]) == 300
    assert [i[0] for i in issues if i[1] == "record_id_unique"] == [3, 602]
    with db.cursor() as cur:
        cur.execute(
            """select rows_checked, rows_failing from dq.rule_results
               where submission_id = %s and rule in ('sex_code', 'record_id_unique') order by rule""",
            (submission,),
        )
        assert cur.fetchall() == [(601, 2), (601, 300)]


def test_every_row_missing_a_required_column_or_breaking_a_pattern_is_quarantined(
    db, warehouse_db, make_submission
):
    """More than 20 rows failing a rule on one column's values: all are flagged. (GX's own column
    rules list at most 20 of them on SQL; the suites' rules are query rules.)"""
    rows = [f"HN-{i},00004,{'' if i < 25 else 'Nguyễn Văn A'},05/03/2015,Nam,,khong" for i in range(100)]
    submission = _submit(db, make_submission, rows)
    with db, db.cursor() as cur:
        cur.execute(
            "update raw.child_records set special_circumstances = 'z; q' where submission_id = %s "
            "and source_row > 70",
            (submission,),
        )
    validate_province("01", warehouse_db)
    issues = _issues(db, submission)
    assert [row for row, rule, _ in issues if rule == "full_name_required"] == list(range(2, 27))
    assert [row for row, rule, _ in issues if rule == "special_circumstances_code"] == list(range(71, 102))
    with db.cursor() as cur:
        cur.execute(
            """select rule, rows_checked, rows_failing from dq.rule_results where submission_id = %s
               and rule in ('full_name_required', 'special_circumstances_code') order by rule""",
            (submission,),
        )
        assert cur.fetchall() == [("full_name_required", 100, 25), ("special_circumstances_code", 100, 31)]


def test_a_required_cell_of_only_spaces_is_missing_as_an_empty_one(db, warehouse_db, make_submission):
    """A cell holding only spaces, a no-break space or a tab (as Excel exports leave them) is kept as
    sent by the load, and read as empty by staging (util.clean_text): the rules must call it missing,
    not let the row through to a child without a name or birth date."""
    rows = [
        "HN-1,00004, ,05/03/2015,Nam,,khong",
        "HN-2,00004,\u00a0,05/03/2015,Nam,,khong",
        "HN-3,00004,Nguyễn Văn A,\t ,Nam,,khong",
        "HN-4,00004,Nguyễn Văn B,05/03/2015,  ,,khong",
        "HN-5,00004,Nguyễn Văn C,05/03/2015,Nam,,khong",
    ]
    submission = _submit(db, make_submission, rows)
    validate_province("01", warehouse_db)
    required = [(row, rule) for row, rule, _ in _issues(db, submission) if rule.endswith("_required")]
    assert required == [
        (2, "full_name_required"),
        (3, "full_name_required"),
        (4, "date_of_birth_required"),
        (5, "sex_required"),
    ]
    with db.cursor() as cur:  # the cells stay as the province sent them
        cur.execute(
            "select full_name from raw.child_records where submission_id = %s and source_row = 3",
            (submission,),
        )
        assert cur.fetchone() == ("\u00a0",)


def test_a_table_the_load_changed_much_is_analysed_before_its_rules_run(db, warehouse_db, make_submission):
    """Plans for a new submission need statistics that know its rows; autovacuum may be a minute late."""

    def last_analyze():
        with db.cursor() as cur:
            cur.execute("select pg_stat_clear_snapshot()")
            cur.execute(
                """select last_analyze from pg_stat_user_tables
                   where schemaname = 'raw' and relname = 'child_records'"""
            )
            return cur.fetchone()[0]

    before = last_analyze()
    db.rollback()
    _submit(db, make_submission, [f"BIG-{i},00004,Nguyễn Văn A,05/03/2015,Nam,,khong" for i in range(2000)])
    with db.cursor() as cur:
        cur.execute("select pg_stat_force_next_flush()")
    db.commit()
    validate_province("01", warehouse_db)
    after = last_analyze()
    assert after is not None
    assert before is None or after > before


def test_once_every_province_is_validated_each_raw_table_with_a_new_file_is_analysed(
    db, warehouse_db, make_submission
):
    """However small the night's share of the table: the planner must know the night's submissions."""
    refresh_raw_statistics(warehouse_db)
    assert refresh_raw_statistics(warehouse_db) == []  # nothing loaded or changed since
    with db.cursor() as cur:
        cur.execute("select count(*) from raw.child_records")
        before = cur.fetchone()[0]
    db.rollback()
    submission = _submit(db, make_submission, GOOD[:1])
    with db, db.cursor() as cur:
        cur.execute("update ledger.submissions set loaded_at = now() where submission_id = %s", (submission,))
        cur.execute("select pg_stat_force_next_flush()")
    assert refresh_raw_statistics(warehouse_db) == ["child_records"]
    with db.cursor() as cur:
        cur.execute("select pg_stat_clear_snapshot()")
        cur.execute(
            """select n_live_tup, n_mod_since_analyze from pg_stat_user_tables
               where schemaname = 'raw' and relname = 'child_records'"""
        )
        assert cur.fetchone() == (before + 1, 0)


_AFTER_PRELOAD = """
import json, sys
from child_warehouse.orchestration.preload import preload
preload()
from child_warehouse.contract import columns
from child_warehouse.validation import docs
from child_warehouse.validation.runner import validate_province
def compiled():
    return sum(len(env.cache) for env in docs._SharedEnvironment._environments.values())
before, templates, read = set(sys.modules), compiled(), columns._catalogue.cache_info().misses
counts = validate_province("01", sys.argv[1])
print(json.dumps({"counts": counts, "templates": compiled() - templates,
                  "catalogue_read": columns._catalogue.cache_info().misses - read,
                  "imported": sorted(m for m in set(sys.modules) - before
                                     if m.startswith(("great_expectations", "child_warehouse")))}))
"""


def test_a_task_forked_after_the_preload_imports_and_compiles_nothing_more(
    db, warehouse_db, make_submission, tmp_path
):
    """What a validation task needs is in the process tasks are forked from (orchestration/preload.py):
    validating a province with Data Docs imports no module of Great Expectations or of the project,
    compiles no page template and reads no contract file."""
    import json
    import os
    import subprocess
    import sys

    submission = _submit(db, make_submission, [*GOOD[:9], "HN-9,00004,Lê Thị B,12/31/2015,Nữ,,"])
    env = {**os.environ, "CHILD_WAREHOUSE_DATA_DOCS": "on", "CHILD_WAREHOUSE_DATA_DOCS_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", _AFTER_PRELOAD, warehouse_db],
        env=env, capture_output=True, text=True, check=True, timeout=300,
    )  # fmt: skip
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert sum(found["counts"].values()) >= 1  # this worker's earlier tests may have left one too
    assert _status(db, submission) == "accepted_with_warnings"
    assert (tmp_path / "01" / "index.html").exists()
    assert found["imported"] == []
    assert found["templates"] == 0
    assert found["catalogue_read"] == 0  # the contract's column catalogue (YAML) was read before the fork
