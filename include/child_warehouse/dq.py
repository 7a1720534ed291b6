"""Data-quality findings (`dq.*`): what is wrong with a submission, rule by rule and row by row, with
the reason in Vietnamese and English. The only writer of those tables.

Validation owns them: its rules' results, and the counts its verdict is made of. Ingest records here,
through `record_reading_findings`, what it notices while reading a file (malformed rows, formula-like
cells, codes stored as numbers, columns the contract does not know); validation counts those with
its own, and replaces only its own rules' results when it runs again.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import NamedTuple

from psycopg2.extras import execute_values

UNKNOWN_COLUMNS = "unknown_columns"  # a finding about the whole file, not a row


class RowIssue(NamedTuple):
    submission_id: int
    source_row: int | None
    column_name: str | None
    value: str | None
    rule: str
    severity: str  # error: the row is quarantined; warning: kept
    reason_vi: str
    reason_en: str


class RuleResult(NamedTuple):
    submission_id: int
    rule: str
    column_name: str | None
    severity: str
    rows_checked: int
    rows_failing: int
    examples: str  # JSON list of failing values or rows


_INSERT_ISSUES = """insert into dq.row_issues (submission_id, source_row, column_name, value, rule,
                                               severity, reason_vi, reason_en) values %s"""


def clear(conn, submission_id: int) -> None:
    """Forget a submission's findings: a file read again is judged afresh."""
    with conn.cursor() as cur:
        cur.execute("delete from dq.row_issues where submission_id = %s", (submission_id,))
        cur.execute("delete from dq.rule_results where submission_id = %s", (submission_id,))


def record_reading_findings(
    conn, submission_id: int, issues: Sequence[RowIssue], unknown_columns: Sequence[str]
) -> None:
    """What ingest noticed while reading: row issues, and the headers the contract does not name."""
    with conn.cursor() as cur:
        if issues:
            execute_values(cur, _INSERT_ISSUES, issues)
        if unknown_columns:
            cur.execute(
                """insert into dq.rule_results (submission_id, rule, column_name, severity, rows_checked,
                                                rows_failing, examples)
                   values (%s, %s, null, 'warning', 0, 0, %s)
                   on conflict (submission_id, rule) do update set examples = excluded.examples""",
                (submission_id, UNKNOWN_COLUMNS, json.dumps(list(unknown_columns), ensure_ascii=False)),
            )


def replace_rule_results(
    conn, submission_id: int, results: Sequence[RuleResult], issues: Sequence[RowIssue]
) -> None:
    """Validation's results for the rules it ran, replacing those rules' earlier ones (and no others)."""
    rules = [r.rule for r in results]
    with conn.cursor() as cur:
        cur.execute(
            "delete from dq.rule_results where submission_id = %s and rule = any(%s)", (submission_id, rules)
        )
        cur.execute(
            "delete from dq.row_issues where submission_id = %s and rule = any(%s)", (submission_id, rules)
        )
        execute_values(
            cur,
            """insert into dq.rule_results (submission_id, rule, column_name, severity,
                                            rows_checked, rows_failing, examples) values %s""",
            results,
        )
        if issues:
            execute_values(cur, _INSERT_ISSUES, issues, page_size=5000)


def verdict_counts(conn, submission_id: int) -> tuple[int, int, list[str]]:
    """Rows with an error, rows with a warning, and the columns the file carried that the contract
    does not name (a warning about the whole file)."""
    with conn.cursor() as cur:
        cur.execute(
            """select count(distinct source_row) filter (where severity = 'error'),
                      count(distinct source_row) filter (where severity = 'warning'),
                      (select r.examples from dq.rule_results r where r.submission_id = %s
                       and r.severity = 'warning' and r.rule = %s)
               from dq.row_issues where submission_id = %s""",
            (submission_id, UNKNOWN_COLUMNS, submission_id),
        )
        errors, warnings, unknown = cur.fetchone()  # examples is jsonb: psycopg2 gives the list
    return errors, warnings, list(unknown or [])
