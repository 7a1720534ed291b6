"""Clean rows of one submission file as canonical strings: who is in it and what the record says."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from child_warehouse.synth.bulk_cases import Cases
from child_warehouse.synth.geography import Geography
from child_warehouse.synth.periods import Period
from child_warehouse.synth.population import NO_DEATH, YEAR, People, day_number
from child_warehouse.synth.province import Province

SEX_NAMES = np.array(["male", "female"], dtype=object)


@dataclass
class Rows:
    """Column name -> values (canonical strings or bools), plus the truth of every row."""

    columns: dict[str, np.ndarray]
    person_id: np.ndarray  # the register person each row is about
    kind: np.ndarray  # "child", "stranger_*", "turned_16", "moved_duplicate", "duplicate_in_province"

    def __len__(self) -> int:
        return len(self.person_id)

    def take(self, index: np.ndarray) -> Rows:
        return Rows({k: v[index] for k, v in self.columns.items()}, self.person_id[index], self.kind[index])


def is_child(rows: Rows) -> np.ndarray:
    """Rows about a real child of the file: the register's children and those it lacks (strangers)."""
    return np.array(
        [kind == "child" or kind.startswith("stranger") for kind in rows.kind.tolist()], dtype=bool
    )


def iso(days: np.ndarray) -> np.ndarray:
    return np.datetime_as_string(days.astype("datetime64[D]")).astype(object)


def file_province(geo: Geography, period: Period, communes: np.ndarray) -> np.ndarray:
    """Old province (first two digits of the old commune's province) before the reform, else new."""
    old = np.array([geo.old_of_commune[c] for c in communes.tolist()], dtype=object)
    return old if period.pre_reform else np.array([geo.new_of_old[o] for o in old.tolist()], dtype=object)


def commune_codes(geo: Geography, period: Period, communes: np.ndarray) -> np.ndarray:
    if period.pre_reform:
        return communes
    return np.array([geo.new_commune_of[c] for c in communes.tolist()], dtype=object)


def alive_children(prov: Province, period: Period, *, low: float, high: float) -> np.ndarray:
    """Managed cohort members aged [low, high) at the period end, alive at its start."""
    people, end = prov.people, day_number(period.end)
    ages = (end - people.dob[: prov.young]) / YEAR
    alive = (people.death[: prov.young] == NO_DEATH) | (
        people.death[: prov.young] >= day_number(period.start)
    )
    return np.flatnonzero(prov.managed & alive & (ages >= low) & (ages < high))


def _person_columns(
    people: People, index: np.ndarray, geo: Geography, period: Period
) -> dict[str, np.ndarray]:
    return {
        "commune_code": commune_codes(geo, period, people.commune[index]),
        "full_name": people.name[index],
        "date_of_birth": iso(people.dob[index]),
        "sex": SEX_NAMES[people.sex[index]],
        "ethnicity_code": np.array(geo.ethnic_codes, dtype=object)[people.eth[index]],
        "personal_id": people.pid[index],
    }


def child_rows(prov: Province, geo: Geography, period: Period, index: np.ndarray, kind: str) -> Rows:
    people, prof = prov.people, prov.profiles.take(index)
    end = day_number(period.end)
    carer = np.where(
        prof.carer == 1, people.mother[index], np.where(prof.carer == 2, people.father[index], -1)
    )
    named = carer >= 0
    died = (people.death[index] != NO_DEATH) & (people.death[index] <= end)
    columns = {"record_id": prov.record_id[index], **_person_columns(people, index, geo, period)}
    columns |= {
        "caregiver_name": np.where(named, people.name[np.maximum(carer, 0)], ""),
        "caregiver_personal_id": np.where(named, people.pid[np.maximum(carer, 0)], ""),
        "household_poverty": prof.poverty,
        "special_circumstances": prof.groups,
        "at_risk": prof.at_risk,
        "supported": prof.supported,
        "support_types": prof.support_types,
        "has_disability": np.array(["d" in g.split(";") for g in prof.groups.tolist()], dtype=bool),
        "has_health_insurance": prof.insured,
        "birth_registered": np.ones(len(index), dtype=bool),
        "record_status": np.where(died, "tu_vong", "dang_quan_ly").astype(object),
        "updated_on": iso(np.maximum(people.dob[index], end - prof.update_lag)),
    }
    return Rows(columns, people.pid[index], np.full(len(index), kind, dtype=object))


def stale_rows(prov: Province, geo: Geography, period: Period) -> Rows:
    """Records of children who moved to another province and were never closed here."""
    count = len(prov.stale)
    index = np.arange(count)
    columns = {"record_id": prov.stale_record_id, **_person_columns(prov.stale, index, geo, period)}
    empty, false = np.full(count, "", dtype=object), np.zeros(count, dtype=bool)
    columns |= {
        "caregiver_name": empty,
        "caregiver_personal_id": empty,
        "household_poverty": np.full(count, "khong", dtype=object),
        "special_circumstances": empty,
        "at_risk": false,
        "supported": false,
        "support_types": empty,
        "has_disability": false,
        "has_health_insurance": ~false,
        "birth_registered": ~false,
        "record_status": np.full(count, "dang_quan_ly", dtype=object),
        "updated_on": iso(np.full(count, day_number(period.start))),
    }
    return Rows(columns, prov.stale.pid, np.full(count, "moved_duplicate", dtype=object))


def case_rows(
    prov: Province, geo: Geography, period: Period, cases: Cases, record_of: dict[int, str]
) -> Rows:
    people = prov.people
    child = _person_columns(people, cases.person, geo, period)
    del child["ethnicity_code"]  # not a protection_cases column (contract 3.2)
    columns = {
        "case_id": cases.case_id,
        "record_id": np.array([record_of.get(p, "") for p in cases.person.tolist()], dtype=object),
        **child,
        "case_type": cases.case_type,
        "occurred_on": iso(cases.occurred),
        "detected_on": iso(cases.detected),
        "outcome": cases.outcome,
        "intervention_status": cases.status,
        "intervened_on": np.where(cases.intervened >= 0, iso(np.maximum(cases.intervened, 0)), ""),
        "referred_to": cases.referred,
    }
    return Rows(columns, people.pid[cases.person], np.full(len(cases), "case", dtype=object))


def concat_rows(parts: list[Rows]) -> Rows:
    keys = parts[0].columns
    return Rows(
        {k: np.concatenate([p.columns[k] for p in parts]) for k in keys},
        np.concatenate([p.person_id for p in parts]),
        np.concatenate([p.kind for p in parts]),
    )
