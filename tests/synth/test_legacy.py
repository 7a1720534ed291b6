"""Legacy encodings: known renderings, round trips with our own reverse tables, and real files."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from child_warehouse.synth.legacy import (
    decode_cp1258,
    decode_tcvn3,
    decode_vni,
    encode_cp1258,
    encode_tcvn3,
    encode_vni,
)
from child_warehouse.synth.names import GIVEN, GIVEN_TWO, MIDDLE, SURNAME_WEIGHTS

from .national_helpers import read_cells, submissions, truth

EVERY_NAME_SYLLABLE = " ".join(
    [*SURNAME_WEIGHTS, *sum(MIDDLE.values(), ()), *sum(GIVEN.values(), ()), *sum(GIVEN_TWO.values(), ())]
)
LOWER = "aàảãáạăằẳẵắặâầẩẫấậeèẻẽéẹêềểễếệiìỉĩíịoòỏõóọôồổỗốộơờởỡớợuùủũúụưừửữứựyỳỷỹýỵđ"


def test_well_known_mojibake() -> None:
    assert encode_tcvn3("Hà Nội").decode("latin-1") == "Hµ Néi"
    assert encode_tcvn3("Việt Nam").decode("latin-1") == "ViÖt Nam"
    assert encode_vni("Việt Nam").decode("latin-1") == "Vieät Nam"
    assert encode_vni("Hà Nội").decode("latin-1") == "Haø Noäi"


@pytest.mark.parametrize("text", [LOWER, LOWER.upper(), EVERY_NAME_SYLLABLE, "Đặng Thị Thuỷ, 0123"])
def test_vni_and_cp1258_round_trip_exactly(text: str) -> None:
    assert decode_vni(encode_vni(text)) == text
    assert decode_cp1258(encode_cp1258(text)) == text


def test_cp1258_writes_tones_as_combining_bytes() -> None:
    assert encode_cp1258("ễ") == "ê".encode("cp1258") + b"\xde"


@pytest.mark.parametrize("text", [LOWER, EVERY_NAME_SYLLABLE])
def test_tcvn3_round_trips_except_toned_capitals(text: str) -> None:
    # TCVN3 has bytes only for toneless capitals; a toned capital comes back lower case.
    expected = "".join(
        c.lower() if c.lower() != c and unicodedata.normalize("NFD", c)[1:] and c not in "ĂÂÊÔƠƯĐ" else c
        for c in text
    )
    assert decode_tcvn3(encode_tcvn3(text)) == expected
    assert len(encode_tcvn3(LOWER)) == len(LOWER)  # one byte per letter


def test_legacy_files_decode_to_the_names_in_the_register(national: Path) -> None:
    names = {row["personal_id"]: row["full_name"] for row in truth(national, "persons")}
    links = {
        (r["province_code"], r["period"], r["record_id"]): r["personal_id"]
        for r in truth(national, "child_links")
    }
    checked = set()
    for name, row in submissions(national).items():
        if row["encoding"] not in ("tcvn3", "vni", "cp1258") or row["submission_type"] != "child_records":
            continue
        _, cells, header = read_cells(national / "landing" / name, row["encoding"])
        person = {
            tuple(cell): links[(row["province_code"], row["period"], cell[header.index("record_id")])]
            for cell in cells
            if len(cell) == len(header)
        }
        whole = [cell for cell in person if person[cell]]  # strangers have no register name to compare
        same = sum(cell[header.index("full_name")].lower() == names[person[cell]].lower() for cell in whole)
        assert same / len(whole) > 0.85, name  # the rest carry injected name faults
        checked.add(row["encoding"])
    assert checked
