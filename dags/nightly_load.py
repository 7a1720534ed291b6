"""Nightly load: new provincial submissions → raw → validated → linked → dbt marts → run summary."""

from __future__ import annotations

from airflow.sdk import Param, dag, task
from airflow.timetables.trigger import CronTriggerTimetable

from child_warehouse import settings
from child_warehouse.orchestration.defaults import START_DATE, default_args
from child_warehouse.orchestration.stages import process_provinces


@dag(
    dag_id="nightly_load",
    schedule=CronTriggerTimetable("30 1 * * *", timezone=settings.TIMEZONE),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=default_args(),
    tags=["nightly", "ingest", "validation", "linkage", "dbt"],
    doc_md=__doc__,
    params={
        "province_code": Param(
            None,
            type=["null", "string"],
            pattern=r"^\d{2}$",
            description="Reprocess this province alone (leave empty for a normal night)",
        ),
        "period_from": Param(
            None, type=["null", "string"], description="First period to reprocess, e.g. 2026-Q3"
        ),
        "period_to": Param(
            None, type=["null", "string"], description="Last period (empty: only period_from)"
        ),
        "dry_run": Param(False, type="boolean", description="List what would be reprocessed; change nothing"),
    },
)
def nightly_load():
    @task
    def discover_submissions(run_id: str | None = None, params: dict | None = None) -> list[str]:
        from child_warehouse.operations.reprocess import provinces_for_run
        from child_warehouse.sources.discover import discover_submissions

        return provinces_for_run(discover_submissions(run_id), params or {})

    process_provinces(discover_submissions())


nightly_load()
