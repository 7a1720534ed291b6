"""The stages every loading DAG shares, from per-province loading to the run summary.

`nightly_load` and `backfill_history` differ only in what they discover; from the provinces found
on, both wire the same tasks with the same ids through `process_provinces`.
"""

from __future__ import annotations

import inspect
from typing import NamedTuple

from airflow.sdk import task

from child_warehouse.orchestration import lineage, summaries
from child_warehouse.orchestration.assets import MARTS
from child_warehouse.orchestration.dbt import build_marts_task
from child_warehouse.orchestration.roles import stage_role


@task(map_index_template="{{ task.op_kwargs['province_code'] }}")
def load_and_validate_province(province_code: str, run_id: str | None = None) -> str:
    """Loads, then validates, the province's pending files.

    Load: reads each file (CSV, XLSX or JSON; UTF-8, TCVN3 or VNI), checks it is safe and fits the
    contract, and copies its rows into `raw.*` in one transaction per file; a refused file gets its
    reason in the ledger and the feedback workbook, the others go on. Validate: runs the Great
    Expectations suite of each loaded file's type and stores every rule's result and flagged row
    (`dq.*`); the file's verdict (accepted, accepted with warnings, rejected) follows from the rules'
    severities; the province's Data Docs site is rebuilt under the Data Docs folder. A file loaded
    but not validated (a task killed between the two) is validated by the next try or night.

    One task for both, not two: every task costs its process, its supervisor and the scheduler's
    round trips. On two cores the sample's night's 64 province folders took about 12 s longer as two
    tasks each (2026-12-06, from the end of discovery to the last province's end: about 45 s
    instead of 33 s). For the same reason a pre-reform province's files (its old code's folder) are
    this task's work for the province it merged into (`util.province_now`), not a task of their own:
    the sample's history made 30 more tasks of about one file each."""
    from child_warehouse.ingest.stage import load_province
    from child_warehouse.validation.runner import validate_province

    with stage_role("loader"):
        load_province(province_code, run_id)
        lineage.report_province_load(province_code, run_id)
        validate_province(province_code, run_id=run_id)
    tables = [lineage.table_uri(t) for t in lineage.RAW_TABLE.values()]
    lineage.report(tables, [lineage.table_uri("dq.rule_results"), lineage.table_uri("dq.row_issues")])
    return province_code


@task(trigger_rule="all_done")
def refresh_statistics() -> list[str]:
    """Once every province's tasks have ended: analyses each raw table a file was loaded into
    tonight, however small its share, so that linkage and dbt plan their queries for the night's
    submissions (autovacuum waits until a tenth of a table has changed). As the loader, which owns
    the raw tables; about half a second per table."""
    from child_warehouse.validation.runner import refresh_raw_statistics

    with stage_role("loader"):
        return refresh_raw_statistics()


@task(trigger_rule="all_done")
def link_by_id(run_id: str | None = None) -> dict:
    """Links every province's newly accepted child records to the register by the 12-digit personal ID
    where it is well formed, in the register, and the person's sex and birth date agree (day and
    month swapped allowed), in one statement for the night; the rest are flagged and wait for
    `link_unlinked_records`. Then analyses links.child_links, so the next steps plan with the night's
    links. Runs once every province's validation has ended, however it ended; its log has one summary
    line per province."""
    from child_warehouse.linkage.deterministic import link_pending
    from child_warehouse.linkage.nightly import log_summary

    with stage_role("linker"):
        outcome = link_pending(run_id)
        log_summary(run_id, by_id=True)
    inputs = [lineage.table_uri("raw.child_records"), lineage.table_uri("register.persons")]
    lineage.report(inputs, [lineage.table_uri("links.child_links")])
    return outcome


@task(trigger_rule="all_done")
def link_unlinked_records(run_id: str | None = None) -> dict:
    """Probabilistic linkage once for the whole run (blocking is national), then pseudonyms."""
    from child_warehouse.linkage.nightly import link_unlinked_records, log_summary

    with stage_role("linker"):
        outcome = link_unlinked_records(run_id)
        log_summary(run_id)
    inputs = [lineage.table_uri("links.child_links"), lineage.table_uri("register.person_features")]
    lineage.report(inputs, [lineage.table_uri("links.child_links"), lineage.table_uri("links.review_queue")])
    return outcome


@task(trigger_rule="all_done")
def write_feedback(run_id: str | None = None) -> int:
    """One workbook per province and period processed (and any an earlier run died before writing):
    verdicts and flagged rows, VI + EN."""
    from child_warehouse.feedback.report import write_feedback_for_run

    with stage_role("loader"):
        written = write_feedback_for_run(run_id)
    summaries.log.info("Summary: feedback: %d workbook(s) written", len(written))
    return len(written)


@task(outlets=[MARTS])
def publish_marts() -> None:
    """Marks the marts fresh for the DAGs and analysts that wait on them (and the 06:00 check)."""


@task(trigger_rule="all_done")
def record_run_summary(run_id: str | None = None) -> int:
    """Writes the run's summary, one row per province in `ops.province_runs` (files by status, rows,
    links); `report last-run` prints it."""
    from child_warehouse.reporting.runs import record_run_summary

    with stage_role("loader"):
        recorded = record_run_summary(run_id)
    summaries.log.info("Summary: run %s: %d province row(s) in ops.province_runs", run_id, recorded)
    return recorded


@task(trigger_rule="all_done")
def alert_needs_attention(ti=None, run_id: str | None = None) -> int:
    """A province with a rejected or unloaded file is a finding, not a failure: tell the engineers."""
    from child_warehouse.operations.alerts import alert_needs_attention

    with stage_role("loader"):
        return alert_needs_attention(ti.dag_id, run_id)


class Wired(NamedTuple):
    published: object  # publish_marts
    summary: object  # record_run_summary
    feedback: object | None  # write_feedback, whose sign-off decisions the publication reads


def _documented(mapped_task):
    """A mapped task with its docstring as its UI documentation (Airflow does that for plain tasks only)."""
    return mapped_task.override(doc_md=inspect.cleandoc(mapped_task.function.__doc__))


def process_provinces(provinces, *, feedback: bool = True, after=None):
    """Wire load and validate per province, linkage, dbt marts, publish, summary (all after
    `after`, when given). Returns the tasks later ones hang on: the marts' publishing, the run
    summary and the feedback (None without feedback)."""
    validated = _documented(load_and_validate_province).expand(province_code=provinces)
    if after is not None:
        after >> validated
    linked = validated >> refresh_statistics() >> link_by_id()
    written = None
    if feedback:
        written = write_feedback()
        validated >> written
    marts = build_marts_task()
    summary = record_run_summary()
    published = publish_marts()
    linked >> link_unlinked_records() >> marts >> published >> summary
    summary >> alert_needs_attention()
    return Wired(published, summary, written)
