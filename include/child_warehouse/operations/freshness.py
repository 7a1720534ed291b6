"""The 06:00 deadline: are the marts fresh from last night's run when the analysts arrive?

Fresh means the `child_warehouse_marts` Asset was published (by `nightly_load` or a backfill) since
the night's scheduled start (01:30 Asia/Ho_Chi_Minh before the deadline). The `marts_freshness`
DAG checks it at the deadline and, when stale, posts a deadline alert to the same webhook as task
failures, with the last publication and what the run ledger says about the latest run.
"""

from __future__ import annotations

import datetime as dt
import logging

import pendulum

from child_warehouse import settings
from child_warehouse.operations import alerts

log = logging.getLogger(__name__)

NIGHT_STARTS_AT = dt.time(1, 30)  # nightly_load's CronTriggerTimetable("30 1 * * *")
DAG_ID, TASK_ID = "marts_freshness", "check_marts_fresh"


def deadline_cron() -> str:
    """The cron expression of the deadline (CHILD_WAREHOUSE_MARTS_DEADLINE, HH:MM Vietnam time)."""
    hours, minutes = settings.marts_deadline().split(":")
    return f"{int(minutes)} {int(hours)} * * *"


def night_start(deadline: dt.datetime) -> pendulum.DateTime:
    """The scheduled start of the night a deadline belongs to: the last 01:30 before it, Vietnam time."""
    local = pendulum.instance(deadline).in_timezone(settings.TIMEZONE)
    start = local.replace(hour=NIGHT_STARTS_AT.hour, minute=NIGHT_STARTS_AT.minute, second=0, microsecond=0)
    return start if start <= local else start.subtract(days=1)


def is_fresh(last_published: dt.datetime | None, deadline: dt.datetime) -> bool:
    return last_published is not None and last_published >= night_start(deadline)


def latest_run_line(url: str | None = None) -> str:
    """What the run ledger says about the latest run, in one line (or why it cannot say)."""
    from child_warehouse.db.connection import transaction

    try:
        with transaction(url) as conn, conn.cursor() as cur:
            cur.execute(
                """select run_id, max(finished_at), count(*) filter (where outcome <> 'ok')
                   from ops.province_runs group by run_id order by max(finished_at) desc nulls last limit 1"""
            )
            row = cur.fetchone()
    except Exception as error:  # the alert must go out even when the warehouse is the problem
        return f"run ledger unreadable: {str(error).strip().splitlines()[0]}"
    if not row:
        return "no run in the ledger yet"
    run_id, finished, attention = row
    when = _local(finished) if finished else "not finished"
    return f"latest run {run_id} finished {when}, {attention} province(s) need attention"


def _local(moment: dt.datetime) -> str:
    return pendulum.instance(moment).in_timezone(settings.TIMEZONE).format("YYYY-MM-DD HH:mm")


def deadline_message(last_published: dt.datetime | None, deadline: dt.datetime, run_id: str | None) -> dict:
    last = _local(last_published) if last_published else "never"
    reason = (
        f"marts not fresh by {settings.marts_deadline()} {settings.TIMEZONE}: last published {last}; "
        f"{latest_run_line()}"
    )
    return {
        "kind": "deadline",
        "dag_id": DAG_ID,
        "task_id": TASK_ID,
        "province": None,
        "run_id": run_id,
        "try_number": None,
        "reason": reason,
        "text": f"[child-warehouse] dữ liệu chưa cập nhật / {reason}",
    }


def check(last_published: dt.datetime | None, deadline: dt.datetime | None, run_id: str | None) -> dict:
    """Alert when stale; returns what was found (the task's XCom)."""
    deadline = deadline or dt.datetime.now(dt.UTC)
    fresh = is_fresh(last_published, deadline)
    found = {
        "fresh": fresh,
        "night_start": night_start(deadline).isoformat(),
        "last_published": last_published.isoformat() if last_published else None,
    }
    if not fresh:
        message = deadline_message(last_published, deadline, run_id)
        log.error("%s", message["text"])
        found["alerted"] = alerts.send(message)
    return found
