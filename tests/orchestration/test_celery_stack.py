"""The native Celery stack's parts that need no Redis: its metadata database on the real server, the
workers' names in Airflow's metadata, and its settings (the night itself is in tests/scale)."""

from __future__ import annotations

import uuid

import pytest

from child_warehouse import settings
from child_warehouse.db import connection
from child_warehouse.orchestration import celery_stack


def test_the_metadata_database_is_made_once_and_its_login_reaches_it(server_url, tmp_path):
    warehouse = settings.split_db_url(server_url)
    name = f"cwt_celery_{uuid.uuid4().hex[:6]}"
    admin = settings.join_db_url(
        settings.DatabaseParts(warehouse.host, warehouse.port, warehouse.user, warehouse.password, name)
    )
    try:
        celery_stack.ensure_metadata_database(tmp_path, admin)
        celery_stack.ensure_metadata_database(tmp_path, admin)  # again: nothing to do, nothing fails
        url = celery_stack.metadata_url(tmp_path, admin)
        with connection.transaction(url) as conn, conn.cursor() as cur:
            cur.execute(
                "select current_user, current_database(), pg_catalog.pg_get_userbyid(datdba) "
                "from pg_database where datname = current_database()"
            )
            assert cur.fetchone() == (f"{name}_airflow",) * 3
        secrets_file = tmp_path / "celery-secrets.json"
        assert oct(secrets_file.stat().st_mode & 0o777) == "0o600"
    finally:
        connection.drop_database(f"{name}_airflow", server_url)
        with connection.transaction(server_url) as conn, conn.cursor() as cur:
            cur.execute(f'drop role if exists "{name}_airflow"')


def test_each_worker_is_named_in_airflows_metadata(monkeypatch):
    from airflow.utils.net import getfqdn

    monkeypatch.delenv("CHILD_WAREHOUSE_WORKER_NAME", raising=False)
    assert celery_stack.worker_hostname() == getfqdn()  # the scheduler, the API server
    workers = celery_stack.worker_commands()
    assert list(workers) == ["worker-1", "worker-2"]
    command, own = workers["worker-2"]
    assert command[:2] == ["celery", "worker"]
    assert command[command.index("--celery-hostname") + 1] == "worker-2@%h"
    monkeypatch.setenv(*next(iter(own.items())))
    assert celery_stack.worker_hostname() == f"worker-2@{getfqdn()}"


def test_the_number_of_workers_and_their_slots_are_settings(monkeypatch):
    monkeypatch.setenv("CHILD_WAREHOUSE_CELERY_WORKERS", "3")
    monkeypatch.setenv("CHILD_WAREHOUSE_CELERY_CONCURRENCY", "4")
    workers = celery_stack.worker_commands()
    assert len(workers) == 3
    assert all(cmd[cmd.index("--concurrency") + 1] == "4" for cmd, _ in workers.values())


def test_the_executor_setting_picks_the_home_and_refuses_others(monkeypatch):
    from child_warehouse.orchestration.environment import airflow_home

    monkeypatch.setenv("CHILD_WAREHOUSE_AIRFLOW_EXECUTOR", "celery")
    assert airflow_home().endswith("airflow-celery")
    monkeypatch.setenv("CHILD_WAREHOUSE_AIRFLOW_EXECUTOR", "kubernetes")
    with pytest.raises(ValueError, match="CHILD_WAREHOUSE_AIRFLOW_EXECUTOR"):
        airflow_home()


def test_the_stack_serves_while_one_worker_lives():
    from child_warehouse.orchestration.stack import Stack

    stack = Stack(home=None, port=0)  # type: ignore[arg-type]
    stack.alive = lambda: {"scheduler": True, "worker-1": False, "worker-2": True}  # type: ignore[method-assign]
    assert stack.serving()
    stack.alive = lambda: {"scheduler": True, "worker-1": False, "worker-2": False}  # type: ignore[method-assign]
    assert not stack.serving()
    stack.alive = lambda: {"scheduler": False, "worker-1": True}  # type: ignore[method-assign]
    assert not stack.serving()
