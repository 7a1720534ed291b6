"""The run ledger: one row per nightly run and province, written from what the stages recorded."""

from __future__ import annotations

from child_warehouse import ledger
from child_warehouse.db.connection import transaction

_STATES = {
    "accepted": sorted(ledger.ACCEPTED),
    "rejected": ledger.Status.REJECTED.value,
    "attention": sorted(ledger.NEEDS_ATTENTION),
}

# rows_received: every row of every file the run processed. rows_loaded and rows_with_errors: only
# files accepted and still current (a later accepted version supersedes one), without the rows
# excluded for errors: what the warehouse counts from this run, never a refused file's rows.
SUMMARY_SQL = """
insert into ops.province_runs as pr (run_id, province_code, started_at, finished_at, files_found,
    files_loaded, files_rejected, rows_received, rows_loaded, rows_with_errors, records_linked,
    records_unlinked, outcome)
select %(run_id)s, s.province_code,
       coalesce(min(s.discovered_at), now()), now(),
       count(*),
       count(*) filter (where s.status = any(%(accepted)s)),
       count(*) filter (where s.status = %(rejected)s),
       coalesce(sum(s.rows_in_file), 0),
       coalesce(sum(s.rows_in_file - coalesce(s.rows_with_errors, 0)) filter (where c.counted), 0),
       coalesce(sum(s.rows_with_errors) filter (where c.counted), 0),
       coalesce(sum(l.linked), 0),
       coalesce(sum(l.unlinked), 0),
       case when count(*) filter (where s.status = any(%(attention)s)) = 0 then 'ok'
            else 'needs_attention' end
from ledger.submissions as s
cross join lateral (
    select s.status = any(%(accepted)s) and not exists (
        select from ledger.submissions as later
        where (later.province_code, later.period, later.submission_type)
              = (s.province_code, s.period, s.submission_type)
          and later.version > s.version and later.status = any(%(accepted)s)
    ) as counted
) as c
left join lateral (
    select count(*) filter (where personal_id is not null) as linked,
           count(*) filter (where personal_id is null) as unlinked
    from links.child_links as cl where cl.submission_id = s.submission_id
) as l on true
where s.processed_run_id = %(run_id)s and s.province_code is not null
group by s.province_code
on conflict (run_id, province_code) do update set
    finished_at = excluded.finished_at, files_found = excluded.files_found,
    files_loaded = excluded.files_loaded, files_rejected = excluded.files_rejected,
    rows_received = excluded.rows_received, rows_loaded = excluded.rows_loaded,
    rows_with_errors = excluded.rows_with_errors, records_linked = excluded.records_linked,
    records_unlinked = excluded.records_unlinked, outcome = excluded.outcome
"""


def record_run_summary(run_id: str, url: str | None = None) -> int:
    """Write (or rewrite, on a rerun) the per-province summary of a run; return provinces summarised."""
    with transaction(url) as conn, conn.cursor() as cur:
        cur.execute(SUMMARY_SQL, {"run_id": run_id, **_STATES})
        return cur.rowcount
