"""Determinism of national runs, the fault-free switch and the command line."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from child_warehouse.synth.__main__ import main
from child_warehouse.synth.faults import FaultRates
from child_warehouse.synth.national import generate_national

from .national_helpers import truth


def _run(root: Path, seed: int, workers: int = 1) -> dict[str, bytes]:
    generate_national(
        root, children=800, seed=seed, periods=["2025-M03", "2026-Q3"], workers=workers, progress=False
    )
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_same_bytes_whatever_the_worker_count(tmp_path: Path) -> None:
    first, second = _run(tmp_path / "a", 3), _run(tmp_path / "b", 3, workers=2)
    assert first == second
    third = _run(tmp_path / "c", 4)
    assert third["register/persons.csv"] != first["register/persons.csv"]


def test_no_faults_means_an_empty_fault_list(tmp_path: Path) -> None:
    generate_national(tmp_path, children=500, faults=FaultRates.none(), workers=1, progress=False)
    assert truth(tmp_path, "faults") == []
    links = truth(tmp_path, "child_links")
    assert len({row["personal_id"] for row in links}) == len(links)


def test_blank_cells_leave_every_other_fault_and_first_version_as_it_was(tmp_path: Path) -> None:
    """`required_cell_empty` draws from a stream of its own: switching it on changes no other fault,
    register or first-version file; a resubmission's date may move (its corrections draw after it)."""
    runs = {}
    for rate in (0.0, 0.05):
        root = tmp_path / str(rate)
        faults = replace(FaultRates(), required_cell_empty=rate)
        generate_national(root, children=800, seed=5, faults=faults, workers=1, progress=False)
        runs[rate] = root
    off, on = runs[0.0], runs[0.05]
    blanks = [row for row in truth(on, "faults") if row["fault"] == "required_cell_empty"]
    assert blanks
    assert [row for row in truth(on, "faults") if row["fault"] != "required_cell_empty"] == truth(
        off, "faults"
    )
    assert truth(on, "persons") == truth(off, "persons")
    assert truth(on, "child_links") == truth(off, "child_links")
    firsts = [row for row in truth(off, "submissions") if row["version"] == "1"]
    assert firsts == [row for row in truth(on, "submissions") if row["version"] == "1"]
    blanked = {row["file"] for row in blanks}
    for row in firsts:
        same = (off / "landing" / row["file"]).read_bytes() == (on / "landing" / row["file"]).read_bytes()
        assert same == (row["file"] not in blanked), row["file"]


def test_national_command(tmp_path: Path, capsys) -> None:
    assert main(["national", "--out", str(tmp_path), "--children", "300", "--workers", "1", "--quiet"]) == 0
    assert "register persons" in capsys.readouterr().out
    assert (tmp_path / "register" / "persons.csv").exists()
