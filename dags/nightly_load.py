"""
# Nightly load / Tải dữ liệu hằng đêm

Runs at **01:30 Vietnam time** (Asia/Ho_Chi_Minh) every night; the UI shows times in your browser's
timezone, so pick *Asia/Ho_Chi_Minh* in the user menu if yours differs.

**Reads** every file the 34 provinces put in the landing zone
(`<province>/<period>/<type>.<csv|xlsx|json>`, submission contract §1), the national register
extract (`register.persons`) and the saved linkage model.
**Writes** the file ledger (`ledger.submissions`), raw rows (`raw.*`), rule results and flagged
rows (`dq.*`), links and the review queue (`links.*`), the dbt models (`staging`, `intermediate`,
`core`, `marts`), one feedback workbook per province and period (`feedback/<province>/<period>/`),
and the run summary (`ops.province_runs`). Publishes the `child_warehouse_marts` Asset that the
06:00 freshness check reads.

**Flow**: `discover_submissions` → per province of today (map index = province code; a pre-reform
province's files are loaded by the task of the province it merged into in July 2025)
`load_and_validate_province`, then for the whole country `refresh_statistics` (the raw tables analysed) →
`link_by_id` (one statement) →
`link_unlinked_records` (probabilistic) →
`build_marts` (one `dbt build`) → `publish_marts` → `record_run_summary` → `alert_needs_attention`,
and, once `publish_marts` and `write_feedback` are done, `suggest_publication` →
`suggest_publish_period`: periods ready to publish (every province signed off, or the deadline
passed) get one `publish_period` run that waits for a national reviewer.
A province whose file is refused or whose task fails does not stop the others; the marts are built
from what was accepted. Every task's log ends with a `Summary:` line of counts.

**Rerun**: a failed night is finished by running it again (Trigger, no parameters): every stage
picks up the files the ledger shows it has not finished. To reload one province's periods, trigger
with `province_code` and `period_from` (and `period_to`); tick `dry_run` first to see the plan in
`discover_submissions`' log: a dry run changes nothing (no load, linkage, dbt or Asset event).
From a shell: `child-warehouse night`, `child-warehouse reprocess --province 79 --period 2026-Q3`.

**Feedback** to provinces: workbooks under the feedback folder, one per province and period,
reasons in Vietnamese and English. Engineers: alerts go to `CHILD_WAREHOUSE_ALERT_WEBHOOK`;
runbook in `docs/operations.md`.
"""

from __future__ import annotations

from airflow.providers.standard.operators.trigger_dagrun import TriggerDagRunOperator
from airflow.sdk import Param, dag, task
from airflow.timetables.trigger import CronTriggerTimetable

from child_warehouse import settings
from child_warehouse.orchestration.defaults import START_DATE, default_args
from child_warehouse.orchestration.publication import suggest_publication
from child_warehouse.orchestration.stages import process_provinces

DISCOVER_DOC = """Scans the landing zone and records every file not seen before in the ledger (by content
hash; a resubmission becomes the next version). Files whose path breaks the contract are refused here
with a reason. Returns the provinces with files to load; its log lists them per province. With
`province_code`, sets that province's periods back to pending first (the plan is in the log); with
`dry_run`, records nothing and only logs what a run would do."""


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
    @task(doc_md=DISCOVER_DOC)
    def discover_submissions(run_id: str | None = None, params: dict | None = None) -> list[str]:
        from child_warehouse.operations.reprocess import provinces_for_run
        from child_warehouse.orchestration.roles import stage_role
        from child_warehouse.sources.discover import discover_submissions

        params = params or {}
        with stage_role("loader"):
            found = discover_submissions(run_id, dry_run=bool(params.get("dry_run")))
            return provinces_for_run(found, params)

    @task.short_circuit(doc_md="A dry run stops here: every later task is skipped, nothing is changed.")
    def stop_if_dry_run(params: dict | None = None) -> bool:
        return not (params or {}).get("dry_run")

    provinces = discover_submissions()
    gate = stop_if_dry_run()
    provinces >> gate
    wired = process_provinces(provinces, after=gate)
    suggestions = suggest_publication()
    # once the marts are published and the night's sign-offs decided; beside the run summary
    [wired.published, wired.feedback] >> suggestions
    TriggerDagRunOperator.partial(
        task_id="suggest_publish_period",
        trigger_dag_id="publish_period",
        skip_when_already_exists=True,
        doc_md="Creates the suggested publish_period run, which waits in Required Actions for a reviewer.",
    ).expand_kwargs(suggestions)


nightly_load()
