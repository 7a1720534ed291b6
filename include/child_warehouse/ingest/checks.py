"""File-level checks that need the warehouse: are these communes the province's own at period end?"""

from __future__ import annotations

from psycopg2 import sql

from child_warehouse.contract import reasons
from child_warehouse.contract.columns import canonical_columns
from child_warehouse.ledger import Submission

# More than this share of commune codes outside the folder's province: the file is in the wrong folder.
FOREIGN_COMMUNE_SHARE = 0.5

# Each distinct cell is parsed and judged once, weighted by its rows: a file of 90,000 rows names a
# few hundred communes (judged row by row, the check took 0.43 s of such a file's 2 s load). The rows
# by cell come from the raw table, or as the reader counted them while loading (`counted`).
_CELLS_IN_TABLE = """
    select commune_code, count(*) as rows_with_it
    from {table}
    where submission_id = %(submission_id)s and nullif(btrim(commune_code), '') is not null
    group by commune_code
"""
_CELLS_COUNTED = """
    select commune_code, rows_with_it
    from unnest(%(cells)s::text[], %(rows)s::bigint[]) as counted(commune_code, rows_with_it)
    where nullif(btrim(commune_code), '') is not null
"""
_COMMUNE_SHARE = """
with cells as ({cells}), codes as (
    -- a code that is not a commune code is counted as not the province's, and shown as sent
    select coalesce(util.parse_commune_code(commune_code), util.clean_text(commune_code)) as code,
           rows_with_it
    from cells
), judged as materialized (  -- each code judged once (inlined, both sums planned the lookup anew)
    select code, rows_with_it, exists (
        select from reference.communes as c
        where c.commune_code = codes.code and c.province_code = %(province)s
          -- valid_from is "valid at least since" for most old communes, so only the end bounds it
          and (c.valid_to is null or c.valid_to >= util.period_end_date(%(period)s))
    ) as is_own
    from codes
)
select coalesce(sum(rows_with_it), 0), coalesce(sum(rows_with_it) filter (where not is_own), 0),
       (array_agg(distinct code order by code) filter (where not is_own))[1:3]
from judged
"""


def foreign_commune_problem(
    conn, submission: Submission, counted: dict[str | None, int] | None = None
) -> reasons.Reason | None:
    """A reason when most commune codes in the loaded rows are not the province's; None otherwise.
    `counted`: the loaded rows by commune cell, when the reader counted them (else read from the
    raw table)."""
    submission_type, province = submission.submission_type, submission.province_code
    if "commune_code" not in canonical_columns(submission_type):  # the indicator report, the hotline
        return None
    with conn.cursor() as cur:
        # The per-code lookups' estimated cost passes JIT's threshold: compiling the plan took 0.28 s
        # of the check's 0.35 s on a 90,000-row file (the rest of the file's transaction is a few
        # bookkeeping statements).
        cur.execute("set local jit = off")
        cells = sql.SQL(_CELLS_IN_TABLE if counted is None else _CELLS_COUNTED).format(
            table=sql.Identifier("raw", submission_type)
        )
        query = sql.SQL(_COMMUNE_SHARE).format(cells=cells)
        parameters = {
            "submission_id": submission.submission_id,
            "province": province,
            "period": submission.period,
            "cells": list(counted or {}),
            "rows": list((counted or {}).values()),
        }
        cur.execute(query, parameters)
        total, foreign, examples = cur.fetchone()
    if total and foreign / total > FOREIGN_COMMUNE_SHARE:
        file_name = submission.file_name.rsplit("/", 1)[-1]
        return reasons.foreign_communes(file_name, province, foreign / total, examples or [])
    return None
