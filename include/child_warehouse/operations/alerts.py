"""Failure alerts: a JSON message to the webhook in CHILD_WAREHOUSE_ALERT_WEBHOOK (e.g. a chat room).

An alert names the DAG, the task, the province (the mapped task's index) and the first line of the
reason. Sending never raises: an alert that cannot be delivered is logged, and the task's own
failure stands.
"""

from __future__ import annotations

import json
import logging
import urllib.request

from child_warehouse import ledger, settings

log = logging.getLogger(__name__)
TIMEOUT_S = 10


def failure_message(context: dict) -> dict:
    ti = context.get("task_instance") or context.get("ti")
    error = context.get("exception")
    reason = str(error).strip().splitlines()[0] if error and str(error).strip() else type(error).__name__
    province = getattr(ti, "rendered_map_index", None) or None
    dag_id, task_id = getattr(ti, "dag_id", "?"), getattr(ti, "task_id", "?")
    where = f" (tỉnh/province {province})" if province else ""
    return {
        "dag_id": dag_id,
        "task_id": task_id,
        "province": province,
        "run_id": context.get("run_id"),
        "try_number": getattr(ti, "try_number", None),
        "reason": reason,
        "text": f"[child-warehouse] {dag_id}.{task_id}{where} thất bại / failed: {reason}",
    }


def send(message: dict, url: str | None = None) -> bool:
    """POST the message; True when the receiver accepted it."""
    target = url or settings.alert_webhook_url()
    if not target:
        return False
    if not target.startswith(("http://", "https://")):
        log.error("alert webhook must be an http(s) URL, not %s", target.split(":", 1)[0])
        return False
    request = urllib.request.Request(  # noqa: S310 (only http(s) gets here)
        target,
        data=json.dumps(message, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:  # noqa: S310 (http(s) only)
            return 200 <= response.status < 300
    except OSError as error:
        log.error("alert not delivered to the webhook: %s", error)
        return False


ATTENTION_SQL = """
select pr.province_code, pr.files_rejected, pr.files_found,
       (select s.file_name || ': ' || coalesce(s.reason_en, s.status)
        from ledger.submissions as s
        where s.processed_run_id = pr.run_id and s.province_code = pr.province_code
          and s.status = any(%s)
        order by s.submission_id limit 1) as first_reason
from ops.province_runs as pr
where pr.run_id = %s and pr.outcome <> 'ok'
order by pr.province_code
"""


def attention_messages(dag_id: str, run_id: str, url: str | None = None) -> list[dict]:
    """One alert per province whose files this run did not all accept, with the first reason."""
    from child_warehouse.db.connection import transaction

    with transaction(url) as conn, conn.cursor() as cur:
        cur.execute(ATTENTION_SQL, (sorted(ledger.NEEDS_ATTENTION), run_id))
        rows = cur.fetchall()
    return [
        {
            "kind": "needs_attention",
            "dag_id": dag_id,
            "task_id": "alert_needs_attention",
            "province": province,
            "run_id": run_id,
            "try_number": None,
            "reason": reason or f"{rejected} of {found} file(s) not accepted",
            "text": f"[child-warehouse] {dag_id} (tỉnh/province {province}) cần xử lý / needs attention: "
            f"{rejected} of {found} file(s) rejected; {reason or 'see the ledger'}",
        }
        for province, rejected, found, reason in rows
    ]


def alert_needs_attention(dag_id: str, run_id: str, url: str | None = None) -> int:
    """Send the run's needs-attention alerts; returns how many provinces need attention."""
    messages = attention_messages(dag_id, run_id, url)
    for message in messages:
        log.warning("%s", message["text"])
        send(message)
    return len(messages)
