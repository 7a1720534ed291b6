"""DAG tests parse dags/ with Airflow in a throwaway home and with dbt's manifest compiled."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from child_warehouse.orchestration.dbt import manifest_path


@pytest.fixture(scope="session", autouse=True)
def airflow_home(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("airflow_home")
    os.environ["AIRFLOW_HOME"] = str(home)
    os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
    os.environ["AIRFLOW__CORE__UNIT_TEST_MODE"] = "True"
    return home


@pytest.fixture(scope="session")
def compiled_manifest() -> Path:
    """Cosmos renders the dbt task group from the manifest; compile it once when missing."""
    if not manifest_path().exists():
        cli = Path(sys.executable).parent / "child-warehouse"
        subprocess.run([str(cli), "dbt", "parse", "--quiet"], check=True)
    return manifest_path()
