"""The truth check names every difference between the mart and the generator's expectations."""

import csv

from psycopg2 import sql

from child_warehouse.reporting.marts import TRUTH_COLUMNS, UNSUPPRESSED_COUNTS, compare_with_truth

TABLE = sql.Identifier(*UNSUPPRESSED_COUNTS)


def _mart(db, rows):
    counts = sql.SQL(", ").join(sql.SQL("{} integer").format(sql.Identifier(c)) for c in TRUTH_COLUMNS)
    with db, db.cursor() as cur:
        cur.execute("create schema if not exists intermediate")
        cur.execute(sql.SQL("drop table if exists {}").format(TABLE))
        cur.execute(sql.SQL("create table {} (province_code text, period text, {})").format(TABLE, counts))
        for row in rows:
            cur.execute(sql.SQL("insert into {} values (%s, %s, %s, %s, %s, %s, %s)").format(TABLE), row)


def _truth(tmp_path, rows):
    path = tmp_path / "expected_by_province.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["province_code", "period", *TRUTH_COLUMNS, "records_with_personal_id"])
        writer.writerows(rows)
    return path


def test_equal_mart_has_no_problems(db, warehouse_db, tmp_path):
    _mart(db, [("01", "2026-Q3", 30, 2, 1, 1, 1)])
    assert compare_with_truth(_truth(tmp_path, [("01", "2026-Q3", 30, 2, 1, 1, 1, 20)]), warehouse_db) == []


def test_differences_and_missing_provinces_are_named(db, warehouse_db, tmp_path):
    _mart(db, [("01", "2026-Q3", 30, 3, 1, 1, 1)])
    truth = _truth(tmp_path, [("01", "2026-Q3", 30, 2, 1, 1, 1, 20), ("79", "2026-Q3", 5, 0, 0, 0, 0, 5)])
    assert compare_with_truth(truth, warehouse_db) == [
        "01 2026-Q3 hcdb_children: mart 3, truth 2",
        "79 2026-Q3: missing from the mart",
    ]
