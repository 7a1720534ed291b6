"""The one place that reads the environment: every setting, its default and its meaning."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

PROJECT_ROOT = Path(__file__).resolve().parents[2]
TIMEZONE = "Asia/Ho_Chi_Minh"


@dataclass(frozen=True)
class DatabaseParts:
    """A PostgreSQL URL split into the pieces dbt profiles and libpq tools want."""

    host: str
    port: int
    user: str
    password: str
    dbname: str


def _env(name: str, default: str) -> str:
    value = os.environ.get(name, "").strip()
    return value or default


def local_dir() -> Path:
    """Project-local, git-ignored folder for the embedded cluster, Airflow metadata and samples."""
    return Path(_env("CHILD_WAREHOUSE_LOCAL_DIR", str(PROJECT_ROOT / ".local")))


def external_db_url() -> str | None:
    """CHILD_WAREHOUSE_DB_URL: when set, everything uses this server and nothing is started."""
    return os.environ.get("CHILD_WAREHOUSE_DB_URL", "").strip() or None


STAGE_DB_URLS = {
    "loader": "CHILD_WAREHOUSE_LOADER_DB_URL",
    "linker": "CHILD_WAREHOUSE_LINKER_DB_URL",
    "registrar": "CHILD_WAREHOUSE_REGISTRAR_DB_URL",
    "transformer": "CHILD_WAREHOUSE_TRANSFORMER_DB_URL",
    "publisher": "CHILD_WAREHOUSE_PUBLISHER_DB_URL",
}


def stage_db_url(group: str) -> str | None:
    """CHILD_WAREHOUSE_<GROUP>_DB_URL: the login a pipeline stage of that group connects as.
    Unset: derived from the warehouse URL (child_warehouse.db.roles)."""
    return os.environ.get(STAGE_DB_URLS[group], "").strip() or None


def embedded_port() -> int:
    return int(_env("CHILD_WAREHOUSE_PG_PORT", "55432"))


def embedded_dbname() -> str:
    return _env("CHILD_WAREHOUSE_DB_NAME", "child_warehouse")


def embedded_superuser() -> str:
    return "warehouse_admin"


def pg_bin_dir() -> Path | None:
    """Folder of initdb/pg_ctl; found on PATH or in Debian's layout when unset."""
    value = os.environ.get("CHILD_WAREHOUSE_PG_BIN", "").strip()
    return Path(value) if value else None


def landing_root() -> str:
    """CHILD_WAREHOUSE_LANDING_ROOT: where provinces' submissions land (folder or object-store URL)."""
    return _env("CHILD_WAREHOUSE_LANDING_ROOT", str(local_dir() / "landing"))


def reports_root() -> Path:
    """CHILD_WAREHOUSE_REPORTS_ROOT: where each release's national report is written."""
    return Path(_env("CHILD_WAREHOUSE_REPORTS_ROOT", str(local_dir() / "reports")))


def zone_info():
    """Vietnam's time zone, for dates as the department reads them."""
    from zoneinfo import ZoneInfo

    return ZoneInfo(TIMEZONE)


def feedback_root() -> Path:
    """CHILD_WAREHOUSE_FEEDBACK_ROOT: where each province's feedback workbooks are written."""
    return Path(_env("CHILD_WAREHOUSE_FEEDBACK_ROOT", str(local_dir() / "feedback")))


def data_docs_root() -> Path:
    """CHILD_WAREHOUSE_DATA_DOCS_DIR: Great Expectations Data Docs sites, one per province."""
    return Path(_env("CHILD_WAREHOUSE_DATA_DOCS_DIR", str(local_dir() / "data_docs")))


def data_docs_enabled() -> bool:
    """CHILD_WAREHOUSE_DATA_DOCS=off: validation results are stored, but no Data Docs site is written."""
    return _env("CHILD_WAREHOUSE_DATA_DOCS", "on").lower() not in {"off", "false", "0", "no"}


def dbt_project_dir() -> Path:
    return PROJECT_ROOT / "dbt_project"


def dbt_target_dir() -> Path:
    return Path(_env("CHILD_WAREHOUSE_DBT_TARGET_DIR", str(local_dir() / "dbt_target")))


def expectations_dir() -> Path:
    return PROJECT_ROOT / "expectations"


def pseudonym_key() -> str | None:
    """CHILD_WAREHOUSE_PSEUDONYM_KEY: secret for keyed-hash pseudonyms; kept outside the database."""
    return os.environ.get("CHILD_WAREHOUSE_PSEUDONYM_KEY", "").strip() or None


def settle_seconds() -> float:
    """CHILD_WAREHOUSE_SETTLE_SECONDS: a file must be unchanged this long before it is read (default 10)."""
    return float(_env("CHILD_WAREHOUSE_SETTLE_SECONDS", "10"))


def max_file_bytes() -> int:
    """CHILD_WAREHOUSE_MAX_FILE_BYTES: larger files are refused unread (default 2 GiB)."""
    return int(_env("CHILD_WAREHOUSE_MAX_FILE_BYTES", str(2 * 1024**3)))


def linkage_memory_limit() -> str:
    """DuckDB's memory limit for the probabilistic step (it spills to a temporary folder beyond it);
    without one DuckDB takes most of the machine's memory. A size such as 2GB or 768MiB. The default,
    with the records scored in slices (linkage_chunk_records), keeps the step's process under 1 GiB
    at 1M children against a 4M register (docs/linkage.md): Python, Splink and the COPY buffers take
    about 200 MiB beside DuckDB."""
    value = _env("CHILD_WAREHOUSE_LINKAGE_MEMORY", "768MiB")
    if not re.fullmatch(r"\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)", value):
        raise ValueError(f"CHILD_WAREHOUSE_LINKAGE_MEMORY must be a size such as 2GB, not {value!r}")
    return value


def linkage_chunk_records() -> int:
    """CHILD_WAREHOUSE_LINKAGE_CHUNK_RECORDS: at most this many records are scored at once in the
    probabilistic step against up to 1.25M register persons young enough to be a child (a 4M-person
    extract), proportionally fewer against more (Splink's chunked prediction, always at least two
    slices: probabilistic.chunks). Default 200000: a slice's candidate pairs fit the default memory
    limit at 1M children against a 4M register."""
    value = _env("CHILD_WAREHOUSE_LINKAGE_CHUNK_RECORDS", "200000")
    if not re.fullmatch(r"[0-9]+", value) or int(value) < 1:
        raise ValueError(f"CHILD_WAREHOUSE_LINKAGE_CHUNK_RECORDS must be a number over 0, not {value!r}")
    return int(value)


AIRFLOW_EXECUTORS = ("local", "celery")


def airflow_executor() -> str:
    """CHILD_WAREHOUSE_AIRFLOW_EXECUTOR: how the project's own Airflow runs tasks: `local` (the
    default: LocalExecutor, metadata in SQLite under .local/airflow) or `celery` (CeleryExecutor as in
    docker-compose.yaml: Redis, metadata in PostgreSQL, Celery workers; home .local/airflow-celery)."""
    value = _env("CHILD_WAREHOUSE_AIRFLOW_EXECUTOR", "local").lower()
    if value not in AIRFLOW_EXECUTORS:
        raise ValueError(
            f"CHILD_WAREHOUSE_AIRFLOW_EXECUTOR must be one of {AIRFLOW_EXECUTORS}, not {value!r}"
        )
    return value


def task_retry_delay_seconds() -> int:
    """CHILD_WAREHOUSE_TASK_RETRY_DELAY: seconds before a failed task's first retry (doubling after,
    up to 20 minutes); 120 unless set."""
    return int(_env("CHILD_WAREHOUSE_TASK_RETRY_DELAY", "120"))


def celery_workers() -> int:
    """CHILD_WAREHOUSE_CELERY_WORKERS: Celery workers the native Celery stack starts (two)."""
    return int(_env("CHILD_WAREHOUSE_CELERY_WORKERS", "2"))


def celery_concurrency() -> int:
    """CHILD_WAREHOUSE_CELERY_CONCURRENCY: task slots per native Celery worker (two: two workers on
    two cores run four tasks at once, as the LocalExecutor's parallelism does)."""
    return int(_env("CHILD_WAREHOUSE_CELERY_CONCURRENCY", "2"))


def celery_worker_name() -> str | None:
    """CHILD_WAREHOUSE_WORKER_NAME: set by the native Celery stack on each worker (worker-1, …), so
    task instances say which worker ran them; not set by hand."""
    return os.environ.get("CHILD_WAREHOUSE_WORKER_NAME", "").strip() or None


def celery_redis_port() -> int:
    """CHILD_WAREHOUSE_REDIS_PORT: the native Celery stack's Redis (another free port when taken)."""
    return int(_env("CHILD_WAREHOUSE_REDIS_PORT", "56379"))


LINKAGE_BACKENDS = ("duckdb", "spark")


def linkage_backend() -> str:
    """CHILD_WAREHOUSE_LINKAGE_BACKEND: what scores the probabilistic step, `duckdb` (the default:
    one process, bounded by CHILD_WAREHOUSE_LINKAGE_MEMORY) or `spark` (Splink's Spark backend, for
    when one machine is not enough; needs the `spark` extra and a Java runtime, docs/linkage.md)."""
    value = _env("CHILD_WAREHOUSE_LINKAGE_BACKEND", "duckdb").lower()
    if value not in LINKAGE_BACKENDS:
        raise ValueError(f"CHILD_WAREHOUSE_LINKAGE_BACKEND must be one of {LINKAGE_BACKENDS}, not {value!r}")
    return value


def spark_master() -> str:
    """CHILD_WAREHOUSE_SPARK_MASTER: where the Spark backend runs: `local[2]` (this machine, two
    cores) unless set, e.g. `spark://host:7077` or `yarn` for a cluster."""
    return _env("CHILD_WAREHOUSE_SPARK_MASTER", "local[2]")


def spark_driver_memory() -> str:
    """CHILD_WAREHOUSE_SPARK_DRIVER_MEMORY: the Spark driver's heap (in local mode, the whole step's)."""
    value = _env("CHILD_WAREHOUSE_SPARK_DRIVER_MEMORY", "2g")
    if not re.fullmatch(r"\d+[kmgt]?", value, re.IGNORECASE):
        raise ValueError(f"CHILD_WAREHOUSE_SPARK_DRIVER_MEMORY must be a JVM size such as 2g, not {value!r}")
    return value


def spark_partitions() -> int:
    """CHILD_WAREHOUSE_SPARK_PARTITIONS: shuffle partitions (Spark's default of 200 is for clusters;
    a few per core suits local mode)."""
    return int(_env("CHILD_WAREHOUSE_SPARK_PARTITIONS", "8"))


def reject_share_threshold() -> float:
    """Share of rows with errors above which a whole submission is rejected."""
    return float(_env("CHILD_WAREHOUSE_REJECT_SHARE", "0.2"))


def log_level() -> str:
    """CHILD_WAREHOUSE_LOG_LEVEL: how much the command-line tools print (Airflow has its own)."""
    return _env("CHILD_WAREHOUSE_LOG_LEVEL", "WARNING").upper()


def alert_webhook_url() -> str | None:
    """CHILD_WAREHOUSE_ALERT_WEBHOOK: http(s) URL that receives failure and deadline alerts."""
    return os.environ.get("CHILD_WAREHOUSE_ALERT_WEBHOOK", "").strip() or None


def marts_deadline() -> str:
    """CHILD_WAREHOUSE_MARTS_DEADLINE: HH:MM (Asia/Ho_Chi_Minh) by which the night's marts must be fresh."""
    return _env("CHILD_WAREHOUSE_MARTS_DEADLINE", "06:00")


def history_root() -> str:
    """CHILD_WAREHOUSE_HISTORY_ROOT: archive of past submissions for backfills (landing layout)."""
    return _env("CHILD_WAREHOUSE_HISTORY_ROOT", str(local_dir() / "history"))


def backfill_pause() -> str | None:
    """CHILD_WAREHOUSE_BACKFILL_PAUSE: HH:MM-HH:MM (Vietnam time) when backfills wait; `off`: never."""
    value = _env("CHILD_WAREHOUSE_BACKFILL_PAUSE", "01:00-06:00")
    return None if value.lower() in {"off", "none", "no"} else value


def lineage_url() -> str | None:
    """CHILD_WAREHOUSE_LINEAGE_URL: OpenLineage HTTP backend (e.g. Marquez); unset: events go to a file."""
    return os.environ.get("CHILD_WAREHOUSE_LINEAGE_URL", "").strip() or None


def lineage_dir() -> Path:
    """CHILD_WAREHOUSE_LINEAGE_DIR: folder of the OpenLineage events file (events.jsonl)."""
    return Path(_env("CHILD_WAREHOUSE_LINEAGE_DIR", str(local_dir() / "lineage")))


def lineage_namespace() -> str:
    """CHILD_WAREHOUSE_LINEAGE_NAMESPACE: the OpenLineage namespace of the project's jobs."""
    return _env("CHILD_WAREHOUSE_LINEAGE_NAMESPACE", "child_warehouse")


def lineage_disabled() -> bool:
    """CHILD_WAREHOUSE_LINEAGE=off switches OpenLineage events off."""
    return _env("CHILD_WAREHOUSE_LINEAGE", "on").lower() in {"off", "false", "0", "no"}


def split_db_url(url: str) -> DatabaseParts:
    parts = urlsplit(url)
    if parts.scheme not in {"postgresql", "postgres"}:
        raise ValueError(f"CHILD_WAREHOUSE_DB_URL must be a postgresql:// URL, not {parts.scheme}://")
    return DatabaseParts(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        dbname=parts.path.lstrip("/") or "postgres",
    )


def join_db_url(parts: DatabaseParts) -> str:
    auth = quote(parts.user, safe="")
    if parts.password:
        auth += ":" + quote(parts.password, safe="")
    return f"postgresql://{auth}@{parts.host}:{parts.port}/{parts.dbname}"
