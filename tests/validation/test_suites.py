"""The suites' row rules live in SQL files; loading them gives GX the query it substitutes."""

from __future__ import annotations

import inspect
import json

import pytest
import sqlalchemy as sa
from great_expectations.expectations.metrics.query_metrics.query_table.query_table import QueryTable

from child_warehouse import settings
from child_warehouse.contract.columns import SUBMISSION_TYPES
from child_warehouse.validation.expectations import FailingRowsQueryRows
from child_warehouse.validation.suites import fill_parameters, load_suite_spec, rule_query


def _stored(submission_type: str) -> dict:
    return json.loads((settings.expectations_dir() / f"{submission_type}.json").read_text(encoding="utf-8"))


def test_every_rule_file_is_named_by_the_suites_and_its_own_rules_by_one_expectation():
    folder = settings.expectations_dir()
    named = []
    for submission_type in SUBMISSION_TYPES:
        for expectation in _stored(submission_type)["expectations"]:
            if rule_file := expectation["kwargs"].get("unexpected_rows_query_file"):
                rule = expectation["meta"]["rule"]
                assert "unexpected_rows_query" not in expectation["kwargs"], rule
                # A type's own rule is named for the rule; a shared one takes its column from meta.
                if rule_file.startswith("rules/values/"):
                    assert expectation["meta"]["column"], rule
                else:
                    assert rule_file == f"rules/{submission_type}/{rule}.sql"
                named.append(rule_file)
    on_disk = sorted(str(path.relative_to(folder)) for path in (folder / "rules").rglob("*.sql"))
    assert sorted(set(named)) == on_disk
    own = [name for name in named if not name.startswith("rules/values/")]
    assert len(set(own)) == len(own)
    for path in (folder / "rules").rglob("*.sql"):
        assert path.read_text(encoding="utf-8").startswith(f"-- {path.stem}: "), path


def test_a_shared_rule_gets_its_column_parser_and_codes_and_nothing_else():
    text = (
        "-- r: x\nselect source_row, {column} from {batch} where {parser}({column}) is null or x in ({codes})"
    )
    filled = fill_parameters(
        text, {"column": "at_risk", "parser": "util.parse_yes_no", "codes": ["có", "it's"]}, "r.sql"
    )
    assert rule_query(filled) == (
        "select source_row, at_risk from {batch} where util.parse_yes_no(at_risk) is null "
        "or x in ('có', 'it''s')"
    )
    with pytest.raises(ValueError, match="is not a column name"):
        fill_parameters(
            text, {"column": "at_risk; drop table x", "parser": "util.parse_sex", "codes": []}, "r.sql"
        )
    with pytest.raises(ValueError, match=r"is not a column name or a util\.parse_"):
        fill_parameters(text, {"column": "sex", "parser": "pg_sleep", "codes": []}, "r.sql")
    with pytest.raises(ValueError, match="gives no codes, parser"):
        fill_parameters(text, {"column": "sex"}, "r.sql")


@pytest.mark.parametrize("submission_type", SUBMISSION_TYPES)
def test_loading_a_suite_puts_each_rule_file_in_as_its_query(submission_type):
    for expectation in load_suite_spec(submission_type)["expectations"]:
        kwargs = expectation["kwargs"]
        assert "unexpected_rows_query_file" not in kwargs
        if expectation["type"] == "expect_no_failing_rows":
            query = kwargs["unexpected_rows_query"]
            assert query.startswith("select ") or query.startswith("with ")
            assert "--" not in query
            assert "\n" not in query
            assert "{batch}" in query


def test_a_rule_file_becomes_one_line_with_comments_gone_and_literal_braces_escaped():
    text = """-- rule: what it finds
select source_row, code  -- the offending value
from {batch}
where code !~ '^[0-9]{1,5}$'
    and note <> 'two  spaces -- not a comment'
"""
    query = rule_query(text)
    assert query == (
        "select source_row, code from {batch} where code !~ '^[0-9]{{1,5}}$' "
        "and note <> 'two  spaces -- not a comment'"
    )
    assert query.format(batch="raw.t") == (
        "select source_row, code from raw.t where code !~ '^[0-9]{1,5}$' "
        "and note <> 'two  spaces -- not a comment'"
    )


def test_gx_still_substitutes_the_batch_the_way_the_rule_files_are_written_for():
    """A canary for the GX internals `FailingRowsQueryRows` calls (private, so not in GX's changelog)."""
    for name, parameters in {
        "_get_query_from_metric_value_kwargs": ["metric_value_kwargs"],
        "_get_substituted_batch_subquery_from_query_and_batch_selectable": [
            "query",
            "batch_selectable",
            "execution_engine",
        ],
        "_get_sqlalchemy_records_from_substituted_batch_subquery": [
            "substituted_batch_subquery",
            "execution_engine",
            "fetch_all",
        ],
    }.items():
        signature = inspect.signature(getattr(QueryTable, name))
        assert set(parameters) <= set(signature.parameters), name
    query = rule_query("select source_row from {batch} where code ~ '^[0-9]{5}$'")
    assert FailingRowsQueryRows._get_query_from_metric_value_kwargs({"unexpected_rows_query": query}) == query
    table = sa.Table("child_records", sa.MetaData(), schema="raw")
    substituted = FailingRowsQueryRows._get_substituted_batch_subquery_from_query_and_batch_selectable(
        query=query, batch_selectable=table, execution_engine=None
    )
    assert substituted == "select source_row from raw.child_records where code ~ '^[0-9]{5}$'"
