"""Session fixtures: one default sample, generated once and read back."""

from __future__ import annotations

from pathlib import Path

import pytest

from child_warehouse.synth import generate_sample

from .helpers import Sample, current_provinces, read_csv, submission


@pytest.fixture(scope="session")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Sample:
    root = tmp_path_factory.mktemp("synth")
    landing, register_dir, truth_dir = root / "landing", root / "register", root / "truth"
    summary = generate_sample(landing, register_dir, truth_dir)
    return Sample(summary, landing, register_dir, truth_dir)


@pytest.fixture(scope="session")
def register(sample: Sample) -> dict[str, dict[str, str]]:
    return {row["personal_id"]: row for row in read_csv(sample.register_dir / "persons.csv")}


@pytest.fixture(scope="session")
def records(sample: Sample) -> dict[str, list[dict[str, str]]]:
    return {province: submission(sample, province, "child_records").rows for province in current_provinces()}


@pytest.fixture(scope="session")
def links(sample: Sample) -> dict[tuple[str, str], str]:
    rows = read_csv(sample.truth_dir / "child_links.csv")
    return {(row["province_code"], row["record_id"]): row["personal_id"] for row in rows}


@pytest.fixture(scope="session")
def national(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small national run with default faults, one pre-reform and two post-reform periods."""
    from child_warehouse.synth.national import generate_national

    root = tmp_path_factory.mktemp("national")
    generate_national(
        root,
        children=6000,
        seed=11,
        periods=["2025-Q2", "2026-M09", "2026-Q3"],
        case_rate=0.05,
        workers=1,
        progress=False,
    )
    return root
