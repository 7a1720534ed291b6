"""DAG tests parse dags/ with the dbt manifest this test run compiled (Airflow's home: tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def compiled_manifest(tools) -> Path:
    """Cosmos renders the dbt task group from the manifest: the one this run compiled from dbt_project/."""
    return Path(tools["dbt_target"]) / "manifest.json"
