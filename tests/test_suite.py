"""The test loop's own promises, checked by the loop itself."""

from __future__ import annotations

import os

import pytest


def test_tests_sharing_a_worker_are_grouped_as_make_test_asks(request):
    """`make test` sends each module (and every test on the clean night) to one worker as a group; a
    pytest or pytest-xdist upgrade that silently drops the groups (pytest-xdist#1386) fails here."""
    if not os.environ.get("PYTEST_XDIST_WORKER") or not getattr(request.config.option, "loadgroup", False):
        pytest.skip("only under pytest-xdist's loadgroup distribution (make test)")
    assert request.node.nodeid.endswith("@tests/test_suite.py")


def test_every_database_of_the_run_carries_its_tag(warehouse_db):
    """What the run makes, the run drops: its databases are named after its tag (tests/conftest.py)."""
    assert warehouse_db.rsplit("/", 1)[1].startswith(f"cwt_{os.environ['CW_TEST_RUN']}_")
