"""How a file's empty yes/no cells are read: the contract's `x`/empty pair.

The contract lists `x`/empty among the yes/no pairs: a sheet where an officer ticks the children with
an x leaves the others empty, and those mean "no". An empty cell in a file that writes Có/Không is
"not stated" instead, and counting it as "no" would be silently wrong. So the decision is made per
file and per column: a column that holds at least one `x` and never an explicit no (Không, 0, no,
false, k) uses the pair, and its empty cells are read as "no"; every other empty cell stays
"not stated". The decision is kept in the ledger (`empty_means_no`), which int_child_records_accepted
applies to the empty cells staging lists per row, and the feedback carries a note per column saying
how its empty cells were read.
"""

from __future__ import annotations

import json

from psycopg2 import sql

from child_warehouse import dq
from child_warehouse.contract.columns import yes_no_columns
from child_warehouse.contract.reasons import column_labels

RULE = "empty_yes_no_cells"


def _counts_sql(submission_type: str, columns: list[str]) -> sql.Composed:
    parts = [
        sql.SQL(
            "count(*) filter (where util.fold_vn({c}) = 'x'), "
            "count(*) filter (where util.parse_yes_no({c}) = false), "
            "count(*) filter (where util.clean_text({c}) is null)"
        ).format(c=sql.Identifier(column))
        for column in columns
    ]
    return sql.SQL("select {} from {} where submission_id = %s").format(
        sql.SQL(", ").join(parts), sql.Identifier("raw", submission_type)
    )


def note(submission_id: int, column: str, header: str | None, empty: int, marks: int) -> dq.RowIssue:
    vi, en = column_labels(column, header)
    return dq.RowIssue(
        submission_id,
        None,
        column,
        f"{empty} ô trống / empty cells",
        RULE,
        "note",
        f"Cột {vi} đánh dấu 'Có' bằng x (ở {marks} ô) và không ghi 'Không' ở đâu: {empty} ô trống "
        "được hiểu là 'Không' (cặp x/ô trống của quy định nộp báo cáo). Nếu ô trống nghĩa là chưa rõ, "
        "hãy ghi rõ Có/Không.",
        f"Column {en} marks yes with x (in {marks} cell(s)) and never writes no: its {empty} empty cells "
        "are read as no (the contract's x/empty pair). If an empty cell means unknown, write Có/Không "
        "explicitly.",
    )


def read_empty_cells(conn, submission_id: int, submission_type: str, headers: dict[str, str]) -> list[str]:
    """Decide, record in the ledger and note in dq which yes/no columns read empty as "no"."""
    columns = yes_no_columns(submission_type)
    if not columns:
        return []
    with conn.cursor() as cur:
        cur.execute(_counts_sql(submission_type, columns), (submission_id,))
        counts = cur.fetchone()
    chosen, notes = [], []
    for index, column in enumerate(columns):
        marks, explicit_no, empty = counts[3 * index : 3 * index + 3]
        if marks and not explicit_no:
            chosen.append(column)
            if empty:
                notes.append(note(submission_id, column, headers.get(column), empty, marks))
    result = dq.RuleResult(submission_id, RULE, None, "note", 0, 0, json.dumps(chosen, ensure_ascii=False))
    dq.replace_rule_results(conn, submission_id, [result], notes)
    with conn.cursor() as cur:
        cur.execute(
            "update ledger.submissions set empty_means_no = %s where submission_id = %s",
            (chosen, submission_id),
        )
    return chosen
