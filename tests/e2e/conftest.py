"""The end-to-end fixture: one whole night through Airflow on a fresh database, shared by the e2e tests."""

from __future__ import annotations

import secrets
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from child_warehouse.db import connection
from support import database_url, isolated_env

CLI = str(Path(sys.executable).parent / "child-warehouse")


@pytest.fixture(scope="session")
def night(server_url, tmp_path_factory):
    """A fresh database, landing zone and Airflow home; sample data for 34 provinces; one night run."""
    root = tmp_path_factory.mktemp("e2e")
    name = f"cw_e2e_{uuid.uuid4().hex[:8]}"
    url = database_url(server_url, name)
    env = isolated_env(url, root, secrets.token_hex(32))

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
