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
