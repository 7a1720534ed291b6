"""The analyst marts a release holds, each with its primary key, read from the dbt project's own
declarations (the `primary_key` test of every model in models/marts/analyst), so a mart added there is
released without a second list to keep."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import yaml

from child_warehouse import settings

MODELS_FILE = "models/marts/analyst/_analyst__models.yml"


@dataclass(frozen=True)
class Mart:
    name: str
    key: tuple[str, ...]


@cache
def released_marts() -> tuple[Mart, ...]:
    """Every analyst mart with a declared primary key, in the file's order."""
    declared = yaml.safe_load((settings.dbt_project_dir() / MODELS_FILE).read_text(encoding="utf-8"))
    marts = []
    for model in declared["models"]:
        for test in model.get("data_tests", []):
            if isinstance(test, dict) and "primary_key" in test:
                marts.append(Mart(model["name"], tuple(test["primary_key"]["arguments"]["column_names"])))
    return tuple(marts)
