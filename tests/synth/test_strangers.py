"""The generator is not kind to linkage: children the register lacks, and the faults that hide a
child from it, each with its truth."""

from collections import Counter
from pathlib import Path

from child_warehouse.synth.strangers import KINDS

from .national_helpers import read_cells, submissions, truth


def _child_faults(national: Path) -> dict[tuple[str, str], set[str]]:
    found: dict[tuple[str, str], set[str]] = {}
    for row in truth(national, "faults"):
        if "/child_records" in row["file"] and row["record_id"]:
            found.setdefault((row["file"].split("/")[0], row["record_id"]), set()).add(row["fault"])
    return found


def test_about_six_in_a_hundred_records_have_no_register_person(national: Path) -> None:
    links = truth(national, "child_links")
    strangers = [r for r in links if r["personal_id"] == ""]
    assert 0.04 < len(strangers) / len(links) < 0.08
    faults = _child_faults(national)
    kinds = Counter(
        next(f for f in faults[(r["province_code"], r["record_id"])] if f in KINDS) for r in strangers
    )
    assert set(kinds) == set(KINDS)  # namesakes, siblings, twins, newborns, children from abroad
    persons = {row["personal_id"] for row in truth(national, "persons")}
    assert all(r["personal_id"] in persons for r in links if r["personal_id"])


def test_a_stranger_carries_no_personal_id_in_the_file(national: Path) -> None:
    strangers = {
        (r["province_code"], r["record_id"]) for r in truth(national, "child_links") if not r["personal_id"]
    }
    checked = 0
    for name, row in submissions(national).items():
        if row["submission_type"] != "child_records" or row["encoding"] not in ("utf-8", "utf-8-sig"):
            continue
        _, cells, header = read_cells(national / "landing" / name, row["encoding"])
        for cell in cells:
            if (
                len(cell) == len(header)
                and (row["province_code"], cell[header.index("record_id")]) in strangers
            ):
                assert cell[header.index("personal_id")] == ""
                checked += 1
    assert checked > 20


def test_the_faults_that_hide_a_child_from_the_register_are_all_there(national: Path) -> None:
    found = Counter(f for faults in _child_faults(national).values() for f in faults)
    for fault in (
        "wrong_birth_date",
        "typo_and_date",
        "moved_commune",
        "register_elsewhere",
        "caregiver_missing",
        "caregiver_misspelt",
        "wrong_sex",
        "moved_duplicate",
    ):
        assert found[fault] > 0, fault


def test_a_typo_and_a_date_error_strike_the_same_record(national: Path) -> None:
    both = [r for r in truth(national, "faults") if r["fault"] == "typo_and_date"]
    columns = Counter((r["file"], r["record_id"]) for r in both)
    assert columns
    assert all(n == 2 for n in columns.values())  # the name and the birth date
    assert {r["column"] for r in both} == {"full_name", "date_of_birth"}
