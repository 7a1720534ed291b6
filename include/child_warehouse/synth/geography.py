"""National geography for the generator: old and new provinces and communes, population, ethnicity."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import numpy as np

from child_warehouse.synth.reference import _read, _valid_on, reference_dir

LAST_PRE_REFORM_DAY = date(2025, 6, 30)
# Approximate 2019 census populations (thousands) of the 63 pre-reform provinces, rounded from the
# GSO census tables: they weight where people live. Communes within a province are equally likely.
_POPULATION_2019 = """
01 8054 02 854 04 530 06 314 08 785 10 731 11 599 12 460 14 1249 15 822 17 855 19 1287 20 782
22 1321 24 1804 25 1464 26 1152 27 1369 30 1893 31 2029 33 1253 34 1861 35 853 36 1781 37 982
38 3641 40 3327 42 1289 44 896 45 633 46 1129 48 1135 49 1496 51 1232 52 1487 54 873 56 1232
58 591 60 1231 62 541 64 1514 66 1870 67 623 68 1297 70 995 72 1170 74 2426 75 3097 77 1149
79 8993 80 1689 82 1765 83 1289 84 1009 86 1022 87 1600 89 1909 91 1724 92 1236 93 734 94 1200
95 907 96 1194
"""
# Where the largest minorities live (pre-reform provinces, GSO 2019 census atlas); 85 % of each
# group lives in its home provinces, the rest is spread like the population.
ETHNIC_HOMES = {
    "02": "06 04 20 08 02 19 10 15",
    "03": "14 40 38 11 12 15",
    "04": "79 75 94 91",
    "05": "94 84 91 89 95",
    "06": "17 38 25 37",
    "07": "20 04 24 66 67",
    "08": "02 11 14 12 10 15 40",
    "09": "02 08 10 15 22",
    "10": "64 62",
    "12": "66 67",
    "13": "64 62 52",
    "14": "62 49",
    "16": "68",
    "17": "58 60 89",
    "18": "26 19 24 22",
    "19": "51",
}
HOME_SHARE = 0.85
UNLISTED_GROUP_SHARE = 0.05  # percent, for groups the reference gives no 2019 share


@dataclass(frozen=True)
class Geography:
    old_provinces: tuple[str, ...]  # the 63, sorted
    new_of_old: dict[str, str]  # old province -> new province
    population: dict[str, float]  # old province -> share of the national population
    new_provinces: tuple[str, ...]  # the 34, sorted
    communes: dict[str, np.ndarray]  # old province -> old commune codes (U5) used for residence
    new_commune_of: dict[str, str]  # old commune -> new commune
    old_of_commune: dict[str, str]  # old commune -> old province
    ethnic_codes: tuple[str, ...]
    ethnic_names: tuple[str, ...]
    ethnic_mix: dict[str, np.ndarray]  # old province -> probability over ethnic_codes

    def constituents(self, new_province: str) -> list[str]:
        return [old for old in self.old_provinces if self.new_of_old[old] == new_province]

    def new_share(self, new_province: str) -> float:
        return sum(self.population[old] for old in self.constituents(new_province))


def _population() -> dict[str, float]:
    tokens = _POPULATION_2019.split()
    counts = {tokens[i]: float(tokens[i + 1]) for i in range(0, len(tokens), 2)}
    total = sum(counts.values())
    return {code: count / total for code, count in counts.items()}


def _residence_communes(folder: Path, since: date) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """Old communes valid from ``since`` to the reform, with a current commune to map to."""
    rows = _read(folder / "communes.csv")
    current = {row["commune_code"] for row in rows if not row["valid_to"]}
    stable = {
        row["commune_code"]: row["province_code"]
        for row in rows
        if _valid_on(row, since) and _valid_on(row, LAST_PRE_REFORM_DAY)
    }
    target: dict[str, str] = {}
    for row in _read(folder / "commune_crosswalk_2025.csv"):
        # A partially split commune maps to several; its first listed successor is where it lives.
        if row["old_commune_code"] in stable and row["new_commune_code"] in current:
            target.setdefault(row["old_commune_code"], row["new_commune_code"])
    by_province: dict[str, list[str]] = defaultdict(list)
    for code in sorted(target):
        by_province[stable[code]].append(code)
    return {code: np.array(found, dtype=object) for code, found in by_province.items()}, target


def _ethnic_mix(codes: list[str], shares: list[float], population: dict[str, float]) -> dict[str, np.ndarray]:
    """Minorities placed by their homes; the Kinh majority fills the rest of each province."""
    mix = {}
    for province, weight in population.items():
        counts = []
        for code, share in zip(codes, shares, strict=True):
            homes = ETHNIC_HOMES.get(code, "").split()
            home = HOME_SHARE / len(homes) if province in homes else 0.0
            counts.append(share * ((1 - HOME_SHARE) * weight + home) if homes else share * weight)
        minorities = sum(counts[1:])
        counts[0] = max(100 * weight - minorities, 5 * weight)  # codes[0] is Kinh
        vector = np.array(counts)
        mix[province] = vector / vector.sum()
    return mix


@lru_cache(maxsize=4)
def load_geography(since: date = LAST_PRE_REFORM_DAY, folder: Path | None = None) -> Geography:
    """Read once per process; ``since`` is the earliest pre-reform period end to be written."""
    folder = folder or reference_dir()
    crosswalk = {
        row["old_province_code"]: row["new_province_code"]
        for row in _read(folder / "province_crosswalk_2025.csv")
    }
    population = _population()
    communes, new_commune_of = _residence_communes(folder, min(since, LAST_PRE_REFORM_DAY))
    ethnic = _read(folder / "ethnic_groups.csv")
    codes = [row["ethnic_code"] for row in ethnic]
    shares = [float(row["pop_share_2019_pct"] or UNLISTED_GROUP_SHARE) for row in ethnic]
    return Geography(
        old_provinces=tuple(sorted(crosswalk)),
        new_of_old=crosswalk,
        population=population,
        new_provinces=tuple(sorted(set(crosswalk.values()))),
        communes=communes,
        new_commune_of=new_commune_of,
        old_of_commune={code: old for old, found in communes.items() for code in found.tolist()},
        ethnic_codes=tuple(codes),
        ethnic_names=tuple(row["name_vi"] for row in ethnic),
        ethnic_mix=_ethnic_mix(codes, shares, population),
    )
