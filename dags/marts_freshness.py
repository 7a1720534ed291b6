"""Marts freshness: at 06:00 Asia/Ho_Chi_Minh, alert when last night's marts were not published.

Reads the `child_warehouse_marts` Asset's latest event; when it is older than the night's 01:30
start, posts a deadline alert to CHILD_WAREHOUSE_ALERT_WEBHOOK with the last publication time and
the run ledger's latest run. A stale mart is a finding, not a failed task.
"""

from __future__ import annotations

from airflow.sdk import dag, task
from airflow.timetables.trigger import CronTriggerTimetable

from child_warehouse import settings
from child_warehouse.operations.freshness import deadline_cron
from child_warehouse.orchestration.assets import MARTS
from child_warehouse.orchestration.defaults import START_DATE, default_args


@dag(
    dag_id="marts_freshness",
    schedule=CronTriggerTimetable(deadline_cron(), timezone=settings.TIMEZONE),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=default_args(),
    tags=["monitoring", "deadline", "alerts"],
    doc_md=__doc__,
)
def marts_freshness():
    @task(inlets=[MARTS])
    def check_marts_fresh(inlet_events=None, logical_date=None, run_id: str | None = None) -> dict:
        from child_warehouse.operations.freshness import check
        from child_warehouse.orchestration.roles import stage_role

        events = inlet_events[MARTS]
        last = events[-1].timestamp if len(events) else None
        with stage_role("loader"):
            return check(last, logical_date, run_id)

    check_marts_fresh()


marts_freshness()
