"""Verdicts follow the share of rows with errors; reasons name row, column and value."""

import pytest

from child_warehouse.validation.verdicts import RuleOutcome, decide, row_issues


@pytest.mark.parametrize(
    ("total", "errors", "warnings", "expected"),
    [
        (100, 0, 0, "accepted"),
        (100, 0, 3, "accepted_with_warnings"),
        (100, 20, 0, "accepted_with_warnings"),
        (100, 21, 0, "rejected"),
        (0, 0, 0, "rejected"),
    ],
)
def test_decide(total, errors, warnings, expected):
    status, reason = decide(total, errors, warnings, threshold=0.2)
    assert status == expected
    assert (reason is None) == (expected == "accepted")


def test_a_nil_return_is_accepted_only_where_the_type_allows_it():
    assert decide(0, 0, 0, threshold=0.2, nil_return_allowed=True) == ("accepted", None)
    assert decide(0, 0, 0, threshold=0.2)[0] == "rejected"


def test_every_acceptance_with_warnings_says_what_the_warnings_are_in_both_languages():
    status, reason = decide(100, 2, 5, threshold=0.2, unknown_columns=["Ghi chú riêng"])
    assert status == "accepted_with_warnings"
    assert reason.code == "accepted_with_warnings"
    assert "2/100 dòng có lỗi" in reason.vi
    assert "5 dòng có cảnh báo" in reason.vi
    assert "Ghi chú riêng" in reason.vi
    assert "2 of 100 rows have errors and are left out" in reason.en
    assert "5 rows carry warnings" in reason.en
    assert "columns the contract does not name, kept as sent but not used: Ghi chú riêng" in reason.en
    # Only an unknown column: still a warning, and the reason names it (no empty reason).
    status, reason = decide(100, 0, 0, threshold=0.2, unknown_columns=["Cột lạ"])
    assert status == "accepted_with_warnings"
    assert reason.en == (
        "File accepted: columns the contract does not name, kept as sent but not used: Cột lạ. "
        "Details in the feedback workbook."
    )


def test_rejection_reason_gives_the_share_in_both_languages():
    _, reason = decide(10, 5, 0, threshold=0.2)
    assert "5/10" in reason.vi
    assert "50%" in reason.vi
    assert "5 of 10" in reason.en


def test_row_issue_names_row_column_and_value():
    outcome = RuleOutcome(
        "sex_code",
        "sex",
        "error",
        3,
        [{"source_row": 7, "sex": "X"}],
        "Giới tính '{value}' không hợp lệ.",
        "sex '{value}' is not recognised.",
    )
    (issue,) = row_issues(42, outcome)
    assert issue[:6] == (42, 7, "sex", "X", "sex_code", "error")
    assert issue[6] == "Dòng 7, cột sex: Giới tính 'X' không hợp lệ."
    assert issue[7] == "Row 7, column sex: sex 'X' is not recognised."


def test_a_rules_failing_rows_come_in_the_files_order_whatever_the_plan_returned():
    from child_warehouse.validation.runner import _outcome

    meta = {"rule": "r", "severity": "error", "reason_vi": "v", "reason_en": "e"}
    by_column = _outcome(
        {
            "expectation_config": {
                "type": "expect_column_values_to_not_be_null",
                "kwargs": {"column": "sex"},
                "meta": meta,
            },
            "result": {
                "element_count": 9,
                "unexpected_index_list": [{"source_row": 7, "sex": ""}, {"source_row": 3, "sex": ""}],
            },
        }
    )
    assert [row["source_row"] for row in by_column.failing] == [3, 7]
    by_query = _outcome(
        {
            "expectation_config": {
                "type": "expect_no_failing_rows",
                "kwargs": {},
                "meta": {**meta, "column": "sex"},
            },
            "result": {
                "details": {"unexpected_rows": [{"source_row": 5}, {"source_row": 2}, {"source_row": 4}]}
            },
        }
    )
    assert [row["source_row"] for row in by_query.failing] == [2, 4, 5]


def test_a_column_rule_whose_failing_rows_gx_cut_short_stops_instead_of_flagging_some():
    """GX's SQL engine lists at most 20 of a column rule's failing rows: 25 failing, 20 listed, would
    leave 5 rows unflagged in the marts."""
    from child_warehouse.validation.runner import _outcome

    meta = {"rule": "sex_required", "severity": "error", "reason_vi": "v", "reason_en": "e"}
    result = {
        "expectation_config": {
            "type": "expect_column_values_to_not_be_null",
            "kwargs": {"column": "sex"},
            "meta": meta,
        },
        "result": {
            "element_count": 322,
            "unexpected_count": 25,
            "unexpected_index_list": [{"source_row": n, "sex": None} for n in range(2, 22)],
        },
    }
    with pytest.raises(RuntimeError, match="failed 25 rows but Great Expectations listed 20"):
        _outcome(result)
    result["result"]["unexpected_count"] = 20
    assert len(_outcome(result).failing) == 20
