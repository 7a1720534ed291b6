"""The national-rebuild extrapolation in docs/benchmarks.md, from the two largest runs."""

from __future__ import annotations

import math

from bench import doc


def _run(children: int, seconds: dict[str, float]) -> dict:
    return {
        "children": children,
        "register_persons": 4 * children,
        "night": {
            "stages": {
                name: {"seconds": s, "peak": {"total_mib": 1000.0 * children / 1_000_000}}
                for name, s in seconds.items()
            }
        },
    }


def _row(lines: list[str], stage: str) -> list[str]:
    return next(line for line in lines if line.startswith(f"| {stage} |")).strip("|").split("|")


def test_the_two_largest_runs_set_each_stage_exponent() -> None:
    runs = [
        _run(250_000, {"ingest": 10.0, "link probabilistic": 20.0}),
        _run(1_000_000, {"ingest": 40.0, "link probabilistic": 160.0}),
        _run(4_000_000, {"ingest": 160.0, "link probabilistic": 2560.0}),
    ]
    lines = doc.extrapolation_lines(runs)
    assert lines[0].startswith("From the runs at 1,000,000 and 4,000,000 children")
    cells = [c.strip() for c in _row(lines, "link probabilistic")]
    assert cells[1:4] == ["160.0", "2,560.0", "2.00"]  # k = log(16) / log(4)
    assert cells[4] == f"{2560.0 * 6.25**2:,.0f}"  # t₂ · (25M / 4M)^k
    ingest = [c.strip() for c in _row(lines, "ingest")]
    assert ingest[3] == "1.00"  # k = log(4) / log(4)
    assert ingest[4] == f"{160.0 * 6.25:,.0f}"
    text = " ".join(lines)
    assert "measured here between 1,000,000 and 4,000,000 children" in text
    assert "lower bound" not in text


def test_below_4m_the_note_says_the_probabilistic_figure_is_a_lower_bound() -> None:
    runs = [
        _run(250_000, {"link probabilistic": 30.0}),
        _run(1_000_000, {"link probabilistic": 180.0}),
    ]
    lines = doc.extrapolation_lines(runs)
    k = math.log(6) / math.log(4)
    assert [c.strip() for c in _row(lines, "link probabilistic")][3] == f"{k:.2f}"
    assert "so that stage's 25M figure is a lower bound" in " ".join(lines)
