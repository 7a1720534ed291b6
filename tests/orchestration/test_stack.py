"""The local Airflow stack: a private password, loopback only, and nothing left running after a stop."""

from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
import time
from contextlib import suppress
from pathlib import Path

import psutil
import pytest

from child_warehouse.orchestration import stack
from nights import CLI
from support import isolated_env


def test_the_password_file_is_private_and_keeps_its_password(tmp_path):
    made = stack.ensure_password_file(tmp_path)
    assert stat.S_IMODE(made.stat().st_mode) == 0o600
    assert len(json.loads(made.read_text())["admin"]) >= 20

    made.write_text(json.dumps({"admin": "chosen-by-the-engineer"}))
    made.chmod(0o644)  # as Airflow's own generator left it
    stack.ensure_password_file(tmp_path)
    assert stat.S_IMODE(made.stat().st_mode) == 0o600
    assert json.loads(made.read_text()) == {"admin": "chosen-by-the-engineer"}


def _group_members(pgids: set[int]) -> list[psutil.Process]:
    members = []
    for process in psutil.process_iter():
        try:
            if os.getpgid(process.pid) in pgids and process.status() != psutil.STATUS_ZOMBIE:
                members.append(process)
        except (psutil.Error, ProcessLookupError):
            continue
    return members


@pytest.mark.e2e
@pytest.mark.parametrize("when", ["serving", "starting"])
def test_the_stack_listens_on_loopback_only_and_a_sigterm_stops_every_process(
    tmp_path, tools, server_url, when
):
    """SIGTERM once the stack serves, or while its components are still starting: either way every
    process it started ends, and the command exits cleanly."""
    home = tmp_path / "local" / "airflow"
    home.mkdir(parents=True)
    shutil.copyfile(tools["airflow_db"], home / "airflow.db")
    env = isolated_env(server_url, tmp_path, "unused", AIRFLOW__API__PORT="0")
    serving = subprocess.Popen(
        [CLI, "airflow-stack", "serve"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        deadline = time.monotonic() + 180
        while when == "starting" and not (home / "stack.json").exists():
            assert time.monotonic() < deadline, "the stack did not start"
            time.sleep(0.2)
        while when == "serving" and (not (home / "stack.json").exists() or not _api_answers(home)):
            assert serving.poll() is None, serving.stdout.read()
            assert time.monotonic() < deadline, "the stack did not start"
            time.sleep(1)
        pgids = set(json.loads((home / "stack.json").read_text())["pids"].values())
        if when == "serving":
            # the stack asks the task execution API once, so its first task does not build its routes
            api_log = home / "logs" / "api-server.log"
            while "path=/execution/health" not in api_log.read_text(errors="replace"):
                assert time.monotonic() < deadline, "the execution API was not warmed"
                time.sleep(0.5)
            listening = {
                (c.laddr.ip, c.laddr.port)
                for p in _group_members(pgids)
                for c in _connections(p)
                if c.status == psutil.CONN_LISTEN
            }
            assert listening, "the API server listens somewhere"
            assert {ip for ip, _ in listening} <= {"127.0.0.1", "::1"}, listening
            assert len(listening) == 1, f"only the API server listens (no log servers): {listening}"

        serving.send_signal(signal.SIGTERM)
        output, _ = serving.communicate(timeout=120)
    finally:
        if serving.poll() is None:
            serving.kill()
    assert serving.returncode == 0, output
    assert _group_members(pgids) == [], "a component or task process outlived the stop"
    assert not (home / "stack.json").exists()
    password = json.loads((home / "simple_auth_manager_passwords.json").read_text())["admin"]
    assert password not in output
    assert password not in "".join(p.read_text(errors="replace") for p in (home / "logs").glob("*.log"))


def _connections(process: psutil.Process) -> list:
    try:
        return process.net_connections(kind="inet")
    except psutil.Error:
        return []


def _api_answers(home: Path) -> bool:
    port = json.loads((home / "stack.json").read_text())["port"]
    return stack.Stack(home, port).client().healthy()


def test_commands_sharing_a_stack_are_counted_while_alive(tmp_path):
    """The last command to leave a stack started for commands stops it: a command that died without
    leaving (SIGKILL) no longer counts, and DAGs to pause again are remembered once each."""
    home = tmp_path / "airflow"
    home.mkdir()
    users = home / "stack-users"
    users.mkdir()
    (users / str(os.getpid())).touch()
    dead = subprocess.Popen(["true"])  # noqa: S607
    dead.wait()
    (users / str(dead.pid)).touch()
    assert stack._live_users(home) == [os.getpid()]
    assert not (users / str(dead.pid)).exists()

    (home / "stack.json").write_text(json.dumps({"port": 1, "pids": {}, "for_commands": True}))
    shared = stack.Stack(home, 1)
    for _ in range(2):
        stack.keep_paused_after(shared, "nightly_load")
    assert json.loads((home / "stack.json").read_text())["repause"] == ["nightly_load"]
    assert stack.for_commands(shared)


def test_a_stop_signal_swallowed_by_library_code_still_stops_the_start(tmp_path, monkeypatch):
    """The signal handler only sets a flag: a SIGTERM that lands while a library catches `Exception`
    (say, during `import requests`) still stops the start, and what was launched is stopped."""
    monkeypatch.setenv("CHILD_WAREHOUSE_LOCAL_DIR", str(tmp_path))
    stopped: list[stack.Stack] = []

    def _launch(home, _env, port, _schedule):
        with suppress(Exception):  # library code that would swallow an exception raised by the handler
            signal.raise_signal(signal.SIGTERM)
        return stack.Stack(home, port, pids={}, started_here=True)

    monkeypatch.setattr(stack, "_launch", _launch)
    monkeypatch.setattr(stack, "stop", stopped.append)
    said: list[str] = []
    before = signal.getsignal(signal.SIGTERM)
    assert stack.serve(said.append) == 0
    assert said == ["Stopping Airflow…"]
    assert len(stopped) == 1, "what was launched is stopped once"
    assert signal.getsignal(signal.SIGTERM) == before, "the caller's handler is back"


def test_what_is_left_of_a_dead_stack_is_stopped_before_another_starts(tmp_path):
    """A stack whose API server died (or whose command was killed) may leave its scheduler running:
    the next start stops it, so two schedulers never share one metadata database. A recorded process
    id that now belongs to someone else (no Airflow in it) is left alone."""
    import sys

    def _group(*command: str) -> subprocess.Popen:
        return subprocess.Popen(list(command), start_new_session=True)

    scheduler = _group(sys.executable, "-c", "import time; time.sleep(120)", "airflow", "scheduler")
    stranger = _group(sys.executable, "-c", "import time; time.sleep(120)")
    gone = _group("true")
    gone.wait()
    home = tmp_path / "airflow"
    home.mkdir()
    pids = {"scheduler": scheduler.pid, "dag-processor": stranger.pid, "api-server": gone.pid}
    (home / "stack.json").write_text(json.dumps({"port": 1, "pids": pids}))
    try:
        stack._stop_remains(home)
        assert scheduler.wait(timeout=60) is not None, "the old scheduler was stopped"
        assert stranger.poll() is None, "a process that is not Airflow's is left alone"
        assert not (home / "stack.json").exists()
        stack._stop_remains(home)  # nothing recorded: nothing to do
    finally:
        for process in (scheduler, stranger):
            process.kill()
            process.wait()


@pytest.mark.parametrize(
    ("arguments", "ours"),
    [
        (["/srv/app/.venv/bin/python", "/srv/app/.venv/bin/airflow", "dag-processor"], True),
        (["airflow api_server -- host:127.0.0.1 port:8080"], True),
        (["/usr/bin/python3", "-m", "child_warehouse.orchestration.preload", "scheduler"], True),
        (["/usr/bin/redis-server", "/srv/airflow/redis/redis.conf"], True),
        (["/srv/airflow-ci/.venv/bin/python", "-c", "import time"], False),
        (["bash", "-c", "echo airflow"], False),
    ],
)
def test_only_airflows_own_processes_count_as_a_stacks(arguments, ours):
    assert stack._is_ours(arguments) is ours


def test_a_stack_whose_processes_live_is_given_time_to_answer(tmp_path, monkeypatch):
    """A busy API server can miss a health check: a command asks again for as long as its patience
    lasts before it takes the stack for dead (and so would stop it to start its own)."""
    home = tmp_path / "airflow"
    home.mkdir()
    (home / "stack.json").write_text(json.dumps({"port": 1, "pids": {"scheduler": os.getpid()}}))
    env = {"AIRFLOW_HOME": str(home)}
    answers = iter([False, False, True])

    class _Client:
        def healthy(self) -> bool:
            return next(answers)

    monkeypatch.setattr(stack.Stack, "client", lambda self: _Client())
    monkeypatch.setattr(stack.time, "sleep", lambda _seconds: None)
    assert stack.running(env) is None, "without patience, one missed answer is enough"
    found = stack.running(env, patience=60)
    assert found is not None
    assert found.pids == {"scheduler": os.getpid()}


def test_serve_refuses_a_second_stack_in_the_same_home(tmp_path, monkeypatch):
    monkeypatch.setenv("CHILD_WAREHOUSE_LOCAL_DIR", str(tmp_path))
    serving = stack.Stack(tmp_path / "airflow", 8793)
    monkeypatch.setattr(stack, "running", lambda **_: serving)
    monkeypatch.setattr(stack, "start", lambda **_: pytest.fail("a second stack was started"))
    said: list[str] = []
    assert stack.serve(said.append) == 1
    assert said == [
        "Airflow already runs for this home at http://127.0.0.1:8793; stop it first with `make airflow-stop`."
    ]


def test_the_processes_tasks_are_forked_from_have_the_task_code_imported(monkeypatch):
    """The LocalExecutor's scheduler (and, with Celery, each worker) runs Airflow's CLI through
    preload.py, so a forked task finds Great Expectations imported; the other components do not."""
    import sys

    monkeypatch.setenv("CHILD_WAREHOUSE_AIRFLOW_EXECUTOR", "local")
    local = stack._components()
    assert local["scheduler"][0][:3] == [sys.executable, "-m", "child_warehouse.orchestration.preload"]
    assert local["scheduler"][0][3:] == stack.COMPONENTS["scheduler"]
    assert all(
        Path(command[0]).name == "airflow" for name, (command, _) in local.items() if name != "scheduler"
    )
    monkeypatch.setenv("CHILD_WAREHOUSE_AIRFLOW_EXECUTOR", "celery")
    celery = stack._components()
    assert Path(celery["scheduler"][0][0]).name == "airflow"
    workers = [command for name, (command, _) in celery.items() if name.startswith("worker-")]
    assert workers
    assert all(command[:3] == stack.PRELOADED and command[3:5] == ["celery", "worker"] for command in workers)


def test_the_preloading_command_is_airflows_own_cli():
    shown = subprocess.run(
        [*stack.PRELOADED, "version"], capture_output=True, text=True, check=True, timeout=300
    )
    import airflow

    assert shown.stdout.strip().splitlines()[-1] == airflow.__version__
