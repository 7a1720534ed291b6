"""The validation floor and the GX pandas peer read the suites' rules: a required column stays a
missing-value check in both, whichever way the suite writes it."""

from __future__ import annotations

import json
import re

from bench.peers import _pandas_suite
from bench.rules import row_rule_conditions

from child_warehouse import settings


def _required_columns(submission_type: str) -> list[str]:
    spec = json.loads((settings.expectations_dir() / f"{submission_type}.json").read_text(encoding="utf-8"))
    return [
        e["meta"]["column"]
        for e in spec["expectations"]
        if e["kwargs"].get("unexpected_rows_query_file") == "rules/values/missing.sql"
    ]


def test_the_floor_checks_each_required_column_for_null_or_spaces_only():
    required = _required_columns("child_records")
    assert required  # record_id, full_name, …
    conditions, _ = row_rule_conditions("child_records")
    missing = [c for c in conditions if re.fullmatch(r"util\.clean_text\(\w+\) is null", c)]
    assert missing == [f"util.clean_text({column}) is null" for column in required]


def test_the_pandas_peer_checks_required_columns_with_gxs_own_not_null_rule():
    required = _required_columns("child_records")
    suite = _pandas_suite("peer")
    not_null = [
        e.column for e in suite.expectations if e.expectation_type == "expect_column_values_to_not_be_null"
    ]
    assert not_null == required
    # every rule is there, the others as regexes on their columns
    spec = json.loads((settings.expectations_dir() / "child_records.json").read_text(encoding="utf-8"))
    assert len(suite.expectations) == len(spec["expectations"])


def test_the_pandas_peer_checks_special_circumstances_with_the_rules_own_pattern():
    rule = (settings.expectations_dir() / "rules/child_records/special_circumstances_code.sql").read_text(
        encoding="utf-8"
    )
    (pattern,) = re.findall(r"!~\* '([^']+)'", rule)
    regexes = {
        e.column: e.regex
        for e in _pandas_suite("peer").expectations
        if e.expectation_type == "expect_column_values_to_match_regex"
    }
    assert regexes["special_circumstances"] == "(?i)" + pattern
