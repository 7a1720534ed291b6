"""The sample's night through Airflow, as `make demo` runs it: the issue's demo-night target (≤ 60 s).

A warehouse and a local folder of its own (a copy of the template database; Airflow's metadata, the
sample's landing zone, feedback, Data Docs and lineage in a temporary folder), so the engineer's
warehouse and Airflow are left alone. Two nights, each on a fresh warehouse with the sample landed
and its register loaded: the first pays what only a first run pays (Airflow parses the DAGs into new
metadata, dbt parses the whole project); the second, with Airflow's metadata and dbt's partial parse
kept, is the figure: what `make demo` takes after the first run. A night is the DAG run's own
duration as Airflow records it (start to end of `nightly_load`), not the stack's start or stop.
"""

from __future__ import annotations

import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

DAG_ID = "nightly_load"
# Phases of the night, by task: what a reader of the figure needs to see where the time goes.
PHASES = {
    "discover": ("discover_submissions", "stop_if_dry_run"),
    "load and validate (per province)": ("load_and_validate_province",),
    "link": ("refresh_statistics", "link_by_id", "link_unlinked_records"),
    "dbt build": ("build_marts",),
}


def _cli() -> str:
    return str(Path(sys.executable).parent / "child-warehouse")


def _run(env: dict[str, str], *args: str) -> str:
    result = subprocess.run([_cli(), *args], env=env, capture_output=True, text=True, check=False)
    if result.returncode:
        raise RuntimeError(
            f"child-warehouse {' '.join(args)} exited {result.returncode}:\n"
            f"{result.stdout[-3000:]}{result.stderr[-3000:]}"
        )
    return result.stdout


def _seconds(start: str, end: str) -> float:
    return (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()


def night_timings(airflow_db: Path) -> dict:
    """The latest `nightly_load` run in Airflow's metadata: its seconds, state, task count, and per
    phase the seconds from the run's start to the phase's first task start and last task end."""
    with closing(sqlite3.connect(airflow_db)) as conn:
        run_id, state, start, end = conn.execute(
            "select run_id, state, start_date, end_date from dag_run where dag_id = ? "
            "order by start_date desc limit 1",
            (DAG_ID,),
        ).fetchone()
        tasks = conn.execute(
            "select task_id, start_date, end_date from task_instance "
            "where dag_id = ? and run_id = ? and start_date is not null and end_date is not null",
            (DAG_ID, run_id),
        ).fetchall()
    phases = {}
    for phase, task_ids in PHASES.items():
        spans = [(s, e) for task_id, s, e in tasks if task_id in task_ids]
        if spans:
            phases[phase] = {
                "from": _seconds(start, min(s for s, _ in spans)),
                "to": _seconds(start, max(e for _, e in spans)),
                "tasks": len(spans),
            }
    return {"seconds": _seconds(start, end), "state": state, "tasks": len(tasks), "phases": phases}


def _night(env: dict[str, str], local: Path) -> dict:
    """A fresh warehouse (`env`'s database) gets the sample and one night through Airflow."""
    for folder in ("landing", "sample"):  # as `make sample` does
        shutil.rmtree(local / folder, ignore_errors=True)
    printed = _run(env, "sample").strip().splitlines()
    sample = printed[0].split(" in /", 1)[0] if printed else ""  # not the temporary folder's path
    _run(env, "night")
    return {**night_timings(local / "airflow" / "airflow.db"), "sample": sample}


def measure_demo() -> dict:
    """Two nights of the sample through Airflow (the second is the figure); see the module's doc."""
    from bench.run import _code_version, _loadavg
    from child_warehouse.db import connection, template

    work = Path(tempfile.mkdtemp(prefix="cw-bench-demo-"))
    local = work / "local"
    result: dict = {
        "kind": "demo",
        "measured_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "code": _code_version(),
        "load_average_start": list(_loadavg()),
    }
    base = {
        **os.environ,
        "CHILD_WAREHOUSE_LOCAL_DIR": str(local),
        "CHILD_WAREHOUSE_PSEUDONYM_KEY": secrets.token_hex(32),  # this warehouse's own; never printed
        "AIRFLOW__API__PORT": "0",  # any free port: the engineer's own Airflow may hold 8080
        "CHILD_WAREHOUSE_AIRFLOW_EXECUTOR": "local",  # as `make demo`: metadata in SQLite, read below
    }
    for name in ("AIRFLOW_HOME", "CHILD_WAREHOUSE_LANDING_ROOT", "CHILD_WAREHOUSE_DBT_TARGET_DIR"):
        base.pop(name, None)  # everything under `local`
    # One database name for both nights (dropped and copied from the template again between them),
    # as `make demo` reuses `child_warehouse`: dbt's partial parse holds only for the same target.
    name = f"cw_bench_demo_{secrets.token_hex(4)}"
    server = connection.warehouse_url("postgres")
    try:
        nights = []
        for _ in range(2):
            env = {**base, "CHILD_WAREHOUSE_DB_URL": template.create_database(name, server)}
            try:
                if not nights:
                    _run(env, "airflow", "db", "migrate")
                nights.append(_night(env, local))
            finally:
                connection.drop_database(name, server)
        result["first"], result["night"] = nights
        result["load_average_end"] = list(_loadavg())
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)
