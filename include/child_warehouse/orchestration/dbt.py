"""dbt inside Airflow through Cosmos, connected with the same setting every other stage uses."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from child_warehouse import settings

PROFILE_NAME = "child_warehouse"
CONNECTION_ID = "child_warehouse"  # the Airflow connection to the warehouse (AIRFLOW_CONN_CHILD_WAREHOUSE)
TARGET_NAME = "warehouse"


def manifest_path() -> Path:
    return settings.dbt_target_dir() / "manifest.json"


def dbt_executable() -> str:
    import shutil
    import sys

    beside_python = Path(sys.executable).parent / "dbt"
    return str(beside_python) if beside_python.exists() else (shutil.which("dbt") or "dbt")


def profile_config():
    """Cosmos's own profile mapping over the Airflow connection `child_warehouse`.

    The connection is the one warehouse URL (CHILD_WAREHOUSE_DB_URL, or the embedded cluster's):
    environment.airflow_environment() sets it for every Airflow process, as the Compose stack does.
    The password reaches dbt as an environment variable Cosmos sets for the dbt process, so it
    never appears in rendered task fields.
    """
    from cosmos import ProfileConfig
    from cosmos.profiles import PostgresUserPasswordProfileMapping

    mapping = PostgresUserPasswordProfileMapping(
        conn_id=CONNECTION_ID, profile_args={"schema": "staging", "threads": 2}
    )
    return ProfileConfig(profile_name=PROFILE_NAME, target_name=TARGET_NAME, profile_mapping=mapping)


def build_marts_task_group(group_id: str = "build_marts"):
    """Every dbt model and test as Airflow tasks, rendered from the compiled manifest."""
    from cosmos import DbtTaskGroup, ExecutionConfig, ProjectConfig, RenderConfig
    from cosmos.constants import InvocationMode, LoadMode, TestBehavior, TestIndirectSelection

    return DbtTaskGroup(
        group_id=group_id,
        project_config=ProjectConfig(
            dbt_project_path=settings.dbt_project_dir(), manifest_path=manifest_path()
        ),
        profile_config=profile_config(),
        # Cautious: a node's task runs only the tests whose parents are all built by then.
        execution_config=ExecutionConfig(
            invocation_mode=InvocationMode.DBT_RUNNER,
            dbt_executable_path=dbt_executable(),
            test_indirect_selection=TestIndirectSelection.CAUTIOUS,
        ),
        render_config=RenderConfig(load_method=LoadMode.DBT_MANIFEST, test_behavior=TestBehavior.BUILD),
        # A failing dbt test is a finding, not a fault a long backoff cures: one quick retry only.
        operator_args={"install_deps": False, "retries": 1, "retry_delay": dt.timedelta(seconds=20)},
    )
