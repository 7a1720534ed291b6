"""Paths and parsed files shared by the deployment tests."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
import yaml
from compose_checks import COMPOSE_FILE, PROJECT_ROOT

DOCKERFILE = PROJECT_ROOT / "Dockerfile"
SETTINGS_FILE = PROJECT_ROOT / "include" / "child_warehouse" / "settings.py"

_SETTING_LITERAL = re.compile(r"""["'](CHILD_WAREHOUSE_[A-Z_]+)["']""")


@pytest.fixture(scope="session")
def compose_source() -> dict[str, Any]:
    with COMPOSE_FILE.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@pytest.fixture
def compose_doc(compose_source: dict[str, Any]) -> dict[str, Any]:
    """A private copy each test may break."""
    return copy.deepcopy(compose_source)


@pytest.fixture(scope="session")
def compose_text() -> str:
    return COMPOSE_FILE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def dockerfile_text() -> str:
    return DOCKERFILE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def known_settings() -> set[str]:
    """Every CHILD_WAREHOUSE_* name the settings module reads, found as string literals."""
    names = set(_SETTING_LITERAL.findall(SETTINGS_FILE.read_text(encoding="utf-8")))
    assert names, f"no CHILD_WAREHOUSE_* literals found in {SETTINGS_FILE}"
    return names
