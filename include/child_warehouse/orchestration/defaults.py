"""Default task arguments every DAG uses, so retries, owners and alerts are the same everywhere."""

from __future__ import annotations

import datetime as dt
import logging

import pendulum

from child_warehouse import settings

log = logging.getLogger(__name__)

OWNER = "data-engineering"
# Nights may be run for any date the warehouse holds data for (history goes back to 2018); a run whose
# logical date is before a DAG's start date runs no task at all. catchup=False everywhere, so an
# early start date adds no scheduled run.
START_DATE = pendulum.datetime(2018, 1, 1, tz=settings.TIMEZONE)


def notify_failure(context: dict) -> None:
    """Log the failure and send it to the alert webhook (CHILD_WAREHOUSE_ALERT_WEBHOOK) when set."""
    from child_warehouse.operations import alerts

    message = alerts.failure_message(context)
    log.error("%s", message["text"])
    alerts.send(message)


def start_task(context: dict) -> None:
    """As a task starts: library noise held at WARNING in its log, and its OpenLineage events name
    only its own inputs and outputs (Airflow's hook-lineage collector is emptied)."""
    from child_warehouse.orchestration.lineage import forget_collected
    from child_warehouse.orchestration.summaries import quiet_libraries

    quiet_libraries()
    forget_collected()


def default_args() -> dict:
    return {
        "owner": OWNER,
        "retries": 2,
        "retry_delay": dt.timedelta(seconds=settings.task_retry_delay_seconds()),
        "retry_exponential_backoff": True,
        "max_retry_delay": dt.timedelta(minutes=20),
        "on_failure_callback": notify_failure,
        "on_execute_callback": start_task,
    }
