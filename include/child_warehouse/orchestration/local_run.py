"""Run a DAG once through Airflow in-process (`airflow dags test`) and report its real outcome.

`airflow dags test` exits 0 even when tasks fail, so the outcome is read back from Airflow's
metadata: the run's state and the tasks that did not succeed.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from child_warehouse.orchestration.environment import airflow_environment

DAG_ID = "nightly_load"
_UNSUCCESSFUL = {"failed", "upstream_failed", "up_for_retry"}


@dataclass(frozen=True)
class NightOutcome:
    run_id: str
    state: str
    failed_tasks: list[str]
    log_path: Path


def airflow(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    """The Airflow CLI of this environment, with the project's Airflow settings."""
    binary = str(Path(sys.executable).parent / "airflow")
    return subprocess.run([binary, *args], env=airflow_environment(), text=True, check=False, **kwargs)


def _json_from(output: str) -> list[dict]:
    """The JSON array Airflow prints on a line of its own, among the log lines it may print too."""
    for line in output.splitlines():
        if line.startswith("[{") or line.strip() == "[]":
            return json.loads(line)
    return []


def run_dag(dag_id: str, logical_date: str, log_path: Path, conf: dict | None = None) -> NightOutcome:
    """Run one DAG for a logical date (with run conf); the full Airflow log goes to `log_path`."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    extra = ["--conf", json.dumps(conf)] if conf else []
    started = dt.datetime.now(dt.UTC)
    with log_path.open("w") as log:
        airflow(["dags", "test", dag_id, logical_date, *extra], stdout=log, stderr=subprocess.STDOUT)
    runs = _json_from(airflow(["dags", "list-runs", dag_id, "-o", "json"], capture_output=True).stdout)
    # Only a run this call created: when the DAG failed to parse there is none, whatever ran before.
    ours = [r for r in runs if r.get("run_after") and dt.datetime.fromisoformat(r["run_after"]) >= started]
    if not ours:
        return NightOutcome("", "not started", [], log_path)
    latest = max(ours, key=lambda r: r["run_after"])
    states = _json_from(
        airflow(
            ["tasks", "states-for-dag-run", dag_id, latest["run_id"], "-o", "json"], capture_output=True
        ).stdout
    )
    failed = sorted(
        {
            f"{t['task_id']}[{t.get('map_index', -1)}]"
            if str(t.get("map_index", "-1")) != "-1"
            else t["task_id"]
            for t in states
            if t.get("state") in _UNSUCCESSFUL
        }
    )
    return NightOutcome(latest["run_id"], latest["state"], failed, log_path)


def run_night(logical_date: str, log_path: Path) -> NightOutcome:
    """Run the nightly DAG for a logical date."""
    return run_dag(DAG_ID, logical_date, log_path)
