"""Backfill history: past years' submissions (2018 onwards, pre-reform codes) loaded in period order.

Triggered by `child-warehouse backfill --from 2018 --to 2025` (one run per year, oldest first) or
from the UI with `year_from`/`year_to`. Its tasks use their own pool, it has one active run at a
time, and it waits while the nightly load has the warehouse (CHILD_WAREHOUSE_BACKFILL_PAUSE).
"""

from __future__ import annotations

import datetime as dt

from airflow.sdk import Param, dag, task

from child_warehouse.orchestration.defaults import START_DATE, default_args
from child_warehouse.orchestration.stages import process_provinces

POOL = "backfill_history"  # child_warehouse.operations.backfill.POOL; created by `child-warehouse backfill`


@dag(
    dag_id="backfill_history",
    schedule=None,
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args={**default_args(), "pool": POOL},
    tags=["backfill", "history", "ingest", "dbt"],
    doc_md=__doc__,
    params={
        "year_from": Param(2018, type="integer", minimum=2000, maximum=2100, description="First year"),
        "year_to": Param(None, type=["null", "integer"], description="Last year (empty: year_from only)"),
        "history_root": Param(
            None, type=["null", "string"], description="Archive folder or URL (empty: the setting)"
        ),
    },
)
def backfill_history():
    @task.sensor(poke_interval=600, timeout=8 * 3600, mode="reschedule")
    def wait_outside_nightly_window() -> bool:
        """The nightly load has the warehouse between 01:00 and 06:00 Vietnam time: wait it out."""
        from child_warehouse import settings
        from child_warehouse.operations.backfill import in_pause

        return not in_pause(dt.datetime.now(dt.UTC), settings.backfill_pause())

    @task
    def discover_history(run_id: str | None = None, params: dict | None = None) -> list[str]:
        from child_warehouse.operations.backfill import discover_history
        from child_warehouse.orchestration.roles import stage_role

        first = params["year_from"]
        with stage_role("loader"):
            return discover_history(run_id, first, params.get("year_to") or first, params.get("history_root"))

    @task(trigger_rule="all_done")
    def report_progress(params: dict | None = None) -> int:
        """Logs one line per period of the years backfilled: files, accepted, rejected, rows."""
        from child_warehouse.operations.backfill import progress, progress_table
        from child_warehouse.orchestration.roles import stage_role

        first = params["year_from"]
        with stage_role("loader"):
            rows = progress(first, params.get("year_to") or first)
        print(progress_table(rows))  # noqa: T201 (the task log is where the engineer reads it)
        return len(rows)

    provinces = discover_history()
    wait_outside_nightly_window() >> provinces
    process_provinces(provinces, feedback=False).summary >> report_progress()


backfill_history()
