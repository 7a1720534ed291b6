"""The end-to-end fixture: one whole night through Airflow on a fresh database, shared by the e2e tests."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from child_warehouse import settings
from child_warehouse.db import connection

CLI = str(Path(sys.executable).parent / "child-warehouse")


@pytest.fixture(scope="session")
def night(server_url, tmp_path_factory):
    """A fresh database, landing zone and Airflow home; sample data for 34 provinces; one night run."""
    root = tmp_path_factory.mktemp("e2e")
    name = f"cw_e2e_{uuid.uuid4().hex[:8]}"
    parts = settings.split_db_url(server_url)
    url = settings.join_db_url(
        settings.DatabaseParts(parts.host, parts.port, parts.user, parts.password, name)
    )
    env = {
        **os.environ,
        "CHILD_WAREHOUSE_DB_URL": url,
        "CHILD_WAREHOUSE_LOCAL_DIR": str(root / "local"),
        "CHILD_WAREHOUSE_LANDING_ROOT": str(root / "landing"),
        "CHILD_WAREHOUSE_DBT_TARGET_DIR": str(root / "dbt_target"),
        "CHILD_WAREHOUSE_PSEUDONYM_KEY": secrets.token_hex(32),
    }
    env.pop("AIRFLOW_HOME", None)
    env.pop("AIRFLOW__CORE__UNIT_TEST_MODE", None)

    def run(*args: str) -> subprocess.CompletedProcess:
        result = subprocess.run([CLI, *args], env=env, capture_output=True, text=True, check=False)
        assert result.returncode == 0, (
            f"{' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
        return result

    run("db", "init")
    run("sample", "--out", str(root / "sample"), "--children-per-province", "12")
    run("dbt", "parse", "--quiet")
    run("airflow", "db", "migrate")
    run("night", "--date", "2026-11-20")
    yield {"url": url, "truth": root / "sample" / "truth", "run": run, "dbt_target": root / "dbt_target"}
    connection.drop_database(name, server_url)
