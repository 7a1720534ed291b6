"""Reference lists the generator draws from, read once from the project's dbt seeds."""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

REFORM_DATE = date(2025, 7, 1)


@dataclass(frozen=True)
class EthnicGroup:
    code: str
    name_vi: str
    weight: float


@dataclass(frozen=True)
class Circumstance:
    """One Article 10 group: its law letter (``đ`` spelled as such) and its number 1-14."""

    letter: str
    number: int


@dataclass(frozen=True)
class Reference:
    provinces: tuple[str, ...]  # post-reform codes valid on the reference date, sorted
    province_names: dict[str, str]
    communes: dict[str, tuple[str, ...]]  # post-reform province -> communes valid on the reference date
    constituents: dict[str, tuple[str, ...]]  # post-reform province -> pre-reform codes merged into it
    pre_reform_codes: tuple[str, ...]
    ethnic_groups: tuple[EthnicGroup, ...]
    circumstances: tuple[Circumstance, ...]


def reference_dir() -> Path:
    from child_warehouse.db.reference import reference_dir as warehouse_reference_dir

    return warehouse_reference_dir()


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# The reference lists start from one snapshot of the boundaries (communes: 2021-11-01); a unit in it
# was valid at least since then, so its valid_from does not bound earlier periods (as validation
# reads it too: ingest/checks.py). Units created later keep their own valid_from.
FIRST_SNAPSHOT = "2021-11-01"


def _valid_on(row: dict[str, str], on: date) -> bool:
    # ISO dates compare correctly as strings; an empty valid_to means still valid.
    day = on.isoformat()
    since = row["valid_from"] <= day or row["valid_from"] <= FIRST_SNAPSHOT
    return since and (not row["valid_to"] or row["valid_to"] >= day)


def _pre_reform_codes(provinces: list[dict[str, str]]) -> tuple[str, ...]:
    last_day = REFORM_DATE - timedelta(days=1)
    return tuple(sorted({row["province_code"] for row in provinces if _valid_on(row, last_day)}))


def _constituents(rows: list[dict[str, str]]) -> dict[str, tuple[str, ...]]:
    merged: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        merged[row["new_province_code"]].append(row["old_province_code"])
    return {new: tuple(sorted(olds)) for new, olds in merged.items()}


def _communes(rows: list[dict[str, str]], on: date) -> dict[str, tuple[str, ...]]:
    by_province: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        if _valid_on(row, on):
            by_province[row["province_code"]].append(row["commune_code"])
    return {code: tuple(sorted(communes)) for code, communes in by_province.items()}


def load_reference(on: date, directory: Path | None = None) -> Reference:
    """Everything the generator needs, as valid on ``on`` (a post-reform period end)."""
    folder = directory or reference_dir()
    provinces = _read(folder / "provinces.csv")
    current = {row["province_code"]: row["name_vi"] for row in provinces if _valid_on(row, on)}
    ethnic = tuple(
        EthnicGroup(row["ethnic_code"], row["name_vi"], float(row["pop_share_2019_pct"] or 0))
        for row in _read(folder / "ethnic_groups.csv")
    )
    circumstances = tuple(
        Circumstance(row["law_letter"], int(row["number"]))
        for row in _read(folder / "special_circumstances.csv")
    )
    return Reference(
        provinces=tuple(sorted(current)),
        province_names=current,
        communes=_communes(_read(folder / "communes.csv"), on),
        constituents=_constituents(_read(folder / "province_crosswalk_2025.csv")),
        pre_reform_codes=_pre_reform_codes(provinces),
        ethnic_groups=ethnic,
        circumstances=circumstances,
    )
