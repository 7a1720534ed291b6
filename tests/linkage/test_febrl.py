"""On FEBRL4, the project's Splink method links at least as well as the recordlinkage baseline."""

import pytest

from child_warehouse.linkage.febrl import evaluate_febrl4


@pytest.mark.slow
def test_splink_matches_or_beats_the_baseline_on_febrl4():
    baseline, splink = evaluate_febrl4()
    assert baseline.pairs_compared == splink.pairs_compared  # the same candidate pairs
    assert splink.precision >= 0.995
    assert splink.f1 >= baseline.f1
    assert splink.f1 >= 0.95
