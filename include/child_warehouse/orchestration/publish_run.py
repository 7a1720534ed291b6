"""`child-warehouse publish`: a publish_period run through Airflow's REST API, answered there.

The command triggers `publish_period` for the periods (or follows the run already waiting for them,
such as the one a night suggested), waits until its `national_sign_off` task asks for a decision,
prints what the reviewer is shown, then either answers as the logged-in Airflow user (`--approve`,
`--reject`) or waits for a reviewer to answer in the UI's Required Actions page. The answer goes
through the same API the page uses, so Airflow records who gave it."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from child_warehouse.orchestration import stack as local_stack
from child_warehouse.orchestration.publication import APPROVE, REJECT
from child_warehouse.orchestration.rest import FINISHED, AirflowApiError

DAG_ID, SIGN_OFF = "publish_period", "national_sign_off"
AWAITING = {"awaiting_input", "deferred"}


@dataclass(frozen=True)
class PublishOutcome:
    run_id: str
    state: str
    decision: str | None
    release_number: int | None


def _existing(client, periods: list[str] | None) -> tuple[str | None, list[str] | None]:
    """The run already waiting: for these periods, or (periods None) the one a night suggested. A run
    waiting for other periods blocks a new one (publish_period runs one at a time): say so."""
    for run in client.active_runs(DAG_ID):
        theirs = sorted((run.get("conf") or {}).get("periods") or [])
        if theirs == periods or (periods is None and run["dag_run_id"].startswith("suggested__")):
            return run["dag_run_id"], theirs
        raise local_stack.StackError(
            f"publish_period run {run['dag_run_id']} is waiting for periods {', '.join(theirs)}: answer it "
            "(child-warehouse publish --periods with those periods) or reject it in Required Actions first"
        )
    return None, periods


# An answer given within moments of the task pausing can reach Airflow 3.3 before the executor has
# reported the paused workload finished; the scheduler then takes that report for a task killed
# externally, retries the task from the start and the answer is dropped (the scheduler's log says
# "finished with state success, but the task instance's state attribute is queued"). A person rarely
# answers that fast; a command waits until the task has waited SETTLE_SECONDS, and if Airflow drops
# the answer all the same (a loaded machine reports late), answers the retried task again, waiting
# twice as long each time (5, 10, 20, 40 s): three drops in a row were seen on a loaded CI machine.
SETTLE_SECONDS = 5.0
ANSWERS = 4


def wait_for_sign_off(
    client, run_id: str, wait_seconds: float, poll: float = 1, settle: float = SETTLE_SECONDS
) -> str:
    """Until the sign-off task has waited for a person `settle` seconds (or the run ends first); its state."""
    deadline = time.monotonic() + wait_seconds
    waiting_since = None
    while True:
        state = client.task_state(DAG_ID, run_id, SIGN_OFF)
        if state in AWAITING:
            waiting_since = waiting_since or time.monotonic()
            if time.monotonic() - waiting_since >= settle:
                return state
        else:
            waiting_since = None
        if client.run(DAG_ID, run_id).state in FINISHED:
            return state or "none"
        if time.monotonic() > deadline:
            raise AirflowApiError(f"{run_id}: the sign-off task did not ask for a decision in time ({state})")
        time.sleep(poll)


def answer_sign_off(client, run_id: str, chosen: str, note: str | None, echo=print) -> None:
    """Answer the waiting sign-off as the client's user; answer again if Airflow drops the answer."""
    for attempt in range(ANSWERS):
        before = int(client.task_instance(DAG_ID, run_id, SIGN_OFF).get("try_number") or 0)
        client.respond(DAG_ID, run_id, SIGN_OFF, [chosen], {"note": note or ""})
        deadline = time.monotonic() + 900
        while time.monotonic() < deadline:
            instance = client.task_instance(DAG_ID, run_id, SIGN_OFF)
            state, tried = instance.get("state"), int(instance.get("try_number") or 0)
            if state == "success" or client.run(DAG_ID, run_id).state in FINISHED:
                return
            if tried > before and state in AWAITING:
                break  # retried from the start: the answer was dropped
            time.sleep(1)
        else:
            raise AirflowApiError(f"{run_id}: the sign-off task neither resumed nor asked again")
        echo("Airflow dropped the answer (it came while the task was still being parked): answering again")
        wait_for_sign_off(client, run_id, 900, settle=SETTLE_SECONDS * 2 ** (attempt + 1))
    raise AirflowApiError(f"{run_id}: Airflow dropped the answer {ANSWERS} times")


def run_publication(
    periods: list[str] | None, decision: str | None, note: str | None, echo=print
) -> PublishOutcome:
    """Trigger (or follow) the periods' publish_period run, answer it or wait for an answer. Periods
    None: the run the last night suggested, if one waits (else nothing is done)."""
    periods = sorted(set(periods)) if periods is not None else None
    with local_stack.ensured(schedule=False) as stack:
        client = stack.client()
        client.wait_for_dag(DAG_ID)
        if client.paused(DAG_ID):
            client.set_paused(DAG_ID, False)
            if local_stack.for_commands(stack):
                local_stack.keep_paused_after(stack, DAG_ID)
        run_id, periods = _existing(client, periods)
        if run_id is None and periods is None:
            echo("No suggested publish_period run waits: no period is ready, or it is published as it is")
            return PublishOutcome("", "none", None, None)
        if run_id is None:
            run_id = f"manual__{dt.datetime.now(dt.UTC).isoformat(timespec='seconds')}"
            client.trigger(DAG_ID, run_id, None, {"periods": periods})
            echo(f"Triggered {DAG_ID} run {run_id} for {', '.join(periods)}")
        else:
            echo(f"Following {DAG_ID} run {run_id}, already waiting for {', '.join(periods)}")
        state = wait_for_sign_off(client, run_id, 1800)
        if state in AWAITING:
            detail = client.hitl_detail(DAG_ID, run_id, SIGN_OFF)
            echo(f"\n{detail['subject']}\n\n{detail.get('body') or ''}\n")
            if decision is None:
                echo(f"Waiting for a reviewer in Required Actions: {stack.url}/required_actions")
            else:
                chosen = APPROVE if decision == "approve" else REJECT
                answer_sign_off(client, run_id, chosen, note, echo)
                echo(f"Answered {chosen!r} as the Airflow user {local_stack.ADMIN}")
        final = client.wait_for_run(DAG_ID, run_id, 24 * 3600, stack_alive=stack.serving)
        answer = client.hitl_detail(DAG_ID, run_id, SIGN_OFF) if state in AWAITING else {}
    chosen = (answer.get("chosen_options") or [None])[0]
    return PublishOutcome(run_id, final.state, chosen, _release_of(run_id))


def _release_of(run_id: str) -> int | None:
    from child_warehouse.db.connection import fetch_all

    found = fetch_all("select release_number from release.releases where dag_run_id = %s", (run_id,))
    return found[0][0] if found else None
