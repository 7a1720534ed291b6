"""`airflow <command>` with the task code imported first, in the processes that tasks are forked from.

Airflow 3 runs each task in a process its supervisor forks: from a LocalExecutor worker, itself forked
from the scheduler, or from a Celery worker's pool process, forked from the Celery worker. A module
imported before those forks is in every task's process at no cost; one imported by the task is paid
for by every task. Great Expectations takes about 4 s to import on a 2-core machine, so every
province's validation task paid it: 64 province tasks in the sample's night then, four minutes of task time.
The stack starts the scheduler (LocalExecutor) and the Celery workers through this module
(`python -m child_warehouse.orchestration.preload scheduler`), as `docker-compose.yaml` does its workers.
"""

from __future__ import annotations

import importlib
import os

# What the night's task bodies import beyond Airflow itself: ingest (readers, COPY), validation
# (Great Expectations), linkage (DuckDB, Splink is imported by the national step only: once a night)
TASK_MODULES = (
    "great_expectations",
    "great_expectations.render.renderer.site_builder",  # Data Docs, built by every validation task
    "child_warehouse.ingest.stage",
    "child_warehouse.validation.runner",
    "child_warehouse.validation.expectations",
    "child_warehouse.validation.docs",
    "child_warehouse.linkage.deterministic",
    "child_warehouse.feedback.report",
    # dbt's programmatic entry, which Cosmos's dbt-runner mode imports in the build task (1.2 s on
    # two cores, on the night's longest path: nothing runs beside the build)
    "dbt.cli.main",
)


def preload() -> None:
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")  # as the validation runner sets it
    for name in TASK_MODULES:
        importlib.import_module(name)
    # The Data Docs page templates, compiled once here instead of in every validation task (0.1 s each)
    from child_warehouse.validation.docs import compile_templates

    compile_templates()
    # The contract's column catalogue (a YAML file, 0.05 s to read), which every load reads first
    from child_warehouse.contract.columns import canonical_columns

    canonical_columns("child_records")


def main() -> None:
    preload()
    from airflow.__main__ import main as airflow

    airflow()


if __name__ == "__main__":
    main()
