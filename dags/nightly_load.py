"""Nightly load: new provincial submissions → raw → validated → linked → dbt marts → run summary."""

from __future__ import annotations

from airflow.sdk import Asset, Param, dag, task
from airflow.timetables.trigger import CronTriggerTimetable

from child_warehouse import settings
from child_warehouse.orchestration.dbt import build_marts_task_group
from child_warehouse.orchestration.defaults import START_DATE, default_args

MARTS = Asset(name="child_warehouse_marts", group="child_warehouse")


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

    @task(map_index_template="{{ task.op_kwargs['province_code'] }}")
    def load_province(province_code: str, run_id: str | None = None) -> str:
        from child_warehouse.ingest.stage import load_province

        load_province(province_code, run_id)
        return province_code

    @task(map_index_template="{{ task.op_kwargs['province_code'] }}")
    def validate_province(province_code: str) -> str:
        from child_warehouse.validation.runner import validate_province

        validate_province(province_code)
        return province_code

    @task(map_index_template="{{ task.op_kwargs['province_code'] }}")
    def link_province(province_code: str, run_id: str | None = None) -> str:
        from child_warehouse.linkage.deterministic import link_province

        link_province(province_code, run_id)
        return province_code

    @task(trigger_rule="all_done")
    def link_unlinked_records(run_id: str | None = None) -> dict:
        """Probabilistic linkage once for the whole night (blocking is national), then pseudonyms."""
        from child_warehouse.linkage.nightly import link_unlinked_records

        return link_unlinked_records(run_id)

    @task(trigger_rule="all_done")
    def write_feedback(run_id: str | None = None) -> int:
        """One workbook per province and period processed: verdicts and flagged rows, VI + EN."""
        from child_warehouse.feedback.report import write_feedback_for_run

        return len(write_feedback_for_run(run_id))

    @task(trigger_rule="all_done")
    def provinces_done() -> None:
        """The marts are built from whatever was accepted, even when one province's tasks failed."""

    @task(outlets=[MARTS])
    def publish_marts() -> None:
        """Marks the marts fresh for the DAGs and analysts that wait on them."""

    @task(trigger_rule="all_done")
    def record_run_summary(run_id: str | None = None) -> int:
        from child_warehouse.reporting.runs import record_run_summary

        return record_run_summary(run_id)

    provinces = discover_submissions()
    validated = validate_province.expand(province_code=load_province.expand(province_code=provinces))
    linked = link_province.expand(province_code=validated)
    validated >> write_feedback()
    marts = build_marts_task_group()
    linked >> link_unlinked_records() >> provinces_done() >> marts >> publish_marts() >> record_run_summary()


nightly_load()
