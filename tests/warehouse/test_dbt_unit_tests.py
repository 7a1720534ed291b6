"""Every dbt unit test passes. The nightly build leaves them out (NIGHTLY_BUILD_FLAGS: they test the
models' logic on fixed rows, not the night's data), so this is where they run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from child_warehouse.db import template
from child_warehouse.orchestration.dbt import NIGHTLY_BUILD_FLAGS

CLI = str(Path(sys.executable).parent / "child-warehouse")


def _dbt(url: str, target: Path, *args: str) -> None:
    env = {**os.environ, "CHILD_WAREHOUSE_DB_URL": url, "CHILD_WAREHOUSE_DBT_TARGET_DIR": str(target)}
    result = subprocess.run([CLI, "dbt", *args], env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


@pytest.mark.e2e
def test_every_dbt_unit_test_passes(server_url, warehouse_db, tmp_path):
    # dbt reads the column types of a unit test's inputs from the database, so the models are built
    # first (`--empty` cannot be used: it wraps each ref in a subquery, and `{{ ref() }} as alias`
    # no longer parses), in a warehouse of its own: the worker's shared one may hold tables other
    # tests made under another owner. (warehouse_db makes sure the template exists.)
    with template.fresh_database("unit_tests", server_url) as url:
        _dbt(url, tmp_path, "run", "--quiet")
        _dbt(url, tmp_path, "test", "--select", "test_type:unit", "--quiet")
    results = json.loads((tmp_path / "run_results.json").read_text(encoding="utf-8"))["results"]
    unit_tests = [r for r in results if r["unique_id"].startswith("unit_test.")]
    assert len(unit_tests) >= 30
    assert {r["status"] for r in unit_tests} == {"pass"}


def test_the_nightly_build_task_leaves_only_unit_tests_out_and_keeps_its_parse():
    from child_warehouse.orchestration.dbt import build_marts_task

    task = build_marts_task()
    assert task.dbt_cmd_flags == NIGHTLY_BUILD_FLAGS == ["--exclude-resource-type", "unit_test"]
    assert task.cache_dir is not None
    assert task.cache_dir.name == "child_warehouse_dbt"
