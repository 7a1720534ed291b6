"""The nightly DAG under the CeleryExecutor, for real: Redis, the Airflow components and two Celery
workers started by the project (`child-warehouse airflow-stack serve` with
CHILD_WAREHOUSE_AIRFLOW_EXECUTOR=celery, what `make airflow-celery` runs), the night triggered through
the REST API (`child-warehouse night`), and its outcome read back from Airflow's metadata: the
provinces' tasks ran on both workers and the marts equal the LocalExecutor's clean night. Then a
worker is killed with its tasks in the middle of a night: the task is retried on the other worker and
nothing is lost or counted twice."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psutil
import pytest

from child_warehouse import settings
from child_warehouse.orchestration.rest import AirflowClient
from faults import ledger_state, links_state, losses, review_state, start_night, wait_for
from nights import CLI, NARROW_PROVINCES, NIGHT_DATE, Warehouse, marts_snapshot, prepare

pytestmark = [pytest.mark.slow, pytest.mark.scale, pytest.mark.e2e]

DAG = "nightly_load"
PROVINCE_TASK = "load_and_validate_province"
CELERY = {
    "CHILD_WAREHOUSE_AIRFLOW_EXECUTOR": "celery",
    # A killed worker's running task: failed after 45 s without a heartbeat, retried 5 s later (not
    # 120 + 120); a task it had taken but not started: queued again after 60 s (not 300).
    "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT": "45",
    "CHILD_WAREHOUSE_TASK_RETRY_DELAY": "5",
    "AIRFLOW__SCHEDULER__TASK_QUEUED_TIMEOUT": "60",
    "AIRFLOW__SCHEDULER__TASK_QUEUED_TIMEOUT_CHECK_INTERVAL": "10",
}


REPORT = settings.local_dir() / "scale.jsonl"  # what `make test-scale` saw, for docs and the closing note


def _record(case: str, **figures) -> None:
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    with REPORT.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps({"case": case, **figures}) + "\n")


def _home(warehouse: Warehouse) -> Path:
    return Path(warehouse.root) / "local" / "airflow-celery"


@contextmanager
def celery_stack(warehouse: Warehouse) -> Iterator[AirflowClient]:
    """The warehouse's Celery stack, served in the background as an engineer serves it; its REST client."""
    log = Path(warehouse.root) / "celery-stack.log"
    with log.open("wb") as handle:
        serving = subprocess.Popen(
            [CLI, "airflow-stack", "serve", "--triggered-only"],  # no scheduled run beside the test's
            env=warehouse.env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        started = time.monotonic()
        while "Airflow: http" not in log.read_text(encoding="utf-8", errors="replace"):
            assert serving.poll() is None, f"the Celery stack did not start:\n{log.read_text()[-3000:]}"
            assert time.monotonic() - started < 420, "the Celery stack did not start within 420 s"
            time.sleep(1)
        home = _home(warehouse)
        port = json.loads((home / "stack.json").read_text(encoding="utf-8"))["port"]
        password = json.loads((home / "simple_auth_manager_passwords.json").read_text(encoding="utf-8"))[
            "admin"
        ]
        yield AirflowClient(f"http://127.0.0.1:{port}", "admin", password)
    finally:
        serving.send_signal(signal.SIGTERM)
        serving.wait(timeout=180)


def _run_id(client: AirflowClient) -> str:
    from child_warehouse.orchestration.local_run import night_logical_date

    return client.run_for_date(DAG, night_logical_date(NIGHT_DATE)).run_id


def _worker(hostname: str | None) -> str:
    return (hostname or "").split("@")[0]


@pytest.fixture(scope="module")
def celery_night(clean_night, server_url, tools, tmp_path_factory):
    """The narrow sample's night on two Celery workers: the warehouse, and its task instances."""
    warehouse = prepare(
        server_url, tmp_path_factory.mktemp("celery"), tools, key=clean_night.key, variables=CELERY
    )
    try:
        with celery_stack(warehouse) as client:
            warehouse.run("night", "--date", NIGHT_DATE)
            instances = client.task_instances(DAG, _run_id(client))
        yield warehouse, instances
    finally:
        warehouse.drop()


def test_the_provinces_tasks_ran_on_both_workers(celery_night):
    _, instances = celery_night
    province_tasks = [ti for ti in instances if ti["task_id"] == PROVINCE_TASK]
    per_worker = Counter(_worker(ti["hostname"]) for ti in province_tasks)
    every_task = Counter(_worker(ti["hostname"]) for ti in instances if ti["hostname"])
    _record("celery night", province_tasks_per_worker=dict(per_worker), tasks_per_worker=dict(every_task))
    assert set(per_worker) == {"worker-1", "worker-2"}
    # one task for each province of today with work: the four (each loading the history of the
    # pre-reform provinces merged into it) and `national`
    assert len({ti["map_index"] for ti in province_tasks}) == len(province_tasks) == len(NARROW_PROVINCES) + 1
    assert all(ti["state"] in ("success", "skipped") for ti in instances)


def test_the_marts_equal_the_local_executors_night(celery_night, clean_night):
    warehouse, _ = celery_night
    assert ledger_state(warehouse) == ledger_state(clean_night)
    assert links_state(warehouse) == links_state(clean_night)
    assert marts_snapshot(warehouse) == marts_snapshot(clean_night)


def _worker_processes(home: Path, name: str) -> list[psutil.Process]:
    """The worker's whole tree: Celery's main process, its pool, and each task's supervisor and task
    (the task process runs in a process group of its own, so killpg alone would leave it)."""
    top = psutil.Process(json.loads((home / "stack.json").read_text(encoding="utf-8"))["pids"][name])
    return [top, *top.children(recursive=True)]


@pytest.fixture(scope="module")
def worker_killed(clean_night, server_url, tools, tmp_path_factory):
    """A night during which worker-1 dies (SIGKILL to its whole tree, as a lost machine) while it runs
    a province's task; the night goes on on worker-2."""
    warehouse = prepare(
        server_url, tmp_path_factory.mktemp("celery-kill"), tools, key=clean_night.key, variables=CELERY
    )
    try:
        with celery_stack(warehouse) as client:
            night = start_night(warehouse, "--date", NIGHT_DATE)
            victim: dict = {}

            def running_on_worker_1() -> bool:
                try:
                    instances = client.task_instances(DAG, _run_id(client))
                except Exception:  # the run is not there yet
                    return False
                for ti in instances:
                    if (
                        ti["task_id"] == PROVINCE_TASK
                        and ti["state"] == "running"
                        and _worker(ti["hostname"]) == "worker-1"
                    ):
                        victim.update(ti)
                        return True
                return False

            wait_for("a province's task running on worker-1", running_on_worker_1, night, timeout=600)
            processes = _worker_processes(_home(warehouse), "worker-1")
            for process in processes:
                process.send_signal(signal.SIGKILL)
            psutil.wait_procs(processes, timeout=30)
            killed_at = time.monotonic()
            night.process.wait(timeout=1800)
            victim["night_after_kill_s"] = round(time.monotonic() - killed_at)
            run_id = _run_id(client)
            state = client.run(DAG, run_id).state
            tries = client.tries(DAG, run_id, victim["task_id"], victim["map_index"])
            instances = client.task_instances(DAG, run_id)
        yield warehouse, victim, tries, instances, state, night.output()
    finally:
        warehouse.drop()


def test_the_killed_workers_task_was_retried_on_the_other(worker_killed):
    _, victim, tries, _, state, output = worker_killed
    attempts = [(t["try_number"], t["state"], _worker(t["hostname"])) for t in tries]
    _record(
        "worker killed",
        task=f"{victim['task_id']}[{victim['map_index']}]",
        attempts=attempts,
        run=state,
        night_after_kill_s=victim["night_after_kill_s"],
    )
    assert state == "success", output[-3000:]
    first, last = tries[0], tries[-1]
    assert _worker(first["hostname"]) == "worker-1"
    assert first["state"] == "failed"
    assert last["try_number"] > first["try_number"]
    assert (last["state"], _worker(last["hostname"])) == ("success", "worker-2")


def test_after_the_kill_nothing_was_lost_or_counted_twice(worker_killed, clean_night):
    warehouse, _, _, instances, _, _ = worker_killed
    assert all(ti["state"] in ("success", "skipped") for ti in instances)
    assert losses(warehouse, clean_night) == (0, 0)
    assert ledger_state(warehouse) == ledger_state(clean_night)
    assert links_state(warehouse) == links_state(clean_night)
    assert review_state(warehouse) == review_state(clean_night)
    assert marts_snapshot(warehouse) == marts_snapshot(clean_night)
