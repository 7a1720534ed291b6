"""Pure readers and policy checks over a parsed docker-compose.yaml, each returning its violations."""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = PROJECT_ROOT / "docker-compose.yaml"
CLUSTER_FILE = PROJECT_ROOT / "include" / "child_warehouse" / "db" / "cluster.py"
Doc = dict[str, Any]
Check = Callable[[Doc], list[str]]

# The native cluster listens on its own port and socket; those lines are not server tuning.
NATIVE_ONLY_SERVER_SETTINGS = {"listen_addresses", "port", "unix_socket_directories"}

# ${NAME}, ${NAME:-default}, ${NAME:?message}; `$${...}` is Compose's escape, not interpolation.
INTERPOLATION = re.compile(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}")
SECRET_NAME = re.compile(r"PASSWORD|SECRET|FERNET|PSEUDONYM|_KEY$|TOKEN|AUTH$")
URL_CREDENTIALS = re.compile(r"://([^:/@]*):([^@/]*)@")
SETTING_NAME = re.compile(r"(?<![A-Z_])CHILD_WAREHOUSE_[A-Z_]+")  # not AIRFLOW_CONN_CHILD_WAREHOUSE_...
NATIVE_SETTING = re.compile(r"""(?:\\n|["'])([a-z_]+) = ('?)([^'\\{]+)\2(?=\\n)""")


def validator_path() -> Path:
    return Path(sys.executable).parent / "check-jsonschema"


def validate_against_compose_spec(path: Path) -> subprocess.CompletedProcess[str]:
    command = [str(validator_path()), "--builtin-schema", "vendor.compose-spec", str(path)]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def mask_interpolations(value: str) -> str:
    """`${NAME:-x}` becomes `<NAME>`, so colons inside defaults do not split ports or URLs."""
    return INTERPOLATION.sub(lambda match: f"<{match.group(1)}>", value)


def resolve_defaults(value: str) -> str:
    """The value Compose renders when no variable is set: `${NAME:-x}` becomes x."""
    return INTERPOLATION.sub(lambda match: match.group(3) if match.group(2) in (":-", "-") else "", value)


def required_variables(text: str) -> list[str]:
    """Variables that must be in .env: those interpolated with `:?`."""
    return sorted({name for name, operator, _ in INTERPOLATION.findall(text) if operator == ":?"})


def compose_command() -> list[str] | None:
    """Compose v2 (`docker compose`) or v1 (`docker-compose`); `config` needs no Docker engine."""
    for command in (["docker", "compose"], ["docker-compose"]):
        if shutil.which(command[0]):
            probe = subprocess.run([*command, "version"], capture_output=True, check=False)
            if probe.returncode == 0:
                return command
    return None


def is_secret_name(name: str) -> bool:
    return bool(SECRET_NAME.search(name)) and not name.endswith(("_FILE", "_PATH", "_DIR"))


def runs_airflow(service: Doc) -> bool:
    command = service.get("command") or []
    words = command if isinstance(command, str) else " ".join(str(word) for word in command)
    return "airflow" in words.split()


def airflow_services(doc: Doc) -> dict[str, Doc]:
    """Every service whose command runs Airflow, and every airflow-* service but the metadata database."""
    return {
        name: svc
        for name, svc in doc["services"].items()
        if runs_airflow(svc) or (name.startswith("airflow-") and name != "airflow-db")
    }


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


def dependencies(service: Doc) -> dict[str, str | None]:
    """Service -> condition waited for (None for the short list form, which waits for nothing)."""
    deps = service.get("depends_on") or {}
    if isinstance(deps, list):
        return dict.fromkeys(deps)
    return {target: (rule or {}).get("condition") for target, rule in deps.items()}


def dependency_violations(doc: Doc) -> list[str]:
    services, problems = doc["services"], []
    for name, svc in services.items():
        for target, condition in dependencies(svc).items():
            waited = services.get(target, {})
            if condition == "service_healthy" and "healthcheck" not in waited:
                problems.append(f"{name} waits for {target} to be healthy, but it has no healthcheck")
            if condition == "service_completed_successfully" and waited.get("restart") != "no":
                problems.append(f"{name} waits for one-shot {target}, which restarts")
    for name, svc in airflow_services(doc).items():
        deps = dependencies(svc)
        problems += [
            f"{name} does not wait for {target} to be healthy"
            for target in ("airflow-db", "redis", "warehouse-db")
            if deps.get(target) != "service_healthy"
        ]
        if name != "airflow-init" and deps.get("airflow-init") != "service_completed_successfully":
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
