"""Each stage's floor: the least work the stage could possibly do, on the same data, same server."""

from __future__ import annotations

import json
import time
from pathlib import Path

from psycopg2 import sql

from bench.rules import row_rule_conditions, unique_columns
from child_warehouse import ledger, settings
from child_warehouse.db.connection import transaction

SCHEMA = "bench_floor"
_SCHEMA = sql.Identifier(SCHEMA)
ROW_RULE_TYPES = ("child_records", "protection_cases")  # indicator rules compare rows with each other


def _table(name: str) -> sql.Identifier:
    return sql.Identifier(SCHEMA, name)


def _timed(url: str, statements: list[sql.Composable | str], params: dict | None = None) -> float:
    """Run the statements in one transaction; seconds for the last one only (the others set up)."""
    with transaction(url) as conn, conn.cursor() as cur:
        cur.execute(sql.SQL("create schema if not exists {}").format(_SCHEMA))
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
    query = sql.SQL(
        "copy (select r.* from raw.child_records as r join ledger.submissions as s using (submission_id) "
        "where s.processed_run_id = {} and lower(s.file_name) like {}) "
        "to stdout with (format csv, header true)"
    ).format(sql.Literal(run_id), sql.Literal(f"%{extension}"))
    with transaction(url) as conn, conn.cursor() as cur, path.open("w", encoding="utf-8") as handle:
        cur.copy_expert(query.as_string(conn), handle)
        rows = cur.rowcount
    path.chmod(0o644)  # the server reads it as its own user
    return rows


def ingest_floor(url: str, clean_csv: Path, server_side: bool) -> float:
    """A plain COPY of the clean CSV into an unindexed table (server-side when the server can read it)."""
    table = _table("child_records_copy")
    setup = [
        sql.SQL("drop table if exists {}").format(table),
        sql.SQL("create table {} as select * from raw.child_records with no data").format(table),
    ]
    if server_side:
        copy = sql.SQL("copy {} from {} with (format csv, header true)").format(
            table, sql.Literal(str(clean_csv))
        )
        return _timed(url, [*setup, copy])
    with transaction(url) as conn, conn.cursor() as cur, clean_csv.open(encoding="utf-8") as handle:
        cur.execute(sql.SQL("create schema if not exists {}").format(_SCHEMA))
        for statement in setup:
            cur.execute(statement)
        copy = sql.SQL("copy {} from stdin with (format csv, header true)").format(table).as_string(conn)
        started = time.perf_counter()
        cur.copy_expert(copy, handle)
        return time.perf_counter() - started


def _batch(submission_type: str, submission_ids: list[int]) -> sql.Composed:
    """The rows the rules see (runner.batch_query's columns), for every submission at once."""
    commune = (
        sql.SQL("util.parse_commune_code(r.commune_code) as batch_commune_code, ")
        if submission_type != "indicator_report"
        else sql.SQL("")
    )
    return sql.SQL(
        "select r.*, {commune}s.batch_province_code, s.period, s.period_start_date, s.period_end_date "
        "from {raw} as r join (select submission_id, province_code as batch_province_code, "
        "period, util.period_start_date(period) as period_start_date, "
        "util.period_end_date(period) as period_end_date from ledger.submissions "
        "where submission_id = any({ids}::bigint[]) offset 0) as s "
        "on s.submission_id = r.submission_id"
    ).format(
        commune=commune, raw=sql.Identifier("raw", submission_type), ids=sql.Literal(submission_ids or [0])
    )


def validation_floor_sql(submission_type: str, submission_ids: list[int]) -> tuple[sql.Composed, list[str]]:
    """One SELECT over the run's raw rows: every row rule counted in one pass, uniqueness included.

    The conditions are the suites' own SQL (bench/rules.py), trusted as the suites are."""
    conditions, skipped = row_rule_conditions(submission_type)
    unique = unique_columns(submission_type)
    counts = [
        sql.SQL("count(*) filter (where {}) as {}").format(sql.SQL(c), sql.Identifier(f"rule_{i}"))
        for i, c in enumerate(conditions)
    ]
    counts += [
        sql.SQL("count(*) - count(distinct (submission_id, {})) as {}").format(
            sql.Identifier(c), sql.Identifier(f"unique_{c}")
        )
        for c in unique
    ]
    query = sql.SQL("select count(*), {} from ({}) as batch").format(
        sql.SQL(", ").join(counts), _batch(submission_type, submission_ids)
    )
    return query, skipped


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
            text = query.as_string(conn).replace("reference.communes", "pg_temp.communes_indexed")
            started = time.perf_counter()
            cur.execute(text)
            rows += cur.fetchone()[0]
            seconds += time.perf_counter() - started
        skipped += [f"{submission_type}.{rule}" for rule in left_out]
    return seconds, rows, skipped


def _submissions(url: str, run_id: str, submission_type: str, accepted_only: bool = False) -> list[int]:
    with transaction(url) as conn, conn.cursor() as cur:
        cur.execute(
            """select submission_id from ledger.submissions where processed_run_id = %s
               and submission_type = %s and (not %s or status = any(%s))""",
            (run_id, submission_type, accepted_only, sorted(ledger.ACCEPTED)),
        )
        return [row[0] for row in cur.fetchall()]


def linkage_floor(url: str, run_id: str) -> tuple[float, int]:
    """One hash join of the run's accepted child records to the register on personal ID, parsed as
    the stage parses it (`util.parse_personal_id`: spaces and stray characters cleaned)."""
    ids = _submissions(url, run_id, "child_records", accepted_only=True)
    table = _table("child_links_join")
    join = sql.SQL(
        "create table {} as "
        "select r.submission_id, r.source_row, p.personal_id from raw.child_records as r "
        "left join register.persons as p on p.personal_id = util.parse_personal_id(r.personal_id) "
        "where r.submission_id = any(%(ids)s)"
    ).format(table)
    setup = [
        sql.SQL("drop table if exists {}").format(table),
        "set local enable_mergejoin = off",
        "set local enable_nestloop = off",
    ]
    seconds = _timed(url, [*setup, join], {"ids": ids})
    with transaction(url) as conn, conn.cursor() as cur:
        cur.execute(sql.SQL("select count(*) from {}").format(table))
        return seconds, cur.fetchone()[0]


# The core counts of marts.special_circumstances_by_province, per province and period.
_SCORECARD_COUNTS = sql.SQL("""
    count(*) as children_total,
    count(*) filter (where {has_circumstance}) as hcdb_children,
    count(*) filter (where {has_circumstance} and {supported}) as hcdb_supported,
    count(*) filter (where {at_risk}) as at_risk_children,
    count(*) filter (where {at_risk} and {supported}) as at_risk_supported,
    count(*) filter (where {linked}) as children_linked
""")

SCORECARD_FROM_LINKED_SQL = sql.SQL("""
create table bench_floor.scorecard_from_linked as
select province_code, period, {counts}
from intermediate.int_child_records_linked
where is_active
group by province_code, period
""").format(
    counts=_SCORECARD_COUNTS.format(
        has_circumstance=sql.SQL("has_special_circumstance"),
        supported=sql.SQL("is_supported"),
        at_risk=sql.SQL("is_at_risk"),
        linked=sql.SQL("is_linked"),
    )
)

SCORECARD_FROM_RAW_SQL = sql.SQL("""
create table bench_floor.scorecard_from_raw as
with current_submissions as (
    select distinct on (province_code, period) submission_id, province_code, period
    from ledger.submissions
    where submission_type = 'child_records' and status in ('accepted', 'accepted_with_warnings')
    order by province_code, period, version desc
)
select c.province_code, c.period, {counts}
from raw.child_records as r
join current_submissions as c using (submission_id)
left join links.child_links as l using (submission_id, source_row)
where r.record_id is not null
  and util.normalise_code(r.record_status) = 'dang_quan_ly'
  and not exists (select from dq.row_issues as q where q.submission_id = r.submission_id
                  and q.source_row = r.source_row and q.severity = 'error')
group by c.province_code, c.period
""").format(
    counts=_SCORECARD_COUNTS.format(
        has_circumstance=sql.SQL("util.clean_text(r.special_circumstances) is not null"),
        supported=sql.SQL("coalesce(util.parse_yes_no(r.supported), false)"),
        at_risk=sql.SQL("coalesce(util.parse_yes_no(r.at_risk), false)"),
        linked=sql.SQL("l.personal_id is not null"),
    )
)


def models_in_build_order(manifest: dict) -> list[dict]:
    """The project's models that dbt materialises as tables, dependencies first (views and ephemeral
    models are read inside the statements that select from them)."""
    nodes = {
        uid: node
        for uid, node in manifest["nodes"].items()
        if node["resource_type"] == "model"
        and node["package_name"] == manifest["metadata"].get("project_name", node["package_name"])
    }
    ordered: list[dict] = []
    seen: set[str] = set()

    def visit(uid: str) -> None:
        if uid in seen or uid not in nodes:
            return
        seen.add(uid)
        for upstream in nodes[uid]["depends_on"]["nodes"]:
            visit(upstream)
        ordered.append(nodes[uid])

    for uid in sorted(nodes):
        visit(uid)
    return [n for n in ordered if n["config"]["materialized"] in ("table", "incremental")]


def dbt_models_floor(url: str, manifest_path: Path) -> tuple[float, int]:
    """The issue's floor for dbt: every table model's SQL as dbt compiled it in the night's build
    (a full build: no incremental filter), run as a plain CREATE TABLE AS in dependency order, each
    reading the relations the night's build left; no tests, hooks, grants or dbt process, and the
    session settings of dbt's login (db/roles.py: no JIT). Returns the seconds summed over the
    statements and how many ran."""
    from child_warehouse.db.roles import LOGIN_SETTINGS

    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    total = 0.0
    models = [m for m in models_in_build_order(manifest) if m.get("compiled_code")]
    for number, model in enumerate(models):
        table = _table(f"model_{number}")
        total += _timed(
            url,
            [
                *(
                    sql.SQL("set local {} = {}").format(sql.Identifier(name), sql.Literal(value))
                    for name, value in LOGIN_SETTINGS["transformer"].items()
                    if name != "role"  # the floor's scratch tables stay the admin's
                ),
                sql.SQL("drop table if exists {}").format(table),
                sql.SQL("create table {} as ").format(table) + sql.SQL(model["compiled_code"]),
            ],
        )
        with transaction(url) as conn, conn.cursor() as cur:
            cur.execute(sql.SQL("drop table {}").format(table))
    return total, len(models)


def dbt_floors(url: str, manifest_path: Path | None = None) -> dict[str, float]:
    """The models' compiled SQL as plain statements (the floor the issue defines), and two stricter
    lines: the scorecard in one CREATE TABLE AS from dbt's linked records, and from raw + links."""
    seconds: dict[str, float] = {}
    if manifest_path is not None:
        try:
            seconds["models"], seconds["models_run"] = dbt_models_floor(url, manifest_path)
        except Exception as error:  # the night's build may have failed before writing a manifest
            seconds["models"] = float("nan")
            print(f"dbt models floor could not run: {error}")
    for name, query in (("from_linked", SCORECARD_FROM_LINKED_SQL), ("from_raw", SCORECARD_FROM_RAW_SQL)):
        try:
            seconds[name] = _timed(
                url, [sql.SQL("drop table if exists {}").format(_table(f"scorecard_{name}")), query]
            )
        except Exception as error:  # dbt may not have built the intermediate table; say so
            seconds[name] = float("nan")
            print(f"dbt floor {name} could not run: {error}")
    return seconds
