"""Load the expectation suites kept in expectations/ and resolve references to reference lists."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from child_warehouse import settings

SEEDS = settings.PROJECT_ROOT / "dbt_project" / "seeds" / "reference"


def reference_values(reference: str) -> list[str]:
    """Values of `<seed>.<column>` from the reference seeds, e.g. `indicators.indicator_code`."""
    seed, column = reference.split(".", 1)
    with (SEEDS / f"{seed}.csv").open(encoding="utf-8", newline="") as handle:
        return sorted({row[column] for row in csv.DictReader(handle) if row[column]})


def _resolve(kwargs: dict) -> dict:
    resolved = dict(kwargs)
    for key, value in kwargs.items():
        if isinstance(value, dict) and "$reference" in value:
            resolved[key] = reference_values(value["$reference"])
    return resolved


def load_suite_spec(submission_type: str, folder: Path | None = None) -> dict:
    """The suite as stored (GX's JSON shape), with `$reference` value sets filled in."""
    path = (folder or settings.expectations_dir()) / f"{submission_type}.json"
    spec = json.loads(path.read_text(encoding="utf-8"))
    spec["expectations"] = [{**e, "kwargs": _resolve(e["kwargs"])} for e in spec["expectations"]]
    return spec


def build_suite(spec: dict):
    """A GX ExpectationSuite from the stored spec (built at run time, never at DAG import)."""
    import great_expectations as gx
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    expectations = [ExpectationConfiguration(**e).to_domain_obj() for e in spec["expectations"]]
    return gx.ExpectationSuite(name=spec["name"], expectations=expectations)
