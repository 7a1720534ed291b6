"""One worker's job: a new province's register rows, submissions for every period, and their truth."""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, timezone
from pathlib import Path

import numpy as np

from child_warehouse.synth.bulk_cases import Cases, draw_cases
from child_warehouse.synth.faults import FaultRates
from child_warehouse.synth.geography import Geography
from child_warehouse.synth.inject import add_duplicates
from child_warehouse.synth.layouts import stream
from child_warehouse.synth.periods import REFORM_DATE, Period
from child_warehouse.synth.population import NO_DEATH, People, day_number
from child_warehouse.synth.province import Province, Window
from child_warehouse.synth.render import Rows, alive_children, child_rows, concat_rows, stale_rows
from child_warehouse.synth.strangers import make_strangers

VIETNAM = timezone(timedelta(hours=7))
PART_FILES = (
    "persons",
    "child_links",
    "case_links",
    "faults",
    "submissions",
    "expected_by_province",
    "expected_cases",
)


@dataclass(frozen=True)
class Job:
    seed: int
    code: str
    slot: int
    window: Window
    periods: tuple[str, ...]
    rates: FaultRates
    formats: dict[str, float]
    case_rate: float
    movers: int
    landing: Path
    parts: Path  # this province's truth parts go to parts/<code>/<name>.csv
    since: object  # earliest pre-reform period end (date), for the commune list


@dataclass
class Result:
    code: str
    persons: int = 0
    child_rows: int = 0
    files: int = 0
    faults: Counter[str] = field(default_factory=Counter)
    rows_by_type: Counter[str] = field(default_factory=Counter)


class Parts:
    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.handles = {
            name: (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") for name in PART_FILES
        }
        self.writers = {name: csv.writer(h, lineterminator="\n") for name, h in self.handles.items()}

    def close(self) -> None:
        for handle in self.handles.values():
            handle.close()


def register_elsewhere(seed: int, prov: Province, geo: Geography, rate: float) -> dict[int, str]:
    """Children the register still places in another province (a move it was never told of): person
    index → the current commune it says. Their records in this province's files are right."""
    rng = np.random.default_rng([seed, int(prov.code), 7])
    chosen = np.flatnonzero(rng.random(prov.young) < rate)
    others = [old for old in geo.communes if old not in geo.constituents(prov.code)]
    found = {}
    for index in chosen.tolist():
        communes = geo.communes[others[int(rng.integers(len(others)))]]
        found[index] = geo.new_commune_of[communes[int(rng.integers(len(communes)))]]
    return found


def register_rows(
    people: People, geo: Geography, extract: str, elsewhere: dict[int, str] | None = None
) -> list[list[str]]:
    """Current commune, or the old one for the dead who died before the reform (or `elsewhere`'s)."""
    elsewhere = elsewhere or {}
    reform = day_number(REFORM_DATE)
    pids, death = people.pid, people.death
    dead = death != NO_DEATH
    death_iso = np.where(dead, np.datetime_as_string(np.where(dead, death, 0).astype("datetime64[D]")), "")
    dob_iso = np.datetime_as_string(people.dob.astype("datetime64[D]"))
    out = []
    for i in range(len(people)):
        old = people.commune[i]
        commune = old if dead[i] and death[i] < reform else elsewhere.get(i) or geo.new_commune_of[old]
        mother, father = people.mother[i], people.father[i]
        out.append(
            [
                pids[i],
                people.name[i],
                dob_iso[i],
                "female" if people.sex[i] else "male",
                geo.ethnic_codes[people.eth[i]],
                f"{people.birth_prov[i]:02d}",
                commune,
                pids[mother] if mother >= 0 else "",
                pids[father] if father >= 0 else "",
                death_iso[i],
                extract,
            ]
        )
    return out


def period_cases(job: Job, prov: Province, periods: list[Period]) -> dict[str, Cases]:
    """Cases of every period, oldest first; a child who dies in one is not a case in a later one."""
    found = {}
    for period in sorted(periods, key=lambda p: (p.end, p.start)):
        rng = np.random.default_rng(stream(job.seed, "cases", job.code, period.label))
        eligible = alive_children(prov, period, low=0, high=16)
        cases = draw_cases(rng, job.code, period, eligible, dob=prov.people.dob, rate=job.case_rate)
        died = cases.person[cases.outcome == "tu_vong"]
        when = cases.occurred[cases.outcome == "tu_vong"]
        prov.people.death[died] = np.where(prov.people.death[died] == NO_DEATH, when, prov.people.death[died])
        found[period.label] = cases
    return found


def file_rows(job: Job, prov: Province, geo: Geography, period: Period, target: str) -> Rows:
    """Children of the file's province (old before the reform), over-16s left in, movers, duplicates."""
    rng = np.random.default_rng(stream(job.seed, "rows", target, period.label))
    children = alive_children(prov, period, low=0, high=16)
    older = alive_children(prov, period, low=16, high=18)
    older = older[rng.random(len(older)) < job.rates.turned_16 * max(1, len(children)) / max(1, len(older))]
    parts = [
        child_rows(prov, geo, period, children, "child"),
        child_rows(prov, geo, period, older, "turned_16"),
    ]
    parts.append(stale_rows(prov, geo, period))
    rows = concat_rows(parts)
    rows = rows.take(np.flatnonzero(_provinces_of(geo, period, prov, rows) == target))
    rows = concat_rows([rows, make_strangers(rng, rows, job.rates.stranger, target, period)])
    rows = concat_rows([rows, add_duplicates(rng, rows, job.rates.duplicate_in_province, target)])
    return rows.take(rng.permutation(len(rows)))


def _provinces_of(geo: Geography, period: Period, prov: Province, rows: Rows) -> np.ndarray:
    codes = rows.columns["commune_code"]
    if period.pre_reform:
        return np.array([geo.old_of_commune[c] for c in codes.tolist()], dtype=object)
    return np.full(len(codes), prov.code, dtype=object)


def _submitted(rng: np.random.Generator, period: Period, late_rate: float) -> tuple[datetime, bool]:
    late = bool(rng.random() < late_rate)
    offset = rng.integers(1, 30) if late else -int(rng.integers(0, 10))
    day = period.deadline + timedelta(days=int(offset))
    opening = datetime.combine(day, time(8, 0), tzinfo=VIETNAM)
    return opening + timedelta(minutes=int(rng.integers(0, 540))), late
