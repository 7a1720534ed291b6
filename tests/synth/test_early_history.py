"""History before the reference's first boundary snapshot (2021-11-01) can be generated for backfills."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .national_helpers import submissions


def test_2018_to_2020_periods_use_the_63_provinces_and_their_communes(tmp_path: Path) -> None:
    out = tmp_path / "early"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "child_warehouse.synth",
            "national",
            "--out",
            str(out),
            "--children",
            "700",
            "--periods",
            "2018-Y",
            "2020-Q2",
            "--quiet",
        ],
        check=True,
    )
    provinces = {p.name for p in (out / "landing").iterdir()}
    assert len(provinces) == 63
    periods = {name.split("/")[1] for name in submissions(out)}
    assert periods == {"2018-Y", "2020-Q2"}
