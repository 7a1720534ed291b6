"""Default task arguments every DAG uses, so retries, owners and alerts are the same everywhere."""

from __future__ import annotations

import datetime as dt
import logging

import pendulum

from child_warehouse import settings

log = logging.getLogger(__name__)

OWNER = "data-engineering"
START_DATE = pendulum.datetime(2026, 1, 1, tz=settings.TIMEZONE)


def notify_failure(context: dict) -> None:
    """Name the DAG, task, province (map index) and the first line of the reason in the task log.

    Delivery to a webhook or mail is configured by CHILD_WAREHOUSE_ALERT_WEBHOOK (operations issue).
    """
    ti = context.get("task_instance")
    error = context.get("exception")
    first_line = str(error).splitlines()[0] if error else "unknown error"
    log.error(
        "FAILED dag=%s task=%s map_index=%s: %s",
        getattr(ti, "dag_id", "?"),
        getattr(ti, "task_id", "?"),
        getattr(ti, "map_index", "?"),
        first_line,
    )


def default_args() -> dict:
    return {
        "owner": OWNER,
        "retries": 2,
        "retry_delay": dt.timedelta(minutes=2),
        "retry_exponential_backoff": True,
        "max_retry_delay": dt.timedelta(minutes=20),
        "on_failure_callback": notify_failure,
    }
