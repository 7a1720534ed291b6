"""The environments the project's tools run in: Airflow's project-local home and dbt's profile."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from child_warehouse import settings
from child_warehouse.db.connection import admin_url
from child_warehouse.db.roles import stage_url
from child_warehouse.orchestration.lineage import airflow_lineage_settings


def airflow_home() -> str:
    """The project-local Airflow home: one per executor, so a Celery stack's metadata (in PostgreSQL)
    and the local stack's (SQLite) never mix."""
    folder = "airflow-celery" if settings.airflow_executor() == "celery" else "airflow"
    return str(settings.local_dir() / folder)


def airflow_environment() -> dict[str, str]:
    """Airflow in local mode: metadata in SQLite under .local/airflow, dags/ as the DAG folder; with
    CHILD_WAREHOUSE_AIRFLOW_EXECUTOR=celery, the CeleryExecutor as Compose sets it (celery_stack.py).

    Values already set in the environment win, so an engineer can point Airflow elsewhere.
    """
    home = airflow_home()
    defaults = {
        "AIRFLOW_HOME": home,
        "AIRFLOW__CORE__DAGS_FOLDER": str(settings.PROJECT_ROOT / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__DEFAULT_TIMEZONE": settings.TIMEZONE,
        "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
        "AIRFLOW__CORE__PARALLELISM": "4",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home}/airflow.db",
        "AIRFLOW__API__HOST": "127.0.0.1",
        "AIRFLOW__API__PORT": "8080",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": "admin:admin",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": f"{home}/simple_auth_manager_passwords.json",
        "AIRFLOW__COSMOS__CACHE_DIR": f"{home}/cosmos_cache",
        # A night killed with its scheduler (power cut, OOM killer) leaves tasks `running` with no
        # process: the next scheduler resets them within this many seconds (default 300) and the
        # night's run goes on. Same in docker-compose.yaml.
        "AIRFLOW__SCHEDULER__ORPHANED_TASKS_CHECK_INTERVAL": "30",
        # A task's supervisor that reads the end of the task's output a moment before the process has
        # exited sleeps until its next heartbeat (at most this many seconds, default 5) before it sees
        # the exit and frees the slot: in the sample's night 49 of 139 tasks held their slot 5 s longer
        # than they ran. Heartbeats every second (one small request a running task) bound that at 1 s.
        # Same in docker-compose.yaml.
        "AIRFLOW__WORKERS__MIN_HEARTBEAT_INTERVAL": "1",
        # The scheduler sleeps this long after a loop that found nothing to do (default 1 s), so
        # between a task's end and the queueing of the tasks after it passes on average half of it.
        # The sample's night is about ten such steps in a row: at 0.25 s the night's phases followed
        # each other 3 to 5 s sooner in all (2026-12-07, `bench.demo`, two pairs of nights
        # alternated). A loop costs a few queries of the metadata database. Same in docker-compose.yaml.
        "AIRFLOW__SCHEDULER__SCHEDULER_IDLE_SLEEP_TIME": "0.25",
        # OpenLineage's events from a thread of the task's process, not a fork of it per event (the
        # provider's default): in the sample's night a task's two events took about 0.22 s of its time
        # with a fork each, 0.13 to 0.17 s from a thread (task logs' timestamps, 64 tasks a night),
        # and a thread cannot share the supervisor's socket with the task as a forked child does.
        # Same in docker-compose.yaml.
        "AIRFLOW__OPENLINEAGE__EXECUTE_IN_THREAD": "True",
        "GX_ANALYTICS_ENABLED": "False",
        "DO_NOT_TRACK": "1",
    }
    defaults.update(_shared_secrets(Path(home)))
    defaults.update(airflow_lineage_settings())  # OpenLineage events: a local file unless a backend is set
    defaults.update(_warehouse_connection())
    defaults.update(_celery_settings(Path(home)))
    env = dict(os.environ)
    for key, value in defaults.items():
        env.setdefault(key, value)
    # `airflow standalone` starts its components as `airflow ...` from PATH: this environment's.
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


def _shared_secrets(home: Path) -> dict[str, str]:
    """The secrets every Airflow process of this home must share (the API server checks the tokens
    the scheduler signs for tasks)."""
    import secrets

    return generated_once(
        home / "secrets.json",
        lambda: {
            "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_urlsafe(32),
            "AIRFLOW__API__SECRET_KEY": secrets.token_urlsafe(32),
        },
    )


def generated_once(path: Path, generate) -> dict[str, str]:
    """Secrets generated once into a JSON file only its owner reads (0600), then read back; when two
    processes of one home race, the second reads what the first wrote."""
    import json
    import time

    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    path.parent.mkdir(parents=True, exist_ok=True)
    values = generate()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process of this home made them a moment ago
        time.sleep(0.2)
        return json.loads(path.read_text(encoding="utf-8"))
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(values, handle)
    return values


def _warehouse_connection() -> dict[str, str]:
    """The Airflow connection dbt's tasks use (Cosmos): the transformer's login, from the one
    warehouse URL (child_warehouse.db.roles).

    Not set before the embedded cluster exists (`make airflow-init` may run first); it is there
    whenever a night can run.
    """
    from child_warehouse.db.cluster import ClusterError

    try:
        return {"AIRFLOW_CONN_CHILD_WAREHOUSE_TRANSFORMER": stage_url("transformer", admin_url())}
    except ClusterError:
        return {}


def _celery_settings(home: Path) -> dict[str, str]:
    """The CeleryExecutor's settings when it is chosen (none before the warehouse's server exists)."""
    from child_warehouse.db.cluster import ClusterError
    from child_warehouse.orchestration import celery_stack

    if settings.airflow_executor() != "celery":
        return {}
    try:
        return celery_stack.environment(home, admin_url())
    except ClusterError:
        return {}


def dbt_environment(needs_database: bool = True) -> dict[str, str]:
    """dbt's profile reads these: the transformer's login, from the one connection setting.

    `dbt parse` (compiling the manifest) never connects, so it may run before the database exists.
    """
    from child_warehouse.db.cluster import ClusterError

    try:
        parts = settings.split_db_url(stage_url("transformer", admin_url()))
    except ClusterError:
        if needs_database:
            raise
        parts = settings.DatabaseParts("127.0.0.1", settings.embedded_port(), "unused", "", "unused")
    env = dict(os.environ)
    env.update(
        {
            "CHILD_WAREHOUSE_DBT_HOST": parts.host,
            "CHILD_WAREHOUSE_DBT_PORT": str(parts.port),
            "CHILD_WAREHOUSE_DBT_USER": parts.user,
            "CHILD_WAREHOUSE_DBT_PASSWORD": parts.password,
            "CHILD_WAREHOUSE_DBT_DBNAME": parts.dbname,
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
        }
    )
    return env
