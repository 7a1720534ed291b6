"""Each stage's floor: the least work the stage could possibly do, on the same data, same server."""

from __future__ import annotations

import time
from pathlib import Path

from bench.rules import row_rule_conditions, unique_columns
from child_warehouse import settings
from child_warehouse.db.connection import transaction

SCHEMA = "bench_floor"
ROW_RULE_TYPES = ("child_records", "protection_cases")  # indicator rules compare rows with each other


def _timed(url: str, statements: list[str], params: dict | None = None) -> float:
    """Run the statements in one transaction; seconds for the last one only (the others set up)."""
    with transaction(url) as conn, conn.cursor() as cur:
        cur.execute(f"create schema if not exists {SCHEMA}")
        for statement in statements[:-1]:
            cur.execute(statement, params)
        started = time.perf_counter()
        cur.execute(statements[-1], params)
        return time.perf_counter() - started


def can_copy_server_side(url: str) -> bool:
    """Server-side COPY FROM a file needs superuser or pg_read_server_files, and a server on this host."""
    with transaction(url) as conn, conn.cursor() as cur:
        cur.execute(
            """select rolsuper or pg_has_role(current_user, 'pg_read_server_files', 'member')
               from pg_roles where rolname = current_user"""
        )
        allowed = cur.fetchone()[0]
    return bool(allowed) and settings.split_db_url(url).host in ("127.0.0.1", "localhost", "::1")


def export_clean_csv(url: str, run_id: str, path: Path, extension: str = ".csv") -> int:
    """The rows ingest put into raw.child_records from this run's `extension` files, as a clean CSV."""
    query = (
        "select r.* from raw.child_records as r join ledger.submissions as s using (submission_id) "
        f"where s.processed_run_id = '{run_id}' and lower(s.file_name) like '%%{extension}'"
    )
    with transaction(url) as conn, conn.cursor() as cur, path.open("w", encoding="utf-8") as handle:
        cur.copy_expert(f"copy ({query}) to stdout with (format csv, header true)", handle)
        rows = cur.rowcount
    path.chmod(0o644)  # the server reads it as its own user
    return rows


def ingest_floor(url: str, clean_csv: Path, server_side: bool) -> float:
    """A plain COPY of the clean CSV into an unindexed table (server-side when the server can read it)."""
    table = f"{SCHEMA}.child_records_copy"
    setup = [
        f"drop table if exists {table}",
        f"create table {table} as select * from raw.child_records with no data",
    ]
    if server_side:
        return _timed(url, [*setup, f"copy {table} from '{clean_csv}' with (format csv, header true)"])
    with transaction(url) as conn, conn.cursor() as cur, clean_csv.open(encoding="utf-8") as handle:
        cur.execute(f"create schema if not exists {SCHEMA}")
        for statement in setup:
            cur.execute(statement)
        started = time.perf_counter()
        cur.copy_expert(f"copy {table} from stdin with (format csv, header true)", handle)
        return time.perf_counter() - started


def _batch(submission_type: str, submission_ids: list[int]) -> str:
    """The rows the rules see (runner.batch_query's columns), for every submission at once."""
    commune = (
        "lpad(util.clean_text(r.commune_code), 5, '0') as batch_commune_code, "
        if submission_type != "indicator_report"
        else ""
    )
    return (
        f"select r.*, {commune}s.batch_province_code, s.period, s.period_start_date, s.period_end_date "
        f"from raw.{submission_type} as r join (select submission_id, province_code as batch_province_code, "
        "period, util.period_start_date(period) as period_start_date, "
        "util.period_end_date(period) as period_end_date from ledger.submissions "
        f"where submission_id = any(array{submission_ids or [0]}::bigint[]) offset 0) as s "
        "on s.submission_id = r.submission_id"
    )


def validation_floor_sql(submission_type: str, submission_ids: list[int]) -> tuple[str, list[str]]:
    """One SELECT over the run's raw rows: every row rule counted in one pass, uniqueness included."""
    conditions, skipped = row_rule_conditions(submission_type)
    unique = unique_columns(submission_type)
    batch = _batch(submission_type, submission_ids)
    counts = [f"count(*) filter (where {c}) as rule_{i}" for i, c in enumerate(conditions)]
    counts += [f"count(*) - count(distinct (submission_id, {c})) as unique_{c}" for c in unique]
    return f"select count(*), {', '.join(counts)} from ({batch}) as batch", skipped


COMMUNES_INDEXED = """
create temporary table if not exists communes_indexed as select * from reference.communes;
create index if not exists communes_indexed_code on communes_indexed (commune_code, province_code);
analyze communes_indexed
"""


def validation_floor(url: str, run_id: str) -> tuple[float, int, list[str]]:
    """Seconds and rows for the one-scan floor over both row-rule tables, and the rules left out."""
    seconds, rows, skipped = 0.0, 0, []
    for submission_type in ROW_RULE_TYPES:
        ids = _submissions(url, run_id, submission_type)
        query, left_out = validation_floor_sql(submission_type, ids)
        with transaction(url) as conn, conn.cursor() as cur:
            # In a select list the commune rule's NOT EXISTS is a per-row subplan: give it an index.
            cur.execute(COMMUNES_INDEXED)
            query = query.replace("reference.communes", "pg_temp.communes_indexed")
            started = time.perf_counter()
            cur.execute(query)
            rows += cur.fetchone()[0]
            seconds += time.perf_counter() - started
        skipped += [f"{submission_type}.{rule}" for rule in left_out]
    return seconds, rows, skipped


def _submissions(url: str, run_id: str, submission_type: str, accepted_only: bool = False) -> list[int]:
    with transaction(url) as conn, conn.cursor() as cur:
        cur.execute(
            """select submission_id from ledger.submissions where processed_run_id = %s
               and submission_type = %s and (not %s or status in ('accepted', 'accepted_with_warnings'))""",
            (run_id, submission_type, accepted_only),
        )
        return [row[0] for row in cur.fetchall()]


def linkage_floor(url: str, run_id: str) -> tuple[float, int]:
    """One hash join of the run's accepted child records to the register on personal ID."""
    ids = _submissions(url, run_id, "child_records", accepted_only=True)
    join = (
        f"create table {SCHEMA}.child_links_join as "
        "select r.submission_id, r.source_row, p.personal_id from raw.child_records as r "
        "left join register.persons as p on p.personal_id = r.personal_id "
        "where r.submission_id = any(%(ids)s)"
    )
    setup = [
        f"drop table if exists {SCHEMA}.child_links_join",
        "set local enable_mergejoin = off",
        "set local enable_nestloop = off",
    ]
    seconds = _timed(url, [*setup, join], {"ids": ids})
    with transaction(url) as conn, conn.cursor() as cur:
        cur.execute(f"select count(*) from {SCHEMA}.child_links_join")
        return seconds, cur.fetchone()[0]


# The core counts of marts.special_circumstances_by_province, per province and period.
_SCORECARD_COUNTS = """
    count(*) as children_total,
    count(*) filter (where {has_circumstance}) as hcdb_children,
    count(*) filter (where {has_circumstance} and {supported}) as hcdb_supported,
    count(*) filter (where {at_risk}) as at_risk_children,
    count(*) filter (where {at_risk} and {supported}) as at_risk_supported,
    count(*) filter (where {linked}) as children_linked
"""

SCORECARD_FROM_LINKED_SQL = f"""
create table {SCHEMA}.scorecard_from_linked as
select province_code, period, {
    _SCORECARD_COUNTS.format(
        has_circumstance="has_special_circumstance",
        supported="is_supported",
        at_risk="is_at_risk",
        linked="is_linked",
    )
}
from intermediate.int_child_records_linked
where is_active
group by province_code, period
"""

SCORECARD_FROM_RAW_SQL = f"""
create table {SCHEMA}.scorecard_from_raw as
with current_submissions as (
    select distinct on (province_code, period) submission_id, province_code, period
    from ledger.submissions
    where submission_type = 'child_records' and status in ('accepted', 'accepted_with_warnings')
    order by province_code, period, version desc
)
select c.province_code, c.period, {
    _SCORECARD_COUNTS.format(
        has_circumstance="util.clean_text(r.special_circumstances) is not null",
        supported="coalesce(util.parse_yes_no(r.supported), false)",
        at_risk="coalesce(util.parse_yes_no(r.at_risk), false)",
        linked="l.personal_id is not null",
    )
}
from raw.child_records as r
join current_submissions as c using (submission_id)
left join links.child_links as l using (submission_id, source_row)
where r.record_id is not null
  and util.normalise_code(r.record_status) = 'dang_quan_ly'
  and not exists (select from dq.row_issues as q where q.submission_id = r.submission_id
                  and q.source_row = r.source_row and q.severity = 'error')
group by c.province_code, c.period
"""


def dbt_floors(url: str) -> dict[str, float]:
    """The scorecard in one CREATE TABLE AS: from dbt's linked records, and straight from raw + links."""
    seconds = {}
    for name, query in (("from_linked", SCORECARD_FROM_LINKED_SQL), ("from_raw", SCORECARD_FROM_RAW_SQL)):
        try:
            seconds[name] = _timed(url, [f"drop table if exists {SCHEMA}.scorecard_{name}", query])
        except Exception as error:  # dbt may not have built the intermediate table; say so
            seconds[name] = float("nan")
            print(f"dbt floor {name} could not run: {error}")
    return seconds
