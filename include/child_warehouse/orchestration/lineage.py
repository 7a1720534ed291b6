"""OpenLineage for the project's own tasks: the files and tables each one read and wrote.

Airflow's OpenLineage listener (apache-airflow-providers-openlineage) sends a START and a COMPLETE
event per task; for Python tasks it takes their inputs and outputs from the hook-lineage collector,
which these helpers fill. dbt's tasks get theirs from Cosmos. Where the events go is set by
`lineage_transport()`: a JSON-lines file under the local folder, or an HTTP backend
(CHILD_WAREHOUSE_LINEAGE_URL, e.g. Marquez). Reporting lineage never fails a task.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable

from child_warehouse import settings
from child_warehouse.contract.columns import SUBMISSION_TYPES

log = logging.getLogger(__name__)

RAW_TABLE = {submission_type: f"raw.{submission_type}" for submission_type in SUBMISSION_TYPES}


def lineage_transport() -> dict:
    """The OpenLineage transport Airflow's listener uses (AIRFLOW__OPENLINEAGE__TRANSPORT)."""
    url = settings.lineage_url()
    if url:
        return {"type": "http", "url": url, "endpoint": "api/v1/lineage"}
    path = settings.lineage_dir() / "events.jsonl"
    return {"type": "file", "log_file_path": str(path), "append": True}


def airflow_lineage_settings() -> dict[str, str]:
    """Environment for Airflow's OpenLineage provider; the folder of the file transport is created."""
    if settings.lineage_disabled():
        return {"AIRFLOW__OPENLINEAGE__DISABLED": "True"}
    transport = lineage_transport()
    if transport["type"] == "file":
        settings.lineage_dir().mkdir(parents=True, exist_ok=True)
    return {
        "AIRFLOW__OPENLINEAGE__TRANSPORT": json.dumps(transport),
        "AIRFLOW__OPENLINEAGE__NAMESPACE": settings.lineage_namespace(),
    }


def table_uri(qualified: str) -> str:
    """`schema.table` as the Asset URI OpenLineage names `postgres://host:port` + `db.schema.table`."""
    from child_warehouse.db.connection import warehouse_url

    parts = settings.split_db_url(warehouse_url())
    schema, table = qualified.split(".", 1)
    return f"postgres://{parts.host}:{parts.port}/{parts.dbname}/{schema}/{table}"


def report(inputs: Iterable[str], outputs: Iterable[str]) -> None:
    """Hand a task's inputs and outputs (Asset URIs) to Airflow's hook-lineage collector."""
    try:
        from airflow.sdk.lineage import get_hook_lineage_collector

        collector = get_hook_lineage_collector()
        for uri in inputs:
            collector.add_input_asset(context=None, uri=uri)
        for uri in outputs:
            collector.add_output_asset(context=None, uri=uri)
    except Exception:  # lineage is an aid to engineers, never a reason for a task to fail
        log.warning("lineage not reported", exc_info=True)


def forget_collected() -> None:
    """Empty the process's hook-lineage collector (a new one is made when a task reports lineage)."""
    try:
        from airflow.sdk import lineage as sdk_lineage

        sdk_lineage.get_hook_lineage_collector.cache_clear()
    except (ImportError, AttributeError):
        log.debug("no hook-lineage collector to empty")


def files_processed(province_code: str, run_id: str, url: str | None = None) -> list[tuple[str, str]]:
    """(file URI, submission type) of the files a province's task loaded or refused in this run (its
    own and its pre-reform predecessors')."""
    from child_warehouse.db.connection import transaction

    with transaction(url) as conn, conn.cursor() as cur:
        cur.execute(
            """select file_uri, submission_type from ledger.submissions
               where util.province_now(province_code, period) = %s and processed_run_id = %s
                 and submission_type is not null
               order by submission_id""",
            (province_code, run_id),
        )
        return cur.fetchall()


def report_province_load(province_code: str, run_id: str) -> None:
    """The load stage read the landing files and wrote their raw tables."""
    try:
        files = files_processed(province_code, run_id)
    except Exception:
        log.warning("lineage not reported", exc_info=True)
        return
    types = sorted({t for _, t in files if t in RAW_TABLE})
    report([uri for uri, _ in files], [table_uri(RAW_TABLE[t]) for t in types])
