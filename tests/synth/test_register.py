"""The register extract: ID structure, families, dates and names."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from datetime import date

from child_warehouse.synth.people import personal_id

from .helpers import PERIOD_END, Sample, communes_by_province, parse_groups, pre_reform_codes

HEADER = (
    "personal_id,full_name,date_of_birth,sex,ethnicity_code,birth_province_code,commune_code,"
    "mother_personal_id,father_personal_id,date_of_death,extract_date"
)
Register = dict[str, dict[str, str]]


def test_personal_id_encodes_province_century_sex_and_year() -> None:
    assert personal_id("01", "female", date(2015, 3, 2), 42) == "001315000042"
    assert personal_id("96", "male", date(1985, 12, 31), 999_999) == "096085999999"
    assert personal_id("79", "male", date(2000, 1, 1), 7) == "079200000007"
    assert personal_id("08", "female", date(1999, 6, 1), 7) == "008199000007"


def test_header_and_extract_date(sample: Sample, register: Register) -> None:
    first_line = (sample.register_dir / "persons.csv").read_text(encoding="utf-8").split("\n", 1)[0]
    assert first_line == HEADER
    assert {row["extract_date"] for row in register.values()} == {"2026-10-31"}


def test_every_id_follows_the_structure(sample: Sample, register: Register) -> None:
    rows = register.values()
    assert len(register) == sample.summary.register_persons  # no ID was issued twice
    pre_reform = pre_reform_codes()
    assert len(pre_reform) == 63
    for row in rows:
        pid, born = row["personal_id"], date.fromisoformat(row["date_of_birth"])
        assert re.fullmatch(r"\d{12}", pid), pid
        assert pid[0] == "0"
        assert pid[1:3] in pre_reform
        assert pid[1:3] == row["birth_province_code"]
        century = 0 if born.year < 2000 else 2
        assert int(pid[3]) == century + (row["sex"] == "female"), pid
        assert pid[4:6] == f"{born.year % 100:02d}", pid
        assert row["sex"] in {"male", "female"}
        assert re.fullmatch(r"\d{2}", row["ethnicity_code"])


def test_children_have_both_parents_registered(records: dict, links: dict, register: Register) -> None:
    with_parents = 0
    for child_id in links.values():
        child = register[child_id]
        if not child["mother_personal_id"]:
            assert not child["father_personal_id"]  # parents are unknown together (abandoned children)
            continue
        with_parents += 1
        mother, father = register[child["mother_personal_id"]], register[child["father_personal_id"]]
        assert (mother["sex"], father["sex"]) == ("female", "male")
        for parent in (mother, father):
            assert 1975 <= int(parent["date_of_birth"][:4]) <= 2000
            assert parent["date_of_birth"] < child["date_of_birth"]
    assert with_parents > 0.95 * len(links)


def test_register_is_about_four_times_the_children(sample: Sample) -> None:
    ratio = sample.summary.register_persons / sample.summary.children
    assert 3.5 <= ratio <= 4.5


def test_deaths_fall_between_birth_and_extract(register: Register) -> None:
    deaths = [row for row in register.values() if row["date_of_death"]]
    assert deaths
    assert all(row["date_of_birth"] <= row["date_of_death"] <= "2026-10-31" for row in deaths)


def test_residence_is_a_current_commune(register: Register) -> None:
    current = set().union(*communes_by_province().values())
    assert {row["commune_code"] for row in register.values()} <= current


def test_names_are_nfc_vietnamese_with_realistic_surnames(register: Register) -> None:
    names = [row["full_name"] for row in register.values()]
    assert all(unicodedata.normalize("NFC", name) == name for name in names)
    assert all(2 <= len(name.split()) <= 5 for name in names)
    surnames = Counter(name.split()[0] for name in names)
    assert 0.32 <= surnames["Nguyễn"] / len(names) <= 0.44
    assert len(surnames) >= 20
    middles = Counter(word for name in names for word in name.split()[1:-1])
    assert middles["Văn"]
    assert middles["Thị"]
    assert any(name.split()[1] not in {"Văn", "Thị"} for name in names)


def test_children_in_register_are_under_16(links: dict, register: Register) -> None:
    cutoff = PERIOD_END.replace(year=PERIOD_END.year - 16)
    for child_id in links.values():
        born = date.fromisoformat(register[child_id]["date_of_birth"])
        assert cutoff < born <= PERIOD_END


def test_orphans_and_abandoned_children_match_the_register(
    records: dict, links: dict, register: Register
) -> None:
    orphans = 0
    for province, rows in records.items():
        for row in rows:
            groups = parse_groups(row["special_circumstances"])
            child = register[links[province, row["record_id"]]]
            if "b" in groups:  # abandoned: parents unknown to the register
                assert child["mother_personal_id"] == child["father_personal_id"] == ""
            elif "a" in groups:  # orphaned of both parents: both deaths registered by period end
                orphans += 1
                for parent in (child["mother_personal_id"], child["father_personal_id"]):
                    assert "" < register[parent]["date_of_death"] <= PERIOD_END.isoformat()
    assert orphans > 0
