"""Reading Airflow's CLI output: the JSON line among the log lines Airflow prints around it."""

from child_warehouse.orchestration.local_run import _json_from


def test_json_is_found_among_warning_lines():
    output = (
        "2026-11-23T04:10:16Z [warning  ] Could not import graphviz. [py.warnings]\n"
        '[{"dag_id": "nightly_load", "run_id": "manual__1", "state": "failed"}]\n'
    )
    assert _json_from(output) == [{"dag_id": "nightly_load", "run_id": "manual__1", "state": "failed"}]


def test_no_runs_and_no_output_are_empty():
    assert _json_from("[]\n") == []
    assert _json_from("2026-11-23T04:10:16Z [warning  ] nothing here\n") == []


def test_a_run_that_never_started_is_not_mistaken_for_an_earlier_one(tmp_path, monkeypatch):
    """`dags test` of a DAG that fails to parse creates no run: the last night's success is not ours."""
    import subprocess

    from child_warehouse.orchestration import local_run

    earlier = '[{"run_id": "manual__earlier", "state": "success", "run_after": "2026-11-20T01:00:00+00:00"}]'

    def airflow(args, **_kwargs):
        output = earlier if args[:2] == ["dags", "list-runs"] else ""
        return subprocess.CompletedProcess(args, 0, stdout=output)

    monkeypatch.setattr(local_run, "airflow", airflow)
    outcome = local_run.run_dag("nightly_load", "2026-11-21", tmp_path / "night.log")
    assert (outcome.run_id, outcome.state) == ("", "not started")
