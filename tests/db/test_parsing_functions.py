"""The SQL parsing functions read every form the submission contract allows, and nothing else."""

import datetime as dt

import pytest


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("05/03/2015", dt.date(2015, 3, 5)),
        ("5/3/2015", dt.date(2015, 3, 5)),
        ("2015-03-05", dt.date(2015, 3, 5)),
        ("42000", dt.date(2014, 12, 27)),
        (" 05/03/2015 ", dt.date(2015, 3, 5)),
        ("12/31/2015", None),  # mm/dd/yyyy is never accepted
        ("31/02/2015", None),
        ("", None),
        (None, None),
        ("hôm qua", None),
    ],
)
def test_parse_vn_date(db, text, expected):
    with db.cursor() as cur:
        cur.execute("select util.parse_vn_date(%s)", (text,))
        assert cur.fetchone()[0] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nam", "male"),
        ("NỮ", "female"),
        ("nu", "female"),
        ("M", "male"),
        ("F", "female"),
        ("1", "male"),
        ("2", "female"),
        ("x", None),
        ("", None),
    ],
)
def test_parse_sex(db, text, expected):
    with db.cursor() as cur:
        cur.execute("select util.parse_sex(%s)", (text,))
        assert cur.fetchone()[0] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Có", True),
        ("KHÔNG", False),
        ("co", True),
        ("khong", False),
        ("x", True),
        ("", None),
        ("1", True),
        ("0", False),
        ("yes", True),
        ("false", False),
        ("maybe", None),
    ],
)
def test_parse_yes_no(db, text, expected):
    with db.cursor() as cur:
        cur.execute("select util.parse_yes_no(%s)", (text,))
        assert cur.fetchone()[0] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("001215123456", "001215123456"),
        ("001 215 123 456", "001215123456"),
        ("00121512345", None),
        ("00121512345a", None),
        ("", None),
    ],
)
def test_parse_personal_id(db, text, expected):
    with db.cursor() as cur:
        cur.execute("select util.parse_personal_id(%s)", (text,))
        assert cur.fetchone()[0] == expected


def test_migrations_apply_twice_without_change(warehouse_db):
    from child_warehouse.db.migrations import apply_all

    assert apply_all(warehouse_db) == []


@pytest.mark.parametrize(
    ("text", "key", "folded"),
    [
        ("Nguyễn Thị Hoà", "nguyễn thị hòa", "nguyen thi hoa"),
        ("NGUYỄN  THỊ HÒA", "nguyễn thị hòa", "nguyen thi hoa"),
        ("Trần Văn Thuỷ", "trần văn thủy", "tran van thuy"),
        ("Huỳnh Quý", "huỳnh quý", "huynh quy"),  # the u of "qu" is a consonant: the mark stays on y
        ("Lê Hoàn", "lê hoàn", "le hoan"),  # a final consonant: nothing to move
        ("Đỗ Khoẻ", "đỗ khỏe", "do khoe"),
    ],
)
def test_name_keys_normalise_tone_placement_and_fold(db, text, key, folded):
    with db.cursor() as cur:
        cur.execute("select util.vn_name_key(%s), util.vn_name_folded(%s)", (text, text))
        assert cur.fetchone() == (key, folded)
