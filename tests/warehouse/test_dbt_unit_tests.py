"""Every dbt unit test passes. The nightly build leaves them out (NIGHTLY_BUILD_FLAGS: they test the
models' logic on fixed rows, not the night's data), so this is where they run."""

from __future__ import annotations

import json

import pytest

from child_warehouse.db import template
from child_warehouse.orchestration.dbt import NIGHTLY_BUILD_FLAGS
from support import run_dbt


@pytest.mark.e2e
def test_every_dbt_unit_test_passes(server_url, warehouse_db, tmp_path):
    # dbt reads the column types of a unit test's inputs from the database, so the models are built
    # first (`--empty` cannot be used: it wraps each ref in a subquery, and `{{ ref() }} as alias`
    # no longer parses), in a warehouse of its own: the worker's shared one may hold tables other
    # tests made under another owner. (warehouse_db makes sure the template exists.)
    with template.fresh_database("unit_tests", server_url) as url:
        run_dbt(url, tmp_path, "run", "--quiet")
        run_dbt(url, tmp_path, "test", "--select", "test_type:unit", "--quiet")
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
