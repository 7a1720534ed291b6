"""Airflow's CeleryExecutor on this machine, set as the Compose stack sets it (docker-compose.yaml).

`CHILD_WAREHOUSE_AIRFLOW_EXECUTOR=celery` gives Airflow a home of its own (`.local/airflow-celery`)
whose stack (stack.py) adds what Compose has and the local stack lacks:

- Redis as the broker, from the machine's package manager (`make redis`), on 127.0.0.1 only, with a
  generated password in a config file only its owner reads (never on a command line), and an
  append-only file in the home, so queued tasks survive a Redis restart;
- Airflow's metadata and Celery's results in PostgreSQL (SQLite is one writer at a time): a database
  and login `<warehouse database>_airflow` on the warehouse's server, made here, password generated;
- `CHILD_WAREHOUSE_CELERY_WORKERS` Celery workers (two unless set), each a process group of its own
  with `CHILD_WAREHOUSE_CELERY_CONCURRENCY` task slots (two), named `worker-<n>@<host>` in Celery and
  in Airflow's metadata (the `hostname` of each task instance), so which worker ran a task can be
  read back. In Compose each worker is a container with a hostname of its own and needs no name.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
from pathlib import Path

from psycopg2 import sql

from child_warehouse import settings

WORKER_NAME = "CHILD_WAREHOUSE_WORKER_NAME"
HOSTNAME_CALLABLE = "child_warehouse.orchestration.celery_stack.worker_hostname"
# A worker that died with its tasks: the scheduler fails their running attempts after this many
# seconds without a heartbeat (Airflow's default is 300) and they are retried on a worker that lives.
HEARTBEAT_TIMEOUT_SECONDS = 120
# ...and the tasks it had taken but not yet started stay `queued` until this timeout (Airflow's
# default is 600), checked every QUEUED_CHECK_SECONDS, when the scheduler queues them again (without
# spending a retry). Safe because Airflow queues no more tasks than the workers have slots
# (parallelism = workers × slots), so a task queued this long is lost, not waiting its turn.
QUEUED_TIMEOUT_SECONDS = 300
QUEUED_CHECK_SECONDS = 30
# All three the same in docker-compose.yaml.


def worker_hostname() -> str:
    """Airflow's `hostname_callable`: the machine's name, preceded by the worker's on a worker."""
    from airflow.utils.net import getfqdn

    name = settings.celery_worker_name()
    return f"{name}@{getfqdn()}" if name else getfqdn()


def _secrets(home: Path) -> dict[str, str]:
    """The metadata login's and Redis's passwords, generated once into a file only its owner reads."""
    from child_warehouse.orchestration.environment import generated_once

    return generated_once(
        home / "celery-secrets.json",
        lambda: {"metadata": secrets.token_urlsafe(24), "redis": secrets.token_urlsafe(24)},
    )


def metadata_name(warehouse_admin_url: str) -> str:
    """Airflow's metadata database, and its login: the warehouse database's name + `_airflow`."""
    return f"{settings.split_db_url(warehouse_admin_url).dbname}_airflow"


def metadata_url(home: Path, warehouse_admin_url: str) -> str:
    parts = settings.split_db_url(warehouse_admin_url)
    name = metadata_name(warehouse_admin_url)
    password = _secrets(home)["metadata"]
    return settings.join_db_url(settings.DatabaseParts(parts.host, parts.port, name, password, name))


def ensure_metadata_database(home: Path, warehouse_admin_url: str) -> None:
    """The metadata login (its password set to this home's) and its database, on the warehouse's
    server; the administrator needs CREATEROLE and CREATEDB there."""
    from child_warehouse.db.connection import connect

    name = metadata_name(warehouse_admin_url)
    parts = settings.split_db_url(warehouse_admin_url)
    server = settings.join_db_url(
        settings.DatabaseParts(parts.host, parts.port, parts.user, parts.password, "postgres")
    )
    conn = connect(server)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute("select 1 from pg_roles where rolname = %s", (name,))
            verb = "alter" if cur.fetchone() else "create"
            cur.execute(
                sql.SQL("{} role {} login password %s").format(sql.SQL(verb), sql.Identifier(name)),
                (_secrets(home)["metadata"],),
            )
            cur.execute("select 1 from pg_database where datname = %s", (name,))
            if cur.fetchone() is None:
                cur.execute(
                    sql.SQL("create database {} owner {}").format(sql.Identifier(name), sql.Identifier(name))
                )
    finally:
        conn.close()


def redis_port(home: Path) -> int:
    """Where this home's Redis listens: the port its running stack recorded, else the configured one."""
    try:
        return int(json.loads((home / "stack.json").read_text(encoding="utf-8"))["redis_port"])
    except (OSError, ValueError, KeyError, TypeError):
        return settings.celery_redis_port()


def environment(home: Path, warehouse_admin_url: str, port: int | None = None) -> dict[str, str]:
    """The Celery settings, named as docker-compose.yaml names them."""
    metadata = metadata_url(home, warehouse_admin_url).replace("postgresql://", "postgresql+psycopg2://", 1)
    broker = f"redis://:{_secrets(home)['redis']}@127.0.0.1:{port or redis_port(home)}/0"
    return {
        "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": metadata,
        "AIRFLOW__CELERY__BROKER_URL": broker,
        "AIRFLOW__CELERY__RESULT_BACKEND": "db+"
        + metadata.replace("postgresql+psycopg2://", "postgresql://", 1),
        "AIRFLOW__CELERY__WORKER_CONCURRENCY": str(settings.celery_concurrency()),
        "AIRFLOW__CORE__HOSTNAME_CALLABLE": HOSTNAME_CALLABLE,
        "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT": str(HEARTBEAT_TIMEOUT_SECONDS),
        "AIRFLOW__SCHEDULER__TASK_QUEUED_TIMEOUT": str(QUEUED_TIMEOUT_SECONDS),
        "AIRFLOW__SCHEDULER__TASK_QUEUED_TIMEOUT_CHECK_INTERVAL": str(QUEUED_CHECK_SECONDS),
        "AIRFLOW__CORE__PARALLELISM": str(settings.celery_workers() * settings.celery_concurrency()),
    }


def worker_commands() -> dict[str, tuple[list[str], dict[str, str]]]:
    """Each worker's Airflow command and the variables of its own."""
    workers = {}
    for number in range(1, settings.celery_workers() + 1):
        name = f"worker-{number}"
        command = ["celery", "worker", "--celery-hostname", f"{name}@%h", "--skip-serve-logs"]
        command += ["--concurrency", str(settings.celery_concurrency())]
        workers[name] = (command, {WORKER_NAME: name})
    return workers


def redis_binary() -> str:
    found = shutil.which("redis-server") or (
        "/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else None
    )
    if found is None:
        raise FileNotFoundError("redis-server not found: `make redis` installs it (Debian's redis-server)")
    return found


def redis_config(home: Path, port: int) -> Path:
    """Redis's settings for this home: loopback only, a password, its append-only file in the home."""
    folder = home / "redis"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "redis.conf"
    lines = [
        "bind 127.0.0.1",
        f"port {port}",
        f"requirepass {_secrets(home)['redis']}",
        f"dir {folder}",
        "appendonly yes",
        'save ""',
        "daemonize no",
        "protected-mode yes",
    ]
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    return path


def redis_answers(home: Path, port: int) -> bool:
    import redis

    try:
        return bool(
            redis.Redis(
                host="127.0.0.1", port=port, password=_secrets(home)["redis"], socket_timeout=2
            ).ping()
        )
    except (redis.RedisError, OSError):
        return False


def free_port(wanted: int) -> int:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", wanted))
            return wanted
        except OSError:
            pass
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
