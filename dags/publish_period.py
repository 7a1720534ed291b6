"""
# Publish a period / Công bố số liệu

Run on demand (Trigger, with `periods`), or suggested by `nightly_load` when every province of a
period has signed off or its deadline has passed. Nothing is published without a person: the
`national_sign_off` task waits in **Required Actions** (Browse → Required Actions, or the run's task)
showing what would be published: provinces signed off and not, the files' verdicts and flagged rows,
and the largest changes against the last release.

**Publish** makes the next release: an immutable snapshot of the analyst marts for the periods, with
its number and date; figures that differ from a period's previous release are recorded as revisions
(resubmission, boundary change, reprocess). Analysts read it in the `published` schema. Then the
national report (HTML and PDF) is written. **Reject** records the reason (the `note` field) and
publishes nothing. Either way the reviewer's identity and decision are kept in `release.decisions`.

If a night changed the marts after the reviewer was shown them, nothing is published and
`act_on_decision` fails saying so: trigger the DAG again to review the current figures. If the
request comes back within seconds of an answer, answer again: Airflow 3.3 can drop an answer given
within moments of the task pausing, and the task then asks again (retry after 10 s).

**Writes**: `release.*` (append-only), the `published` views, the report under
`CHILD_WAREHOUSE_REPORTS_ROOT/release-<n>/`. **Role**: `cw_publisher` (docs/security.md).
Runbook: docs/operations.md, "Publishing a release".
"""

from __future__ import annotations

import datetime as dt

from airflow.providers.standard.operators.hitl import HITLOperator
from airflow.sdk import Param, dag

from child_warehouse.orchestration.defaults import START_DATE, default_args
from child_warehouse.orchestration.publication import (
    APPROVE,
    REJECT,
    act_on_decision,
    assemble_candidate,
    write_national_report,
)

SIGN_OFF_DOC = """Waits for a national reviewer in Required Actions: Publish or Reject, with a note
(required in practice for a rejection: it is what the department records as the reason)."""


@dag(
    dag_id="publish_period",
    schedule=None,
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=default_args(),
    tags=["publication", "release"],
    doc_md=__doc__,
    params={
        "periods": Param(
            None,
            type=["null", "array"],
            items={"type": "string", "pattern": r"^\d{4}-(M(0[1-9]|1[0-2])|Q[1-4]|H1|9M|Y)$"},
            description='Periods to publish together, e.g. ["2026-Q3", "2026-M10", "2026-9M"]',
        ),
    },
)
def publish_period():
    candidate = assemble_candidate()
    decision = HITLOperator(
        task_id="national_sign_off",
        doc_md=SIGN_OFF_DOC,
        subject="Công bố số liệu / Publish: {{ params.periods | join(', ') }}",
        body="{{ ti.xcom_pull(task_ids='assemble_candidate')['markdown'] }}",
        options=[APPROVE, REJECT],
        params={"note": Param("", type="string", description="Ghi chú hoặc lý do từ chối / Note or reason")},
        # A retry asks again (Airflow 3.3 can drop an answer given within moments of the task pausing:
        # orchestration/publish_run.py); asking again soon matters more than backing off.
        # The race struck three attempts in a row once under CI load, so more retries than the default.
        retries=6,
        retry_delay=dt.timedelta(seconds=10),
        retry_exponential_backoff=False,
    )
    candidate >> decision
    outcome = act_on_decision(candidate, decision.output)
    write_national_report(outcome)


publish_period()
