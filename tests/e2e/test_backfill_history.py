"""A backfill of two years of generated history (pre-reform, 63-province codes) through Airflow:
loaded year by year in period order, progress shown per period, and the marts show the series.
Two DAG runs, one a year: the fewest that show the years' order (slow tier)."""

from __future__ import annotations

import csv
import secrets
import shutil

import pytest

from child_warehouse.db import connection
from child_warehouse.linkage.register import load_register_extract
from nights import fresh

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.xdist_group("backfill")]

PERIODS = ["2022-Q2", "2022-Q4", "2023-Q2", "2023-Q4"]
PROVINCES = 5  # of the 63: enough for a series, few enough to keep the test to minutes


@pytest.fixture(scope="module")
def backfilled(server_url, tools, tmp_path_factory):
    from child_warehouse.synth.faults import FaultRates
    from child_warehouse.synth.national import generate_national

    root = tmp_path_factory.mktemp("backfill")
    generate_national(
        root / "generated",
        children=3000,
        periods=PERIODS,
        faults=FaultRates.none(),
        workers=1,
        progress=False,
    )
    landing = root / "generated" / "landing"
    kept = sorted(p.name for p in landing.iterdir())[:PROVINCES]
    for folder in landing.iterdir():
        if folder.name not in kept:
            shutil.rmtree(folder)
    # The test may run at any hour: no pause for the day's working hours.
    warehouse = fresh(server_url, root / "warehouse", tools, key=secrets.token_hex(32))
    warehouse.variables["CHILD_WAREHOUSE_BACKFILL_PAUSE"] = "off"
    try:
        load_register_extract(root / "generated" / "register" / "persons.csv", warehouse.url)
        dry = warehouse.run(
            "backfill", "--from", "2021", "--to", "2023", "--history", str(landing), "--dry-run"
        )
        done = warehouse.run("backfill", "--from", "2021", "--to", "2023", "--history", str(landing))
        yield {
            "url": warehouse.url,
            "kept": kept,
            "truth": root / "generated" / "truth",
            "dry": dry.stdout,
            "out": done.stdout,
        }
    finally:
        warehouse.drop()


def _query(url: str, sql: str) -> list[tuple]:
    with connection.transaction(url) as conn, conn.cursor() as cur:
        cur.execute(sql)
        return cur.fetchall()


def test_progress_is_shown_per_year_and_period(backfilled):
    files = PROVINCES * 3 * 2  # three submission types, two periods a year
    assert f"2022: {files} files, 2023: {files} files" in backfilled["dry"]
    out = backfilled["out"]
    assert "2021: no submissions in the archive, skipped" in out
    assert out.index("2022: run ") < out.index("2023: run ")
    for period in PERIODS:
        line = next(line for line in out.splitlines() if line.startswith(period))
        assert line.split()[1:2] == [str(PROVINCES * 3)], line  # files of the period


def test_years_are_loaded_in_period_order(backfilled):
    loaded = _query(
        backfilled["url"],
        "select left(period, 4), min(loaded_at), max(loaded_at) from ledger.submissions "
        "group by 1 order by 1",
    )
    assert [year for year, _, _ in loaded] == ["2022", "2023"]
    assert loaded[0][2] < loaded[1][1], "every 2022 file before any 2023 file"


def test_the_marts_show_the_series_as_the_generator_made_it(backfilled):
    with (backfilled["truth"] / "expected_by_province.csv").open(encoding="utf-8") as handle:
        expected = {
            (r["province_code"], r["period"]): int(r["children_total"])
            for r in csv.DictReader(handle)
            if r["province_code"] in backfilled["kept"] and r["period"] in PERIODS
        }
    rows = _query(
        backfilled["url"],
        "select province_code, period, children_total from marts.special_circumstances_by_province",
    )
    assert {(p, period): total for p, period, total in rows} == expected
    assert len(expected) == PROVINCES * len(PERIODS)


def test_each_backfill_run_is_in_the_run_ledger(backfilled):
    runs = _query(
        backfilled["url"],
        "select run_id, count(*) from ops.province_runs group by 1 order by min(started_at)",
    )
    assert [provinces for _, provinces in runs] == [PROVINCES, PROVINCES]
