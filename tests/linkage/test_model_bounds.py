"""The saved model weighs evidence instead of vetoing: no level of any comparison is impossible for a
true match, and every level was trained or bounded."""

import json
import math

import pytest

from child_warehouse.linkage.model import model_path
from child_warehouse.linkage.train import M_FLOOR, bounded


def test_bounded_raises_untrained_and_zero_levels_and_keeps_each_comparison_a_distribution():
    model = {
        "comparisons": [
            {
                "comparison_levels": [
                    {"is_null_level": True},
                    {"m_probability": 0.999999},
                    {"m_probability": 1e-20},
                    {},  # never seen among the labelled pairs
                ]
            }
        ]
    }
    levels = bounded(model)["comparisons"][0]["comparison_levels"][1:]
    m = [level["m_probability"] for level in levels]
    assert sum(m) == pytest.approx(1.0)
    assert min(m) >= M_FLOOR * 0.99
    assert m[0] > 0.99


def test_one_disagreement_costs_a_bounded_weight_in_the_saved_model():
    model = json.loads(model_path().read_text())
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            assert level["m_probability"] >= M_FLOOR * 0.99, (comparison["output_column_name"], level)
            assert level["u_probability"] > 0
            weight = math.log2(level["m_probability"] / level["u_probability"])
            assert weight > -12, (comparison["output_column_name"], level["sql_condition"], weight)
    sex = next(c for c in model["comparisons"] if c["output_column_name"] == "sex")
    disagree = sex["comparison_levels"][-1]
    assert math.log2(disagree["m_probability"] / disagree["u_probability"]) > -10  # was −178 in v1
