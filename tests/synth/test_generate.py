"""Determinism, layout, summary and command line of the sample generator."""

from __future__ import annotations

from pathlib import Path

import pytest

from child_warehouse.synth import generate_sample
from child_warehouse.synth.__main__ import main

from .helpers import Sample, current_provinces, read_csv


def _generate(root: Path, seed: int, children: int = 10) -> dict[str, bytes]:
    generate_sample(
        root / "landing", root / "register", root / "truth", seed=seed, children_per_province=children
    )
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*.csv"))}


def test_same_seed_gives_byte_identical_files(tmp_path: Path) -> None:
    first = _generate(tmp_path / "a", seed=7)
    second = _generate(tmp_path / "b", seed=7)
    assert first.keys() == second.keys()
    assert first == second


def test_different_seed_gives_different_content(tmp_path: Path) -> None:
    first = _generate(tmp_path / "a", seed=7)
    second = _generate(tmp_path / "b", seed=8)
    assert first.keys() == second.keys()  # same layout ...
    assert first["register/persons.csv"] != second["register/persons.csv"]  # ... different people
    changed = [name for name in first if first[name] != second[name]]
    assert len(changed) > len(first) // 2


def test_every_current_province_gets_five_submissions_and_the_hotline_one(sample: Sample) -> None:
    provinces = current_provinces()
    assert len(provinces) == 34
    assert {path.name for path in sample.landing.iterdir()} == provinces | {"national"}
    expected = {
        sample.landing / province / period / f"{kind}.csv"
        for province in provinces
        for period, kind in (
            ("2026-Q3", "child_records"),
            ("2026-M10", "protection_cases"),
            ("2026-9M", "indicator_report"),
            ("2025-Y", "commune_assessment"),
            ("2026-H1", "programme_activities"),
        )
    } | {sample.landing / "national" / "2026-M10" / "hotline_calls.csv"}
    assert set(sample.summary.files) == expected
    landed = {path for path in sample.landing.rglob("*") if path.is_file()}
    signoffs = {path for path in landed if path.name == "approval.json"}
    assert landed - signoffs == expected
    assert {path.parent for path in signoffs} <= {path.parent for path in expected}


def test_summary_counts_what_was_written(sample: Sample) -> None:
    summary = sample.summary
    assert summary.provinces == 34
    assert summary.children == 34 * 30
    assert summary.register_persons == len(read_csv(sample.register_dir / "persons.csv"))
    cases = read_csv(sample.truth_dir / "expected_cases.csv")
    assert summary.cases == sum(int(row["cases_total"]) for row in cases)


def test_truth_and_register_stay_out_of_the_landing_root(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    with pytest.raises(ValueError, match="truth"):
        generate_sample(landing, tmp_path / "register", landing / "truth", children_per_province=1)
    with pytest.raises(ValueError, match="register"):
        generate_sample(landing, landing / "register", tmp_path / "truth", children_per_province=1)


def test_command_line_prints_one_summary_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = [
        "--landing",
        str(tmp_path / "l"),
        "--register",
        str(tmp_path / "r"),
        "--truth",
        str(tmp_path / "t"),
    ]
    assert main([*argv, "--seed", "3", "--children-per-province", "2"]) == 0
    output = capsys.readouterr().out
    assert output.count("\n") == 1
    assert output.startswith("34 provinces, 68 children")
    assert (tmp_path / "t" / "child_links.csv").exists()


def test_chosen_provinces_get_their_files_and_their_predecessors_history(
    tmp_path: Path, sample: Sample
) -> None:
    summary = generate_sample(
        tmp_path / "landing",
        tmp_path / "register",
        tmp_path / "truth",
        children_per_province=3,
        provinces=["66", "01"],
        history=True,
    )
    assert summary.provinces == 2
    assert summary.children == 6
    landed = {path.relative_to(tmp_path / "landing").parts[:2] for path in summary.files}
    # Phú Yên (54) merged into Đắk Lắk (66); the hotline's month covers the chosen provinces
    assert {province for province, _ in landed} == {"01", "54", "66", "national"}
    assert {period for province, period in landed if province == "54"} == {"2022-Y"}
    # A province writes in the same dialect and encoding whichever provinces are chosen with it.
    chosen = read_csv(tmp_path / "truth" / "file_encodings.csv")
    every = {
        (r["province_code"], r["submission_type"]): r
        for r in read_csv(sample.truth_dir / "file_encodings.csv")
    }
    assert chosen == [every[(r["province_code"], r["submission_type"])] for r in chosen]


def test_an_unknown_province_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="02"):  # Hà Giang, merged into Tuyên Quang in July 2025
        generate_sample(tmp_path / "l", tmp_path / "r", tmp_path / "t", provinces=["01", "02"])


def test_the_sample_writes_every_encoding_of_the_contract(sample: Sample) -> None:
    rows = read_csv(sample.truth_dir / "file_encodings.csv")
    assert {row["encoding"] for row in rows} == {"utf-8", "utf-8-sig", "tcvn3", "vni", "cp1258"}
    for row in rows:
        if row["submission_type"] == "child_records" and row["encoding"] in ("tcvn3", "vni", "cp1258"):
            data = (sample.landing / row["province_code"] / row["period"] / "child_records.csv").read_bytes()
            with pytest.raises(UnicodeDecodeError):  # Vietnamese names in a legacy code page
                data.decode("utf-8")
