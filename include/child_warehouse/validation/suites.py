"""Load the expectation suites kept in expectations/ (Great Expectations' own JSON shape)."""

from __future__ import annotations

import json
from pathlib import Path

from child_warehouse import settings


def load_suite_spec(submission_type: str, folder: Path | None = None) -> dict:
    """The suite for a submission type, as stored in version control."""
    path = (folder or settings.expectations_dir()) / f"{submission_type}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def build_suite(spec: dict):
    """A GX ExpectationSuite from the stored spec (built at run time, never at DAG import)."""
    import great_expectations as gx
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    expectations = [ExpectationConfiguration(**e).to_domain_obj() for e in spec["expectations"]]
    return gx.ExpectationSuite(name=spec["name"], expectations=expectations)
