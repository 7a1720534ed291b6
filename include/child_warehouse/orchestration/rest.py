"""Airflow's stable REST API (v2), as much of it as the project's commands use.

Runs are triggered and followed through the API server, as an engineer's browser or the
department's scheduler would, so a run started by `child-warehouse night` is an ordinary run:
the scheduler queues it, the executor runs its tasks, their logs are written, and the UI shows it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import requests

FINISHED = {"success", "failed"}
UNSUCCESSFUL = {"failed", "upstream_failed", "up_for_retry"}


class AirflowApiError(RuntimeError):
    pass


@dataclass(frozen=True)
class RunState:
    run_id: str
    state: str
    start_date: str | None
    end_date: str | None


class AirflowClient:
    def __init__(self, base_url: str, username: str, password: str, timeout: float = 30):
        self.base_url = base_url.rstrip("/")
        self._credentials = {"username": username, "password": password}
        self._timeout = timeout
        self._session = requests.Session()
        self._token: str | None = None

    def healthy(self) -> bool:
        try:
            answer = self._session.get(f"{self.base_url}/api/v2/monitor/health", timeout=5)
        except requests.RequestException:
            return False
        return answer.ok

    def warm_execution_api(self) -> bool:
        """Ask the task execution API once, so it builds its versioned routes now (Cadwyn does that on
        the API's first request: about 3 s on two cores) and not in the first task of the next run."""
        try:
            return self._session.get(f"{self.base_url}/execution/health", timeout=60).ok
        except requests.RequestException:
            return False

    def accepts_login(self) -> bool:
        """Our credentials open this Airflow: it is ours, not another home's on the same port."""
        try:
            self._authorise()
        except (AirflowApiError, requests.RequestException):
            return False
        return True

    def _authorise(self) -> None:
        answer = self._session.post(
            f"{self.base_url}/auth/token", json=self._credentials, timeout=self._timeout
        )
        if not answer.ok:
            raise AirflowApiError(f"Airflow refused the login ({answer.status_code}): {answer.text[:200]}")
        self._token = answer.json()["access_token"]

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        if self._token is None:
            self._authorise()
        for attempt in (1, 2):
            answer = self._session.request(
                method,
                f"{self.base_url}/api/v2{path}",
                headers={"Authorization": f"Bearer {self._token}"},
                timeout=self._timeout,
                **kwargs,
            )
            if answer.status_code == 401 and attempt == 1:  # the token expired: log in again
                self._authorise()
                continue
            return answer
        return answer

    def _json(self, method: str, path: str, **kwargs) -> dict:
        answer = self.request(method, path, **kwargs)
        if not answer.ok:
            raise AirflowApiError(f"{method} {path}: {answer.status_code} {answer.text[:500]}")
        return answer.json()

    def wait_for_dag(self, dag_id: str, wait_seconds: float = 300) -> None:
        """Until the dag-processor has parsed the DAG; a DAG that fails to import says why."""
        deadline = time.monotonic() + wait_seconds
        while True:
            if self.request("GET", f"/dags/{dag_id}").ok:
                return
            errors = [
                e
                for e in self._json("GET", "/importErrors").get("import_errors", [])
                if (e.get("filename") or "").endswith(f"/{dag_id}.py")  # one DAG per file, named so
            ]
            if errors or time.monotonic() > deadline:
                detail = errors[0].get("stack_trace", "")[-1500:] if errors else "not parsed in time"
                raise AirflowApiError(f"DAG {dag_id} is not available: {detail}")
            time.sleep(2)

    def paused(self, dag_id: str) -> bool:
        return bool(self._json("GET", f"/dags/{dag_id}")["is_paused"])

    def set_paused(self, dag_id: str, paused: bool) -> None:
        self._json(
            "PATCH", f"/dags/{dag_id}", params={"update_mask": "is_paused"}, json={"is_paused": paused}
        )

    def trigger(self, dag_id: str, run_id: str, logical_date: str | None, conf: dict | None) -> RunState:
        body = {"dag_run_id": run_id, "logical_date": logical_date, "conf": conf or {}}
        return _run(self._json("POST", f"/dags/{dag_id}/dagRuns", json=body))

    def run_for_date(self, dag_id: str, logical_date: str) -> RunState | None:
        """The run of `dag_id` at exactly `logical_date` (one at most: Airflow keeps dates unique)."""
        runs = self._json(
            "GET",
            f"/dags/{dag_id}/dagRuns",
            params={"logical_date_gte": logical_date, "logical_date_lte": logical_date, "limit": 1},
        )["dag_runs"]
        return _run(runs[0]) if runs else None

    def clear(self, dag_id: str, run_id: str, *, only_failed: bool) -> int:
        """Clear a finished run's tasks (its failed ones and what they held back, or all of them) so the
        scheduler runs them again in the same run; the number of task instances cleared."""
        body = {"dag_run_id": run_id, "dry_run": False, "only_failed": only_failed, "reset_dag_runs": True}
        if only_failed:
            body["include_downstream"] = True
        answer = self._json("POST", f"/dags/{dag_id}/clearTaskInstances", json=body)
        return int(answer.get("total_entries", len(answer.get("task_instances", []))))

    def run(self, dag_id: str, run_id: str) -> RunState:
        return _run(self._json("GET", f"/dags/{dag_id}/dagRuns/{run_id}"))

    def wait_for_run(
        self, dag_id: str, run_id: str, wait_seconds: float, poll_seconds: float = 3, stack_alive=None
    ) -> RunState:
        """Until the run finishes (or the wait ends); `stack_alive()` False stops the wait at once."""
        deadline = time.monotonic() + wait_seconds
        while True:
            state = self.run(dag_id, run_id)
            if state.state in FINISHED or time.monotonic() > deadline:
                return state
            if stack_alive is not None and not stack_alive():
                raise AirflowApiError(f"Airflow stopped while run {run_id} was {state.state}")
            time.sleep(poll_seconds)

    def task_instances(self, dag_id: str, run_id: str) -> list[dict]:
        found: list[dict] = []
        while True:
            page = self._json(
                "GET",
                f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances",
                params={"limit": 100, "offset": len(found)},
            )
            found += page["task_instances"]
            if not page["task_instances"] or len(found) >= page["total_entries"]:
                return found

    def tries(self, dag_id: str, run_id: str, task_id: str, map_index: int = -1) -> list[dict]:
        """Every attempt of one task instance (try_number, state, hostname: which worker ran it)."""
        path = f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}/{map_index}/tries"
        return self._json("GET", path)["task_instances"]

    def active_runs(self, dag_id: str) -> list[dict]:
        """The DAG's queued and running runs, with their conf."""
        return self._json(
            "GET",
            f"/dags/{dag_id}/dagRuns",
            params=[("state", "queued"), ("state", "running"), ("limit", 100)],
        )["dag_runs"]

    def run_conf(self, dag_id: str, run_id: str) -> dict:
        return self._json("GET", f"/dags/{dag_id}/dagRuns/{run_id}").get("conf") or {}

    def task_instance(self, dag_id: str, run_id: str, task_id: str) -> dict:
        """An unmapped task instance (state, try_number, ...); empty before the scheduler made it."""
        answer = self.request("GET", f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}")
        return answer.json() if answer.ok else {}

    def task_state(self, dag_id: str, run_id: str, task_id: str) -> str | None:
        return self.task_instance(dag_id, run_id, task_id).get("state")

    def hitl_detail(self, dag_id: str, run_id: str, task_id: str, map_index: int = -1) -> dict:
        """A Human-in-the-loop task's request: subject, body, options, and the response once given."""
        return self._json(
            "GET", f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}/{map_index}/hitlDetails"
        )

    def respond(
        self, dag_id: str, run_id: str, task_id: str, chosen: list[str], params: dict | None = None
    ) -> dict:
        """Answer an unmapped Human-in-the-loop task as the logged-in user (what Required Actions does)."""
        return self._json(
            "PATCH",
            f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}/-1/hitlDetails",
            json={"chosen_options": chosen, "params_input": params or {}},
        )


def _run(payload: dict) -> RunState:
    return RunState(
        payload["dag_run_id"], payload["state"], payload.get("start_date"), payload.get("end_date")
    )


def unsuccessful_tasks(task_instances: list[dict]) -> list[str]:
    """`task[map index]` for every task instance that did not succeed, sorted."""
    return sorted(
        {
            f"{t['task_id']}[{t['map_index']}]" if t.get("map_index", -1) != -1 else t["task_id"]
            for t in task_instances
            if t.get("state") in UNSUCCESSFUL
        }
    )
