"""The effective-dated lists' test (tests/generic/no_overlapping_validity.sql) passes versions that
follow one another and fails a version that starts before the one before it ends, or on the same
day as it starts: two versions of one code valid on one day, which joins on code and date count twice."""

from __future__ import annotations

import pytest

from support import dbt_command

pytestmark = pytest.mark.e2e

SELECT = ["test", "--select", "source:reference.provinces,test_name:no_overlapping_validity"]
CODE = "98"  # no province has had it


def _versions(db, *validity: tuple[str, str | None]) -> None:
    with db, db.cursor() as cur:
        cur.execute("delete from reference.provinces where province_code = %s", (CODE,))
        for valid_from, valid_to in validity:
            cur.execute(
                """insert into reference.provinces (province_code, name_vi, short_name_vi, name_en,
                       unit_type, valid_from, valid_to)
                   values (%s, 'Tỉnh Thử', 'Thử', 'Test', 'tinh', %s, %s)""",
                (CODE, valid_from, valid_to),
            )


@pytest.fixture
def provinces(db):
    yield db
    _versions(db)  # none left


@pytest.mark.parametrize(
    ("validity", "failing"),
    [
        pytest.param([("2020-01-01", "2020-12-31"), ("2021-01-01", None)], 0, id="one after the other"),
        pytest.param([("2020-01-01", "2021-06-30"), ("2021-01-01", None)], 1, id="overlapping"),
        pytest.param([("2021-01-01", "2021-12-31"), ("2021-01-01", None)], 1, id="starting the same day"),
        pytest.param([("2021-01-01", None), ("2020-01-01", None)], 1, id="an open version before another"),
    ],
)
def test_versions_valid_on_one_day_fail(provinces, warehouse_db, tmp_path, validity, failing):
    _versions(provinces, *validity)
    result = dbt_command(warehouse_db, tmp_path, *SELECT)
    if not failing:
        assert result.returncode == 0, result.stdout[-3000:]
        return
    assert result.returncode != 0
    failed = [line for line in result.stdout.splitlines() if " FAIL " in line]
    assert len(failed) == 1, result.stdout[-3000:]
    assert f"FAIL {failing} " in failed[0]

    compiled = next(  # its file name is cut and hashed: found by what it reads
        text
        for path in (tmp_path / "compiled").rglob("*.sql")
        if "overlaps an earlier version" in (text := path.read_text()) and '"provinces"' in text
    )
    with provinces, provinces.cursor() as cur:
        cur.execute(compiled)
        assert [(code, problem) for code, _, _, problem in cur.fetchall()] == [
            (CODE, "overlaps an earlier version")
        ]


def test_a_version_ending_before_it_starts_fails(provinces, warehouse_db, tmp_path):
    _versions(provinces, ("2021-01-01", "2020-12-31"))
    result = dbt_command(warehouse_db, tmp_path, *SELECT)
    assert result.returncode != 0
    assert any(" FAIL 1 " in line for line in result.stdout.splitlines()), result.stdout[-3000:]
