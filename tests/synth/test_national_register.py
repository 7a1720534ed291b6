"""The national register: ID structure, names, dates, shares, ethnicity where minorities live."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from .national_helpers import truth


def test_personal_ids_follow_the_structure_and_are_unique(national: Path) -> None:
    persons = truth(national, "persons")
    ids = [row["personal_id"] for row in persons]
    assert len(ids) == len(set(ids))
    for row in persons:
        pid, born = row["personal_id"], date.fromisoformat(row["date_of_birth"])
        assert len(pid) == 12
        assert pid.isdigit()
        assert pid[:3] == "0" + row["birth_province_code"]
        century = (born.year - 1900) // 100
        assert int(pid[3]) == 2 * century + (row["sex"] == "female")
        assert pid[4:6] == f"{born.year % 100:02d}"


def test_children_are_about_a_quarter_and_sexes_balanced(national: Path) -> None:
    persons = truth(national, "persons")
    cutoff = date(2010, 9, 30)  # under 16 on 2026-09-30
    children = sum(date.fromisoformat(row["date_of_birth"]) > cutoff for row in persons)
    assert 0.22 < children / len(persons) < 0.30
    females = sum(row["sex"] == "female" for row in persons)
    assert 0.45 < females / len(persons) < 0.55


def test_surname_shares_follow_the_published_frequencies(national: Path) -> None:
    surnames = Counter(row["full_name"].split()[0] for row in truth(national, "persons"))
    total = sum(surnames.values())
    assert 0.35 < surnames["Nguyễn"] / total < 0.41
    assert 0.09 < surnames["Trần"] / total < 0.13


def test_parents_are_register_persons_and_older_than_their_children(national: Path) -> None:
    persons = {row["personal_id"]: row for row in truth(national, "persons")}
    with_mother = [row for row in persons.values() if row["mother_personal_id"]]
    assert len(with_mother) > len(persons) / 6
    for row in with_mother[:2000]:
        mother = persons[row["mother_personal_id"]]
        assert mother["sex"] == "female"
        assert mother["date_of_birth"] < row["date_of_birth"]


def test_some_persons_died_and_the_dead_before_the_reform_keep_old_communes(national: Path) -> None:
    dead = [row for row in truth(national, "persons") if row["date_of_death"]]
    assert dead
    early = [row for row in dead if row["date_of_death"] < "2025-07-01"]
    assert early  # their commune is a pre-reform code; checked against the seeds in test_national_files


def test_minorities_live_in_their_home_provinces(national: Path) -> None:
    by_origin: dict[str, Counter[str]] = {}
    for row in truth(national, "persons"):
        by_origin.setdefault(row["birth_province_code"], Counter())[row["ethnicity_code"]] += 1
    hanoi, ha_giang = by_origin["01"], by_origin["02"]
    assert hanoi["01"] / sum(hanoi.values()) > 0.9
    assert ha_giang["01"] / sum(ha_giang.values()) < 0.6  # Hmông, Tày, Dao


@pytest.mark.slow
def test_personal_ids_are_unique_across_children_parents_and_residents(tmp_path):
    import csv

    from child_warehouse.synth import generate_national

    generate_national(tmp_path, children=20_000, progress=False, workers=1)
    with (tmp_path / "register" / "persons.csv").open(encoding="utf-8") as handle:
        ids = [row["personal_id"] for row in csv.DictReader(handle)]
    assert len(ids) == len(set(ids))
