"""A suite's row rules as conditions on one row, read from expectations/*.json (for the validation floor)."""

from __future__ import annotations

import re

from child_warehouse.validation.suites import load_suite_spec

_UNEXPECTED_ROWS = re.compile(r"^\s*select\s.+?\sfrom\s\{batch\}\s+where\s(?P<condition>.+)$", re.I | re.S)
# Rules that parse a value once: from {batch} as b cross join lateral (select … offset 0) as p where …
_LATERAL = re.compile(
    r"^\s*select\s.+?\sfrom\s\{batch\}\s+as\s+(?P<alias>\w+)\s+cross\s+join\s+lateral\s*"
    r"\(\s*select\s+(?P<columns>.+?)\s+offset\s+0\s*\)\s+as\s+(?P<parsed>\w+)\s+where\s(?P<condition>.+)$",
    re.I | re.S,
)


# Rules that test each distinct value of one column once: from {batch} where c = any(array(select
# distinct_value from (select distinct c as distinct_value from {batch} offset 0) as d where …))
_DISTINCT_VALUES = re.compile(
    r"^\s*select\s.+?\sfrom\s\{batch\}\s+where\s+(?P<column>\w+)\s+=\s+any\(array\(\s*select\s+distinct_value\s+"
    r"from\s+\(\s*select\s+distinct\s+(?P=column)\s+as\s+distinct_value\s+from\s+\{batch\}\s+offset\s+0\s*\)"
    r"\s+as\s+\w+\s+where\s+(?P<condition>.+)\)\)\s*$",
    re.I | re.S,
)
# Uniqueness: rows whose value of c appears more than once, counted by a window over c
_DUPLICATES = re.compile(
    r"^\s*select\s.+?\sfrom\s+\(\s*select\s.+?count\(\*\)\s+over\s+\(partition\s+by\s+(?P<column>\w+)\)"
    r".*\{batch\}.*\)\s+as\s+\w+\s+where\s+\w+\s*>\s*1\s*$",
    re.I | re.S,
)


def unique_columns(submission_type: str) -> list[str]:
    """The columns whose values the suite requires to be unique in a submission."""
    columns = []
    for expectation in load_suite_spec(submission_type)["expectations"]:
        kind, kwargs = expectation["type"], expectation["kwargs"]
        if kind == "expect_column_values_to_be_unique":
            columns.append(kwargs["column"])
        elif kind == "expect_no_failing_rows" and (
            found := _DUPLICATES.match(kwargs["unexpected_rows_query"])
        ):
            columns.append(found["column"])
    return columns


def _top_level_split(text: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return [*parts, current]


def _lateral_condition(found: re.Match) -> str:
    """The lateral's named expressions put back into the condition, aliases dropped."""
    condition = found["condition"]
    for column in _top_level_split(found["columns"]):
        expression, name = re.split(r"\s+as\s+", column.strip(), flags=re.I)[-2:]
        condition = re.sub(rf"\b{found['parsed']}\.{name}\b", f"({expression})", condition)
    return condition.replace(f"{found['alias']}.", "")


def row_condition(query: str) -> str | None:
    """A query rule's failing-row condition on one row, or None if it is not a row rule."""
    if found := _DISTINCT_VALUES.match(query):
        return re.sub(r"\bdistinct_value\b", found["column"], found["condition"])
    if found := _LATERAL.match(query):
        return _lateral_condition(found)
    if found := _UNEXPECTED_ROWS.match(query):
        return found["condition"]
    return None


def row_rule_conditions(submission_type: str) -> tuple[list[str], list[str]]:
    """Each row rule of the suite as a condition on one row, and the rules that are not row rules."""
    conditions, skipped = [], []
    for expectation in load_suite_spec(submission_type)["expectations"]:
        kind, kwargs = expectation["type"], expectation["kwargs"]
        rule = (expectation.get("meta") or {}).get("rule", kind)
        if kind == "expect_column_values_to_not_be_null":
            conditions.append(f"{kwargs['column']} is null")
        elif kind == "expect_column_values_to_match_regex":
            pattern, operator = kwargs["regex"], "!~"
            if pattern.startswith("(?i)"):
                pattern, operator = pattern[4:], "!~*"
            conditions.append(f"{kwargs['column']} {operator} '{pattern.replace(chr(39), chr(39) * 2)}'")
        elif kind == "expect_column_values_to_be_unique" or (
            kind == "expect_no_failing_rows" and _DUPLICATES.match(kwargs["unexpected_rows_query"])
        ):
            continue  # uniqueness is counted apart, as count(distinct): unique_columns
        elif kind == "expect_no_failing_rows" and (
            condition := row_condition(kwargs["unexpected_rows_query"])
        ):
            conditions.append(condition.replace("{{", "{").replace("}}", "}"))
        else:
            skipped.append(rule)
    return conditions, skipped
