"""Reprocess one province's submissions for a period or a range of periods.

The submissions in range are set back to `discovered`; the nightly stages then load, validate and
link them exactly as on the night they arrived (each load replaces its own rows), so the result is
the same as a clean run. Files refused for their path (no province or period) are never touched.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from child_warehouse import ledger
from child_warehouse.db.connection import transaction

log = logging.getLogger(__name__)

SELECT_SQL = """
select submission_id, period, submission_type, version, file_name, status
from ledger.submissions
where province_code = %(province)s and period is not null
  and util.period_end_date(period) between util.period_end_date(%(first)s) and util.period_end_date(%(last)s)
  and (%(types)s::text[] is null or submission_type = any(%(types)s))
order by util.period_end_date(period), submission_type, version
"""


@dataclass(frozen=True)
class Planned:
    submission_id: int
    period: str
    submission_type: str
    version: int
    file_name: str
    status: str


def plan(
    province: str, first: str, last: str | None = None, types: list[str] | None = None, url: str | None = None
) -> list[Planned]:
    """What a reprocess would reload, without changing anything."""
    params = {"province": province, "first": first, "last": last or first, "types": types}
    with transaction(url) as conn, conn.cursor() as cur:
        cur.execute(SELECT_SQL, params)
        return [Planned(*row) for row in cur.fetchall()]


def mark_for_reprocessing(planned: list[Planned], url: str | None = None) -> int:
    """Set the planned submissions back to pending, in one transaction."""
    with transaction(url) as conn:
        return ledger.reopen(conn, [p.submission_id for p in planned])


def describe(planned: list[Planned]) -> str:
    if not planned:
        return "Nothing to reprocess in that range."
    lines = [f"{len(planned)} file(s) to reload:"]
    lines += [
        f"  #{p.submission_id:<6} {p.period:<9} {p.submission_type:<17} v{p.version} {p.status:<23} "
        f"{p.file_name}"
        for p in planned
    ]
    return "\n".join(lines)


def provinces_for_run(pending: list[str], params: dict, url: str | None = None) -> list[str]:
    """The provinces a run works on: all with pending files, or, when the run names a province,
    that province alone with its range set back to pending (or nothing, on a dry run). A pre-reform
    province's files are loaded by the task of the province it merged into (`util.province_now`)."""
    province = (params or {}).get("province_code")
    if not province:
        return pending
    planned = plan(province, params["period_from"], params.get("period_to"), url=url)
    log.info("%s", describe(planned))  # the task log is where the engineer reads the plan
    if params.get("dry_run"):
        return []
    mark_for_reprocessing(planned, url)
    folders = [(province, p.period) for p in planned] or [(province, params["period_from"])]
    with transaction(url) as conn:
        return ledger.provinces_now(conn, folders)
