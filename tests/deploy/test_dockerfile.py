"""Dockerfile and .dockerignore: locked installs, a non-root image, and the paths the stack expects."""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from child_warehouse.orchestration.environment import dbt_environment

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DOCKERIGNORE = PROJECT_ROOT / ".dockerignore"
DBT_PROFILES = PROJECT_ROOT / "dbt_project" / "profiles.yml"

BASE_IMAGE = "python:3.11-slim-bookworm"
PROJECT_FOLDERS = ("include", "dags", "dbt_project", "expectations")
# Never in the build context: secrets, child data, the native cluster, virtualenvs.
MUST_IGNORE = {".env", ".venv", ".local", ".git", "landing"}
SETTING_NAME = re.compile(r"CHILD_WAREHOUSE_[A-Z_]+")
# env_var('NAME') without a second argument: dbt fails to parse when NAME is unset.
REQUIRED_ENV_VAR = re.compile(r"""env_var\(\s*['"]([A-Z0-9_]+)['"]\s*\)""")

Check = Callable[[str], list[str]]


def instructions(text: str) -> list[tuple[str, str]]:
    """(KEYWORD, arguments) for each instruction, continuation lines joined, comments dropped."""
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n\s*", " ", "\n".join(lines))
    found = []
    for line in joined.splitlines():
        if line.strip():
            keyword, _, rest = line.strip().partition(" ")
            found.append((keyword.upper(), rest.strip()))
    return found


def shell_commands(text: str) -> list[str]:
    """Every command in RUN instructions, split on && and ;."""
    runs = [args for keyword, args in instructions(text) if keyword == "RUN"]
    return [part.strip() for run in runs for part in re.split(r"&&|;", run) if part.strip()]


def env_values(text: str) -> dict[str, str]:
    values = {}
    for keyword, args in instructions(text):
        if keyword == "ENV":
            values.update(pair.split("=", 1) for pair in shlex.split(args) if "=" in pair)
    return values


def lock_violations(text: str) -> list[str]:
    problems = []
    syncs = [command for command in shell_commands(text) if "uv sync" in command]
    if len(syncs) < 2 or "--no-install-project" not in syncs[0]:
        problems.append("dependencies must be synced alone first (--no-install-project), then the project")
    problems += [f"not from uv.lock: {c!r}" for c in syncs if "--frozen" not in c or "--no-dev" not in c]
    # settings.PROJECT_ROOT is found from the package's path: only an editable install keeps it right.
    problems += [f"must stay an editable install: {c!r}" for c in syncs if "--no-editable" in c]
    for command in shell_commands(text):
        if "uv pip" in command or ("pip install" in command and not re.search(r"\buv==[\d.]+$", command)):
            problems.append(f"unlocked install: {command!r}")
    return problems


def lock_copied_before_sync(text: str) -> list[str]:
    steps = instructions(text)
    lock_at = next((i for i, (kw, args) in enumerate(steps) if kw == "COPY" and "uv.lock" in args), None)
    sync_at = next((i for i, (kw, args) in enumerate(steps) if kw == "RUN" and "uv sync" in args), None)
    if lock_at is None or sync_at is None or lock_at > sync_at:
        return ["uv.lock must be copied before the first uv sync"]
    return []


def user_violations(text: str) -> list[str]:
    users = [args for keyword, args in instructions(text) if keyword == "USER"]
    return [] if users and users[-1] == "airflow" else ["the image must end as the non-root airflow user"]


def manifest_violations(text: str) -> list[str]:
    """The manifest is compiled as natively (`make manifest`), into CHILD_WAREHOUSE_DBT_TARGET_DIR."""
    if not env_values(text).get("CHILD_WAREHOUSE_DBT_TARGET_DIR"):
        return ["CHILD_WAREHOUSE_DBT_TARGET_DIR must be set in the image"]
    commands = shell_commands(text)
    if "child-warehouse dbt parse --quiet" not in commands:
        return ["the manifest must be compiled with `child-warehouse dbt parse`, as `make manifest` does"]
    if 'test -f "${CHILD_WAREHOUSE_DBT_TARGET_DIR}/manifest.json"' not in commands:
        return ["the build must fail when no manifest was written"]
    return []


def copy_destinations(text: str) -> dict[str, str]:
    """Source folder -> absolute destination for every COPY of a single folder."""
    copies = (shlex.split(args) for keyword, args in instructions(text) if keyword == "COPY")
    return {parts[0].rstrip("/"): parts[1].rstrip("/") for parts in copies if len(parts) == 2}


def test_base_image(dockerfile_text: str) -> None:
    assert [args for keyword, args in instructions(dockerfile_text) if keyword == "FROM"] == [BASE_IMAGE]


def test_airflow_home(dockerfile_text: str) -> None:
    assert env_values(dockerfile_text)["AIRFLOW_HOME"] == "/opt/airflow"


def test_project_folders_copied(dockerfile_text: str) -> None:
    assert set(PROJECT_FOLDERS) - set(copy_destinations(dockerfile_text)) == set()


def test_dags_folder_is_where_dags_are_copied(dockerfile_text: str, compose_source: dict[str, Any]) -> None:
    dags_folder = compose_source["x-airflow-common"]["environment"]["AIRFLOW__CORE__DAGS_FOLDER"]
    assert copy_destinations(dockerfile_text)["dags"] == dags_folder


def test_settings_names_follow_settings_module(dockerfile_text: str, known_settings: set[str]) -> None:
    used = {name for _, args in instructions(dockerfile_text) for name in SETTING_NAME.findall(args)}
    assert used - known_settings == set()


def test_build_time_url_gives_dbt_every_profile_variable(
    dockerfile_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`dbt parse` at build time fails on any env_var() of profiles.yml the CLI does not set."""
    if not DBT_PROFILES.exists():
        pytest.skip("dbt_project/profiles.yml is not written yet")
    build_url = re.search(r"CHILD_WAREHOUSE_DB_URL=(\S+)", dockerfile_text)
    assert build_url, "the manifest step must set a dummy CHILD_WAREHOUSE_DB_URL"
    required = set(REQUIRED_ENV_VAR.findall(DBT_PROFILES.read_text(encoding="utf-8")))
    for name in required:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CHILD_WAREHOUSE_DB_URL", build_url.group(1))
    assert required - set(dbt_environment()) == set()


def test_dockerignore_keeps_secrets_and_data_out() -> None:
    entries = {line.strip().rstrip("/") for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()}
    assert MUST_IGNORE - entries == set()


CHECKS: dict[str, tuple[Check, str, str]] = {
    "not frozen": (lock_violations, "--frozen --no-dev $(", "--no-dev $("),
    "dev dependencies": (lock_violations, "--frozen --no-dev $(", "--frozen $("),
    "one sync only": (lock_violations, "--no-install-project", ""),
    "unpinned pip install": (lock_violations, "uv==0.13.9", "uv dbt-core"),
    "non-editable": (lock_violations, "--frozen --no-dev $(", "--frozen --no-dev --no-editable $("),
    "lock copied late": (lock_copied_before_sync, "COPY pyproject.toml uv.lock", "COPY pyproject.toml"),
    "runs as root": (user_violations, "USER airflow", "USER root"),
    "manifest by hand": (manifest_violations, "child-warehouse dbt parse", "dbt parse"),
    "manifest unchecked": (manifest_violations, "test -f", "ls"),
}


@pytest.mark.parametrize("check", sorted({c for c, _, _ in CHECKS.values()}, key=lambda c: c.__name__))
def test_dockerfile_passes_check(dockerfile_text: str, check: Check) -> None:
    assert check(dockerfile_text) == []


@pytest.mark.parametrize(("check", "old", "new"), CHECKS.values(), ids=list(CHECKS))
def test_check_catches_broken_copy(dockerfile_text: str, check: Check, old: str, new: str) -> None:
    assert old in dockerfile_text, f"breakage {old!r} no longer matches the Dockerfile"
    assert check(dockerfile_text.replace(old, new)) != []
