"""The stages every loading DAG shares, from per-province loading to the run summary.

`nightly_load` and `backfill_history` differ only in what they discover; from the provinces found
on, both wire the same tasks with the same ids through `process_provinces`.
"""

from __future__ import annotations

from airflow.sdk import task

from child_warehouse.orchestration import lineage
from child_warehouse.orchestration.assets import MARTS
from child_warehouse.orchestration.dbt import build_marts_task_group


@task(map_index_template="{{ task.op_kwargs['province_code'] }}")
def load_province(province_code: str, run_id: str | None = None) -> str:
    from child_warehouse.ingest.stage import load_province

    load_province(province_code, run_id)
    lineage.report_province_load(province_code, run_id)
    return province_code


@task(map_index_template="{{ task.op_kwargs['province_code'] }}")
def validate_province(province_code: str) -> str:
    from child_warehouse.validation.runner import validate_province

    validate_province(province_code)
    tables = [lineage.table_uri(t) for t in lineage.RAW_TABLE.values()]
    lineage.report(tables, [lineage.table_uri("dq.rule_results"), lineage.table_uri("dq.row_issues")])
    return province_code


@task(map_index_template="{{ task.op_kwargs['province_code'] }}")
def link_province(province_code: str, run_id: str | None = None) -> str:
    from child_warehouse.linkage.deterministic import link_province

    link_province(province_code, run_id)
    inputs = [lineage.table_uri("raw.child_records"), lineage.table_uri("register.persons")]
    lineage.report(inputs, [lineage.table_uri("links.child_links")])
    return province_code


@task(trigger_rule="all_done")
def link_unlinked_records(run_id: str | None = None) -> dict:
    """Probabilistic linkage once for the whole run (blocking is national), then pseudonyms."""
    from child_warehouse.linkage.nightly import link_unlinked_records

    outcome = link_unlinked_records(run_id)
    inputs = [lineage.table_uri("links.child_links"), lineage.table_uri("register.person_features")]
    lineage.report(inputs, [lineage.table_uri("links.child_links"), lineage.table_uri("links.review_queue")])
    return outcome


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
    """Marks the marts fresh for the DAGs and analysts that wait on them (and the 06:00 check)."""


@task(trigger_rule="all_done")
def record_run_summary(run_id: str | None = None) -> int:
    from child_warehouse.reporting.runs import record_run_summary

    return record_run_summary(run_id)


@task(trigger_rule="all_done")
def alert_needs_attention(ti=None, run_id: str | None = None) -> int:
    """A province with a rejected or unloaded file is a finding, not a failure: tell the engineers."""
    from child_warehouse.operations.alerts import alert_needs_attention

    return alert_needs_attention(ti.dag_id, run_id)


def process_provinces(provinces, *, feedback: bool = True):
    """Wire load → validate → link per province, national linkage, dbt marts, publish, summary."""
    validated = validate_province.expand(province_code=load_province.expand(province_code=provinces))
    linked = link_province.expand(province_code=validated)
    if feedback:
        validated >> write_feedback()
    marts = build_marts_task_group()
    summary = record_run_summary()
    linked >> link_unlinked_records() >> provinces_done() >> marts >> publish_marts() >> summary
    summary >> alert_needs_attention()
    return summary
