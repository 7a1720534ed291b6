"""docker-compose.yaml: valid Compose, secrets from .env only, and in step with the native setup."""

from __future__ import annotations

import itertools
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

PROJECT_ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = PROJECT_ROOT / "docker-compose.yaml"
CLUSTER_FILE = PROJECT_ROOT / "include" / "child_warehouse" / "db" / "cluster.py"
Doc = dict[str, Any]
Check = Callable[[Doc], list[str]]

AIRFLOW_COMMANDS = {
    "airflow-apiserver": ["airflow", "api-server"],
    "airflow-scheduler": ["airflow", "scheduler"],
    "airflow-dag-processor": ["airflow", "dag-processor"],
    "airflow-triggerer": ["airflow", "triggerer"],
    "airflow-worker": ["airflow", "celery", "worker"],
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
}
# The native cluster listens on its own port and socket; those lines are not server tuning.
NATIVE_ONLY_SERVER_SETTINGS = {"listen_addresses", "port", "unix_socket_directories"}

# ${NAME}, ${NAME:-default}, ${NAME:?message}; `$${...}` is Compose's escape, not interpolation.
INTERPOLATION = re.compile(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}")
SECRET_NAME = re.compile(r"PASSWORD|SECRET|FERNET|PSEUDONYM|_KEY$|TOKEN|AUTH$")
URL_CREDENTIALS = re.compile(r"://([^:/@]*):([^@/]*)@")
SETTING_NAME = re.compile(r"CHILD_WAREHOUSE_[A-Z_]+")
NATIVE_SETTING = re.compile(r"""(?:\\n|["'])([a-z_]+) = ('?)([^'\\{]+)\2(?=\\n)""")


def validator_path() -> Path:
    return Path(sys.executable).parent / "check-jsonschema"


def validate_against_compose_spec(path: Path) -> subprocess.CompletedProcess[str]:
    command = [str(validator_path()), "--builtin-schema", "vendor.compose-spec", str(path)]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def mask_interpolations(value: str) -> str:
    """`${NAME:-x}` becomes `<NAME>`, so colons inside defaults do not split ports or URLs."""
    return INTERPOLATION.sub(lambda match: f"<{match.group(1)}>", value)


def is_secret_name(name: str) -> bool:
    return bool(SECRET_NAME.search(name)) and not name.endswith(("_FILE", "_PATH", "_DIR"))


def runs_airflow(service: Doc) -> bool:
    command = service.get("command") or []
    words = command if isinstance(command, str) else " ".join(str(word) for word in command)
    return "airflow" in words.split()


def airflow_services(doc: Doc) -> dict[str, Doc]:
    """The known Airflow services and any other service whose command runs Airflow."""
    known = {*AIRFLOW_COMMANDS, "airflow-init", "flower"}
    return {name: svc for name, svc in doc["services"].items() if name in known or runs_airflow(svc)}


def environment(service: Doc) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {key: "" if value is None else str(value) for key, value in env.items()}


def string_leaves(node: Any, key: str = "") -> Iterator[tuple[str, str]]:
    """(nearest mapping key, value) for every string in the document."""
    if isinstance(node, dict):
        for child_key, child in node.items():
            yield from string_leaves(child, str(child_key))
    elif isinstance(node, list):
        for child in node:
            yield from string_leaves(child, key)
    elif isinstance(node, str):
        yield key, node


def anchor_violations(doc: Doc) -> list[str]:
    common = doc["x-airflow-common"]
    problems = []
    for name, svc in airflow_services(doc).items():
        if svc.get("image") != common["image"] or svc.get("build") != common["build"]:
            problems.append(f"{name}: image/build differ from x-airflow-common")
        env = environment(svc)
        changed = sorted(key for key, value in environment(common).items() if env.get(key) != value)
        if changed:
            problems.append(f"{name}: environment differs from x-airflow-common in {changed}")
        if env.get("AIRFLOW__CORE__EXECUTOR") != "CeleryExecutor":
            problems.append(f"{name}: executor is not CeleryExecutor")
    return problems


def secret_violations(doc: Doc) -> list[str]:
    problems = []
    for key, value in string_leaves(doc):
        for name, operator, _ in INTERPOLATION.findall(value):
            if is_secret_name(name) and operator != ":?":
                problems.append(f"${{{name}}} must be required (`:?`), never defaulted or optional")
        masked = mask_interpolations(value)
        if is_secret_name(key) and not re.fullmatch(r"<[A-Za-z0-9_]+>", masked):
            problems.append(f"{key} holds a literal; it must come from .env")
        for _, password in URL_CREDENTIALS.findall(masked):
            if not re.fullmatch(r"<[A-Za-z0-9_]+>", password):
                problems.append(f"literal password in URL {value!r}")
    return problems


def host_ips(service: Doc) -> list[str]:
    """The host address of every published port; '' when a port is published on all interfaces."""
    ips = []
    for port in service.get("ports", []):
        if isinstance(port, dict):
            ips.append(str(port.get("host_ip", "")))
            continue
        parts = mask_interpolations(str(port)).split(":")
        ips.append(parts[0] if len(parts) == 3 else "")
    return ips


def port_violations(doc: Doc) -> list[str]:
    return [
        f"{name} publishes a port on {ip or 'every interface'}"
        for name, svc in doc["services"].items()
        for ip in host_ips(svc)
        if ip != "127.0.0.1"
    ]


def unknown_settings(text: str, known: set[str]) -> list[str]:
    return sorted(set(SETTING_NAME.findall(text)) - known)


def dependency_violations(doc: Doc) -> list[str]:
    services, problems = doc["services"], []
    for name, svc in services.items():
        for target, rule in (svc.get("depends_on") or {}).items():
            condition = rule.get("condition") if isinstance(rule, dict) else None
            if condition == "service_healthy" and "healthcheck" not in services.get(target, {}):
                problems.append(f"{name} waits for {target} to be healthy, but it has no healthcheck")
            if condition == "service_completed_successfully" and services[target].get("restart") != "no":
                problems.append(f"{name} waits for one-shot {target}, which restarts")
    for name, svc in airflow_services(doc).items():
        deps = svc.get("depends_on") or {}
        for target in ("airflow-db", "redis", "warehouse-db"):
            if (deps.get(target) or {}).get("condition") != "service_healthy":
                problems.append(f"{name} does not wait for {target} to be healthy")
        init = (deps.get("airflow-init") or {}).get("condition")
        if name != "airflow-init" and init != "service_completed_successfully":
            problems.append(f"{name} does not wait for airflow-init to complete")
    return problems


def native_server_settings(cluster_source: str) -> dict[str, str]:
    """`key = value` lines the native cluster writes to postgresql.auto.conf, less its own address."""
    found = {key: value for key, _, value in NATIVE_SETTING.findall(cluster_source)}
    return {key: value for key, value in found.items() if key not in NATIVE_ONLY_SERVER_SETTINGS}


def compose_server_settings(doc: Doc) -> dict[str, str]:
    command = doc["services"]["warehouse-db"].get("command") or []
    pairs = [arg for flag, arg in itertools.pairwise(command) if flag == "-c"]
    return dict(pair.split("=", 1) for pair in pairs)


def server_setting_violations(doc: Doc) -> list[str]:
    native = native_server_settings(CLUSTER_FILE.read_text(encoding="utf-8"))
    if not native:
        return [
            f"no server settings found in {CLUSTER_FILE.name}; teach native_server_settings its new shape"
        ]
    compose = compose_server_settings(doc)
    return [
        f"{key}: native {native.get(key)!r}, compose {compose.get(key)!r}"
        for key in native
        if native[key] != compose.get(key)
    ]


def volume_targets(service: Doc) -> dict[str, str]:
    """Container path -> mode ('ro' or 'rw') of every short-syntax mount."""
    mounts = {}
    for volume in service.get("volumes", []):
        parts = mask_interpolations(str(volume)).split(":")
        mounts[parts[1]] = parts[2] if len(parts) > 2 else "rw"
    return mounts


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
