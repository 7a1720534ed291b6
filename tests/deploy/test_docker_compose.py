"""docker-compose.yaml: valid Compose, secrets from .env only, and in step with the native setup."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from compose_checks import (
    COMPOSE_FILE,
    Check,
    Doc,
    anchor_violations,
    compose_command,
    dependency_violations,
    environment,
    port_violations,
    required_variables,
    resolve_defaults,
    secret_violations,
    server_setting_violations,
    unknown_settings,
    validate_against_compose_spec,
    volume_targets,
)

from child_warehouse import settings
from child_warehouse.orchestration.environment import airflow_environment

AIRFLOW_COMMANDS = {
    "airflow-apiserver": ["airflow", "api-server"],
    "airflow-scheduler": ["airflow", "scheduler"],
    "airflow-dag-processor": ["airflow", "dag-processor"],
    "airflow-triggerer": ["airflow", "triggerer"],
    "airflow-worker": ["python", "-m", "child_warehouse.orchestration.preload", "celery", "worker"],
}
REQUIRED_SERVICES = {*AIRFLOW_COMMANDS, "airflow-init", "redis", "warehouse-db", "airflow-db"}
# The settings every task needs; names and meanings as in include/child_warehouse/settings.py.
CONTAINER_SETTINGS = {
    "CHILD_WAREHOUSE_DB_URL",
    "CHILD_WAREHOUSE_LANDING_ROOT",
    "CHILD_WAREHOUSE_PSEUDONYM_KEY",
    "CHILD_WAREHOUSE_REJECT_SHARE",
    "CHILD_WAREHOUSE_ALERT_WEBHOOK",
    "CHILD_WAREHOUSE_LOCAL_DIR",
    "CHILD_WAREHOUSE_TASK_RETRY_DELAY",
    "CHILD_WAREHOUSE_LINKAGE_BACKEND",
}
# Airflow settings the native runtime (child_warehouse.orchestration.environment) and the stack must agree on.
AIRFLOW_PARITY = (
    "AIRFLOW__CORE__DEFAULT_TIMEZONE",
    "AIRFLOW__CORE__LOAD_EXAMPLES",
    "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS",
    "AIRFLOW__SCHEDULER__ORPHANED_TASKS_CHECK_INTERVAL",
    "AIRFLOW__WORKERS__MIN_HEARTBEAT_INTERVAL",
    "AIRFLOW__SCHEDULER__SCHEDULER_IDLE_SLEEP_TIME",
    "AIRFLOW__OPENLINEAGE__EXECUTE_IN_THREAD",
)


def test_file_is_valid_compose_specification() -> None:
    result = validate_against_compose_spec(COMPOSE_FILE)
    assert result.returncode == 0, result.stdout + result.stderr


def _rename_services(doc: Doc) -> None:
    doc["servicez"] = doc.pop("services")


def _bad_condition(doc: Doc) -> None:
    doc["services"]["airflow-worker"]["depends_on"]["airflow-init"]["condition"] = "service_finished"


def _string_healthcheck(doc: Doc) -> None:
    doc["services"]["airflow-apiserver"]["healthcheck"] = "curl localhost:8080"


@pytest.mark.parametrize("breakage", [_rename_services, _bad_condition, _string_healthcheck])
def test_validator_rejects_a_broken_copy(compose_doc: Doc, tmp_path: Path, breakage: Callable) -> None:
    breakage(compose_doc)
    broken = tmp_path / "docker-compose.yaml"
    broken.write_text(yaml.safe_dump(compose_doc), encoding="utf-8")
    assert validate_against_compose_spec(broken).returncode != 0


@pytest.mark.parametrize("missing", [None, "WAREHOUSE_DB_PASSWORD"])
def test_compose_renders_only_with_every_required_variable(
    compose_text: str, tmp_path: Path, missing: str | None
) -> None:
    command = compose_command()
    if command is None:
        pytest.skip("no docker compose or docker-compose binary here")
    env_file = tmp_path / ".env"
    names = [name for name in required_variables(compose_text) if name != missing]
    env_file.write_text(
        "".join(f"{name}=dummy{index}\n" for index, name in enumerate(names)), encoding="utf-8"
    )
    args = [*command, "--project-directory", str(tmp_path), "--env-file", str(env_file)]
    result = subprocess.run(
        [*args, "-f", str(COMPOSE_FILE), "config", "-q"], capture_output=True, text=True, check=False
    )
    assert (result.returncode == 0) == (missing is None), result.stdout + result.stderr


def test_airflow_settings_match_native_runtime(compose_source: Doc, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in AIRFLOW_PARITY:
        monkeypatch.delenv(name, raising=False)
    native, stack = airflow_environment(), environment(compose_source["x-airflow-common"])
    for name in AIRFLOW_PARITY:
        assert resolve_defaults(stack[name]).lower() == native[name].lower(), name


def test_celery_settings_match_the_native_celery_stack(compose_source: Doc, tmp_path: Path) -> None:
    """`make airflow-celery` (orchestration/celery_stack.py) runs what Compose runs: the same executor
    and heartbeat timeout, a password-protected Redis broker, results and metadata in PostgreSQL."""
    from child_warehouse.orchestration import celery_stack

    native = celery_stack.environment(tmp_path, "postgresql://admin:secret@127.0.0.1:5432/child_warehouse")
    stack = environment(compose_source["x-airflow-common"])
    for name in (
        "AIRFLOW__CORE__EXECUTOR",
        "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT",
        "AIRFLOW__SCHEDULER__TASK_QUEUED_TIMEOUT",
        "AIRFLOW__SCHEDULER__TASK_QUEUED_TIMEOUT_CHECK_INTERVAL",
    ):
        assert resolve_defaults(stack[name]) == native[name], name
    # Airflow queues no more tasks than one worker of each has slots (natively: all workers' slots)
    worker = environment(compose_source["services"]["airflow-worker"])
    slots = int(resolve_defaults(worker["AIRFLOW__CELERY__WORKER_CONCURRENCY"]))
    assert int(resolve_defaults(stack["AIRFLOW__CORE__PARALLELISM"])) == slots
    assert (
        int(native["AIRFLOW__CORE__PARALLELISM"]) == settings.celery_workers() * settings.celery_concurrency()
    )
    for name in (
        "AIRFLOW__CELERY__BROKER_URL",
        "AIRFLOW__CELERY__RESULT_BACKEND",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN",
    ):
        assert urlsplit(stack[name]).scheme == urlsplit(native[name]).scheme, name
        assert urlsplit(native[name]).password, name
    assert native["AIRFLOW__CELERY__RESULT_BACKEND"] == "db+" + native[
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"
    ].replace("+psycopg2", "")


def test_redis_keeps_queued_tasks_as_natively(compose_source: Doc, tmp_path: Path) -> None:
    from child_warehouse.orchestration import celery_stack

    native = celery_stack.redis_config(tmp_path, 6390).read_text(encoding="utf-8").splitlines()
    assert {"appendonly yes", "bind 127.0.0.1"} <= set(native)
    assert oct((tmp_path / "redis" / "redis.conf").stat().st_mode & 0o777) == "0o600"  # it holds the password
    redis = compose_source["services"]["redis"]
    assert redis["command"][redis["command"].index("--appendonly") + 1] == "yes"
    assert volume_targets(redis).get("/data") == "rw"


def test_every_stage_has_its_own_login_and_dbt_uses_the_transformers(compose_source: Doc) -> None:
    """Each pipeline group's login URL is set, with a password of its own; Cosmos's Airflow connection
    is the transformer's login, as natively."""
    from child_warehouse.db.roles import GROUPS, login_name
    from child_warehouse.orchestration.dbt import CONNECTION_ID

    stack = environment(compose_source["x-airflow-common"])
    passwords = set()
    for group in GROUPS:
        url = stack[f"CHILD_WAREHOUSE_{group.upper()}_DB_URL"]
        assert url.startswith(f"postgresql://{login_name(group)}:"), group
        passwords.add(url.split(":", 2)[2].split("@")[0])
    assert len(passwords) == len(GROUPS)
    assert stack[f"AIRFLOW_CONN_{CONNECTION_ID.upper()}"] == stack["CHILD_WAREHOUSE_TRANSFORMER_DB_URL"]
    # the superuser's URL is there for airflow-init's migrations; every stage uses its own login
    assert stack["CHILD_WAREHOUSE_DB_URL"].startswith("postgresql://${WAREHOUSE_DB_USER:-warehouse_admin}:")


def test_no_obsolete_version_key(compose_source: Doc) -> None:
    assert "version" not in compose_source


def test_required_services_present(compose_source: Doc) -> None:
    assert REQUIRED_SERVICES - set(compose_source["services"]) == set()


@pytest.mark.parametrize(("service", "command"), AIRFLOW_COMMANDS.items())
def test_airflow_service_runs_its_component(compose_source: Doc, service: str, command: list[str]) -> None:
    assert compose_source["services"][service]["command"] == command


def test_databases_are_separate_postgres_15(compose_source: Doc) -> None:
    warehouse, metadata = compose_source["services"]["warehouse-db"], compose_source["services"]["airflow-db"]
    assert warehouse["image"] == metadata["image"] == "postgres:15"
    assert warehouse["volumes"] != metadata["volumes"]


def test_redis_is_version_7(compose_source: Doc) -> None:
    assert compose_source["services"]["redis"]["image"].startswith("redis:7")


def test_worker_can_scale(compose_source: Doc) -> None:
    worker = compose_source["services"]["airflow-worker"]
    assert "container_name" not in worker
    assert "ports" not in worker


def test_execution_api_points_at_the_api_server(compose_source: Doc) -> None:
    url = urlsplit(environment(compose_source["x-airflow-common"])["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"])
    assert url.hostname == "airflow-apiserver"
    assert url.hostname in compose_source["services"]
    assert url.port == 8080
    assert url.path == "/execution/"


def test_api_server_health_check_uses_monitor_endpoint(compose_source: Doc) -> None:
    test = compose_source["services"]["airflow-apiserver"]["healthcheck"]["test"]
    assert any(str(part).endswith(":8080/api/v2/monitor/health") for part in test)


def test_containers_get_every_task_setting(compose_source: Doc) -> None:
    assert CONTAINER_SETTINGS - set(environment(compose_source["x-airflow-common"])) == set()


def test_landing_read_only_and_work_folder_mounted(compose_source: Doc) -> None:
    worker = compose_source["services"]["airflow-worker"]
    env, mounts = environment(worker), volume_targets(worker)
    assert mounts.get(env["CHILD_WAREHOUSE_LANDING_ROOT"]) == "ro"
    assert mounts.get(env["CHILD_WAREHOUSE_LOCAL_DIR"]) == "rw"


def test_settings_names_follow_settings_module(compose_text: str, known_settings: set[str]) -> None:
    assert unknown_settings(compose_text, known_settings) == []


def test_unknown_setting_name_is_caught(compose_text: str, known_settings: set[str]) -> None:
    broken = compose_text.replace("CHILD_WAREHOUSE_REJECT_SHARE:", "CHILD_WAREHOUSE_REJECTION_SHARE:")
    assert unknown_settings(broken, known_settings) == ["CHILD_WAREHOUSE_REJECTION_SHARE"]


def _literal_password(doc: Doc) -> None:
    doc["services"]["warehouse-db"]["environment"]["POSTGRES_PASSWORD"] = "hunter2"


def _defaulted_secret(doc: Doc) -> None:
    doc["services"]["airflow-db"]["environment"]["POSTGRES_PASSWORD"] = "${AIRFLOW_DB_PASSWORD:-airflow}"


def _password_in_url(doc: Doc) -> None:
    svc = doc["services"]["airflow-scheduler"]
    svc["environment"] = {**svc["environment"], "AIRFLOW__CELERY__BROKER_URL": "redis://:s3cret@redis:6379/0"}


def _public_port(doc: Doc) -> None:
    doc["services"]["airflow-apiserver"]["ports"] = ["8080:8080"]


def _other_image(doc: Doc) -> None:
    doc["services"]["airflow-worker"]["image"] = "apache/airflow:3.3.2"


def _local_executor(doc: Doc) -> None:
    svc = doc["services"]["airflow-scheduler"]
    svc["environment"] = {**svc["environment"], "AIRFLOW__CORE__EXECUTOR": "LocalExecutor"}


def _unhealthy_dependency(doc: Doc) -> None:
    del doc["services"]["redis"]["healthcheck"]


def _drifted_server_setting(doc: Doc) -> None:
    command = doc["services"]["warehouse-db"]["command"]
    command[command.index("work_mem=64MB")] = "work_mem=4MB"


CHECKS: dict[str, tuple[Check, Callable[[Doc], None]]] = {
    "literal password": (secret_violations, _literal_password),
    "defaulted secret": (secret_violations, _defaulted_secret),
    "password in URL": (secret_violations, _password_in_url),
    "port on every interface": (port_violations, _public_port),
    "service off the anchor": (anchor_violations, _other_image),
    "other executor": (anchor_violations, _local_executor),
    "healthy wait without healthcheck": (dependency_violations, _unhealthy_dependency),
    "server settings drift from native": (server_setting_violations, _drifted_server_setting),
}


@pytest.mark.parametrize("check", sorted({check for check, _ in CHECKS.values()}, key=lambda c: c.__name__))
def test_compose_passes_check(compose_source: Doc, check: Check) -> None:
    assert check(compose_source) == []


@pytest.mark.parametrize(("check", "breakage"), CHECKS.values(), ids=list(CHECKS))
def test_check_catches_broken_copy(compose_doc: Doc, check: Check, breakage: Callable[[Doc], None]) -> None:
    breakage(compose_doc)
    assert check(compose_doc) != []
