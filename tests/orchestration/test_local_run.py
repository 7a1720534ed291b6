"""Running a DAG as production does: the night's logical date, reading a run's outcome, dbt's summary."""

from collections import Counter

from child_warehouse.orchestration.dbt import build_summary
from child_warehouse.orchestration.local_run import night_logical_date
from child_warehouse.orchestration.rest import unsuccessful_tasks


def test_a_day_means_that_nights_scheduled_time_in_vietnam():
    assert night_logical_date("2026-11-20") == "2026-11-20T01:30:00+07:00"


def test_unsuccessful_tasks_name_the_province_of_a_mapped_task():
    tasks = [
        {"task_id": "load_and_validate_province", "map_index": 0, "state": "success"},
        {"task_id": "load_and_validate_province", "map_index": 2, "state": "failed"},
        {"task_id": "build_marts", "map_index": -1, "state": "upstream_failed"},
        {"task_id": "publish_marts", "map_index": -1, "state": "skipped"},
    ]
    assert unsuccessful_tasks(tasks) == ["build_marts", "load_and_validate_province[2]"]


def test_the_dbt_summary_counts_models_and_tests_by_status():
    kinds = Counter(
        {("model", "success"): 45, ("test", "pass"): 380, ("test", "warn"): 2, ("test", "fail"): 1}
    )
    assert build_summary(kinds) == "Summary: dbt build: models 45 success; tests 1 fail, 380 pass, 2 warn"


def test_waiting_for_a_run_stops_when_airflow_itself_stops():
    """A night whose scheduler died is not waited for six hours: the command says Airflow stopped."""
    import pytest

    from child_warehouse.orchestration.rest import AirflowApiError, AirflowClient, RunState

    class StillRunning(AirflowClient):
        def run(self, dag_id, run_id):
            return RunState(run_id, "running", "2026-12-04T22:00:00+00:00", None)

    client = StillRunning("http://127.0.0.1:9", "admin", "unused")
    with pytest.raises(AirflowApiError, match="Airflow stopped while run manual__1 was running"):
        client.wait_for_run("nightly_load", "manual__1", 3600, poll_seconds=0, stack_alive=lambda: False)


def test_a_night_that_already_has_a_run_takes_it_up_according_to_its_state():
    """Still running: waited for, nothing cleared. Failed: its failed tasks (and what they held back)
    cleared. Succeeded: all of it cleared. A reprocess or dry run for a date that has a run is refused."""
    import pytest

    from child_warehouse.orchestration.local_run import _resume
    from child_warehouse.orchestration.rest import RunState
    from child_warehouse.orchestration.stack import StackError

    class Client:
        def __init__(self):
            self.cleared = []

        def clear(self, dag_id, run_id, *, only_failed):
            self.cleared.append((run_id, only_failed))
            return 3

    for state, cleared in (
        ("running", []),
        ("queued", []),
        ("failed", [("r", True)]),
        ("success", [("r", False)]),
    ):
        client = Client()
        said = _resume(client, "nightly_load", RunState("r", state, None, None), None)
        assert client.cleared == cleared, state
        assert "r" in said
    with pytest.raises(StackError, match="already has run r"):
        _resume(Client(), "nightly_load", RunState("r", "success", None, None), {"province_code": "79"})


def test_a_successful_run_without_a_single_task_is_not_called_a_success():
    from child_warehouse.orchestration.local_run import EMPTY, outcome_state

    assert outcome_state("success", []) == EMPTY
    assert (
        outcome_state("success", [{"task_id": "load_and_validate_province", "state": "success"}]) == "success"
    )
    assert outcome_state("failed", []) == "failed"
