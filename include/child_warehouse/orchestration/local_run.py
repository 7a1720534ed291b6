"""Run a DAG once the way production runs it, wait for it, and report its real outcome.

The run is triggered through Airflow's REST API on the local stack (stack.py): the one an engineer
started with `make airflow`, or one started for the commands using it and stopped after the last.
The scheduler queues it and the executor runs its tasks in their own processes, so the run has its
true duration, every task writes its log, and the UI shows it like any scheduled night. Each call
without a date adds a run; a night's date has one run, which a second call finishes or repeats
(`_resume`).
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import pendulum

from child_warehouse import settings
from child_warehouse.orchestration import stack as local_stack
from child_warehouse.orchestration.environment import airflow_environment
from child_warehouse.orchestration.rest import unsuccessful_tasks

DAG_ID = "nightly_load"
EMPTY = "ran no task"  # a run Airflow marks successful although it had nothing to run
NIGHT_TIME = (1, 30)  # the nightly schedule's local time: `--date D` is the night of D at 01:30
WAIT_HOURS = 6


@dataclass(frozen=True)
class NightOutcome:
    run_id: str
    state: str
    failed_tasks: list[str]
    log_path: Path
    url: str = ""
    seconds: float | None = None


def airflow(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    """The Airflow CLI of this environment, with the project's Airflow settings."""
    binary = str(Path(sys.executable).parent / "airflow")
    return subprocess.run([binary, *args], env=airflow_environment(), text=True, check=False, **kwargs)


def night_logical_date(day: str) -> str:
    """The scheduled night of a calendar day: 01:30 in Vietnam, as the cron schedule has it."""
    date = dt.date.fromisoformat(day)
    at = pendulum.datetime(date.year, date.month, date.day, *NIGHT_TIME, tz=settings.TIMEZONE)
    return at.isoformat()


def run_dag(
    dag_id: str, logical_date: str | None, log_path: Path, conf: dict | None = None, echo=print
) -> NightOutcome:
    """Trigger one run (logical date None: a manual run at the present moment) and wait for it.

    `log_path` gets what this command did; each task's own log is in Airflow's log folder, where
    the UI reads it."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC)
    run_id = f"manual__{now.isoformat(timespec='seconds')}"
    with log_path.open("a", encoding="utf-8") as log:

        def note(text: str) -> None:
            log.write(f"{dt.datetime.now(dt.UTC).isoformat(timespec='seconds')} {text}\n")
            log.flush()
            echo(text)

        with local_stack.ensured(schedule=False) as stack:
            note(f"Airflow at {stack.url} ({'started for this run' if stack.started_here else 'running'})")
            client = stack.client()
            client.wait_for_dag(dag_id)
            was_paused = client.paused(dag_id)
            client.set_paused(dag_id, False)  # the scheduler runs no task of a paused DAG's runs
            temporary = local_stack.for_commands(stack)
            if was_paused and temporary:  # paused again when the stack stops (after every command's run)
                local_stack.keep_paused_after(stack, dag_id)
            if was_paused and not temporary:
                note(
                    f"{dag_id} was paused and is now unpaused, so this run can execute: its schedule runs "
                    "from now on (Airflow also starts the last missed scheduled run); pause it in the UI "
                    "if that is not wanted"
                )
            existing = client.run_for_date(dag_id, logical_date) if logical_date else None
            if existing is None:
                client.trigger(dag_id, run_id, logical_date, conf)
                url = f"{stack.url}/dags/{dag_id}/runs/{run_id}"
                note(f"Triggered {dag_id} run {run_id}: {url}")
            else:
                run_id = existing.run_id
                url = f"{stack.url}/dags/{dag_id}/runs/{run_id}"
                note(_resume(client, dag_id, existing, conf))
                note(f"Following {dag_id} run {run_id}: {url}")
            state = client.wait_for_run(dag_id, run_id, WAIT_HOURS * 3600, stack_alive=stack.serving)
            instances = client.task_instances(dag_id, run_id)
            failed = unsuccessful_tasks(instances)
            if outcome_state(state.state, instances) == EMPTY:
                state = replace(state, state=EMPTY)
                note(f"Run {run_id} ran no task: its logical date {logical_date} precedes {dag_id}'s start")
    seconds = _seconds(state.start_date, state.end_date)
    took = f" in {seconds:.0f} s" if seconds is not None else ""
    with log_path.open("a", encoding="utf-8") as log:
        log.write(f"Run {run_id}: {state.state}{took}; not successful: {', '.join(failed) or 'none'}\n")
    return NightOutcome(run_id, state.state, failed, log_path, url, seconds)


def outcome_state(airflow_state: str, task_instances: list[dict]) -> str:
    """The run's outcome as the command reports it: Airflow's state, except that a run it marks
    successful without a single task instance (a logical date before the DAG's start date) did nothing."""
    return EMPTY if airflow_state == "success" and not task_instances else airflow_state


def _resume(client, dag_id: str, existing, conf: dict | None) -> str:
    """A night's date has one run in Airflow: running it again finishes or repeats that run.

    Still running (or queued): left by a night that was killed, most often; the scheduler takes up
    the tasks whose processes died, and this command waits for it. Failed: its failed tasks and what
    they held back run again. Succeeded: all of its tasks run again, as a new night would. Every
    stage reads its work from the ledger, so nothing is loaded or counted twice either way."""
    if conf:
        raise local_stack.StackError(
            f"{dag_id} already has run {existing.run_id} for that night; a reprocess or dry run is "
            "triggered without --date (a manual run now)"
        )
    if existing.state in ("running", "queued"):
        return (
            f"The night already has run {existing.run_id}, still {existing.state} (a night that was "
            "killed leaves its run so): the scheduler takes up its unfinished tasks; waiting for it"
        )
    cleared = client.clear(dag_id, existing.run_id, only_failed=existing.state == "failed")
    which = "its failed tasks and those after them" if existing.state == "failed" else "all of its tasks"
    return (
        f"The night already had run {existing.run_id} ({existing.state}): {which} run again "
        f"({cleared} cleared)"
    )


def _seconds(start: str | None, end: str | None) -> float | None:
    if not start or not end:
        return None
    return (dt.datetime.fromisoformat(end) - dt.datetime.fromisoformat(start)).total_seconds()


def run_night(day: str | None, log_path: Path, conf: dict | None = None, echo=print) -> NightOutcome:
    """Run the nightly DAG: for a calendar day's night, or (no day) a manual run now."""
    return run_dag(DAG_ID, night_logical_date(day) if day else None, log_path, conf, echo=echo)
