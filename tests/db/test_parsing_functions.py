"""The SQL parsing functions read every form the submission contract allows, and nothing else."""

import datetime as dt
import re
from importlib import resources

import pytest
from psycopg2 import sql


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
        ("Nữ", "female"),
        ("Nu\u031b\u0303", "female"),  # Nữ decomposed (NFD): not the bytes the fast path compares
        (" Nam ", "male"),
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


def _first_versions(cur, *names: str) -> None:
    """Create migration 0003's definitions of these util functions as pg_temp.first_<name>."""
    text = resources.files("child_warehouse.db").joinpath("sql/0003_parsing_functions.sql").read_text()
    for name in names:
        body = re.search(
            rf"create or replace function util\.{name}\(.*?\n(?:end|\s*return [^\n]*);\n", text, re.S
        )
        definition = body.group(0)
        for other in names:
            definition = definition.replace(f"util.{other}(", f"pg_temp.first_{other}(")
        cur.execute(definition.replace("create or replace function", "create function", 1))


def test_faster_date_parsing_gives_the_first_versions_answers(db):
    """Migrations 0010 and 0012 and the d/m/yyyy path (definitions/20_dates.sql) rewrote parse_vn_date
    for speed: on every form and edge, the answers stay."""
    years = (1799, 1800, 1900, 2000, 2023, 2024, 2100, 2200, 2201)
    texts = [f"{d}{sep}{m}{sep}{y}" for y in years for m in range(14) for d in range(33) for sep in "/.-"]
    texts += [
        f"{y}-{m:02d}-{d:02d}{tail}"
        for y in years
        for m in range(14)
        for d in range(33)
        for tail in ("", "T08:30", " 00:00:00")
    ]
    texts += [f"{d:02d}/{m:02d}/{y}" for y in years for m in range(14) for d in range(33)]  # the fast path
    texts += [f"{d:03d}/{m}/{y}" for y in (2015, 2024) for m in (1, 2, 12) for d in (1, 29, 31)]  # not it
    texts += [f" {d:02d}/{m:02d}/2015\u00a0" for m in range(1, 13) for d in (1, 28, 29, 30, 31)]
    texts += [
        "0",
        "1",
        "42000",
        "42000.75",
        "73050",
        "73051",
        "99999",
        "",
        " ",
        "31/02",
        "2015/03/05",
        "5/3/15",
    ]
    with db.cursor() as cur:
        _first_versions(cur, "checked_date", "parse_vn_date")
        cur.execute(
            """select t, util.parse_vn_date(t), pg_temp.first_parse_vn_date(t) from unnest(%s::text[]) as t
               where util.parse_vn_date(t) is distinct from pg_temp.first_parse_vn_date(t)""",
            (texts,),
        )
        assert cur.fetchall() == []
        cur.execute("select count(util.parse_vn_date(t)) from unnest(%s::text[]) as t", (texts,))
        assert cur.fetchone()[0] > 5000  # most of them are real dates: the comparison is not vacuous
    db.rollback()


VIETNAMESE_LETTERS = (
    "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
    "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐÐ"
)


def test_faster_folding_gives_the_first_versions_answers(db):
    """Migrations 0010 and 0011 rewrote folding, yes/no and sex for speed: on Vietnamese, the answers stay."""
    words = [
        "dang_quan_ly",
        "Đang quản lý",
        "CẬN NGHÈO",
        "can_ngheo",
        "khong",
        "Không",
        "KHÔNG",
        "Có",
        "CÓ",
        "x",
        "X",
        "1",
        "1.0",
        "0.0",
        "Yes",
        "FALSE",
        "Nam",
        "Nữ",
        "NỮ",
        "nu",
        "F",
        "M",
        " M ",
        "m",
        "2",
        " 1",
        "  xam_hai__tinh_duc ",
        "_lead",
        "trail_",
        "a-b c",
        "Đã can thiệp",
        "Ðỗ",
        "tab\there",
        "line\nbreak",
        "\u00a0nbsp\u00a0",
        "emoji 🙂",
        "",
        " ",
        "A1_b2",
        "ngheo!",
        "Nguyễn Thị Hoà",
        "Hà Giang – Tuyên Quang",
        *VIETNAMESE_LETTERS,  # every letter, each case, alone
        VIETNAMESE_LETTERS,
    ]
    functions = ("fold_vn", "normalise_code", "parse_yes_no", "parse_sex")
    with db.cursor() as cur:
        _first_versions(cur, *functions)
        differs = sql.SQL(" or ").join(
            sql.SQL("{}(t) is distinct from {}(t)").format(
                sql.Identifier("util", f), sql.Identifier("pg_temp", f"first_{f}")
            )
            for f in functions
        )
        cur.execute(sql.SQL("select t from unnest(%s::text[]) as t where {}").format(differs), (words,))
        assert cur.fetchall() == []
        cur.execute(
            "select count(util.parse_yes_no(t)), count(util.parse_sex(t)) from unnest(%s::text[]) t", (words,)
        )
        assert cur.fetchone() == (13, 11)  # the comparison is not vacuous
    db.rollback()


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Nguye\u0302\u0303n", "nguyen"),  # decomposed (NFD) Vietnamese: the marks go too
        ("Peña", "pena"),  # other Latin letters lose the same marks
        ("Ðặng ĐÀO", "dang dao"),
        ("Façade", "fac\u0327ade"),  # a mark Vietnamese does not use stays, decomposed
    ],
)
def test_folding_removes_vietnamese_marks_from_any_letter(db, text, folded):
    with db.cursor() as cur:
        cur.execute("select util.fold_vn(%s)", (text,))
        assert cur.fetchone()[0] == folded


def test_faster_personal_id_parsing_gives_the_first_versions_answers(db):
    texts = [
        "001215123456",
        " 001215123456",
        "001215123456\u00a0",
        "001 215 123 456",
        "001\t215123456",
        "00121512345",
        "0012151234567",
        "00121512345a",
        "",
        " ",
        "o01215123456",
        "001215 12345 6",
    ]
    with db.cursor() as cur:
        _first_versions(cur, "parse_personal_id")
        cur.execute(
            """select t from unnest(%s::text[]) as t
               where util.parse_personal_id(t) is distinct from pg_temp.first_parse_personal_id(t)""",
            (texts,),
        )
        assert cur.fetchall() == []
        cur.execute("select count(util.parse_personal_id(t)) from unnest(%s::text[]) as t", (texts,))
        assert cur.fetchone()[0] == 6
    db.rollback()
