"""dbt inside Airflow through Cosmos, connected with the same setting every other stage uses."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from child_warehouse import settings

PROFILE_NAME = "child_warehouse"
# The Airflow connection dbt's tasks use: the transformer's login (AIRFLOW_CONN_CHILD_WAREHOUSE_TRANSFORMER).
CONNECTION_ID = "child_warehouse_transformer"
TARGET_NAME = "warehouse"
# The nightly build leaves dbt's unit tests out: they test the models' logic on fixed rows, not the
# night's data, and dbt advises running them in development and CI (tests/warehouse/test_dbt_unit_tests.py
# runs every one in `make test`); at night they cost about 7 s of a small build.
NIGHTLY_BUILD_FLAGS = ["--exclude-resource-type", "unit_test"]


def dbt_executable() -> str:
    import shutil
    import sys

    beside_python = Path(sys.executable).parent / "dbt"
    return str(beside_python) if beside_python.exists() else (shutil.which("dbt") or "dbt")


def profile_config():
    """Cosmos's own profile mapping over the Airflow connection `child_warehouse_transformer`.

    The connection is the transformer's pipeline login (child_warehouse.db.roles), derived from the
    one warehouse URL: environment.airflow_environment() sets it for every Airflow process, as the
    Compose stack does. The password reaches dbt as an environment variable Cosmos sets for the dbt
    process, so it never appears in rendered task fields.
    """
    from cosmos import ProfileConfig
    from cosmos.profiles import PostgresUserPasswordProfileMapping

    mapping = PostgresUserPasswordProfileMapping(
        conn_id=CONNECTION_ID, profile_args={"schema": "staging", "threads": 2}
    )
    return ProfileConfig(profile_name=PROFILE_NAME, target_name=TARGET_NAME, profile_mapping=mapping)


def build_marts_task(task_id: str = "build_marts"):
    """One `dbt build` of the whole project (models, then each model's tests, in dependency order),
    run by Cosmos inside the task's process.

    One task, not one per model: each Airflow task costs a process and a DAG parse (about 3 s per
    model on a 2-core machine, three quarters of a small night), while one dbt invocation builds the
    45 models in about the time of the slowest chain. dbt's own log of every model and test is in
    the task's log, followed by one summary line (`summarise_build`)."""
    from cosmos import settings as cosmos_settings
    from cosmos.constants import InvocationMode
    from cosmos.operators.local import DbtBuildLocalOperator

    return DbtBuildLocalOperator(
        task_id=task_id,
        # dbt's partial parse between nights: Cosmos keeps the last build's partial_parse.msgpack here
        # and copies it into the next build's temporary project (a full parse costs about 5 s). It
        # passes a cache folder only to its own DAGs and task groups, so a lone operator names one.
        cache_dir=cosmos_settings.cache_dir / "child_warehouse_dbt",
        project_dir=str(settings.dbt_project_dir()),
        profile_config=profile_config(),
        invocation_mode=InvocationMode.DBT_RUNNER,
        dbt_executable_path=dbt_executable(),
        install_deps=False,
        dbt_cmd_global_flags=["--no-use-colors"],  # plain text in the task log
        dbt_cmd_flags=NIGHTLY_BUILD_FLAGS,
        # The night publishes one Asset for the marts (publish_marts); an Airflow Asset per table
        # would add nothing but warnings about Cosmos's URIs. OpenLineage still names every table.
        emit_datasets=False,
        callback=summarise_build,
        doc_md="Builds every dbt model and runs its tests (staging → core → marts) from whatever was "
        "accepted, however the tasks before it ended; a failing test fails the task and the marts are "
        "not published. Its last lines count models and tests.",
        # The marts are built even when a province's tasks or the linkage failed: every link task
        # before this one runs `all_done` too, so one broken province never holds back the other 33.
        trigger_rule="all_done",
        # A failing dbt test is a finding, not a fault a long backoff cures: one quick retry only.
        retries=1,
        retry_delay=dt.timedelta(seconds=20),
    )


def summarise_build(project_dir: str, **_cosmos_args) -> None:
    """One line with what the build did, and a line per model or test that did not pass."""
    import json
    import logging
    from collections import Counter

    log = logging.getLogger("child_warehouse.dbt")
    results_file = Path(project_dir) / "target" / "run_results.json"
    if not results_file.exists():
        log.warning("dbt build left no run_results.json in %s", results_file.parent)
        return
    results = json.loads(results_file.read_text(encoding="utf-8"))["results"]
    kinds = Counter()
    troubles = []
    for result in results:
        kind = result["unique_id"].split(".", 1)[0]
        if kind == "exposure":  # documentation of who reads a mart: nothing to build
            continue
        kinds[(kind, result["status"])] += 1
        if result["status"] not in ("success", "pass"):
            troubles.append(
                f"{result['unique_id']}: {result['status']} {result.get('message') or ''}".strip()
            )
    for line in troubles:
        log.warning("dbt: %s", line)
    log.info("%s", build_summary(kinds))


def build_summary(kinds) -> str:
    """`kinds`: {(node kind, status): count} from dbt's run results."""
    from collections import Counter

    models, tests = Counter(), Counter()
    for (kind, status), n in kinds.items():
        if kind in ("model", "seed", "snapshot"):
            models[status] += n
        elif kind in ("test", "unit_test"):
            tests[status] += n

    def said(counts: dict) -> str:
        return ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "none"

    return f"Summary: dbt build: models {said(models)}; tests {said(tests)}"
