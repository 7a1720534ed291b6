"""Fingerprint one generated night, to compare two versions of the code on the same files.

    PYTHONPATH=<checkout>/include CHILD_WAREHOUSE_PSEUDONYM_KEY=<same key> \\
        .venv/bin/python -m bench.same_night <generated folder> <out.json>

Runs discover, load, validate and both linkages (operations.scratch.run_stages) and `dbt build` on a
fresh copy of the template, then writes a count and an MD5 per table: every table of marts, core and
intermediate (run times such as `arrived_at` left out), the ledger's verdicts and readings, every
flagged row with its reasons, the rule results, the raw child records and the links. Two outputs with
the same entries mean the two versions produced the same night.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
import uuid
from pathlib import Path

from bench.night import dbt_build

_TABLE = (
    "select count(*), md5(coalesce(string_agg(x, E'\\n' order by x), '')) from ("
    "select (to_jsonb(t) - coalesce((select array_agg(k) from jsonb_object_keys(to_jsonb(t)) as k "
    "where k like '%%\\_at' or k in ('source_version', 'link_version', 'status_fingerprint')), "
    "'{{}}'))::text as x from {table} as t) as s"
)  # run times left out: every *_at column, and the incremental models' bookkeeping (source_version and
# link_version hash the file's arrival, validation and linking times; status_fingerprint, added
# 2026-12-06, would tell a version with it from one without)
_OTHERS = {
    "ledger": "select concat_ws('|', file_name, status, reason_code, rows_in_file, encoding, delimiter, "
    "header_row) as x from ledger.submissions",
    "row_issues": "select concat_ws('|', s.file_name, i.source_row, i.column_name, i.value, i.rule, "
    "i.severity, i.reason_en, i.reason_vi) as x from dq.row_issues as i "
    "join ledger.submissions as s using (submission_id)",
    "rule_results": "select concat_ws('|', s.file_name, r.rule, r.rows_failing) as x "
    "from dq.rule_results as r join ledger.submissions as s using (submission_id)",
    "raw_child_records": "select s.file_name || '|' || (to_jsonb(r) - 'submission_id')::text as x "
    "from raw.child_records as r join ledger.submissions as s using (submission_id)",
    "links": "select concat_ws('|', s.file_name, l.source_row, l.personal_id, l.method, l.flags::text, "
    "round(l.match_probability::numeric, 9)) as x from links.child_links as l "
    "join ledger.submissions as s using (submission_id)",
}


def fingerprint(root: Path) -> dict:
    from child_warehouse.db import connection, template
    from child_warehouse.db.connection import transaction
    from child_warehouse.operations.scratch import run_stages

    name = "cw_same_night_" + uuid.uuid4().hex[:6]
    url = template.create_database(name)
    try:
        found: dict = {"timings": run_stages(root / "landing", root / "register" / "persons.csv", url)}
        started = time.perf_counter()
        found["dbt_exit_code"] = dbt_build(url, Path(tempfile.mkdtemp(prefix=f"{name}-dbt-")))
        found["timings"]["dbt build"] = time.perf_counter() - started
        with transaction(url) as conn, conn.cursor() as cur:
            cur.execute(
                """select table_schema || '.' || table_name from information_schema.tables
                   where table_schema in ('marts', 'core', 'intermediate') and table_type = 'BASE TABLE'
                   order by 1"""
            )
            for (table,) in cur.fetchall():
                cur.execute(_TABLE.format(table=table))
                found[table] = list(cur.fetchone())
            for label, query in _OTHERS.items():
                whole = "select count(*), md5(coalesce(string_agg(x, E'\\n' order by x), '')) from ({}) as s"
                cur.execute(whole.format(query))
                found[label] = list(cur.fetchone())
        return found
    finally:
        connection.drop_database(name)


if __name__ == "__main__":
    Path(sys.argv[2]).write_text(json.dumps(fingerprint(Path(sys.argv[1])), indent=1, default=str))
