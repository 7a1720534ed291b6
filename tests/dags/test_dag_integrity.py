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
    monkeypatch_module.setenv("CHILD_WAREHOUSE_DBT_TARGET_DIR", str(compiled_manifest.parent))
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


def _cron(dag) -> tuple[str, str]:
    """The cron expression and timezone of a DAG's timetable, as Airflow serialises it."""
    serialised = dag.timetable.serialize()
    return serialised["expression"], serialised["timezone"]


def test_nightly_load_runs_at_0130_in_vietnam(dagbag):
    assert _cron(dagbag.dags["nightly_load"]) == ("30 1 * * *", "Asia/Ho_Chi_Minh")


def test_nightly_load_maps_per_province_and_builds_marts_after_linkage(dagbag):
    dag = dagbag.dags["nightly_load"]
    ids = set(dag.task_ids)
    assert {
        "discover_submissions",
        "load_and_validate_province",
        "refresh_statistics",
        "link_by_id",
        "link_unlinked_records",
        "publish_marts",
        "record_run_summary",
    } <= ids
    assert dag.get_task("load_and_validate_province").is_mapped, "the province task is not mapped"
    for national in ("discover_submissions", "refresh_statistics", "link_by_id", "link_unlinked_records"):
        assert not dag.get_task(national).is_mapped, f"{national} runs once a night"
    statistics = dag.get_task("refresh_statistics")  # once every province's task has ended,
    assert statistics.upstream_task_ids == {"load_and_validate_province"}  # however it ended
    assert statistics.trigger_rule == "all_done"
    by_id = dag.get_task("link_by_id")
    assert by_id.upstream_task_ids == {"refresh_statistics"}
    assert by_id.trigger_rule == "all_done"
    assert by_id.downstream_task_ids == {"link_unlinked_records"}
    build = dag.get_task("build_marts")  # one dbt build of the whole project, run by Cosmos
    assert type(build).__name__ == "DbtBuildLocalOperator"
    assert build.upstream_task_ids == {"link_unlinked_records"}
    assert build.trigger_rule == "all_done"  # the marts are built even when a province or linkage failed
    assert build.downstream_task_ids == {"publish_marts"}
    # suggested once the marts are published and the night's sign-offs decided, beside the summary
    assert dag.get_task("suggest_publication").upstream_task_ids == {"publish_marts", "write_feedback"}


def test_a_dry_run_stops_before_anything_changes(dagbag):
    """Everything after discovery waits on the dry-run gate, which skips every downstream task."""
    dag = dagbag.dags["nightly_load"]
    gate = dag.get_task("stop_if_dry_run")
    assert type(gate).__name__ == "_ShortCircuitDecoratedOperator"
    assert gate.ignore_downstream_trigger_rules  # also the all_done summary and feedback tasks
    assert gate.upstream_task_ids == {"discover_submissions"}
    downstream = {t.task_id for t in gate.get_flat_relatives(upstream=False)}
    assert downstream == set(dag.task_ids) - {"discover_submissions", "stop_if_dry_run"}


def test_backfill_history_has_its_own_pool_and_the_nightly_stages(dagbag):
    dag = dagbag.dags["backfill_history"]
    assert type(dag.timetable).__name__ == "NullTimetable"  # triggered by `child-warehouse backfill`
    assert {t.pool for t in dag.tasks} == {"backfill_history"}
    nightly = dagbag.dags["nightly_load"]
    nightly_only = {"discover_submissions", "stop_if_dry_run", "write_feedback", "suggest_publication"}
    shared = set(nightly.task_ids) - nightly_only - {"suggest_publish_period"}
    assert shared <= set(dag.task_ids)
    assert dag.get_task("wait_outside_nightly_window").downstream_task_ids == {"discover_history"}


def test_every_loading_dag_alerts_provinces_that_need_attention_after_the_summary(dagbag):
    for dag_id in ("nightly_load", "backfill_history"):
        alert = dagbag.dags[dag_id].get_task("alert_needs_attention")
        assert alert.upstream_task_ids == {"record_run_summary"}
        assert alert.trigger_rule == "all_done"


def test_marts_freshness_checks_the_marts_asset_at_0600_in_vietnam(dagbag):
    dag = dagbag.dags["marts_freshness"]
    assert _cron(dag) == ("0 6 * * *", "Asia/Ho_Chi_Minh")
    (check,) = dag.tasks
    publish = dagbag.dags["nightly_load"].get_task("publish_marts")
    assert [a.name for a in check.inlets] == [a.name for a in publish.outlets] == ["child_warehouse_marts"]


def test_the_night_and_each_of_its_tasks_are_documented_in_the_ui(dagbag):
    dag = dagbag.dags["nightly_load"]
    for said in ("01:30", "Reads", "Writes", "Rerun", "dry_run", "Feedback", "Summary:"):
        assert said in dag.doc_md, said
    undocumented = [t.task_id for t in dag.tasks if not (t.doc_md or "").strip()]
    assert undocumented == []


def test_every_task_starts_its_own_lineage(dagbag):
    for dag in _dags(dagbag):
        for task in dag.tasks:
            callbacks = task.on_execute_callback
            callbacks = callbacks if isinstance(callbacks, list) else [callbacks]
            assert any(getattr(c, "__name__", "") == "start_task" for c in callbacks), task.task_id
