"""The columns a model must fill are one test per model (tests/generic/not_null_columns.sql), not one
per column: it passes while they are filled and fails with one row per column that has nulls, naming
the column and counting its null rows, as the per-column tests it replaced would have failed."""

from __future__ import annotations

import pytest

from support import dbt_command, run_dbt

pytestmark = pytest.mark.e2e

SELECT = ["test", "--select", "int_periods,test_name:not_null_columns"]


def test_each_column_with_nulls_is_named_with_its_count(db, warehouse_db, make_submission, tmp_path):
    make_submission(period="2026-Q3")
    make_submission(period="2026-M10")
    run_dbt(warehouse_db, tmp_path, "run", "--select", "+int_periods")
    run_dbt(warehouse_db, tmp_path, *SELECT)

    with db, db.cursor() as cur:
        cur.execute(
            "update intermediate.int_periods set period_type = null, period_end_date = null "
            "where period = '2026-M10'"
        )
    result = dbt_command(warehouse_db, tmp_path, *SELECT)
    assert result.returncode != 0
    failed = [line for line in result.stdout.splitlines() if " FAIL " in line]
    assert len(failed) == 1, result.stdout[-3000:]
    assert "not_null_columns_int_periods" in failed[0]
    assert "FAIL 2 " in failed[0]  # two columns with nulls

    compiled = next((tmp_path / "compiled").rglob("not_null_columns_int_periods*.sql")).read_text()
    with db, db.cursor() as cur:
        cur.execute(compiled)
        assert sorted(cur.fetchall()) == [("period_end_date", 1), ("period_type", 1)]
