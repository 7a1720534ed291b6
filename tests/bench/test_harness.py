"""The benchmark harness at a tiny N: the report is written with every stage, floor and peer.

No timing is asserted here; speed and memory are judged only by `make bench`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NIGHT_STAGES = ("discover", "ingest", "validate", "feedback", "statistics", "link deterministic",
                "link probabilistic", "dbt build", "run summary")  # fmt: skip


@pytest.mark.e2e
@pytest.mark.slow
def test_harness_writes_every_stage_floor_and_peer(server_url: str, tmp_path: Path) -> None:
    doc, figures = tmp_path / "benchmarks.md", tmp_path / "figures.json"
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--children", "2000", "--doc", str(doc), "--json", str(figures),
         "--to-sql-sample", "300"],
        cwd=ROOT, env=os.environ, capture_output=True, text=True, check=False, timeout=1200,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-4000:]
    (run,) = json.loads(figures.read_text(encoding="utf-8"))
    assert set(NIGHT_STAGES) <= set(run["night"]["stages"])
    assert set(run["floors"]) == {"ingest", "validate", "link deterministic", "dbt build"}
    assert set(run["floors"]["dbt build"]) == {"models", "models_run", "from_linked", "from_raw"}
    assert run["floors"]["dbt build"]["models_run"] > 40  # every table model of the project ran
    assert {"pandas csv", "pandas xlsx", "gx pandas", "recordlinkage"} <= set(run["peers"])
    assert run["incremental"]["provinces"]
    assert run["incremental"]["stages"]["ingest"]["rows"] > 0
    text = doc.read_text(encoding="utf-8")
    for heading in ("## Targets and the gap to each", "### Against the floors", "### Against the peers",
                    "### Incremental night", "## Scaling: cost per record", "## Scale-out path"):  # fmt: skip
        assert heading in text
    rows = ("| generate", "| ingest |", "| validate |", "| statistics |", "| link deterministic |",
            "| link probabilistic |",
            "| dbt build |", "| dbt build (from raw) |", "**whole night**")  # fmt: skip
    for row in rows:
        assert row in text
