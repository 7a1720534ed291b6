"""File-level checks that need the warehouse: are these communes the province's own at period end?"""

from __future__ import annotations

from psycopg2 import sql

from child_warehouse.contract import reasons
from child_warehouse.contract.columns import canonical_columns
from child_warehouse.ledger import Submission

# More than this share of commune codes outside the folder's province: the file is in the wrong folder.
FOREIGN_COMMUNE_SHARE = 0.5

_COMMUNE_SHARE = """
with codes as (
    -- a code that is not a commune code is counted as not the province's, and shown as sent
    select coalesce(util.parse_commune_code(commune_code), util.clean_text(commune_code)) as code
    from {table}
    where submission_id = %(submission_id)s and nullif(btrim(commune_code), '') is not null
), judged as (
    select code, exists (
        select from reference.communes as c
        where c.commune_code = codes.code and c.province_code = %(province)s
          -- valid_from is "valid at least since" for most old communes, so only the end bounds it
          and (c.valid_to is null or c.valid_to >= util.period_end_date(%(period)s))
    ) as is_own
    from codes
)
select count(*), count(*) filter (where not is_own),
       (array_agg(distinct code order by code) filter (where not is_own))[1:3]
from judged
"""


def foreign_commune_problem(conn, submission: Submission) -> reasons.Reason | None:
    """A reason when most commune codes in the loaded rows are not the province's; None otherwise."""
    submission_type, province = submission.submission_type, submission.province_code
    if "commune_code" not in canonical_columns(submission_type):  # the indicator report, the hotline
        return None
    with conn.cursor() as cur:
        query = sql.SQL(_COMMUNE_SHARE).format(table=sql.Identifier("raw", submission_type))
        parameters = {
            "submission_id": submission.submission_id,
            "province": province,
            "period": submission.period,
        }
        cur.execute(query, parameters)
        total, foreign, examples = cur.fetchone()
    if total and foreign / total > FOREIGN_COMMUNE_SHARE:
        file_name = submission.file_name.rsplit("/", 1)[-1]
        return reasons.foreign_communes(file_name, province, foreign / total, examples or [])
    return None
