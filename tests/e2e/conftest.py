"""The end-to-end nights: one clean night through Airflow per test run, read and copied by the tests.

`clean_night` (tests/conftest.py) is the narrow sample (tests/nights.py) run once through the
nightly DAG, by whichever worker asks first; its database is then a template nobody connects to.
`night` is this worker's copy for tests that only read; `night_clone` makes a copy a test may change
(run more nights, reprocess, back up). `full_night` is the whole country (34 provinces, 63 with
history), in the slow tier.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from nights import Warehouse, clone, run_a_night


@pytest.fixture(scope="session")
def full_night(shared_folder, server_url, tools) -> Warehouse:
    """All 34 provinces and the 63 pre-reform provinces' history, one night (slow tier)."""
    return run_a_night(shared_folder, server_url, tools, "full-night", None)


@pytest.fixture(scope="session")
def night(clean_night, tmp_path_factory) -> Iterator[Warehouse]:
    """This worker's copy of the clean night, for tests that only read it."""
    copy = clone(clean_night, tmp_path_factory.mktemp("night"))
    yield copy
    copy.drop()


@pytest.fixture
def night_clone(clean_night, tmp_path_factory) -> Iterator[Callable[..., Warehouse]]:
    """Make copies of the clean night that a test may change; dropped after the test."""
    made: list[Warehouse] = []

    def make(**variables: str) -> Warehouse:
        copy = clone(clean_night, tmp_path_factory.mktemp("clone"), **variables)
        made.append(copy)
        return copy

    yield make
    for copy in made:
        copy.drop()
