"""Verdicts follow the share of rows with errors; reasons name row, column and value."""

import pytest

from child_warehouse.validation.verdicts import RuleOutcome, decide, row_issues


@pytest.mark.parametrize(
    ("total", "errors", "warnings", "expected"),
    [
        (100, 0, False, "accepted"),
        (100, 0, True, "accepted_with_warnings"),
        (100, 20, False, "accepted_with_warnings"),
        (100, 21, False, "rejected"),
        (0, 0, False, "rejected"),
    ],
)
def test_decide(total, errors, warnings, expected):
    status, reason = decide(total, errors, warnings, threshold=0.2)
    assert status == expected
    assert (reason is not None) == (expected == "rejected")


def test_a_nil_return_is_accepted_only_where_the_type_allows_it():
    assert decide(0, 0, False, threshold=0.2, nil_return_allowed=True) == ("accepted", None)
    assert decide(0, 0, False, threshold=0.2)[0] == "rejected"


def test_rejection_reason_gives_the_share_in_both_languages():
    _, reason = decide(10, 5, False, threshold=0.2)
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
