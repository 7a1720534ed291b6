"""Every DAG imports cleanly, without touching a database, and meets the project's policy."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

DAGS_FOLDER = Path(__file__).resolve().parents[2] / "dags"


@pytest.fixture(scope="module")
def dagbag(compiled_manifest, monkeypatch_module):
    import psycopg2

    def refuse(*_args, **_kwargs):
        raise AssertionError("a DAG file touched the warehouse at import time")

    monkeypatch_module.setattr(psycopg2, "connect", refuse)
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(DAGS_FOLDER))


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def test_no_import_errors(dagbag):
    assert dagbag.import_errors == {}
    assert dagbag.dags, "no DAG was found in dags/"


def test_every_dag_file_has_one_dag_named_after_it(dagbag):
    files = {p.stem for p in DAGS_FOLDER.glob("*.py")}
    assert files == set(dagbag.dag_ids)


def _dags(dagbag):
    return list(dagbag.dags.values())


def test_policy_owner_retries_callback(dagbag):
    for dag in _dags(dagbag):
        for task in dag.tasks:
            assert task.owner not in ("", "airflow"), f"{dag.dag_id}.{task.task_id} has no owner"
            assert task.retries >= 1, f"{dag.dag_id}.{task.task_id} does not retry"
            assert task.on_failure_callback, f"{dag.dag_id}.{task.task_id} alerts nobody on failure"


def test_policy_tags_timezone_catchup(dagbag):
    for dag in _dags(dagbag):
        assert dag.tags, f"{dag.dag_id} has no tags"
        assert isinstance(dag.start_date, dt.datetime)
        assert dag.start_date.tzinfo is not None
        assert dag.catchup is False
        assert dag.max_active_runs == 1
        assert dag.doc_md, f"{dag.dag_id} has no documentation"


def test_nightly_load_runs_at_0130_in_vietnam(dagbag):
    dag = dagbag.dags["nightly_load"]
    timetable = dag.timetable
    assert timetable._expression == "30 1 * * *"
    assert str(timetable._timezone) in ("Asia/Ho_Chi_Minh", "Timezone('Asia/Ho_Chi_Minh')")


def test_nightly_load_maps_per_province_and_builds_marts_after_linkage(dagbag):
    dag = dagbag.dags["nightly_load"]
    ids = set(dag.task_ids)
    assert {
        "discover_submissions",
        "load_province",
        "validate_province",
        "link_province",
        "provinces_done",
        "publish_marts",
        "record_run_summary",
    } <= ids
    assert any(t.startswith("build_marts.") for t in ids), "the dbt task group is missing"
    for mapped in ("load_province", "validate_province", "link_province"):
        assert dag.get_task(mapped).is_mapped if hasattr(dag.get_task(mapped), "is_mapped") else True
    dbt_roots = [
        t
        for t in dag.tasks
        if t.task_id.startswith("build_marts.")
        and not any(u.startswith("build_marts.") for u in t.upstream_task_ids)
    ]
    assert dbt_roots
    assert all("provinces_done" in t.upstream_task_ids for t in dbt_roots)
